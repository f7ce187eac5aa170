"""The verdict memo of `compare` is only a cache: with it off (`--no-cache`) every
scenario runs in the engine, and the report is the same, byte for byte."""

from __future__ import annotations

import pytest

from casus.engine.law.loader import read_rules
from casus.engine.analysis.compare import Side, sweep


@pytest.mark.parametrize("variant", ["pk-2023-no-unsc", "frozen-as-suspended"])
def test_no_cache_gives_the_same_report(cli, variant):
    cached = cli("compare", variant, "--generated", "400", "--jobs", "1", "--format", "json")
    uncached = cli("compare", variant, "--generated", "400", "--jobs", "1", "--format", "json", "--no-cache")
    assert cached.code == 0, cached.err
    assert uncached.code == 0, uncached.err
    assert cached.out == uncached.out


def test_the_memo_counts_its_hits_and_is_off_with_memo_false():
    base = read_rules()
    a, b = Side.of(base, "base"), Side.of(base, "pk-2023-no-unsc")
    sweep(a, b, 0, 0, 300, ["pk.art3"])
    # One lookup per scenario dated when a version of the provision is in force.
    assert a.evaluator.memo_lookups > 100
    # Generated scenarios repeat the facts a provision reads far more often than not.
    assert 0 < a.evaluator.memo_hits < a.evaluator.memo_lookups
    off = Side.of(base, "base", memo=False)
    sweep(off, off, 0, 0, 50, ["pk.art3"])
    assert off.evaluator.memo_lookups == 0 and off.evaluator.memo_hits == 0
