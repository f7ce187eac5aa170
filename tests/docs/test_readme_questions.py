"""README's "What an answer means" table is the provisions' own questions, so it cannot drift
from the law it describes."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_question_table_matches_the_law(law):
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## What an answer means"):]
    section = section[:section.index("\n## ", 1)]
    rows = dict(re.findall(r"^\| `([a-z0-9.]+)` \| (.+?) \|$", section, flags=re.M))
    assert set(rows) == set(law.provisions), "README lists other provisions than the law has"
    for pid, question in rows.items():
        # A remark in parentheses after the question mark (e.g. which paragraph) is the README's own.
        asked = re.sub(r"\s*\([^)]*\)$", "", question)
        assert asked == law.provisions[pid].question, pid
