"""Bad files and the one line each must give after "error: <path>": read by the command
line's tests (files/test_bad_input.py) and the server's (web/test_serve_api.py), which must
refuse them alike."""

from __future__ import annotations

from conftest import SAMPLE_CASE as CASE

BOMB = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9) if p else ', '.join(['x'] * 9)}]\n"
               for p, c in zip([""] + list("abcdefgh"), "abcdefghi"))

PROVISION = """id: test.p
instrument: T
article: "1"
title: t
question: q?
outcome: owed
outcomes: [triggered, not_triggered]
sources: {s: {cite: c}}
versions:
  - id: "1"
    in_force: {from: 1994-04-20%s}
    text_source: s
    text: x
    conclusions: {owed: {description: d}}
    rules:
      - {id: r.a, concludes: owed, value: true, when: {fact: armed_attack}, because: b}
      - {id: r.%s, concludes: owed, value: false, when: {not: {fact: armed_attack}}, because: b}
"""

# name -> (file content, expected message after "error: <path>")
TABLE = {
    "not YAML": ("id: x\ntitle: [unclosed\n", ":3:1: not valid YAML: did not find expected ',' or ']'"),
    "not a mapping": ("- a\n- b\n", ":1: expected a YAML mapping at the top level, found list"),
    "empty": ("", ": empty file: expected a YAML mapping"),
    "duplicate key": ("id: x\nid: y\n", ":2:1: duplicate key 'id' (first defined on line 1)"),
    "unknown field": (CASE.replace("summary:", "sumary:"),
                      ":6:1: unknown field 'sumary' (hint: did you mean 'summary'?)"),
    "unknown fact": (CASE.replace("armed_attack:", "armed_atack:"),
                     ":10:3: unknown fact 'armed_atack' (hint: did you mean 'armed_attack'?)"),
    "unknown enum value": (CASE + "  attack_origin: {value: internl, source: src}\n",
                           ":11:19: fact 'attack_origin' has no value 'internl' (hint: did you mean 'internal'? "
                           "values: external_state, state_sponsored, external_non_state, internal)"),
    # 'external' is closest to 'internal' by spelling, but the values it begins are what was meant.
    "value begun": (CASE + "  attack_origin: {value: external, source: src}\n",
                    ":11:19: fact 'attack_origin' has no value 'external' (hint: did you mean 'external_state' or "
                    "'external_non_state'? values: external_state, state_sponsored, external_non_state, internal)"),
    "bare value": (CASE.replace("armed_attack: {value: true, source: src}", "armed_attack: true"),
                   ":10:3: facts.armed_attack: a bare value; write {value: true, source: SOURCE} "
                   "(hint: every fact and claim cites one of the case's sources by its key)"),
    "wrong type": (CASE.replace("value: true", "value: yes please"),
                   ":10:18: fact 'armed_attack' is true or false, not 'yes please'"),
    "not a date": (CASE.replace("date: 2022-01-05", "date: yesterday"),
                   ":3:1: date: 'yesterday' is not a date (expected YYYY-MM-DD)"),
    "impossible date": (CASE.replace("2022-01-05", "2022-02-30"),
                        ":3:1: date: '2022-02-30' is not a date (day is out of range for month)"),
    "reversed dates": (PROVISION % (", to: 1990-01-01", "b"),
                       ":11:5: versions.0.in_force: 'to' (1990-01-01) is before 'from' (1994-04-20)"),
    # XK (Kosovo) is a user-assigned code, not in ISO 3166-1: a law that needs it adds it
    # to its membership timeline.
    "unknown state code": (CASE.replace("territory: KZ", "territory: XK"),
                           ":5:1: 'XK' is not an ISO 3166-1 state code (hint: run 'casus facts --states' for the codes)"),
    "state code in lower case": (CASE.replace("territory: KZ", "territory: kz"),
                                 ":5:1: 'kz' is neither a state code nor a declared non-state party "
                                 "(hint: state codes are upper case: did you mean 'KZ'?)"),
    "state code of the wrong form": (CASE.replace("territory: KZ", "territory: K1"),
                                     ":5:1: territory: 'K1' does not have the expected form "
                                     "(hint: a state's two-letter ISO code such as KZ, or a party declared under "
                                     "'non_state_parties')"),
    "undeclared non-state party": (CASE.replace("territory: KZ", "territory: talibn"),
                                   ":5:1: unknown non-state party 'talibn' (hint: declare it under "
                                   "'non_state_parties' (name, kind), or give a state's ISO code)"),
    "undefined source": (CASE.replace("source: src}", "source: scr}"),
                         ":10:31: source 'scr' is not defined under 'sources' (hint: did you mean 'src'?)"),
    "duplicate rule id": (PROVISION % ("", "a"), ":17:10: duplicate rule id 'r.a' in version '1'"),
    "before the treaty": (CASE.replace("2022-01-05", "1940-01-01"),
                          ":3:1: case date 1940-01-01 is before the Inter-American Treaty of Reciprocal Assistance "
                          "was signed (1947-09-02)"),
    "unknown provision": (CASE + "provisions: [cst.art5]\n",
                          ":11:14: unknown provision 'cst.art5' (hint: did you mean 'cst.art7'?)"),
    "alias bomb": (BOMB, ":6:4: YAML expands to more than 100000 nodes through aliases; refusing a possible alias bomb"),
    "recursive alias": ("a: &a [1, *a]\n", ":1:4: a YAML alias refers to itself (a recursive structure)"),
    "deep nesting": ("a: " + "[" * 500 + "]" * 500 + "\n", ":1:53: YAML nested deeper than 50 levels"),
}

BINARY = {
    "binary data": (b"id: x\x00\x01\x02", ": binary data, not a YAML text file"),
    "not UTF-8": (b"\xff\xfeid: x\n", ": not UTF-8 text (invalid byte at offset 0)"),
    "very large": (b"id: x\nsummary: " + b"a" * 2_100_000 + b"\n", ": file is too large (more than 2000000 bytes)"),
}
