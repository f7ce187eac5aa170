"""`casus new case|amendment|provision ID`: files to fill in, with what an author needs as comments.

A template fails `casus validate` until its placeholders are written (its dates first);
uncommenting a fact's line gives a valid entry to edit."""

from __future__ import annotations

import textwrap
from typing import Any

from ..engine.files.models import RESPONSE_KINDS


# The placeholder of every date a template leaves to fill in: it is no date, so `casus validate`
# fails on an untouched template (a case or law nobody wrote) until each one is written.
DATE_TODO = "YYYY-MM-DD"


def _value(v: Any) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def _comment(text: str, prefix: str, width: int = 94) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=width, initial_indent=prefix,
                         subsequent_indent=prefix, break_long_words=False, break_on_hyphens=False)


def case_scaffold(case_id: str, vocabulary: dict[str, Any], schema: str) -> str:
    lines = [f"# yaml-language-server: $schema={schema}",
             f"id: {case_id}",
             'title: "TODO: a short title"',
             f"date: {DATE_TODO}              # the law (provision versions, membership) of this date applies",
             "",
             "# Parties: a state's ISO 3166-1 code (`casus facts --states`), or the id of a party declared",
             "# under non_state_parties. Leave a party out when it is not known: a role left out is unknown",
             "# (like a fact left out), never \"there is no such party\".",
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


# ------------------------------------------------------------------ law scaffolds


CHANGE_OPERATIONS = (
    ("replace", "replace a rule by id, in every version holding it (or `version:` only)",
     ["- op: replace", "  rule: RULE-ID", "  # version: \"2012\"", "  with:", "    id: RULE-ID",
      "    concludes: CONCLUSION", "    value: true", "    when: {fact: FACT}",
      "    because: One line of legal reasoning, shown in explanations."]),
    ("add", "add a rule to a provision (to every version, or `version:` only)",
     ["- op: add", "  provision: PROVISION", "  # version: \"2012\"", "  rule:", "    id: NEW-RULE-ID",
      "    concludes: CONCLUSION", "    value: false", "    when: {all: [{fact: FACT}, {not: {fact: OTHER-FACT}}]}",
      "    because: One line of legal reasoning, shown in explanations."]),
    ("remove", "remove a rule by id", ["- op: remove", "  rule: RULE-ID"]),
    ("add_version", "add a dated version of a provision (text, conclusions, rules)",
     ["- op: add_version", "  provision: PROVISION", "  new_version: {id: \"2030\", in_force: {from: 2030-01-01}, ...}"]),
    ("replace_version", "replace one version whole", ["- op: replace_version", "  provision: PROVISION",
                                                      "  version: \"2012\"", "  with: {...}"]),
    ("remove_version", "remove one version", ["- op: remove_version", "  provision: PROVISION", "  version: \"1992\""]),
    ("replace_text", "replace a version's article text (the rules stay)",
     ["- op: replace_text", "  provision: PROVISION", "  version: \"2012\"", "  text: The amended wording."]),
    ("counts_as_member", "which membership statuses make a state a party",
     ["- op: counts_as_member", "  statuses: [member, frozen]"]),
    ("participating", "which statuses take part in the Council's decisions and consultations",
     ["- op: participating", "  statuses: [member]"]),
)


def _vocabulary_comments(vocabulary: dict[str, Any], prefix: str) -> list[str]:
    lines = [f"{prefix}Facts a condition may test (`casus facts` describes each):"]
    for f in vocabulary["facts"]:
        kind = "true | false" if f["type"] == "boolean" else " | ".join(_value(v) for v in f["values"])
        test = f"{{fact: {f['fact']}}}" if f["type"] == "boolean" else f"{{fact: {f['fact']}, is: {_value(f['values'][0])}}}"
        lines.append(f"{prefix}  {f['fact']}: {kind}{'  (derived)' if f['derived'] else ''}   e.g. {test}")
    return lines


def _rule_comments(provision: dict[str, Any], prefix: str) -> list[str]:
    lines = [f"{prefix}Rules of {provision['id']} ({provision['title']}), by version:"]
    for v in provision["versions"]:
        span = f"{v['in_force']['from']} .. {v['in_force'].get('to', '')}"
        lines.append(f"{prefix}  version {v['id']} ({span}):")
        for r in v["rules"]:
            unless = f" unless {', '.join(r['unless'])}" if r.get("unless") else ""
            lines.append(f"{prefix}    {r['id']}: {r['concludes']} = {_value(r['value'])}{unless}")
            lines.extend(_comment(r["because"], f"{prefix}      "))
    return lines


def amendment_scaffold(amendment_id: str, provisions: list[dict[str, Any]], vocabulary: dict[str, Any],
                       schema: str) -> str:
    """An amendment file to fill in: its header, the rule ids of the provisions it may change,
    the change operations and the fact vocabulary as comments. It fails `casus validate` until
    filled in: the date is a placeholder and `changes` is empty."""
    affects = ", ".join(p["id"] for p in provisions) or "TODO"
    lines = [f"# yaml-language-server: $schema={schema}",
             f"id: {amendment_id}",
             'title: "TODO: what the amendment does, in a line"',
             'proposer: "TODO: who proposed it (or hypothetical)"',
             f"date: {DATE_TODO}                # when it was proposed or adopted",
             "status: proposed                # proposed | adopted | hypothetical",
             "summary: >-",
             "  TODO: what it changes and why, in a few sentences.",
             "source:",
             '  cite: "TODO: author, title, date (where the proposal is written down)"',
             "  # url: https://...",
             f"affects: [{affects}]            # the provisions it may change (`casus check` holds it to them)",
             "",
             "# The change operations (one list item each):"]
    for op, what, example in CHANGE_OPERATIONS:
        lines.append(f"#   {op}: {what}")
        lines.extend(f"#       {line}" for line in example)
    lines.append("#")
    for p in provisions:
        lines.extend(_rule_comments(p, "# "))
        lines.append("#")
    lines.extend(_vocabulary_comments(vocabulary, "# "))
    lines += ["# A condition is `all: [...]`, `any: [...]`, `not: {...}`, a fact test, or a conclusion",
              "# of the same provision ({conclusion: NAME}).",
              "#",
              "# Then: casus validate THIS-FILE; casus compare THIS-FILE; casus check --variant THIS-FILE",
              "changes: []                      # TODO: at least one change from the list above",
              ""]
    return "\n".join(lines)


def provision_scaffold(provision_id: str, vocabulary: dict[str, Any], schema: str) -> str:
    """A provision file to fill in: one dated version with its text, one conclusion and a rule
    for each answer, the fact vocabulary as comments. It fails `casus validate` until its dates,
    text and rules are written."""
    stem = provision_id.replace("-", "_")
    lines = [f"# yaml-language-server: $schema={schema}",
             f"id: {provision_id}",
             'instrument: "TODO: the treaty or agreement, with its place and date of signature"',
             'article: "TODO"',
             'title: "TODO: a short title"',
             'question: "TODO: the yes/no question this provision answers (triggered means yes)?"',
             "outcome: todo_conclusion            # the conclusion that answers the question",
             "outcomes: [triggered, not_triggered]  # the outcomes it can reach (add not_applicable if membership matters)",
             "sources:",
             "  text:",
             '    cite: "TODO: where the article text is quoted from (official publisher)"',
             "    # url: https://...",
             "versions:",
             '  - id: "TODO"                     # a name for the version, e.g. the year of its text',
             f"    in_force: {{from: {DATE_TODO}}}  # add `to: YYYY-MM-DD` when a later text replaced it",
             "    text_source: text",
             "    text: >-",
             "      TODO: the article text, quoted exactly from the source.",
             "    conclusions:",
             '      todo_conclusion: {description: "TODO: what it means when this is true."}',
             "    rules:",
             f"      - id: {stem}.applies",
             '        quote: "TODO: the words of the text this rule encodes"',
             "        concludes: todo_conclusion",
             "        value: true",
             "        when: {all: [{fact: TODO}]}",
             "        because: TODO, one line of legal reasoning shown in explanations.",
             f"      - id: {stem}.does_not_apply",
             "        concludes: todo_conclusion",
             "        value: false",
             "        when: {not: {fact: TODO}}",
             "        because: TODO, why the answer is no.",
             "",
             "# A rule concludes true or false from a condition: `all: [...]`, `any: [...]`, `not: {...}`,",
             "# a fact test, or another conclusion of this provision ({conclusion: NAME}). Exceptions are",
             "# explicit, never a negation of what is not known: an exception is its own rule, and the",
             "# rule it defeats lists",
             "# that rule's id under `unless: [RULE-ID]`. Write a rule for each answer, so that",
             "# `casus check` finds every complete set of facts decided (no gaps), none both ways.",
             "#"]
    lines.extend(_vocabulary_comments(vocabulary, "# "))
    lines += ["#", "# Then: casus validate THIS-FILE (in a rules directory: casus validate --rules DIR)", ""]
    return "\n".join(lines)
