"""Shell completion knows casus's ids: cases, variants and provisions (as bash asks for them)."""

from __future__ import annotations

import os
import subprocess

import pytest

from casus.engine.api import cases, load_law, variants
from subproc import CASUS, child_env


def complete(*words: str, cwd: str | None = None) -> list[str]:
    env = {**child_env(), "_CASUS_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(("casus", *words)),
           "COMP_CWORD": str(len(words))}
    out = subprocess.run(CASUS, env=env, capture_output=True, text=True, timeout=120, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_case_ids_complete():
    shipped = sorted(c.id for c in cases())
    assert complete("evaluate", "kaz") == [c for c in shipped if c.startswith("kaz")] == ["kazakhstan-2022"]
    assert set(complete("evaluate", "")) >= set(shipped)
    assert complete("cases", "show", "armenia-202") == [c for c in shipped if c.startswith("armenia-202")]


def test_variant_ids_and_files_complete(tmp_path):
    shipped = sorted(v["id"] for v in variants())
    assert complete("compare", "art4") == [v for v in shipped if v.startswith("art4")]
    assert complete("evaluate", "x", "--variant", "fro") == ["frozen-as-suspended"]
    (tmp_path / "my-proposal.yaml").write_text("id: my-proposal\n", encoding="utf-8")
    assert complete("compare", "my-", cwd=str(tmp_path)) == ["my-proposal.yaml"]


def test_provision_ids_complete():
    provisions = sorted(load_law().law.provisions)
    assert complete("rules", "show", "") == provisions
    assert complete("rules", "show", "cst.art1") == [p for p in provisions if p.startswith("cst.art1")]
    assert complete("new", "amendment", "x", "--provision", "pk") == [p for p in provisions if p.startswith("pk")]
