#!/usr/bin/env python3
"""Why casus never calls durable_rules' delete_state: it can abort the process.

    python bench/durable_delete_state.py

Runs, in child processes, the pattern durable_rules' documentation suggests (a fresh
session per evaluation, `delete_state` afterwards) on casus's compiled cst.art2 ruleset,
and reports how each child ended. On the machines casus was developed on, durable_rules
2.0.28 aborted with "free(): invalid pointer" or "double free or corruption" on the first
few deletions for some seeds; valgrind reports "Conditional jump or move depends on
uninitialised value(s)" in deleteStateNode. Whether a given run crashes depends on the
heap, so several seeds are tried. casus instead keeps one session per ruleset and
retracts each evaluation's fact (see engine/backends/durable.py).
"""

from __future__ import annotations

import subprocess
import sys

CHILD = r"""
import random, sys
from durable.engine import Host, MessageNotHandledException
from casus.engine.backends.durable import plan
from casus.engine.logic.compiler import CompiledLaw
from casus.engine.law.loader import read_rules
law = read_rules()
cv = CompiledLaw(law).version("cst.art2", law.provisions["cst.art2"].versions[1])
chunk = plan(cv).strata[0][0]          # the first stratum's ruleset, as casus registers it
host = Host()
spec = {name: dict(rule, run=lambda c: None) for name, rule in chunk.spec.items()}
host.set_rulesets({"x": spec})
rnd = random.Random(int(sys.argv[1]))
for i in range(2000):
    sid = f"s{i}"
    fact = {alias: rnd.randrange(len(cv.atom_domain(atom))) for atom, alias in chunk.fields if rnd.random() < 0.7}
    fact["sid"] = sid
    try:
        host.assert_fact("x", fact)
    except MessageNotHandledException:
        pass
    try:
        host.delete_state("x", sid)
    except Exception as exc:
        if "309" not in str(exc):    # 309: no such session
            raise
print("completed 2000 fresh sessions")
"""


def main() -> None:
    crashed = 0
    for seed in range(1, 7):
        r = subprocess.run([sys.executable, "-c", CHILD, str(seed)], capture_output=True, text=True)
        last = (r.stderr.strip().splitlines() or [""])[0] if r.returncode else r.stdout.strip()
        ended = "ok" if r.returncode == 0 else f"exit {r.returncode}"
        crashed += r.returncode != 0
        print(f"seed {seed}: {ended}: {last}")
    print(f"{crashed} of 6 runs ended abnormally")


if __name__ == "__main__":
    main()
