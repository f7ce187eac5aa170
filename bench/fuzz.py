"""The rule-set fuzzer, for minutes: random law directories (tests/lawgen.py) through the
real `casus` in child processes with time and memory limits, until the time is up.

    python bench/fuzz.py --minutes 10 [--seed N] [--examples 25] [--save DIR]

Prints the number of law directories tried, what was covered (laws refused by validate,
evaluations of the generated cases compared engine against engine per variant stack and
perspective, cases with events) and each finding (a crash, a hang, exit 70, durable_rules
disagreeing with the reference evaluator in `casus check` or on a generated case). A finding's law is saved under
--save (default bench/fuzz-findings/) as a directory to rerun (`casus check --rules DIR`)
and to turn into a regression test in tests/analysis/test_fuzz_laws.py. Exit 1 if anything was
found. Runs one law at a time: the machine's cores are shared.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from hypothesis import HealthCheck, Phase, given, settings, seed as hseed  # noqa: E402

from lawgen import laws, run_law, write_law  # noqa: E402


class TimeUp(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--seed", type=int, default=None, help="default: a random seed (printed)")
    parser.add_argument("--examples", type=int, default=25, help="hypothesis examples per `casus check`")
    parser.add_argument("--max-rules", type=int, default=40)
    parser.add_argument("--max-facts", type=int, default=60)
    parser.add_argument("--save", type=Path, default=HERE / "fuzz-findings")
    args = parser.parse_args()
    run_seed = args.seed if args.seed is not None else random.randrange(2**32)
    deadline = time.monotonic() + args.minutes * 60
    tried, findings, stats = [0], [], {}

    @hseed(run_seed)
    @settings(max_examples=10**9, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.generate])
    @given(laws(max_facts=args.max_facts, max_rules=args.max_rules))
    def fuzz(law):
        if time.monotonic() > deadline:
            raise TimeUp
        tried[0] += 1
        found = run_law(law, examples=args.examples, stats=stats)
        if found:
            where = args.save / f"{run_seed}-{tried[0]}"
            where.mkdir(parents=True, exist_ok=True)
            write_law(law, where)
            for f in found:
                print(f"FOUND ({where}): {f}", flush=True)
            findings.extend(found)
        if tried[0] % 10 == 0:
            print(f"{tried[0]} law directories tried, {len(findings)} findings", flush=True)

    started = time.monotonic()
    try:
        fuzz()
    except TimeUp:
        pass
    minutes = (time.monotonic() - started) / 60
    print(f"seed {run_seed}: {tried[0]} law directories tried in {minutes:.1f} minutes, "
          f"{len(findings)} findings")
    for what, n in stats.items():
        print(f"  {what}: {n}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
