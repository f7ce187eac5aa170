"""README's "What an answer means" table (with docs/treaties.md's for the other treaties) is the
provisions' own questions, so it cannot drift from the law it describes."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
TREATIES = README.parent / "docs" / "treaties.md"


def _rows(path: Path, heading: str) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    section = text[text.index(heading):]
    section = section[:section.index("\n## ", 1)]
    return dict(re.findall(r"^\| `([a-z0-9.]+)` \| (.+?) \|$", section, flags=re.M))


def test_readme_question_table_matches_the_law(law):
    rows = _rows(README, "## What an answer means")
    others = _rows(TREATIES, "## Questions")
    assert not set(rows) & set(others), "a provision's question is in both tables"
    rows.update(others)
    assert set(rows) == set(law.provisions), "README lists other provisions than the law has"
    for pid, question in rows.items():
        # A remark in parentheses after the question mark (e.g. which paragraph) is the README's own.
        asked = re.sub(r"\s*\([^)]*\)$", "", question)
        assert asked == law.provisions[pid].question, pid
