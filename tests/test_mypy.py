"""engine/ type-checks under mypy --strict (the configuration is in pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_engine_is_clean_under_mypy_strict(tmp_path):
    pytest.importorskip("mypy")
    # The repository root is the `casus` package whatever the checkout is called: check it
    # through a link with the package's name.
    (tmp_path / "casus").symlink_to(ROOT, target_is_directory=True)
    r = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                        "--cache-dir", str(tmp_path / ".mypy_cache"), "-p", "casus.engine"],
                       cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "MYPYPATH": ""})
    assert r.returncode == 0, r.stdout + r.stderr
