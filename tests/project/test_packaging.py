"""Packaging: one import package `casus`, with every subpackage listed and the law and cases
shipped as data by glob (so a new rules/<instrument>/ folder ships without editing pyproject)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _listed_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_python_package_in_the_tree_is_listed():
    found = {"casus"}
    for top in ("engine", "cli", "web"):
        for init in (ROOT / top).rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            found.add(".".join(("casus",) + init.parent.relative_to(ROOT).parts))
    assert found == _listed_packages()


def test_a_wheel_ships_a_new_rules_folder_and_nothing_at_top_level(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "__init__.py"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("engine", "cli", "web", "rules", "cases", "schemas"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    extra = src / "rules" / "charter" / "article-99.yaml"
    extra.parent.mkdir()
    extra.write_text("id: charter.art99\n", encoding="utf-8")
    out = tmp_path / "wheel"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    [wheel] = out.glob("casus-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "casus/rules/charter/article-99.yaml" in names
    assert "casus/rules/cst/article-4.yaml" in names and "casus/cases/kazakhstan-2022.yaml" in names
    assert "casus/schemas/case.json" in names and "casus/engine/backends/durable.py" in names
    tops = {n.split("/", 1)[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"casus"}
