"""`casus new case ID`: a case file to fill in, with the whole fact vocabulary as comments.

The scaffold validates as written (every fact is commented out: unknown); uncommenting
a fact's line gives a valid entry to edit."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from ..engine.files.models import RESPONSE_KINDS


def _value(v: Any) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def _comment(text: str, prefix: str, width: int = 94) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=width, initial_indent=prefix,
                         subsequent_indent=prefix, break_long_words=False, break_on_hyphens=False)


def case_scaffold(case_id: str, vocabulary: dict[str, Any], schema: str, today: dt.date) -> str:
    lines = [f"# yaml-language-server: $schema={schema}",
             f"id: {case_id}",
             'title: "TODO: a short title"',
             f"date: {today.isoformat()}              # the law (provision versions, membership) of this date applies",
             "",
             "# Parties: a state's ISO 3166-1 code (`casus facts --states`), or the id of a party declared",
             "# under non_state_parties. Leave a party out when there is none.",
             ]
    for role, text in vocabulary["parties"].items():
        lines.append(f"# {role}: XX")
        lines.extend(_comment(text, "#   "))
    lines += ["# non_state_parties:",
              "#   some-group: {name: \"an armed group\", kind: armed_group, source: todo}",
              "",
              "summary: >-",
              "  TODO: what happened, in a few sentences.",
              "sources:                            # every fact, claim and record entry cites one of these",
              "  todo:",
              '    cite: "TODO: author, title, date"',
              "    # url: https://...",
              "",
              "# Leave a fact out when it is unknown (never write false for \"not known\"). A contested fact",
              "# lists each party's version instead of a value:",
              "#   attack_origin:",
              "#     claims:",
              "#       KZ: {value: external_non_state, source: todo}",
              "#       observers: {value: internal, source: todo}",
              "facts:"]
    stated = [f for f in vocabulary["facts"] if not f["derived"]]
    derived = [f for f in vocabulary["facts"] if f["derived"]]
    for f in stated:
        example = _value(f["values"][0])
        used = ", ".join(f["used_by"]) or "no provision"
        kind = "true | false" if f["type"] == "boolean" else " | ".join(_value(v) for v in f["values"])
        lines.append(f"  # {f['fact']}: {{value: {example}, source: todo}}")
        lines.append(f"  #   {f['type']}: {kind}; used by {used}")
        lines.extend(_comment(f["description"], "  #   "))
    lines += ["", "# Derived facts are computed from the parties and the membership timeline; set the parties:"]
    for f in derived:
        used = ", ".join(f["used_by"]) or "no provision"
        lines.append(f"#   {f['fact']}: from {', '.join(f.get('computed_from', []))}; used by {used}")
    lines += ["",
              "# What the CSTO actually did (optional):",
              "# record:",
              "#   summary: TODO",
              "#   responses:",
              "#     - {kind: deployment, date: YYYY-MM-DD, summary: TODO, source: todo}",
              *_comment("kinds: " + ", ".join(RESPONSE_KINDS), "#   "),
              "",
              "# Your legal reading, checked by `casus test` (optional):",
              "# expected:",
              "#   cst.art4:",
              "#     outcome: triggered     # triggered | not_triggered | undetermined | contested | not_applicable",
              "#     reasoning: Why, in a few sentences (at least 20 characters).",
              ""]
    return "\n".join(lines)
