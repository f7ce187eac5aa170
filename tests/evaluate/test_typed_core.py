"""The typed core: outcomes and divergence kinds are enums, written as words only at the
JSON/text boundary; the file models' allowed words are the enum's."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

from casus.engine.files import models as m
from casus.engine.outcome import DivergenceKind, Outcome

ROOT = Path(__file__).resolve().parents[2]
WORDS = {o.value for o in Outcome} | {k.value for k in DivergenceKind}


def _literal_subscripts(tree: ast.AST) -> set[int]:
    """ids of the string constants inside `Literal[...]` (a file model's allowed words)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
            inside.update(id(c) for c in ast.walk(node.slice) if isinstance(c, ast.Constant))
    return inside


def test_no_outcome_word_is_a_value_outside_the_enums():
    found = []
    for package in ("engine", "cli", "web"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "engine" / "outcome.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            allowed = _literal_subscripts(tree)
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in WORDS
                        and id(node) not in allowed):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not found, "use engine.outcome's enums, not the words:\n" + "\n".join(found)


def test_the_file_models_allow_exactly_the_enums_words():
    assert set(typing.get_args(m.Outcome)) == {o.value for o in Outcome}
    declared = typing.get_args(typing.get_args(m.Provision.model_fields["outcomes"].annotation)[0])
    assert set(declared) == {o.value for o in Outcome if o.decided}


def test_outcomes_are_written_as_their_words():
    from casus.engine.jsontext import json_text
    assert json_text({"o": Outcome.NOT_TRIGGERED, "k": DivergenceKind.OBLIGATION_UNMET}) == \
        json_text({"o": "not_triggered", "k": "obligation_unmet"})
    assert f"{Outcome.CONTESTED}" == "contested" and str(DivergenceKind.ACTED_WITHOUT_BASIS) == "acted_without_basis"


def test_a_failed_expectation_names_outcomes_as_the_case_file_writes_them():
    import casus
    from casus.engine.analysis.expectations import check_expectations
    kz = casus.evaluate("kazakhstan-2022")
    # The reading the case gives for a variant, held against the base law: it must fail.
    other = kz.case.expected_variants["art4-internal-crises"]
    [check] = check_expectations(kz.case, kz.result, other)
    said = "; ".join(check.problems)
    assert "perspectives are {" in said and "Outcome" not in said, said
    assert "'observers': 'not_triggered'" in said, said
