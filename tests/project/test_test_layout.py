"""The tests mirror the packages: a test file sits in the folder of the package it tests
(tests/law/ for engine/law/, tests/cli/ for cli/, ...), so a newcomer finds a module's tests
where its code is, and no test file is left at the top of tests/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
STAGES = sorted(p.name for p in (ROOT / "engine").iterdir() if (p / "__init__.py").is_file())
FRONT = ["api", "cli", "web"]          # engine/api.py (with handle, results, catalogue, batch), cli/, web/
WHOLE = ["docs", "project"]            # README.md and docs/*.md; packaging, typing, import direction


def test_no_test_file_is_left_at_the_top():
    loose = sorted(p.name for p in TESTS.glob("test_*.py"))
    assert not loose, (f"put {', '.join(loose)} in the tests/ folder of the package it tests "
                       f"({', '.join(STAGES + FRONT + WHOLE)}), with `git mv`")


def test_every_test_folder_is_a_package_and_every_package_has_one():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and p.name not in {"data", "__pycache__"}}
    assert folders == set(STAGES) | set(FRONT) | set(WHOLE), folders ^ (set(STAGES) | set(FRONT) | set(WHOLE))
    for folder in folders:
        assert list((TESTS / folder).glob("test_*.py")), f"tests/{folder}/ holds no tests"
        assert not (TESTS / folder / "conftest.py").exists(), "shared fixtures live in tests/conftest.py"
