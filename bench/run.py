#!/usr/bin/env python3
"""casus benchmarks: each figure names exactly what it times, on the paths users take.

    python bench/run.py [--quick] [--json FILE] [--only KEY,...]

Figures (keys of `--json FILE`): each is the median of its samples, with KEY_min, KEY_max,
KEY_n (how many samples) and KEY_spread = (max - min) / median. Never a best-of. A sample is
one run's value (5 runs, `--quick` 1), or, where a run times interleaved rounds or pairs,
each round's (cold starts: 9 pairs a run, `--quick` 5; throughput: 5 rounds a run). Times
are paired with a baseline run interleaved in the same command; FIGURES below says, for
each, whether it is timed in this process or as whole processes, against what, and the
command that reproduces it alone; the bench prints that with every figure.

evaluate_cold_ratio   `casus evaluate kazakhstan-2022 --format json` as a whole process, wall
                      clock, over `python -c pass` in the same round, rounds interleaved.
help_cold_ratio       `casus --help` the same way (the typer app's own help).
                      Both after a warm-up run, so the law cache (engine/law/cache.py) holds
                      the shipped law, as from a user's second run; evaluate_nocache_cold_ratio
                      is the evaluate command with the cache off (CASUS_NO_CACHE=1: a first run).
cases_per_s           whole cases per second on one core through the public API
                      (`casus.evaluate(case, law=law).to_json_text()`): every provision's outcome,
                      reasons, deciding sets, trace, perspectives, divergence and the JSON text
                      that `casus evaluate --format json` prints, over case files with varied
                      facts (bench/varied.py; no two alike), read beforehand (reading is in
                      batch_10k_s). explain_cases_per_s: the same with `explain=True`.
vs_handwritten        like for like: casus's outcomes alone (`Evaluator.outcomes`) per second over a
                      hand-written durable_rules program's (bench/handwritten.py: stratified,
                      conclusions chained, on the same C-agenda driver), the same facts and the
                      same provisions, on the varied cases dated after the 2012 amendments (the
                      hand-written program is the law since then), rounds interleaved.
pipeline_vs_handwritten  the whole pipeline (as cases_per_s) over the hand-written program on
                      those cases; where its time goes is in details.pipeline_profile (cProfile).
batch_10k_s           `casus evaluate --all --cases DIR --format json` over 10,000 case files with
                      varied facts, one process (on every core), stdout to /dev/null, wall clock;
                      batch_10k_rss_mb its peak RSS; batch_10k_vs_read its wall over reading the
                      same files (libyaml) and writing them as JSON, run right after it;
                      batch_10k_cores its CPU time (workers included) over its wall.
law_1000_load_s       the generated law of 1,000 provisions (make_law, below): `load_law` and `validate_law`, as `casus validate --rules DIR`
                      runs them before it reads the files named: read and check every file, then
                      compile every version of every provision (on all cores) and of every
                      shipped variant's changed ones to the durable_rules plans an evaluation
                      runs, within durable_rules' limits, and their analysis form; in a fresh
                      process, wall clock, imports included, interpreter start excluded. Registering the plans'
                      rulesets in durable_rules happens on each one's first use and is not in
                      this figure (in `details`, with compiling every version for an evaluator).
law_1000_e2e_s        `casus evaluate CASE --rules DIR --format json` as one process: a generated law of
                      1,000 varied provisions (make_law: the shipped law, and provisions each with
                      their own facts, conditions and depth) loaded and checked, every provision
                      the case lists (all of them) compiled and registered in durable_rules, and
                      evaluated with all that --format json prints; the law cache off (a first
                      run), wall clock; law_1000_e2e_rss_mb its peak RSS; law_1000_e2e_cached_s
                      the same with the cache warm; law_1000_vs_100_e2e its ratio over the same
                      command on the 100-provision law, run in turn. per_case_1000_vs_100: that
                      case's cost evaluated warm in process (CPU time, deciding sets included)
                      at 1,000 provisions over the same at 100.
memo_hit_rate         share of verdict lookups of `casus compare --generated` answered by the memo
                      (not run in durable_rules), all shipped variants together.
rss_growth            peak RSS after 1,000,000 provision evaluations over peak RSS after 10,000
                      (`--quick`: 100,000).
compare_100k_s        variant -> `casus compare VARIANT --generated 100000 --format json` on all cores,
                      wall clock (`--quick`: 20,000 scenarios, scaled to 100,000 and marked so).
treaty_compare_10k_s  `casus compare --treaties cst.art4,nato.art5,eu.art42.7,rio.art3,anzus.art4
                      --generated 10000 --format json` as a whole process (ten pairs, every
                      disagreement attributed), wall clock; target <= 10 s (`--quick`: the same).

Details (in `details`): CPU-time ratios of the cold starts; `casus test --cases DIR` on the
same 10,000 files (text into /dev/null, so the plain renderer; wall, CPU, peak RSS); `casus
report` time per case at 14 and 140 cases (`--quick`: 14; pictures included); deciding-set
cost at 10/100/1,000 rules per provision (`--quick`: 10/100); the generated law's parts
(loading alone, every version compiled for an evaluator, the rulesets registered, an
amendment applied); compare without the memo (`--no-cache`); and `section_s`, the wall
seconds each section of the bench took (a full run takes about 5 minutes on a quiet 2-core
machine, `--quick` under one). The memo, report and deciding-set probes run as many times as
the rest; `report_median` and `deciding_sets_median` give their medians and spreads.

The machine is shared and noisy: contenders are interleaved within each run so that ratios
compare like with like; absolute figures move between runs (the spreads say by how much).
Run the bench where casus is installed (`pip install .`). Child processes run with bytecode
caching on, as an installed package has it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGETS: dict[str, tuple[str, float]] = {
    "evaluate_cold_ratio": ("<=", 12), "help_cold_ratio": ("<=", 8), "cases_per_s": (">=", 5000),
    "explain_cases_per_s": (">=", 2000), "vs_handwritten": (">=", 0.8),
    "batch_10k_s": ("<=", 10), "batch_10k_rss_mb": ("<=", 200),
    "law_1000_load_s": ("<=", 3), "rss_growth": ("<=", 1.1),
    "law_1000_e2e_s": ("<=", 3), "law_1000_e2e_rss_mb": ("<=", 300), "per_case_1000_vs_100": ("<=", 12),
    "treaty_compare_10k_s": ("<=", 10)}
TREATIES = "cst.art4,nato.art5,eu.art42.7,rio.art3,anzus.art4"

# Each published figure: whether it is timed in this process or as whole processes (and
# against what it is paired), and the command that reproduces it alone.
_BENCH = "python bench/run.py --only"
FIGURES: dict[str, tuple[str, str]] = {
    "evaluate_cold_ratio": ("whole processes: `casus evaluate kazakhstan-2022 --format json` wall / `python -c pass` "
                            "wall, per interleaved round", f"{_BENCH} cold"),
    "help_cold_ratio": ("whole processes: `casus --help` wall / `python -c pass` wall, per interleaved round",
                        f"{_BENCH} cold"),
    "evaluate_nocache_cold_ratio": ("whole processes: evaluate_cold_ratio's command with the law cache off "
                                    "(CASUS_NO_CACHE=1: a user's first run) / `python -c pass`, per round",
                                    f"{_BENCH} cold"),
    "cases_per_s": ("in process, one core, CPU time: `casus.evaluate(case, law=law).to_json_text()` over case files "
                    "with varied facts, per round", f"{_BENCH} throughput"),
    "explain_cases_per_s": ("in process, one core, CPU time: the same with `explain=True`, per round",
                            f"{_BENCH} throughput"),
    "vs_handwritten": ("in process, one core: casus's outcomes (`Evaluator.outcomes`) / bench/handwritten.py's, "
                       "same facts and provisions, per interleaved round", f"{_BENCH} throughput"),
    "pipeline_vs_handwritten": ("in process, one core: whole cases (all that --format json prints) / "
                                "bench/handwritten.py's outcomes, same cases, per interleaved round; profile in "
                                "details.pipeline_profile", f"{_BENCH} throughput"),
    "batch_10k_s": ("whole process: `casus evaluate --all --cases DIR --format json`, 10,000 files with varied facts, "
                    "stdout to /dev/null, wall (absolute; paired ratio in batch_10k_vs_read)", f"{_BENCH} batch"),
    "batch_10k_vs_read": ("whole processes: that batch's wall / reading the same files with libyaml and writing JSON "
                          "in one process, run right after it", f"{_BENCH} batch"),
    "batch_10k_rss_mb": ("whole process: the batch's peak RSS (largest single process)", f"{_BENCH} batch"),
    "batch_10k_cores": ("whole process: the batch's CPU time (workers included) / its wall", f"{_BENCH} batch"),
    "law_1000_e2e_s": ("whole process: `casus evaluate CASE --rules DIR --format json`, a generated law of 1,000 varied "
                       "provisions and a case listing them all, the law cache off (a first run), wall (absolute; "
                       "paired ratio in law_1000_vs_100_e2e)", f"{_BENCH} law"),
    "law_1000_e2e_rss_mb": ("whole process: its peak RSS", f"{_BENCH} law"),
    "law_1000_e2e_cached_s": ("whole process: the same with the law cache warm (a second run), wall", f"{_BENCH} law"),
    "law_1000_vs_100_e2e": ("whole processes: that command at 1,000 provisions / at 100, in turn", f"{_BENCH} law"),
    "law_1000_load_s": ("whole process, interpreter start excluded: `load_law` + `validate_law` of that law (what "
                        "`casus validate --rules DIR` runs first), wall", f"{_BENCH} law"),
    "per_case_1000_vs_100": ("in process, CPU time: the case listing every provision, evaluated warm with all "
                             "that --format json prints (deciding sets included), at 1,000 provisions / at 100, "
                             "in turn", f"{_BENCH} law"),
    "treaty_compare_10k_s": ("whole process: `casus compare --treaties " + TREATIES + " --generated 10000 --format "
                             "json`, wall (absolute)", f"{_BENCH} treaties"),
}
COMPARE_TARGET_S = 10.0


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def casus_exe() -> str:
    exe = shutil.which("casus") or str(Path(sys.executable).parent / "casus")
    if not Path(exe).exists():
        sys.exit("bench: the `casus` command is not installed (pip install . first)")
    return exe


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)     # an installed package has its bytecode cached
    env.pop("COLUMNS", None)
    return env


# Runs one command in a fresh small process and writes its wall, CPU and peak RSS to a file.
# The peak RSS of a process started straight from the bench would include the bench's own
# (Linux keeps the high-water mark of the memory a process had before exec, and subprocess
# starts children with vfork, on the bench's memory): started from this launcher, it is
# the command's own.
LAUNCHER = r"""
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{wall} {ru.ru_utime + ru.ru_stime} {ru.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_child(cmd: list[str], ok: tuple[int, ...] = (0,), env_extra: dict[str, str] | None = None,
              rss: bool = False, **kw: Any) -> tuple[float, float, int]:
    """(wall s, CPU s of the child, peak RSS KB of the child) of one process; an exit code
    not in `ok` stops the bench. With `rss`, the command runs from LAUNCHER, so that its
    peak RSS is its own (without, the RSS is not meaningful); its wall and CPU are then
    measured by the launcher, around the command alone."""
    figures = None
    if rss:
        fd, figures = tempfile.mkstemp(prefix="bench-child-", suffix=".txt")
        os.close(fd)
        cmd = [sys.executable, "-c", LAUNCHER, figures, *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=kw.pop("stdout", subprocess.DEVNULL), stderr=subprocess.PIPE,
                            env={**child_env(), **(env_extra or {})}, **kw)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in ok:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    if figures is not None:
        text = Path(figures).read_text()
        os.unlink(figures)
        w, c, r = text.split()
        return float(w), float(c), int(r)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def summary(values: list[float]) -> tuple[float, float]:
    med = statistics.median(values)
    return med, ((max(values) - min(values)) / med if med else 0.0)


# ------------------------------------------------------------------ cold start

def cold_start(pairs: int) -> dict[str, Any]:
    """One run: `pairs` rounds of (python -c pass, casus evaluate, casus --help), rotated so
    that no contender always runs first. Each round gives one ratio per command (its wall
    time over that round's `python -c pass`): the samples are those per-round ratios."""
    exe = casus_exe()
    cmds = {"pass": [sys.executable, "-c", "pass"],
            "evaluate": [exe, "evaluate", "kazakhstan-2022", "--format", "json"],
            "help": [exe, "--help"],
            # A user's first run: the law not yet in the law cache (engine/law/cache.py).
            "evaluate_nocache": [exe, "evaluate", "kazakhstan-2022", "--format", "json"]}
    env = {"evaluate_nocache": {"CASUS_NO_CACHE": "1"}}
    for name, cmd in cmds.items():     # writes bytecode caches and the law cache, warms the disk cache
        run_child(cmd, env_extra=env.get(name))
    wall: dict[str, list[float]] = {k: [] for k in cmds}
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    order = list(cmds)
    for i in range(pairs):
        for name in order[i % len(order):] + order[:i % len(order)]:
            w, c, _ = run_child(cmds[name], env_extra=env.get(name))
            wall[name].append(w)
            cpu[name].append(c)
    ratio = {k: [a / b for a, b in zip(wall[k], wall["pass"])] for k in ("evaluate", "help", "evaluate_nocache")}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}
    return {"evaluate_cold_ratio": ratio["evaluate"], "help_cold_ratio": ratio["help"],
            "evaluate_nocache_cold_ratio": ratio["evaluate_nocache"],
            "pass_s": statistics.median(wall["pass"]), "evaluate_s": statistics.median(wall["evaluate"]),
            "help_s": statistics.median(wall["help"]),
            "evaluate_cpu_ratio": cmed["evaluate"] / max(cmed["pass"], 1e-3),
            "help_cpu_ratio": cmed["help"] / max(cmed["pass"], 1e-3),
            "pass_cpu_s": cmed["pass"], "evaluate_cpu_s": cmed["evaluate"], "help_cpu_s": cmed["help"]}


# ------------------------------------------------------------------ whole-case throughput

class Throughput:
    """Whole cases per second over case files with varied facts (bench/varied.py: the shipped
    cases, each copy's facts drawn anew), read beforehand; and the like-for-like comparison
    with the hand-written durable_rules program on the same facts."""

    def __init__(self, count: int) -> None:
        import datetime as dt

        import casus
        from handwritten import HandWrittenLaw

        self.casus = casus
        self.law = casus.load_law()
        self.cases = [casus.load_case_text(text, self.law, name=cid) for cid, text in varied_case_texts(count)]
        amended = dt.date(2012, 12, 19)
        self.recent = [c for c in self.cases if c.date >= amended]
        self.handwritten = HandWrittenLaw()
        ev = self.law.evaluator
        # The facts casus's engine is given for each case (the facts all parties agree on,
        # derived membership facts and presumptions included): the hand-written program and
        # casus's outcomes-only path get the same input, prepared outside the timing.
        self.recent_facts = []
        # Only the provisions each case asks about, as casus evaluates them.
        self.recent_provisions = [list(c.provisions or sorted(self.law.law.provisions)) for c in self.recent]
        for c in self.recent:
            facts: dict[str, Any] = {}
            for pr in ev.evaluate(c).provisions:
                if pr.verdict is not None:
                    facts.update(pr.verdict.derivation.facts)
            self.recent_facts.append(facts)
        self.agreement = self._agreement()

    def _agreement(self) -> dict[str, Any]:
        """The hand-written program must reach casus's outcomes on the same facts, or the
        comparison means nothing (and is not reported)."""
        agree = differ = 0
        examples = []
        ev = self.law.evaluator
        for case, facts, provisions in zip(self.recent, self.recent_facts, self.recent_provisions):
            mine = self.handwritten.case(facts, provisions)
            for pid, outcome in zip(provisions, ev.outcomes(case.date, facts, provisions)):
                ok = mine.get(pid) == outcome.value
                agree += ok
                differ += not ok
                if not ok and len(examples) < 5:
                    examples.append(f"{case.id} {pid}: casus {outcome.value}, "
                                    f"hand-written {mine.get(pid, 'no such provision')}")
        self.comparable = differ == 0
        if differ:
            log(f"  bench/handwritten.py no longer matches the law ({differ} outcomes differ, e.g. {examples[0]}): "
                "vs_handwritten is not reported until it is brought up to date")
        return {"provision_outcomes_compared": agree + differ, "differ": differ, "examples": examples}

    def run_once(self, n: int, rounds: int) -> dict[str, Any]:
        """`rounds` interleaved rounds of each contender over `n` cases; the samples are the
        rounds' rates, and the per-round ratios of the paired contenders."""
        evaluate, law = self.casus.evaluate, self.law
        ev = self.law.evaluator

        def whole(cases: list, explain: bool = False) -> Callable[[], int]:
            def go() -> int:
                size = 0
                for i in range(n):
                    size += len(evaluate(cases[i % len(cases)], law=law, explain=explain).to_json_text())
                return size
            return go

        def outcomes_only() -> int:
            outcomes, cases, facts, provisions = ev.outcomes, self.recent, self.recent_facts, self.recent_provisions
            for i in range(n):
                k = i % len(cases)
                outcomes(cases[k].date, facts[k], provisions[k])
            return 0

        def bare() -> int:
            fire, facts, provisions = self.handwritten.case, self.recent_facts, self.recent_provisions
            for i in range(n):
                fire(facts[i % len(facts)], provisions[i % len(facts)])
            return 0

        contenders = {"casus_all_cases": whole(self.cases), "casus_explained": whole(self.cases, explain=True),
                      "casus_recent_cases": whole(self.recent), "casus_recent_outcomes": outcomes_only,
                      "handwritten_recent_cases": bare}
        rates: dict[str, list[float]] = {k: [] for k in contenders}
        for _ in range(rounds):       # interleaved rounds; every round is a sample
            for name, fn in contenders.items():
                start = time.process_time()
                fn()
                rates[name].append(n / (time.process_time() - start))
        hand = rates["handwritten_recent_cases"]
        out: dict[str, Any] = {"cases_per_s": rates["casus_all_cases"], "explain_cases_per_s": rates["casus_explained"],
                               **{f"{k}_per_s": v for k, v in rates.items()}}
        if self.comparable:
            out["vs_handwritten"] = [a / b for a, b in zip(rates["casus_recent_outcomes"], hand)]
            out["pipeline_vs_handwritten"] = [a / b for a, b in zip(rates["casus_recent_cases"], hand)]
        return out

    def profile(self, n: int, top: int = 15) -> list[str]:
        """Where the whole pipeline's time goes (cProfile, one core, the recent cases as
        `pipeline_vs_handwritten` times them): the functions with the most time of their own."""
        import cProfile
        import pstats
        evaluate, law, cases = self.casus.evaluate, self.law, self.recent
        prof = cProfile.Profile()
        prof.enable()
        for i in range(n):
            evaluate(cases[i % len(cases)], law=law).to_json_text()
        prof.disable()
        stats = pstats.Stats(prof)
        total = sum(v[2] for v in stats.stats.values()) or 1.0     # type: ignore[attr-defined]
        rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]    # type: ignore[attr-defined]
        return [f"{v[2] / total:6.1%} own time, {v[3] / total:6.1%} with callees: "
                f"{Path(f).name}:{line} {fn}" for (f, line, fn), v in rows]


def varied_case_texts(count: int) -> list[tuple[str, str]]:
    """`count` (id, text) case files: the shipped cases round-robin, each copy's facts drawn
    anew (bench/varied.py), seeded."""
    from casus.engine.api import case_paths
    from casus.engine.files.paths import rules_dir
    from varied import varied_texts, vocabulary
    sources = [(p.stem, p.read_text(encoding="utf-8")) for p in case_paths()]
    return varied_texts(sources, vocabulary(rules_dir()), count)


# ------------------------------------------------------------------ batches of case files

def make_case_dir(directory: Path, count: int) -> Path:
    """`count` case files with varied facts (`varied_case_texts`), no two alike."""
    directory.mkdir(parents=True, exist_ok=True)
    for new_id, text in varied_case_texts(count):
        (directory / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    return directory


# The baseline a batch is paired with: reading the same files (libyaml, as casus reads them
# on the happy path) and writing each as JSON, in one process on one core: what any program
# that reads these files and prints something pays.
READ_PROBE = r"""
import json, sys, yaml
from pathlib import Path
out = sys.stdout
for p in sorted(Path(sys.argv[1]).glob("*.yaml")):
    out.write(json.dumps(yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader), default=str))
"""


def batch_once(cases: Path, with_test: bool) -> dict[str, float]:
    exe = casus_exe()
    wall, cpu, rss = run_child([exe, "evaluate", "--all", "--cases", str(cases), "--format", "json"], rss=True)
    rwall, rcpu, _ = run_child([sys.executable, "-c", READ_PROBE, str(cases)], rss=True)
    out = {"batch_10k_s": wall, "batch_10k_rss_mb": rss / 1024, "batch_10k_cpu_s": cpu,
           "batch_10k_cores": cpu / wall, "batch_10k_vs_read": wall / rwall, "read_10k_s": rwall}
    if with_test:
        # Exit 1: facts drawn anew no longer meet the copies' `expected:` outcomes, so some
        # checks fail (and are printed), as a user's edited cases would.
        twall, tcpu, trss = run_child([exe, "test", "--cases", str(cases)], ok=(0, 1), rss=True)
        out.update(test_10k_s=twall, test_10k_rss_mb=trss / 1024, test_10k_cpu_s=tcpu)
    return out


def report_per_case(tmp: Path, sizes: tuple[int, ...]) -> dict[str, Any]:
    exe = casus_exe()
    out: dict[str, Any] = {}
    for n in sizes:
        cases = tmp / f"report-{n}"
        if not cases.exists():
            make_case_dir(cases, n)
        wall, cpu, rss = run_child([exe, "report", "--cases", str(cases), "-o", str(tmp / f"report-{n}.html")], rss=True)
        out[str(n)] = {"s": round(wall, 2), "ms_per_case": round(1000 * wall / n, 2), "rss_mb": round(rss / 1024, 1)}
    return out


# ------------------------------------------------------------------ large laws

def make_law(directory: Path, provisions: int, seed: int = 27) -> Path:
    """The shipped law (and its amendments) with generated provisions up to `provisions` in
    all: each different (its own facts, drawn from the shipped vocabulary and from 200
    generated facts added to it; its own conditions, `all`/`any`/`not` trees over boolean
    tests, enum values and sets of values; its own depth, a chain of 1 to 4 conclusions;
    exceptions now and then; one or two dated versions), and a case file beside the rules,
    `DIRECTORY.case.yaml`, that lists every provision with facts drawn at random."""
    import yaml
    from casus.engine.files.paths import rules_dir
    rnd = random.Random(seed)
    src = rules_dir()
    shutil.copytree(src, directory)
    vocab = yaml.safe_load((src / "facts.yaml").read_text(encoding="utf-8"))
    domains: dict[str, list[Any]] = {}
    for name, spec in vocab["facts"].items():
        if spec.get("type") == "boolean":
            domains[name] = [True, False]
        elif spec.get("type") == "enum":
            domains[name] = list(spec["values"])
    added: list[str] = []
    for i in range(200):
        name = f"gen_fact_{i:03d}"
        if i % 3 == 2:
            values = [f"v{k}" for k in range(rnd.choice((3, 4)))]
            domains[name] = values
            added += [f"  {name}:", "    type: enum", f"    values: [{', '.join(values)}]",
                      "    description: A generated fact (bench/run.py make_law)."]
        else:
            domains[name] = [True, False]
            added += [f"  {name}:", "    type: boolean", "    description: A generated fact (bench/run.py make_law)."]
    facts_text = (directory / "facts.yaml").read_text(encoding="utf-8")
    facts_text = re.sub(r"^facts:\n", "facts:\n" + "\n".join(added) + "\n", facts_text, count=1, flags=re.M)
    (directory / "facts.yaml").write_text(facts_text, encoding="utf-8")
    booleans = [f for f, d in domains.items() if d == [True, False]]
    # The shipped provision files (a treaty folder's members.yaml is its membership timeline, no provision).
    shipped = [p for p in src.rglob("*.yaml") if p.parent != src and "amendments" not in p.relative_to(src).parts
               and p.name != "members.yaml"]
    gen = directory / "generated"
    gen.mkdir()
    ids = []
    for i in range(provisions - len(shipped)):
        pid = f"gen{i:04d}.p"
        ids.append(pid)
        prov = _generated_provision(pid, rnd, domains, booleans)
        (gen / f"g{i:04d}.yaml").write_text(yaml.safe_dump(prov, sort_keys=False), encoding="utf-8")
    every = sorted(ids + [yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in shipped])
    facts = {f: {"value": rnd.choice(d), "source": "gen"} for f, d in sorted(domains.items()) if rnd.random() < 0.6}
    case = {"id": "all-provisions", "title": "Every provision of a generated law", "date": "2022-01-05",
            "requesting_state": "KZ", "territory": "KZ", "provisions": every,
            "summary": "A generated case that asks about every provision.",
            "sources": {"gen": {"cite": "generated by bench/run.py make_law"}}, "facts": facts}
    Path(f"{directory}.case.yaml").write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    return directory


def _generated_provision(pid: str, rnd: random.Random, domains: dict[str, list[Any]],
                         booleans: list[str]) -> dict[str, Any]:
    """One generated provision (see make_law)."""
    own = rnd.sample(sorted(domains), rnd.randint(3, 8))       # the facts this provision tests

    def test() -> dict[str, Any]:
        f = rnd.choice(own)
        d = domains[f]
        if d == [True, False]:
            return {"fact": f} if rnd.random() < 0.6 else {"not": {"fact": f}}
        if len(d) > 2 and rnd.random() < 0.4:
            return {"fact": f, "in": [str(v) for v in rnd.sample(d, 2)]}
        return {"fact": f, "is": str(rnd.choice(d))}

    def condition(depth: int) -> dict[str, Any]:
        if depth == 0 or rnd.random() < 0.3:
            return test()
        kind = rnd.choice(("all", "all", "any", "not"))
        if kind == "not":
            return {"not": test()}
        return {kind: [condition(depth - 1) for _ in range(rnd.randint(2, 3))]}

    depth = rnd.randint(1, 4)
    applicable = rnd.random() < 0.7
    gate = rnd.choice(booleans)

    def version_rules(tag: str) -> list[dict[str, Any]]:
        rules: list[dict[str, Any]] = []
        if applicable:
            rules += [{"id": f"{pid}.{tag}.applies", "concludes": "applicable", "value": True,
                       "when": {"fact": gate}, "because": "generated"},
                      {"id": f"{pid}.{tag}.not_a_party", "concludes": "applicable", "value": False,
                       "when": {"not": {"fact": gate}}, "because": "generated"}]
        for level in range(1, depth + 1):
            for k in range(rnd.randint(2, 4)):
                when = condition(rnd.randint(1, 3))
                if level > 1:
                    when = {"all": [{"conclusion": f"c{level - 1}"}, when]} if k % 2 == 0 else when
                rules.append({"id": f"{pid}.{tag}.c{level}_{k}", "concludes": f"c{level}", "value": k % 2 == 0,
                              "when": when, "because": "generated"})
        if rnd.random() < 0.3:         # an exception: the last rule yields to a rule of the opposite answer
            last = rules[-1]
            rules.append({"id": f"{pid}.{tag}.exception", "concludes": last["concludes"], "value": not last["value"],
                          "when": condition(1), "because": "generated"})
            last["unless"] = [f"{pid}.{tag}.exception"]
        return rules

    conclusions = {f"c{level}": {"description": f"generated conclusion {level}"} for level in range(1, depth + 1)}
    if applicable:
        conclusions["applicable"] = {"description": "the provision applies"}
    versions = [{"id": "v1", "in_force": {"from": "1994-04-20"}, "text": "generated", "text_source": "gen",
                 "conclusions": conclusions, "rules": version_rules("v1")}]
    if rnd.random() < 0.25:
        versions[0]["in_force"]["to"] = "2009-12-31"
        versions.append({"id": "v2", "in_force": {"from": "2010-01-01"}, "text": "generated, amended",
                         "text_source": "gen", "conclusions": conclusions, "rules": version_rules("v2")})
    return {"id": pid, "instrument": "generated", "article": pid[3:7], "title": f"generated provision {pid}",
            "question": "?", "outcome": f"c{depth}", **({"applicability": "applicable"} if applicable else {}),
            "outcomes": ["triggered", "not_triggered"] + (["not_applicable"] if applicable else []),
            "sources": {"gen": {"cite": "generated by bench/run.py make_law"}}, "versions": versions}


LAW_PROBE = r"""
import json, os, sys, time
t0 = os.times(); w0 = time.perf_counter()
from casus.engine.law.loader import read_rules
from casus.engine.analysis.validation import validate_law
law = read_rules(sys.argv[1])
loaded = time.perf_counter() - w0
validate_law(law, jobs=os.cpu_count() or 1)       # as `casus validate` runs it
wall = time.perf_counter() - w0
t1 = os.times()        # CPU of this process and of the workers it waited for
out = {"provisions": len(law.provisions), "load_s": loaded, "load_validate_s": wall,
       "cpu_s": sum(t1[:4]) - sum(t0[:4])}
# Beyond the figure: what a long-running evaluator does on first use of every version.
from casus.engine.backends import durable
from casus.engine.evaluate.evaluator import Evaluator
w1 = time.perf_counter()
ev = Evaluator(law)
plans = [durable.plan(cv) for cv in ev.compiled.all_versions()]
out["evaluator_ready_s"] = time.perf_counter() - w1
w2 = time.perf_counter()
programs = [durable.DurableProgram(p) for p in plans]      # their rulesets, registered in durable_rules
out["rulesets_s"] = time.perf_counter() - w2
if len(sys.argv) > 2:
    from casus.engine.law.amendments import with_variants
    w3 = time.perf_counter()
    with_variants(law, sys.argv[2])
    out["variant_s"] = time.perf_counter() - w3
print(json.dumps(out))
"""


def law_once(law_dir: Path) -> dict[str, float]:
    r = subprocess.run([sys.executable, "-c", LAW_PROBE, str(law_dir), "pk-2023-no-unsc"], capture_output=True,
                       text=True, env=child_env())
    if r.returncode:
        raise SystemExit(f"bench: loading the generated law failed: {r.stderr[-2000:]}")
    data = json.loads(r.stdout)
    return {"law_1000_load_s": data["load_validate_s"], "law_1000_provisions": data["provisions"],
            "law_1000_cpu_s": data["cpu_s"], "law_1000_load_only_s": data["load_s"],
            "law_1000_evaluator_ready_s": data["evaluator_ready_s"], "law_1000_rulesets_s": data["rulesets_s"],
            "law_1000_variant_s": data.get("variant_s", 0.0)}


# One case listing every provision of a generated law, evaluated warm (every program
# prepared by a first evaluation), `reps` times: the seconds of each (what a case costs).
PER_CASE_PROBE = r"""
import json, sys, time
import casus
law = casus.load_law(rules=sys.argv[1])
case = casus.load_case(sys.argv[2], law)
casus.evaluate(case, law=law).to_json_text()
out = []
for _ in range(int(sys.argv[3])):
    t = time.process_time()
    casus.evaluate(case, law=law).to_json_text()
    out.append(time.process_time() - t)
print(json.dumps(out))
"""


def law_end_to_end(small: Path, big: Path, pairs: int) -> dict[str, Any]:
    """One run of the large-law figures, the 100- and 1,000-provision laws in turn:
    `casus evaluate CASE --rules DIR --format json` as whole processes (the law cache off,
    as on a first run; and on, as from the second), and a case's cost in process."""
    exe = casus_exe()
    out: dict[str, list[float]] = {k: [] for k in ("law_1000_e2e_s", "law_1000_e2e_rss_mb", "law_1000_e2e_cached_s",
                                                   "law_100_e2e_s", "law_1000_vs_100_e2e", "per_case_1000_vs_100",
                                                   "per_case_100_ms", "per_case_1000_ms")}
    # Fills the law cache for the `_cached_s` runs (a run with the cache off never writes it).
    run_child([exe, "evaluate", f"{big}.case.yaml", "--rules", str(big), "--format", "json"])
    for _ in range(pairs):
        walls = {}
        for name, law in (("100", small), ("1000", big)):
            cmd = [exe, "evaluate", f"{law}.case.yaml", "--rules", str(law), "--format", "json"]
            wall, _, rss = run_child(cmd, env_extra={"CASUS_NO_CACHE": "1"}, rss=True)
            walls[name] = wall
            if name == "1000":
                out["law_1000_e2e_rss_mb"].append(rss / 1024)
                out["law_1000_e2e_cached_s"].append(run_child(cmd, rss=True)[0])
        out["law_1000_e2e_s"].append(walls["1000"])
        out["law_100_e2e_s"].append(walls["100"])
        out["law_1000_vs_100_e2e"].append(walls["1000"] / walls["100"])
        per = {}
        for name, law in (("100", small), ("1000", big)):
            r = subprocess.run([sys.executable, "-c", PER_CASE_PROBE, str(law), f"{law}.case.yaml", "3"],
                               capture_output=True, text=True, env=child_env())
            if r.returncode:
                raise SystemExit(f"bench: the per-case probe failed: {r.stderr[-2000:]}")
            per[name] = statistics.median(json.loads(r.stdout))
        out["per_case_100_ms"].append(1000 * per["100"])
        out["per_case_1000_ms"].append(1000 * per["1000"])
        out["per_case_1000_vs_100"].append(per["1000"] / per["100"])
    return out


DECIDING_PROBE = r"""
import itertools, json, sys, time, yaml
from pathlib import Path
from casus.engine.law.loader import read_rules
from casus.engine.evaluate.evaluator import Evaluator
law_dir = Path(sys.argv[1]); sizes = [int(x) for x in sys.argv[2:]]
vocab = yaml.safe_load((law_dir / "facts.yaml").read_text())
booleans = sorted(k for k, v in vocab["facts"].items() if v.get("type") == "boolean")
terms = [(c, p) for c in itertools.combinations(booleans, 3) for p in itertools.product((True, False), repeat=3)]
out = {}
for k in sizes:
    d = law_dir / f"wide-{k}"
    d.mkdir()
    for name in ("facts.yaml", "members.yaml"):
        (d / name).write_text((law_dir / name).read_text())
    rules = []
    for i in range(k):
        for concl, off in (("applicable", 0), ("outcome_holds", 1)):
            combo, pol = terms[(2 * i + off) % len(terms)]
            when = {"all": [{"fact": f} if v else {"not": {"fact": f}} for f, v in zip(combo, pol)]}
            rules.append({"id": f"wide.r{concl[:3]}{i}", "concludes": concl, "value": i % 2 == 0, "when": when,
                          "because": "generated"})
    prov = {"id": "wide", "instrument": "generated", "article": "1", "title": "wide", "question": "?",
            "outcome": "outcome_holds", "applicability": "applicable",
            "outcomes": ["triggered", "not_triggered", "not_applicable"],
            "sources": {"gen": {"cite": "generated by bench/run.py"}},
            "versions": [{"id": "v", "in_force": {"from": "1994-04-20"}, "text": "generated", "text_source": "gen",
                          "conclusions": {"applicable": {"description": "a"}, "outcome_holds": {"description": "o"}},
                          "rules": rules}]}
    sub = d / "wide"
    sub.mkdir()
    (sub / "wide.yaml").write_text(yaml.safe_dump(prov, sort_keys=False))
    law = read_rules(d)
    ev = Evaluator(law)
    p = law.provisions["wide"]
    cv = ev.compiled.version("wide", p.versions[0])
    v = ev.provision_verdict(cv, {})
    start = time.perf_counter()
    sets = v.deciding
    out[str(k)] = {"deciding_s": time.perf_counter() - start, "sets": len(sets), "outcome": v.outcome.value}
print(json.dumps(out))
"""


def deciding_growth(tmp: Path, sizes: tuple[int, ...]) -> dict[str, Any]:
    from casus.engine.files.paths import rules_dir
    base = Path(tempfile.mkdtemp(prefix="law-wide-", dir=tmp))     # a fresh one per run
    for name in ("facts.yaml", "members.yaml"):
        shutil.copy(rules_dir() / name, base / name)
    r = subprocess.run([sys.executable, "-c", DECIDING_PROBE, str(base), *map(str, sizes)], capture_output=True,
                       text=True, env=child_env(), timeout=600)
    if r.returncode:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"}
    data = json.loads(r.stdout)
    ks = sorted(int(k) for k in data)
    for a, b in zip(ks, ks[1:]):
        data[str(b)]["growth_vs_previous"] = round(data[str(b)]["deciding_s"] / max(data[str(a)]["deciding_s"], 1e-9), 1)
    return data


# ------------------------------------------------------------------ compare

def shipped_variants() -> list[str]:
    from casus.engine.files.paths import rules_dir
    return sorted(p.stem for p in (rules_dir() / "amendments").glob("*.yaml"))


def compare_once(variants: list[str], n: int) -> tuple[dict[str, float], dict[str, float]]:
    """Per variant: wall seconds, and CPU seconds of the process and its pool workers."""
    exe = casus_exe()
    out, cpu_out = {}, {}
    for v in variants:
        wall, cpu, _ = run_child([exe, "compare", v, "--generated", str(n), "--format", "json"])
        out[v] = wall * (100_000 / n)
        cpu_out[v] = round(cpu * (100_000 / n), 2)
    return out, cpu_out


def treaty_compare_once(n: int = 10_000) -> dict[str, float]:
    """`casus compare --treaties` over the five collective-defence provisions, as users run it."""
    wall, cpu, _ = run_child([casus_exe(), "compare", "--treaties", TREATIES, "--generated", str(n), "--format", "json"])
    return {"treaty_compare_10k_s": wall, "treaty_compare_10k_cpu_s": cpu}


def memo_and_no_cache(variants: list[str], n: int) -> dict[str, Any]:
    """The memo's hit rate over a sequential sweep of `n` scenarios per variant, and the same
    compare with the memo off (`--no-cache`), both on one core."""
    from casus.engine.analysis.compare import Side, compare_generated
    from casus.engine.law.amendments import BASE, rule_changes
    from casus.engine.law.loader import read_rules
    base = read_rules()
    lookups = hits = 0
    per: dict[str, Any] = {}
    exe = casus_exe()
    for v in variants:
        a, b = Side.of(base, BASE), Side.of(base, v)
        compare_generated(a, b, n, 0, rule_changes(a.law, b.law), jobs=1)
        la = a.evaluator.memo_lookups + b.evaluator.memo_lookups
        ha = a.evaluator.memo_hits + b.evaluator.memo_hits
        lookups += la
        hits += ha
        cached, _, _ = run_child([exe, "compare", v, "--generated", str(n), "--jobs", "1", "--format", "json"])
        uncached, _, _ = run_child([exe, "compare", v, "--generated", str(n), "--jobs", "1", "--format", "json",
                                    "--no-cache"])
        per[v] = {"memo_hit_rate": round(ha / la, 4) if la else None, "lookups": la,
                  "one_core_s": round(cached, 2), "one_core_no_cache_s": round(uncached, 2)}
    return {"scenarios_per_variant": n, "memo_hit_rate": hits / lookups if lookups else 0.0, "variants": per}


# ------------------------------------------------------------------ memory

RSS_PROBE = r"""
import json, random, resource, sys
from casus.engine.evaluate.evaluator import Evaluator
from casus.engine.law.loader import read_rules
marks = [int(x) for x in sys.argv[1:]]
law = read_rules(); ev = Evaluator(law)
cvs = [ev.compiled.version(pid, v) for pid, p in sorted(law.provisions.items()) for v in p.versions]
rnd = random.Random(7)
pool = []
for i in range(4000):
    cv = cvs[i % len(cvs)]
    pool.append((cv, {f: v for f in cv.facts if (v := rnd.choice(list(law.domain_of(f)) + [None])) is not None}))
out = {}
for i in range(1, marks[-1] + 1):
    cv, facts = pool[i % len(pool)]
    v = ev.provision_verdict(cv, facts)
    v.reasons, v.deciding
    if i in marks:
        out[i] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""


def memory_once(big: int) -> dict[str, float]:
    small = 10_000
    r = subprocess.run([sys.executable, "-c", RSS_PROBE, str(small), str(big)], capture_output=True, text=True,
                       check=True, env=child_env())
    marks = {int(k): v for k, v in json.loads(r.stdout).items()}
    return {"rss_growth": marks[big] / marks[small], "rss_kb_small": marks[small], "rss_kb_big": marks[big],
            "evaluations_big": big}


# ------------------------------------------------------------------ all of it

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of each, smaller sweeps (under a minute)")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--only", help="comma-separated sections: cold,throughput,batch,law,compare,treaties,"
                                       "memory,report,deciding,memo")
    args = parser.parse_args()
    quick = args.quick
    runs = 1 if quick else 5
    # Sections whose figures have no target of this keep 3 runs (their spreads were small).
    minor_runs = 1 if quick else 3
    only = set(args.only.split(",")) if args.only else None

    def wanted(section: str) -> bool:
        return only is None or section in only

    started = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    per_run: dict[str, list[float]] = {}
    compare_runs: dict[str, list[float]] = {}
    details: dict[str, Any] = {"runs": runs}

    def keep(values: dict[str, Any], keys: tuple[str, ...]) -> None:
        """Each key's samples: one per run, or a run's own samples (rounds, pairs)."""
        for k in keys:
            v = values[k]
            per_run.setdefault(k, []).extend(v if isinstance(v, list) else [v])

    # Wall seconds of each section, all runs together (where the bench's own time goes).
    section_s: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(section: str) -> None:
        now = time.perf_counter()
        section_s[section] = round(section_s.get(section, 0.0) + now - clock[0], 1)
        clock[0] = now

    tmp = Path(tempfile.mkdtemp(prefix="casus-bench-"))
    try:
        tp = Throughput(500 if quick else 2000) if wanted("throughput") else None
        if tp is not None:
            details["handwritten_agreement"] = tp.agreement
            details["throughput_cases"] = {"varied": len(tp.cases), "recent": len(tp.recent)}
            details["pipeline_profile"] = tp.profile(300 if quick else 2000)
        case_dir = make_case_dir(tmp / "cases-10k", 10_000) if wanted("batch") else None
        law_dir = make_law(tmp / "law-1000", 1000) if wanted("law") else None
        law_small = make_law(tmp / "law-100", 100) if wanted("law") else None
        variants = shipped_variants()
        lap("setup")
        for r in range(runs):
            log(f"run {r + 1}/{runs}")
            if wanted("cold"):
                cs = cold_start(5 if quick else 9)
                keep(cs, ("evaluate_cold_ratio", "help_cold_ratio", "evaluate_nocache_cold_ratio"))
                details.setdefault("cold_start", []).append(
                    {k: [round(x, 3) for x in v] if isinstance(v, list) else round(v, 4) for k, v in cs.items()})
                log(f"  cold start: evaluate {statistics.median(cs['evaluate_cold_ratio']):.1f}x, "
                    f"help {statistics.median(cs['help_cold_ratio']):.1f}x "
                    f"(CPU {cs['evaluate_cpu_ratio']:.1f}x, {cs['help_cpu_ratio']:.1f}x)")
                lap("cold")
            if tp is not None:
                t = tp.run_once(300 if quick else 1000, 5)
                keep(t, tuple(k for k in ("cases_per_s", "explain_cases_per_s", "vs_handwritten",
                                          "pipeline_vs_handwritten") if k in t))
                details.setdefault("throughput", []).append({k: [round(x, 3) for x in v] for k, v in t.items()})
                med = {k: statistics.median(v) for k, v in t.items()}
                log(f"  whole cases/s {med['cases_per_s']:,.0f}, explained {med['explain_cases_per_s']:,.0f}; "
                    "vs hand-written (outcomes, same facts) "
                    + (f"{med['vs_handwritten']:.3f}, whole pipeline {med['pipeline_vs_handwritten']:.3f}"
                       if "vs_handwritten" in med else "not comparable")
                    + f" ({med['handwritten_recent_cases_per_s']:,.0f}/s)")
                lap("throughput")
            if case_dir is not None:
                b = batch_once(case_dir, with_test=not quick)     # `casus test` is a detail: not in --quick
                keep(b, ("batch_10k_s", "batch_10k_rss_mb", "batch_10k_vs_read", "batch_10k_cores"))
                details.setdefault("batch", []).append({k: round(v, 2) for k, v in b.items()})
                log(f"  batch 10k: {b['batch_10k_s']:.1f} s ({b['batch_10k_vs_read']:.1f}x reading them), "
                    f"{b['batch_10k_rss_mb']:.0f} MB, {b['batch_10k_cores']:.2f} cores"
                    + (f"; casus test {b['test_10k_s']:.1f} s, {b['test_10k_rss_mb']:.0f} MB" if "test_10k_s" in b else ""))
                lap("batch")
            if law_dir is not None:
                lw = law_once(law_dir)
                keep(lw, ("law_1000_load_s",))
                details.setdefault("law_1000", []).append({k: round(v, 3) for k, v in lw.items()})
                log(f"  law of {lw['law_1000_provisions']} provisions: load and validate {lw['law_1000_load_s']:.2f} s "
                    f"(load {lw['law_1000_load_only_s']:.2f} s); every version compiled for an evaluator "
                    f"{lw['law_1000_evaluator_ready_s']:.2f} s, rulesets registered {lw['law_1000_rulesets_s']:.2f} s, "
                    f"a variant {lw['law_1000_variant_s']:.2f} s")
                assert law_small is not None
                e2e = law_end_to_end(law_small, law_dir, 1)
                keep(e2e, tuple(e2e))
                details.setdefault("law_e2e", []).append({k: [round(x, 3) for x in v] for k, v in e2e.items()})
                log(f"  law of 1,000 provisions end to end: {e2e['law_1000_e2e_s'][0]:.2f} s "
                    f"({e2e['law_1000_e2e_rss_mb'][0]:.0f} MB; law cache warm {e2e['law_1000_e2e_cached_s'][0]:.2f} s; "
                    f"{e2e['law_1000_vs_100_e2e'][0]:.1f}x 100 provisions); a case at 1,000 provisions "
                    f"{e2e['per_case_1000_vs_100'][0]:.1f}x one at 100")
                lap("law")
            if wanted("compare") and r < minor_runs:
                n = 20_000 if quick else 100_000
                c, c_cpu = compare_once(variants[:2] if quick else variants, n)
                for v, s in c.items():
                    compare_runs.setdefault(v, []).append(s)
                details.setdefault("compare_cpu_s", []).append(c_cpu)
                details["compare_scenarios_measured"] = n
                log("  compare 100k: " + ", ".join(f"{v} {s:.1f} s" for v, s in c.items())
                    + (" (scaled from 20,000)" if quick else ""))
                lap("compare")
            if wanted("treaties"):
                tc = treaty_compare_once()
                keep(tc, ("treaty_compare_10k_s",))
                details.setdefault("treaty_compare", []).append({k: round(v, 3) for k, v in tc.items()})
                log(f"  compare --treaties 10k: {tc['treaty_compare_10k_s']:.1f} s")
                lap("treaties")
            if wanted("memory") and r < minor_runs:
                mem = memory_once(100_000 if quick else 1_000_000)
                keep(mem, ("rss_growth",))
                details.setdefault("memory", []).append(mem)
                log(f"  rss growth {mem['rss_growth']:.3f}")
                lap("memory")
        # The probes below are run as many times as the figures above, so that each has a spread too.
        for r in range(minor_runs):
            if wanted("memo"):
                memo = memo_and_no_cache(variants[:2] if quick else variants, 1_000 if quick else 10_000)
                per_run.setdefault("memo_hit_rate", []).append(memo["memo_hit_rate"])
                details.setdefault("memo", []).append(memo)
                log(f"  memo hit rate {memo['memo_hit_rate']:.4f}")
                lap("memo")
            if wanted("report"):
                details.setdefault("report", []).append(report_per_case(tmp, (14,) if quick else (14, 140)))
                log(f"  report: {details['report'][-1]}")
                lap("report")
            if wanted("deciding"):
                details.setdefault("deciding_sets", []).append(
                    deciding_growth(tmp, (10, 100) if quick else (10, 100, 1000)))
                log(f"  deciding sets: {details['deciding_sets'][-1]}")
                lap("deciding")
        for name, key in (("report", "ms_per_case"), ("deciding_sets", "deciding_s")):
            if name in details:
                sizes = details[name][0].keys()
                details[f"{name}_median"] = {
                    size: dict(zip((key, "spread"), (round(x, 6) for x in summary([run[size][key] for run in details[name]]))))
                    for size in sizes}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    details["section_s"] = section_s

    result: dict[str, Any] = {}
    for k, values in per_run.items():
        med, spread = summary(values)
        result[k] = round(med, 4)
        result[f"{k}_spread"] = round(spread, 4)
        result[f"{k}_min"] = round(min(values), 4)
        result[f"{k}_max"] = round(max(values), 4)
        result[f"{k}_n"] = len(values)
    if compare_runs:
        result["compare_100k_s"] = {v: round(summary(s)[0], 2) for v, s in compare_runs.items()}
        result["compare_100k_s_spread"] = {v: round(summary(s)[1], 4) for v, s in compare_runs.items()}
        result["compare_100k_s_scaled_from"] = details["compare_scenarios_measured"]
    checks: dict[str, Any] = {}
    for k, (op, target) in TARGETS.items():
        if k in result:
            met = result[k] <= target if op == "<=" else result[k] >= target
            checks[k] = {"target": f"{op} {target}", "value": result[k], "met": met}
    for v, s in result.get("compare_100k_s", {}).items():
        checks[f"compare_100k_s[{v}]"] = {"target": f"< {COMPARE_TARGET_S}", "value": s, "met": s < COMPARE_TARGET_S}
    result.update({
        "targets": checks, "details": details, "quick": quick, "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_at_start": load_at_start,
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "seconds": round(time.perf_counter() - started, 1)})
    text = json.dumps(result, indent=2, sort_keys=True) + "\n"
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        tmpf = args.json.with_suffix(args.json.suffix + ".tmp")
        tmpf.write_text(text, encoding="utf-8")
        os.replace(tmpf, args.json)
    print(text, end="")
    log(f"load average {load_at_start} at the start, {result['machine']['load_average_at_end']} at the end")
    for k in per_run:
        if k in FIGURES:
            kind, command = FIGURES[k]
            t = checks.get(k)
            verdict = "" if t is None else ("met     " if t["met"] else "NOT MET ") + f"(target {t['target']}) "
            log(f"{k}: median {result[k]:,} [min {result[f'{k}_min']:,}, max {result[f'{k}_max']:,}, "
                f"n={result[f'{k}_n']}] {verdict}{kind}; reproduce: {command}")
    for k, t in checks.items():
        if k not in FIGURES:
            log(f"{'met    ' if t['met'] else 'NOT MET'} {k}: {t['value']} (target {t['target']})")


if __name__ == "__main__":
    main()
