"""Comparing two laws (the base law and a variant, or two variants): what flips, and why.

For shipped cases: every provision whose outcome (or perspectives) differ, with the
rules that fired on each side. For generated scenarios: the number of flips per
provision and kind (before -> after), and a smallest example of each kind,
shrunk and printable as a case file.
"""

from __future__ import annotations

from typing import Any

import os
from collections import Counter
from dataclasses import dataclass

from .. import progress
from ..gcpause import gc_paused
from ..files import models as m
from ..law.amendments import BASE, rule_changes, with_variants
from ..evaluate.evaluator import CaseResult, Evaluator, ProvisionResult
from ..evaluate.verdict import Verdict
from ..law.loader import LawModels
from .scenarios import Generator, Scenario, as_case, shrink


@dataclass
class Side:
    """One law under comparison."""
    name: str
    law: LawModels
    evaluator: Evaluator

    @classmethod
    def of(cls, base: LawModels, spec: str | None, *, memo: bool = True) -> "Side":
        law = with_variants(base, spec) if spec and spec != BASE else base
        return cls(spec or BASE, law, Evaluator(law, memo=memo))


# ------------------------------------------------------------------ what the variant changes

def _responsible(before: set[str], after: set[str], changed: set[str]) -> list[dict[str, Any]]:
    """Rules whose firing differs between the two sides, and changed rules that fired."""
    out = []
    for rid in sorted(before | after):
        side = "both" if rid in before and rid in after else ("before" if rid in before else "after")
        if side != "both" or rid in changed:
            out.append({"rule": rid, "fired": side, "changed_by_variant": rid in changed})
    return out


def _facts_changed(a: Verdict | None, b: Verdict | None) -> dict[str, list[Any]]:
    """Facts the two sides read differently (derived facts, when membership is read differently)."""
    fa = a.derivation.facts if a is not None else {}
    fb = b.derivation.facts if b is not None else {}
    return {f: [fa.get(f), fb.get(f)] for f in sorted(set(fa) | set(fb)) if fa.get(f) != fb.get(f)}


def _changed_ids(changes: dict[str, Any], pid: str) -> set[str]:
    c = changes.get(pid, {})
    return set(c.get("added", [])) | set(c.get("removed", [])) | set(c.get("changed", []))


# ------------------------------------------------------------------ shipped cases

def _fired(pr: ProvisionResult) -> set[str]:
    verdicts = ([pr.verdict] if pr.verdict else []) + list(pr.perspectives.values())
    return {rid for v in verdicts for rid in v.derivation.fired}


def _perspectives(pr: ProvisionResult) -> dict[str, str]:
    return {p: v.outcome for p, v in pr.perspectives.items()}


def compare_cases(a: Side, b: Side, cases: list[m.Case], changes: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """Flips per case and provision; returns (flips, number of cases without any)."""
    flips, unchanged = [], 0
    for case in cases:
        ra: CaseResult = a.evaluator.evaluate(case)
        rb: CaseResult = b.evaluator.evaluate(case)
        found = False
        for pa, pb in zip(ra.provisions, rb.provisions):
            if pa.outcome == pb.outcome and _perspectives(pa) == _perspectives(pb):
                continue
            found = True
            pid = pa.provision.id
            fa, fb = _fired(pa), _fired(pb)
            flip: dict[str, Any] = {"case": case.id, "provision": pid, "before": pa.outcome, "after": pb.outcome,
                    "fired_before": sorted(fa), "fired_after": sorted(fb),
                    "responsible": _responsible(fa, fb, _changed_ids(changes, pid))}
            facts = _facts_changed(pa.verdict, pb.verdict)
            if facts:
                flip["facts_changed"] = facts
                # Whether each side's provision version tests the fact at all: a fact one side
                # does not read is not "unknown" there, and the text says so.
                read = [set(p.compiled.facts) if p.compiled is not None else set() for p in (pa, pb)]
                flip["facts_read"] = {f: [f in read[0], f in read[1]] for f in facts}
            if pa.perspectives or pb.perspectives:
                flip["perspectives_before"] = _perspectives(pa)
                flip["perspectives_after"] = _perspectives(pb)
            if pa.version is None or pb.version is None:
                flip["note"] = pa.note or pb.note
            flips.append(flip)
        unchanged += not found
    return flips, unchanged


# ------------------------------------------------------------------ generated scenarios

def _flips_of(a: Side, b: Side, s: Scenario, provisions: list[str]) -> list[tuple[str, str, str]]:
    facts = s.resolved(a.law)
    if a.law.vocabulary is not b.law.vocabulary or a.law.timeline is not b.law.timeline:
        facts_b = s.resolved(b.law)       # the variant reads membership (or the vocabulary) its own way
    else:
        facts_b = facts
    oa = a.evaluator.outcomes(s.date, facts, provisions)
    ob = b.evaluator.outcomes(s.date, facts_b, provisions)
    return [(pid, x, y) for pid, x, y in zip(provisions, oa, ob) if x != y]


Sweep = tuple["Counter[Any]", dict[tuple[Any, ...], int], int]


@gc_paused
def sweep(a: Side, b: Side, seed: int, start: int, stop: int, provisions: list[str]) -> Sweep:
    """Flip counts over scenarios [start, stop), and the first scenario index of each kind.

    Without the cyclic GC: a sweep leaves no cycles (measured: a few dozen objects over
    thousands of scenarios, from compiling), and each collection walked the growing memo of
    verdicts for nothing, which made the memo slower than no memo at a 20% hit rate."""
    gen = Generator(a.law, seed)
    counts: Counter[Any] = Counter()
    first: dict[tuple[Any, ...], int] = {}
    any_flip = 0
    for i in range(start, stop):
        kinds = _flips_of(a, b, gen.scenario(i), provisions)
        any_flip += bool(kinds)
        for kind in kinds:
            counts[kind] += 1
            first.setdefault(kind, i)
        if not (i + 1 - start) % _EVERY:
            progress.report(SCENARIOS, i + 1 - start, stop - start)
    progress.report(SCENARIOS, stop - start, stop - start)
    return counts, first, any_flip


# How often a sweep reports its progress (scenarios), and what it reports.
_EVERY = 250
SCENARIOS = "generated scenarios"


_worker: dict[str, Any] = {}


def _sweep_chunk(args: tuple[int, int, int, list[str]]) -> Sweep:
    seed, start, stop, provisions = args
    return sweep(_worker["a"], _worker["b"], seed, start, stop, provisions)


def _parallel_sweep(a: Side, b: Side, seed: int, n: int, provisions: list[str], jobs: int) -> Sweep:
    """Split the sweep over processes (fork: each worker inherits the compiled law)."""
    import multiprocessing as mp
    chunks = max(jobs * 4, 1)
    step = -(-n // chunks)
    ranges = [(seed, s, min(s + step, n), provisions) for s in range(0, n, step)]
    _worker.update(a=a, b=b)
    # Workers ignore Ctrl-C and follow the parent: on a signal the parent stops them
    # (leaving the `with` terminates the pool), and they die with it.
    from .workers import worker_init
    parts = []
    with mp.get_context("fork").Pool(jobs, initializer=worker_init) as pool:
        # In the order chunks finish (the merge below does not depend on it), to report progress.
        for part, done in zip(pool.imap_unordered(_sweep_chunk, ranges), range(1, len(ranges) + 1)):
            parts.append(part)
            progress.report(SCENARIOS, min(n, done * step), n)
    counts: Counter[Any] = Counter()
    first: dict[tuple[Any, ...], int] = {}
    any_flip = 0
    for c, f, k in parts:
        counts.update(c)
        for kind, i in f.items():
            first[kind] = min(first.get(kind, i), i)
        any_flip += k
    return counts, first, any_flip


def compare_generated(a: Side, b: Side, n: int, seed: int, changes: dict[str, Any], *,
                      jobs: int | None = None) -> dict[str, Any]:
    # A provision whose versions and membership reading are the same on both sides
    # cannot flip (evaluation is deterministic): sweep only the changed ones.
    # (`casus check` verifies that unchanged provisions never flip.)
    provisions = sorted(changes)
    jobs = jobs or os.cpu_count() or 1
    counts: Counter[Any]
    first: dict[tuple[Any, ...], int]
    if not provisions:
        counts, first, any_flip = Counter(), {}, 0
    elif jobs > 1 and n >= 20_000 and hasattr(os, "fork"):
        counts, first, any_flip = _parallel_sweep(a, b, seed, n, provisions, jobs)
    else:
        counts, first, any_flip = sweep(a, b, seed, 0, n, provisions)
    gen = Generator(a.law, seed)
    per_provision: dict[str, dict[str, int]] = {}
    for (pid, x, y), count in sorted(counts.items()):
        per_provision.setdefault(pid, {})[f"{x} -> {y}"] = count
    examples = []
    for kind in sorted(first):
        pid, x, y = kind
        original = gen.scenario(first[kind])
        small = shrink(original, lambda s: kind in _flips_of(a, b, s, [pid]))
        da = a.evaluator.decide(small.date, small.resolved(a.law), [pid])[pid]
        db = b.evaluator.decide(small.date, small.resolved(b.law), [pid])[pid]
        fa = set(da.verdict.derivation.fired) if da.verdict else set()
        fb = set(db.verdict.derivation.fired) if db.verdict else set()
        examples.append({
            "provision": pid, "before": x, "after": y, "count": counts[kind],
            "scenario": first[kind],
            "responsible": _responsible(fa, fb, _changed_ids(changes, pid)),
            "facts_changed": _facts_changed(da.verdict, db.verdict),
            "reasons_before": da.verdict.reasons if da.verdict else [],
            "reasons_after": db.verdict.reasons if db.verdict else [],
            "case": as_case(small, id=f"generated-{seed}-{first[kind]}",
                            title=f"Generated scenario {first[kind]} (seed {seed}): {pid} {x} -> {y}",
                            cite=f"casus compare {b.name} --against {a.name} --generated {n} --seed {seed}, "
                                 f"scenario {first[kind]}, shrunk",
                            summary=f"A smallest generated scenario where {pid} is {x} under {a.name} "
                                    f"and {y} under {b.name}.",
                            provisions=[pid]),
        })
    return {"scenarios": n, "seed": seed, "provisions": provisions, "with_flips": any_flip,
            "flips": per_provision,
            "examples": examples}


def compare(base: LawModels, variant: str, against: str | None, cases: list[m.Case],
            generated: int = 0, seed: int = 0, jobs: int | None = None, memo: bool = True) -> dict[str, Any]:
    a = Side.of(base, against or BASE, memo=memo)
    b = Side.of(base, variant, memo=memo)
    changes = rule_changes(a.law, b.law)
    flips, unchanged = compare_cases(a, b, cases, changes)
    out = {"variant": b.name, "against": a.name, "changes": changes,
           "cases": {"compared": len(cases), "unchanged": unchanged, "flips": flips}}
    if generated:
        out["generated"] = compare_generated(a, b, generated, seed, changes, jobs=jobs)
    return out
