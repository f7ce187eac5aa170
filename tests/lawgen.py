"""Random law directories for the rule-set fuzzer (issue 17), as Cedar does differential
random testing: hypothesis draws whole laws (a fact vocabulary with hostile names, provisions
with several dated versions, many rules with wide and deep conditions, amendments) and
cases; each law runs through the real `casus` in a child process with CPU, memory and wall
clock limits (tests/subproc.py), and must:

  - never die by a signal, hang, or exit 70 (an internal error): a law is run or refused
    with one line and exit 2;
  - when it validates, give the same answers on durable_rules as on the reference evaluator
    (`casus check --rules DIR`, whose `differential` property compares them).

Used by tests/analysis/test_fuzz_laws.py (a small budget) and bench/fuzz.py (minutes of it).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from casus.engine.files.paths import rules_dir
from subproc import run_casus, run_python

# Names that have meant something to durable_rules, to JSON, to YAML or to Python: the
# engine must see them as plain field names.
HOSTILE_NAMES = ["id", "sid", "$and", "$or", "$lt", "$gt", "$ex", "$nex", "$s", "$m", "$i", "$pri",
                 "$count", "$cap", "$forAll", "$all", "$any", "m", "l", "r", "t", "s", "true",
                 "false", "null", "None", "class", "lambda", "__proto__", "constructor", "0", "1e3",
                 "ünïcödé", "факт", "事实", "a.b", "a b", "a\"b", "a\\b", "with-dash", "x" * 200,
                 "emoji_🛡", "\u00e9t\u00e9", "e\u0301te\u0301"]
HOSTILE_VALUES = ["да", "нет", "ünï", "$eq", "id", "sid", "true", "0", "", " ", "a\"b", "🛡", "x" * 100]
ROLES = ("requesting_state", "territory", "acting_state", "third_state", "attacker")


def _plain_names(prefix: str):
    return st.integers(0, 10_000).map(lambda i: f"{prefix}{i}")


fact_names = st.one_of(st.sampled_from(HOSTILE_NAMES), _plain_names("f"),
                       st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12))


@st.composite
def vocabularies(draw, max_facts: int = 40) -> dict[str, Any]:
    names = draw(st.lists(fact_names, min_size=1, max_size=max_facts, unique=True))
    facts = {}
    for name in names:
        if draw(st.booleans()):
            facts[name] = {"type": "boolean", "description": "a fact"}
        else:
            values = draw(st.lists(st.one_of(st.sampled_from(HOSTILE_VALUES), _plain_names("v")),
                                   min_size=1, max_size=5, unique=True))
            facts[name] = {"type": "enum", "values": values, "description": "a fact"}
    derived = {}
    for role in draw(st.lists(st.sampled_from(ROLES), max_size=3, unique=True)):
        derived[f"{role}_member"] = {"from": "member", "roles": [role], "description": "d"}
    return {"parties": {r: f"the {r}" for r in ROLES}, "facts": facts, "derived": derived}


@st.composite
def conditions(draw, vocab: dict[str, Any], conclusions: list[str], depth: int = 0) -> dict[str, Any]:
    """A condition over the vocabulary and earlier conclusions: wide (up to 12 children)
    and deep (up to 6 levels)."""
    names = list(vocab["facts"]) + list(vocab["derived"])
    leaf = depth >= 6 or draw(st.integers(0, 9)) < 4 + depth
    if leaf:
        if conclusions and draw(st.integers(0, 5)) == 0:
            return {"conclusion": draw(st.sampled_from(conclusions))}
        name = draw(st.sampled_from(names))
        definition = vocab["facts"].get(name, {"type": "boolean"})
        if definition["type"] == "boolean":
            return {"fact": name} if draw(st.booleans()) else {"fact": name, "is": draw(st.booleans())}
        values = definition["values"]
        if draw(st.booleans()):
            return {"fact": name, "is": draw(st.sampled_from(values))}
        return {"fact": name, "in": draw(st.lists(st.sampled_from(values), min_size=1, max_size=len(values),
                                                   unique=True))}
    kind = draw(st.sampled_from(["all", "any", "not"]))
    if kind == "not":
        return {"not": draw(conditions(vocab, conclusions, depth + 1))}
    width = draw(st.integers(1, 12 if depth < 2 else 4))
    return {kind: [draw(conditions(vocab, conclusions, depth + 1)) for _ in range(width)]}


@st.composite
def versions(draw, vocab: dict[str, Any], pid: str, index: int, start: int, end: int | None,
             max_rules: int) -> dict[str, Any]:
    n_conclusions = draw(st.integers(1, 4))
    conclusions = ["owed"] + [f"c{i}" for i in range(1, n_conclusions)]
    rules = []
    n_rules = draw(st.integers(1, max_rules))
    repeated = draw(conditions(vocab, [])) if draw(st.integers(0, 4)) == 0 else None
    for i in range(n_rules):
        # conclusions only from earlier ones (c3 may rest on c1, never the reverse): no cycles
        concludes = draw(st.sampled_from(conclusions))
        earlier = [c for c in conclusions if conclusions.index(c) > conclusions.index(concludes)]
        when = repeated if repeated is not None and draw(st.booleans()) else draw(conditions(vocab, earlier))
        rules.append({"id": f"{pid}.v{index}.r{i}", "concludes": concludes, "value": draw(st.booleans()),
                      "when": when, "because": "a reason"})
    in_force = {"from": f"{start}-01-01"}
    if end is not None:
        in_force["to"] = f"{end}-12-31"
    return {"id": f"v{index}", "in_force": in_force, "text": "The text.", "text_source": "s",
            "conclusions": {c: {"description": "d"} for c in conclusions}, "rules": rules}


@st.composite
def provisions(draw, vocab: dict[str, Any], pid: str, max_rules: int) -> dict[str, Any]:
    n = draw(st.integers(1, 3))
    years = sorted(draw(st.lists(st.integers(1993, 2099), min_size=n - 1, max_size=n - 1, unique=True)))
    starts = [draw(st.integers(1992, min(years, default=2099)))] + [y + 1 for y in years]
    ends = years + [None]
    return {"id": pid, "instrument": "A treaty", "article": pid.split(".")[-1], "title": "t", "question": "q?",
            "outcome": "owed", "outcomes": ["triggered", "not_triggered"], "sources": {"s": {"cite": "c"}},
            "versions": [draw(versions(vocab, pid, i, starts[i], ends[i], max_rules)) for i in range(n)]}


@st.composite
def amendments(draw, vocab: dict[str, Any], provision: dict[str, Any], aid: str = "fuzz-variant") -> dict[str, Any]:
    version = provision["versions"][-1]
    rule = draw(st.sampled_from(version["rules"]))
    change = draw(st.sampled_from(["add", "replace", "remove"]))
    new_rule = {"id": f"{provision['id']}.{aid}.added", "concludes": "owed", "value": draw(st.booleans()),
                "when": draw(conditions(vocab, [])), "because": "amended"}
    if change == "add":
        op = {"op": "add", "provision": provision["id"], "rule": new_rule}
    elif change == "replace":
        op = {"op": "replace", "rule": rule["id"], "with": {**new_rule, "id": rule["id"]}}
    else:
        op = {"op": "remove", "rule": rule["id"]}
    return {"id": aid, "title": "t", "proposer": "p", "date": "2020-01-01", "status": "hypothetical",
            "summary": "s", "source": {"cite": "c"}, "affects": [provision["id"]], "changes": [op]}


# Members of the shipped membership timeline (copied into every generated law) and states
# that never were: the derived *_member facts depend on which role is which.
# Dates from the Treaty's signature (members.yaml: before it, a case is refused) to 2100.
SIGNED, LAST = dt.date(1992, 5, 15), dt.date(2100, 12, 31)
STATES = ["KZ", "RU", "AM", "KG", "TJ", "UZ", "BY", "GE", "AZ", "UA", "US", "CN"]


def _entry(draw, definition: dict[str, Any], source: str) -> dict[str, Any]:
    domain = [True, False] if definition["type"] == "boolean" else definition["values"]
    if draw(st.integers(0, 3)) == 0 and len(domain) > 1:
        a, b = draw(st.lists(st.sampled_from(domain), min_size=2, max_size=2, unique=True))
        claimants = draw(st.lists(st.sampled_from(["KZ", "RU", "observers", "AM"]), min_size=2, max_size=2,
                                  unique=True))
        return {"claims": {claimants[0]: {"value": a, "source": source}, claimants[1]: {"value": b, "source": source}}}
    return {"value": draw(st.sampled_from(domain)), "source": source}


@st.composite
def cases(draw, vocab: dict[str, Any]) -> dict[str, Any]:
    """A case dated 1992-2100 with parties in random roles (members or not, on that date),
    facts stated, claimed by two parties or left out, and dated events that change them."""
    day = draw(st.dates(SIGNED, LAST))
    date = day.isoformat()
    facts = {}
    for name, definition in vocab["facts"].items():
        if draw(st.integers(0, 2)) == 0:
            continue
        facts[name] = _entry(draw, definition, "s")
    case: dict[str, Any] = {"id": "fuzz-case", "title": "A generated case", "date": date, "summary": "s",
                            "sources": {"s": {"cite": "c"}}, "facts": facts}
    case["requesting_state"] = draw(st.sampled_from(STATES))
    for role in ROLES[1:]:
        if draw(st.booleans()):
            case[role] = draw(st.sampled_from(STATES))
    events = []
    names = list(vocab["facts"])
    for i in range(draw(st.integers(0, 3))):
        when = draw(st.dates(SIGNED, day)).isoformat()
        changed = draw(st.lists(st.sampled_from(names), max_size=3, unique=True)) if names else []
        events.append({"date": when, "summary": f"event {i}", "sources": ["s"],
                       "facts": {n: _entry(draw, vocab["facts"][n], "s") for n in changed}})
    if events:
        case["events"] = sorted(events, key=lambda e: e["date"])
    return case


@st.composite
def laws(draw, max_facts: int = 40, max_rules: int = 30) -> dict[str, Any]:
    vocab = draw(vocabularies(max_facts))
    provs = [draw(provisions(vocab, f"fz.p{i}", max_rules)) for i in range(draw(st.integers(1, 2)))]
    stacked = [draw(amendments(vocab, draw(st.sampled_from(provs)), aid))
               for aid in ("fuzz-variant", "fuzz-variant-2")[:draw(st.integers(0, 2))]]
    return {"vocabulary": vocab, "provisions": provs, "amendments": stacked, "case": draw(cases(vocab))}


# ------------------------------------------------------------------ running one law

def write_law(law: dict[str, Any], root: Path) -> Path:
    rules = root / "rules"
    (rules / "fz").mkdir(parents=True)
    dump = lambda data, path: path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),  # noqa: E731
                                              encoding="utf-8")
    dump(law["vocabulary"], rules / "facts.yaml")
    shutil.copy(rules_dir() / "members.yaml", rules / "members.yaml")
    for prov in law["provisions"]:
        dump(prov, rules / "fz" / f"{prov['id']}.yaml")
    if law["amendments"]:
        (rules / "amendments").mkdir()
    for amendment in law["amendments"]:
        dump(amendment, rules / "amendments" / f"{amendment['id']}.yaml")
    dump(law["case"], root / "case.yaml")
    return rules


@dataclass
class Finding:
    command: str
    problem: str
    detail: str

    def __str__(self) -> str:
        return f"{self.problem}: casus {self.command}\n{self.detail}"


TIMEOUT = 120          # seconds of wall clock per command: generous on 2 shared cores; a hang is far longer
MEMORY = 2 << 30


def stacks(law: dict[str, Any]) -> list[str]:
    """The variants of a generated law: each amendment, and both stacked."""
    ids = [a["id"] for a in law.get("amendments", [])]
    return ids + (["+".join(ids)] if len(ids) > 1 else [])


def run_law(law: dict[str, Any], examples: int = 25, stats: dict[str, int] | None = None) -> list[Finding]:
    """Run one law through validate, check (with the differential), a check per variant stack,
    an evaluation, and the per-perspective differential of its case; return what went wrong
    (nothing, if all is well)."""
    with tempfile.TemporaryDirectory(prefix="casus-fuzz-") as tmp:
        root = Path(tmp)
        rules = write_law(law, root)
        commands = [["validate", str(root / "case.yaml"), "--rules", str(rules)],
                    ["check", "--rules", str(rules), "--examples", str(examples), "-f", "json"],
                    ["evaluate", str(root / "case.yaml"), "--rules", str(rules), "--explain", "-f", "json"]]
        for stack in stacks(law):
            commands.append(["check", "--rules", str(rules), "--variant", stack,
                             "--examples", str(examples), "-f", "json"])
            commands.append(["evaluate", str(root / "case.yaml"), "--rules", str(rules), "--variant", stack,
                             "-f", "json"])
        findings = []
        for args in commands:
            r = run_casus(*args, timeout=TIMEOUT, memory=MEMORY)
            line = " ".join(a if a.isprintable() else repr(a) for a in args)
            if r.timed_out:
                findings.append(Finding(line, "timeout", r.err[-2000:]))
            elif r.code < 0:
                findings.append(Finding(line, f"killed by signal {-r.code}", r.err[-2000:]))
            elif r.code == 70 or r.code not in (0, 1, 2):
                findings.append(Finding(line, f"exit {r.code}", r.err[-2000:]))
            elif r.code == 2 and not _one_line_each(r.err):
                findings.append(Finding(line, "bad input not reported one line per mistake", r.err[-2000:]))
            elif args[0] == "check" and r.code in (0, 1):
                findings.extend(_differential(line, r.out))
            if r.code == 2 and args[0] == "validate":
                _count(stats, "refused by validate")
                return findings         # the law is refused: nothing else to run on it
        found, compared = perspective_differential(rules, root / "case.yaml", stacks(law))
        _count(stats, "evaluations compared (variant x perspective x 2 engines)", len(compared))
        _count(stats, "of them under a variant stack", sum(1 for v, _ in compared if "+" in v))
        _count(stats, "of them from one party's perspective", sum(1 for _, p in compared if p is not None))
        _count(stats, "cases with events", bool(law["case"].get("events")))
        return findings + found


def _count(stats: dict[str, int] | None, what: str, n: int = 1) -> None:
    if stats is not None:
        stats[what] = stats.get(what, 0) + int(n)


# Run in a child (limits, and a crash cannot take the fuzzer down): the generated case under
# the base law and each variant stack, for the agreed facts and each claimant, on both engines.
_PERSPECTIVES = r"""
import json, sys
from casus.engine.evaluate.evaluator import Evaluator, claimants
from casus.engine.files.errors import InputError
from casus.engine.law.amendments import with_variants
from casus.engine.law.cases import read_case_file
from casus.engine.law.loader import read_rules

def seen(result):
    out = []
    for pr in result.provisions:
        v = pr.verdict
        out.append([pr.provision.id, pr.outcome.value,
                    sorted((p, x.outcome.value) for p, x in pr.perspectives.items()),
                    sorted(v.derivation.fired) if v else None,
                    sorted((c, sorted(vals)) for c, vals in v.derivation.conclusions.items()) if v else None])
    return out

rules, case_path, variants = sys.argv[1], sys.argv[2], sys.argv[3:]
compared, mismatches, refused = [], [], []
base = read_rules(rules)
for stack in ["base"] + variants:
    try:
        law = base if stack == "base" else with_variants(base, stack)
        case = read_case_file(case_path, law)
        engines = [Evaluator(law, "durable"), Evaluator(law, "reference")]
        for perspective in [None] + claimants(case):
            durable, reference = (seen(e.evaluate(case, perspective=perspective)) for e in engines)
            compared.append([stack, perspective])
            if durable != reference:
                mismatches.append({"variant": stack, "perspective": perspective, "durable": durable,
                                   "reference": reference})
    except InputError as exc:
        refused.append([stack, str(exc)])
print(json.dumps({"compared": compared, "mismatches": mismatches, "refused": refused}))
"""


def perspective_differential(rules: Path, case: Path, variants: list[str]) -> tuple[list[Finding], list[tuple]]:
    """(findings, the (variant, perspective) pairs compared): durable_rules against the
    reference evaluator on the case file, per variant stack and perspective."""
    line = f"(perspective differential) {case} --rules {rules}"
    r = run_python(_PERSPECTIVES, str(rules), str(case), *variants, timeout=TIMEOUT, memory=MEMORY)
    if r.timed_out:
        return [Finding(line, "timeout", r.err[-2000:])], []
    if r.code != 0:
        return [Finding(line, f"exit {r.code}", r.err[-2000:])], []
    data = json.loads(r.out)
    compared = [(v, p) for v, p in data["compared"]]
    found = [Finding(line, f"durable_rules and the reference disagree (variant {m['variant']}, perspective "
                           f"{m['perspective']})", json.dumps(m, ensure_ascii=False)[:4000]) for m in data["mismatches"]]
    return found, compared


def _one_line_each(err: str) -> bool:
    """Refused input: one line per mistake ('error: '), warnings aside, no traceback."""
    lines = err.splitlines()
    return ("Traceback" not in err and any(x.startswith("error: ") for x in lines)
            and all(x.startswith(("error: ", "warning: ")) for x in lines))


def _differential(line: str, out: str) -> list[Finding]:
    try:
        data = json.loads(out)
    except ValueError:
        return [Finding(line, "output is not JSON", out[-2000:])]
    report = data.get("report", data)
    for prop in report.get("properties", []):
        if prop["property"] in ("differential", "determinism") and not prop["passed"]:
            return [Finding(line, f"{prop['property']} fails", json.dumps(prop, ensure_ascii=False)[:4000])]
    return []
