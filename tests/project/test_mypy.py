"""engine/ type-checks under mypy --strict, cli/ and web/ under plain mypy (the
configuration, with the front ends' overrides, is in pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _mypy(tmp_path, *packages: str) -> subprocess.CompletedProcess[str]:
    # The repository root is the `casus` package whatever the checkout is called: check it
    # through a link with the package's name.
    (tmp_path / "casus").symlink_to(ROOT, target_is_directory=True)
    args = [a for p in packages for a in ("-p", p)]
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                           "--cache-dir", str(tmp_path / ".mypy_cache"), *args],
                          cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "MYPYPATH": ""})


def test_engine_is_clean_under_mypy_strict_and_the_front_ends_under_mypy(tmp_path):
    pytest.importorskip("mypy")
    # One run: the front ends import the engine, so checking them together costs little more.
    r = _mypy(tmp_path, "casus.engine", "casus.cli", "casus.web")
    assert r.returncode == 0, r.stdout + r.stderr
