"""Case files with varied facts for the bench: the shipped cases, each copy with its facts
drawn anew (seeded), so that no two files of a batch state the same facts and nothing
repeated (a memo, a warm path) serves a benchmark that users would not get.

A copy keeps the source file's shape (parties, sources, notes, claims, events, record), so
it costs what a real case file costs to read: in its top-level `facts:`, every stated value
(a fact's own and each party's claim) is drawn again from the fact's domain, a stated fact
is sometimes left out, and a fact the case does not state is sometimes added. Drawn at
random, facts often disagree with each other; the engine must answer all the same.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import yaml

_FACT = re.compile(r"^  ([A-Za-z_][\w]*):\s*(\{.*)?$")
_VALUE = re.compile(r"^(\s+value: )(.+)$")
_FLOW_VALUE = re.compile(r"(\{value: )([^,}]+)")


def vocabulary(rules: Path) -> dict[str, list[Any]]:
    """fact -> its values, for the facts a case file may state (boolean and enum)."""
    data = yaml.safe_load((rules / "facts.yaml").read_text(encoding="utf-8"))
    out = {}
    for name, spec in data["facts"].items():
        if spec.get("type") == "boolean":
            out[name] = [True, False]
        elif spec.get("type") == "enum":
            out[name] = list(spec["values"])
    return out


def _text(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def vary(text: str, new_id: str, domains: dict[str, list[Any]], rnd: random.Random) -> str:
    """A copy of a case file's text with a fresh id and its facts drawn anew."""
    text, k = re.subn(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M)
    assert k == 1
    source = re.search(r"^sources:\n  ([^\s:]+):", text, re.M)
    lines = text.split("\n")
    start = lines.index("facts:") + 1
    end = next((i for i in range(start, len(lines)) if lines[i] and not lines[i].startswith((" ", "#"))), len(lines))
    blocks: list[list[str]] = [[]]
    for line in lines[start:end]:
        if _FACT.match(line):
            blocks.append([])
        blocks[-1].append(line)
    stated = {m.group(1) for b in blocks[1:] if (m := _FACT.match(b[0]))}
    facts = blocks[0]
    for block in blocks[1:]:
        name = _FACT.match(block[0]).group(1)  # type: ignore[union-attr]
        if name not in domains:
            facts += block
            continue
        # Leave a stated fact out now and then (unknown), unless it is the case's only one.
        if len(blocks) > 2 and rnd.random() < 0.12:
            continue
        # A negative found by searching the record (`absent: true`) stays false.
        values = [False] if any(line.strip() == "absent: true" for line in block) else domains[name]
        head = _FLOW_VALUE.sub(lambda mm: mm.group(1) + _text(rnd.choice(values)), block[0])
        facts.append(head)
        for line in block[1:]:
            value = _VALUE.match(line)
            facts.append(value.group(1) + _text(rnd.choice(values)) if value else line)
    facts += _added(domains, stated, source, rnd)
    return "\n".join(lines[:start] + facts + lines[end:])


def _added(domains: dict[str, list[Any]], stated: set[str], source: re.Match[str] | None,
           rnd: random.Random) -> list[str]:
    """A fact or two the case did not state, with the case's first source."""
    if source is None:
        return []
    absent = sorted(set(domains) - stated)
    lines = []
    for name in rnd.sample(absent, min(len(absent), rnd.choice((0, 1, 2)))):
        lines += [f"  {name}:", f"    value: {_text(rnd.choice(domains[name]))}", f"    source: {source.group(1)}"]
    return lines


def varied_texts(sources: list[tuple[str, str]], domains: dict[str, list[Any]], count: int,
                 seed: int = 27) -> list[tuple[str, str]]:
    """`count` (id, text) case files: the sources round-robin, each with its facts drawn anew."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        stem, text = sources[i % len(sources)]
        new_id = f"{stem}-v{i:05d}"
        out.append((new_id, vary(text, new_id, domains, rnd)))
    return out
