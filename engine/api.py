"""The public Python API: `import casus; casus.evaluate("kazakhstan-2022")`.

A thin facade: the law handle and case lookup (engine/handle.py), the results
(engine/results.py) and the listings and schemas (engine/catalogue.py) are defined
there; here, the entry points that evaluate, compare and check through them. Every
entry point takes the law as a handle (`load_law(rules, variant)`) or builds one from
`rules`/`variant`, so the CLI and any other front end (the web server) evaluate through
exactly the same path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import CaseInfo, cases, facts, rules, schema, schema_path, states, variants
from .files.errors import InputError
from .files.paths import rules_dir
from .handle import (CaseRef, Law, VariantInfo, VariantRef, _law_for, _parse_day, _register_variants, case_paths,
                     find_case, load_case, load_case_text, load_cases, load_law)
from .jsontext import json_text
from .results import SCHEMA_VERSION, Evaluation, Evaluations, Report, envelope

if TYPE_CHECKING:
    from .evaluate.evaluator import CaseResult
    from .explain.tree import Explanation


def _explain(law: Law, result: "CaseResult") -> "list[Explanation]":
    from .explain.tree import changed_rules, explain_case
    changed = changed_rules(law.base, law.law) if law.variants else set()
    # Beside the facts that would decide an outcome, the case fields that set them.
    return explain_case(result, law.law, changed, fields=True)


def evaluate(case: CaseRef, *, at: str | dt.date | None = None,
             variant: VariantRef | Sequence[VariantRef] | None = None, perspective: str | None = None,
             law: Law | None = None, rules: str | Path | None = None, explain: bool = False) -> Evaluation:
    """Evaluate one case (a shipped case id, a path, plain data or a loaded case)."""
    use = _law_for(law, variant, rules)
    loaded = load_case(case, use)
    result = use.evaluator.evaluate(loaded, at=_parse_day(at), perspective=perspective)
    return Evaluation(result, use, _explain(use, result) if explain else None)


def evaluate_many(cases: Sequence[CaseRef] | None = None, *, at: str | dt.date | None = None,
                  variant: VariantRef | Sequence[VariantRef] | None = None, perspective: str | None = None,
                  law: Law | None = None, rules: str | Path | None = None, explain: bool = False,
                  cases_dir: str | Path | None = None) -> Evaluations:
    """Evaluate several cases (default: every case of `cases_dir`, or the shipped corpus).

    Over several cases, `perspective` applies where that party makes claims; a party no
    case knows is a mistake."""
    use = _law_for(law, variant, rules)
    refs: Sequence[CaseRef] = list(cases) if cases else [str(p) for p in case_paths(cases_dir)]
    warnings: list[InputError] = []
    loaded = load_cases(refs, use, cases=cases_dir, warnings=warnings)
    day = _parse_day(at)
    views: dict[str, str | None] = {c.id: perspective for c in loaded}
    if perspective is not None and len(loaded) > 1:
        from .evaluate.evaluator import claimants
        having = {c.id for c in loaded if perspective in claimants(c)}
        if not having:
            raise InputError(f"no case makes claims as '{perspective}'",
                             hint="perspectives are the parties named under 'claims' in a case's facts")
        views = {c.id: perspective if c.id in having else None for c in loaded}
    from . import progress
    out = []
    for n, c in enumerate(loaded, 1):
        result = use.evaluator.evaluate(c, at=day, perspective=views[c.id])
        out.append(Evaluation(result, use, _explain(use, result) if explain else None))
        progress.report("cases evaluated", n, len(loaded))
    return Evaluations(out, use, warnings)



def compare(variant: VariantRef | Sequence[VariantRef], *, against: VariantRef | Sequence[VariantRef] = "base",
            cases: Sequence[CaseRef] | str | Path | None = None, generated: int = 0, seed: int = 0,
            law: Law | None = None, rules: str | Path | None = None, jobs: int | None = None,
            memo: bool = True) -> Report:
    """Which cases (and `generated` scenarios) flip under `variant` against `against`.

    `cases`: a list of cases, a directory of case files, or None for the shipped corpus.
    `memo=False` evaluates every scenario in durable_rules (the results are the same; for
    measuring what the verdict memo saves)."""
    from .analysis.compare import compare as run
    use = _law_for(law, None, rules)
    after = use.with_variant(variant)
    before = use.with_variant(None if against in (None, "base") else against)
    # Both sides must see every variant file: register the union on one base law.
    base, _ = _register_variants(after.base, [v.file or v.id for v in before.variants[len(use.variants):]])
    shown = Law(base, use.rules, after.variants)
    # Cases load against the law that knows both sides' variants (their expected_variants may name them).
    if isinstance(cases, (str, Path)) or cases is None:
        loaded = load_cases([str(p) for p in case_paths(cases)], shown)
    else:
        loaded = load_cases(list(cases), shown)
    data = run(base, after.spec, before.spec, loaded, generated=generated, seed=seed, jobs=jobs,
               memo=memo)
    data["against_law"] = before.info()
    return Report("compare", data, shown)


def compare_treaties(treaties: Sequence[str] | str, *, generated: int = 2000, seed: int = 0,
                     at: str | dt.date | None = None, law: Law | None = None,
                     rules: str | Path | None = None) -> Report:
    """Provisions of several treaties (`cst.art4,nato.art5,...`) on the same `generated`
    scenarios, the attacked state a party to each: agreement per pair, and every
    disagreement attributed to the condition (or smallest set of conditions) that makes it."""
    from .analysis.treaties import compare_treaties as run
    use = _law_for(law, None, rules)
    ids = [t.strip() for t in treaties.split(",")] if isinstance(treaties, str) else list(treaties)
    data = run(use.law, [t for t in ids if t], generated, seed, _parse_day(at))
    return Report("compare", data, use)


def check(variant: VariantRef | Sequence[VariantRef] | None = None, *, law: Law | None = None,
          rules: str | Path | None = None, examples: int = 200, seed: int = 0, exhaustive: bool = False,
          smt: bool = False, bound: int = 100_000) -> Report:
    """Decide the law's properties (totality, consistency, monotonicity, differential,
    coverage; locality for a variant) over every provision version's whole fact space, by
    enumeration up to `bound` assignments (`exhaustive`: whatever the size) and z3 beyond
    (`smt`: z3 everywhere); determinism is sampled (`examples` hypothesis examples)."""
    from .analysis.checks import Checker
    use = _law_for(law, variant, rules)
    data = Checker(use.base, use.spec if use.variants else None, examples=examples, seed=seed,
                   exhaustive=exhaustive, smt=smt, bound=bound).run()
    data.pop("law", None)            # the envelope's `law` says which law, in full
    return Report("check", data, use)


__all__ = ["SCHEMA_VERSION", "Law", "VariantInfo", "CaseInfo", "Evaluation", "Evaluations", "Report",
           "load_law", "load_case", "load_case_text", "load_cases", "evaluate", "evaluate_many", "compare", "compare_treaties", "check",
           "facts", "rules", "variants", "cases", "schema", "rules_dir",
           # for the front ends (cli, web) and scripts
           "CaseRef", "VariantRef", "case_paths", "find_case", "states", "schema_path", "envelope",
           "json_text"]
