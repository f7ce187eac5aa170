"""`validate_law` on a large law compiles its provisions over forked workers: the verdict and
the error are those of validating them one after another (the first failing provision in id
order)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casus.engine.backends import durable as durable_engine
from casus.engine.law.loader import read_rules
from casus.engine.analysis.validation import POOL_FROM, validate_law
from casus.engine.logic.compiler import CompileError

from lawdir import rule, write_law

WIDTH = durable_engine.MAX_FIELDS_PER_FACT + 1     # a term testing this many facts is refused


def large_law(root: Path, refused: tuple[int, ...]) -> Path:
    """POOL_FROM + 10 one-version provisions (test.p000, ...); those numbered in `refused` test
    one fact too many in a single term."""
    facts = {f"h{i}": None for i in range(WIDTH)}
    write_law(root, facts, [rule("t.base", {"fact": "h0"})])
    template = yaml.safe_load((root / "provisions" / "limits.yaml").read_text(encoding="utf-8"))
    for n in range(POOL_FROM + 10):
        when = {"all": [{"fact": f"h{i}"} for i in range(WIDTH)]} if n in refused else {"fact": f"h{n % WIDTH}"}
        provision = dict(template, id=f"test.p{n:03d}")
        provision["versions"] = [dict(template["versions"][0], rules=[rule(f"t.r{n:03d}", when)])]
        (root / "provisions" / f"p{n:03d}.yaml").write_text(yaml.safe_dump(provision, sort_keys=False),
                                                           encoding="utf-8")
    return root


def test_a_large_valid_law_validates_on_workers(tmp_path):
    law = read_rules(large_law(tmp_path, ()))
    validate_law(law, jobs=2)
    validate_law(law, jobs=1)


def test_the_error_is_that_of_the_first_provision_that_fails(tmp_path):
    law = read_rules(large_law(tmp_path, (57, 180, 181)))
    with pytest.raises(CompileError) as alone:
        validate_law(law, jobs=1)
    with pytest.raises(CompileError) as pooled:
        validate_law(law, jobs=2)
    assert "t.r057" in str(alone.value) and "p057.yaml" in str(alone.value)
    assert str(pooled.value) == str(alone.value)
    with pytest.raises(CompileError) as three:
        validate_law(law, jobs=3)
    assert str(three.value) == str(alone.value)
