"""Fuzzing the loaders: generated case files, and valid case and amendment files with
one mutation each, give a result or a clean InputError, never anything else."""

from __future__ import annotations

import os

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from casus.engine.files import models as m
from casus.engine.law.amendments import apply_amendment
from casus.engine.files.errors import InputError
from casus.engine.evaluate.evaluator import Evaluator
from casus.engine.law.cases import read_case_file
from casus.engine.law.loader import read_rules
from casus.engine.files.parse import parse_file
from casus.engine.files.paths import shipped_cases
from casus.engine.analysis.scenarios import Scenario, as_case

LAW = read_rules()
EVALUATOR = Evaluator(LAW)
CASE_TEXTS = [p.read_text(encoding="utf-8") for p in shipped_cases()]
AMENDMENT_TEXTS = [open(LAW.amendment_files[a], encoding="utf-8").read() for a in sorted(LAW.amendments)]
FUZZ = settings(max_examples=int(os.environ.get("CASUS_FUZZ_EXAMPLES", "120")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _case_or_clean_error(text: str) -> None:
    try:
        case = read_case_file("fuzzed.yaml", LAW, text=text)
    except InputError as exc:
        assert str(exc).count("\n") == 0
        return
    EVALUATOR.evaluate(case)


def _amendment_or_clean_error(text: str) -> None:
    try:
        amendment, positions = parse_file(m.Amendment, "fuzzed.yaml", text=text)
        apply_amendment(LAW, amendment, positions=positions, file="fuzzed.yaml")
    except InputError as exc:
        assert str(exc).count("\n") == 0


# ------------------------------------------------------------------ text mutations

@st.composite
def text_mutation(draw, texts):
    text = draw(st.sampled_from(texts))
    lines = text.split("\n")
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "replace_char", "insert", "truncate"]))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "replace_char" and lines[i]:
        p = draw(st.integers(0, len(lines[i]) - 1))
        lines[i] = lines[i][:p] + draw(st.sampled_from(list(":-[]{}&*!|>'\"#%@` \t0aZ\\"))) + lines[i][p + 1:]
    elif kind == "insert":
        p = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:p] + draw(st.text(max_size=12)) + lines[i][p:]
    elif kind == "truncate":
        return text[:draw(st.integers(0, len(text)))]
    return "\n".join(lines)


@FUZZ
@given(text_mutation(CASE_TEXTS))
def test_mutated_case_text(text):
    _case_or_clean_error(text)


@FUZZ
@given(text_mutation(AMENDMENT_TEXTS))
def test_mutated_amendment_text(text):
    _amendment_or_clean_error(text)


# ------------------------------------------------------------------ structural mutations

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.text(max_size=20), st.dates(), st.sampled_from(["KZ", "true", "internal", "cst.art4"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


@st.composite
def data_mutation(draw, texts):
    data = yaml.safe_load(draw(st.sampled_from(texts)))
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    kind = draw(st.sampled_from(["replace", "delete", "add"]))
    if kind == "replace":
        parent[path[-1]] = draw(values)
    elif kind == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
    else:
        parent.append(draw(values))
    return yaml.safe_dump(data, allow_unicode=True)


@FUZZ
@given(data_mutation(CASE_TEXTS))
def test_mutated_case_data(text):
    _case_or_clean_error(text)


@FUZZ
@given(data_mutation(AMENDMENT_TEXTS))
def test_mutated_amendment_data(text):
    _amendment_or_clean_error(text)


# ------------------------------------------------------------------ generated valid cases

states = sorted(LAW.timeline.states)
scenarios = st.builds(
    lambda d, p, f: Scenario(0, d, p, f),
    st.dates(min_value=LAW.timeline.treaty_signed, max_value=LAW.timeline.treaty_signed.replace(year=2026)),
    st.fixed_dictionaries({}, optional={r: st.sampled_from(states) for r in m.ROLES}),
    st.fixed_dictionaries({}, optional={f: st.sampled_from(d.domain()) for f, d in LAW.vocabulary.facts.items()}))


@FUZZ
@given(scenarios)
def test_generated_cases_load_and_evaluate(s):
    text = yaml.safe_dump(as_case(s, id="generated", title="t", cite="c", summary="s"), allow_unicode=True)
    case = read_case_file("generated.yaml", LAW, text=text)     # a generated case is always valid
    result = EVALUATOR.evaluate(case)
    assert {p.outcome for p in result.provisions} <= {"triggered", "not_triggered", "undetermined",
                                                       "not_applicable"}
