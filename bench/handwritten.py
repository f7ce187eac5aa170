"""The shipped law in force from 2012-12-19 (its latest versions), written by hand in durable_rules' own JSON syntax:
the baseline the bench holds casus's whole-case throughput against.

Each provision is two strata, as casus compiles it: stratum 1 derives conclusions from the
facts, stratum 2 derives the provision's outcome from stratum-1 conclusions (and facts).
Conclusions are chained by asserting them as fields of the next stratum's fact; a
conclusion derived both ways is left unknown (as casus does); an exception blocks the
rules it names. Every ruleset runs on casus's own C-agenda driver (`HandWritten`), so the
comparison is between what casus does per case and the bare chained inference on the
same driver, not between two drivers.

Only what a plain durable_rules program would write is here: no trace, no reasons, no
deciding sets, no perspectives, no JSON of the result.
"""

from __future__ import annotations

from typing import Any, Collection, Mapping

T, F = True, False
EXTERNAL = ("external_state", "external_non_state")


def _all(*tests: dict) -> dict:
    return {"all": [{"m": {"$and": list(tests)} if len(tests) > 1 else tests[0]}]}


def _is(field: str, value: Any) -> dict:
    return {field: value}


# provision -> (strata of {rule: (concludes, value, condition)}, exceptions {rule: blocked rule},
#               applicability conclusion or None, outcome conclusion)
def _in(field: str, *values: Any) -> list[dict]:
    """A test of a field against several values: one rule per value (durable_rules has no `in`)."""
    return [_is(field, v) for v in values]


# The attacker's force is lawful self-defence: claimed, necessary and proportionate (Articles
# 1 and 4 since December 2026); any of the three known false, it is not.
LAWFUL_SELF_DEFENCE = {
    "lawful_self_defence": ("lawful_self_defence", T, _all(_is("attacker_self_defence", T),
                                                           _is("self_defence_necessary", T),
                                                           _is("self_defence_proportionate", T))),
    **{f"beyond_self_defence_{f}": ("lawful_self_defence", F, _all(_is(f, F)))
       for f in ("attacker_self_defence", "self_defence_necessary", "self_defence_proportionate")},
}

LAW: dict[str, Any] = {
    "cst.art1": ([
        {"applicable": ("applicable", T, _all(_is("acting_state_member", T))),
         "not_a_party": ("applicable", F, _all(_is("acting_state_member", F))),
         "joined_alliance": ("participation", T, _all(_is("joins_military_alliance", T))),
         "took_part": ("participation", T, _all(_is("takes_part_in_actions", T))),
         "no_participation": ("participation", F, _all(_is("joins_military_alliance", F),
                                                       _is("takes_part_in_actions", F))),
         "not_directed": ("breach", F, _all(_is("directed_against_member", F)))},
        {"directed_against_member": ("breach", T, _all(_is("participation", T), _is("directed_against_member", T))),
         "nothing_done": ("breach", F, _all(_is("participation", F)))},
    ], {}, "applicable", "breach"),
    "cst.art1.force": ([
        {"applicable": ("applicable", T, _all(_is("attacker_member", T))),
         "not_a_party": ("applicable", F, _all(_is("attacker_member", F))),
         **{f"armed_attack_{o}": ("force", T, _all(_is("armed_attack", T), _is("attack_origin", o)))
            for o in ("external_state", "state_sponsored")},
         "threat_or_use": ("force", T, _all(_is("threat_or_use_of_force", T))),
         "none_no_attack": ("force", F, _all(_is("threat_or_use_of_force", F), _is("armed_attack", F))),
         **{f"none_{o}": ("force", F, _all(_is("threat_or_use_of_force", F), _is("attack_origin", o)))
            for o in ("external_non_state", "internal")},
         **LAWFUL_SELF_DEFENCE},
        {"breach": ("breach", T, _all(_is("force", T), _is("lawful_self_defence", F))),
         "self_defence": ("breach", F, _all(_is("lawful_self_defence", T))),
         "no_force": ("breach", F, _all(_is("force", F)))},
    ], {}, "applicable", "breach"),
    "cst.art2": ([
        {**{f"threat_to_member_{t}": ("consultations_required", T,
                                      _all(_is("requesting_state_participating", T), _is("threat_to_member", t)))
            for t in ("security", "stability")},
         "threat_to_peace": ("consultations_required", T, _all(_is("threat_to_international_peace", T))),
         "no_threat_not_participating": ("consultations_required", F, _all(_is("requesting_state_participating", F),
                                                                          _is("threat_to_international_peace", F))),
         "no_threat_none": ("consultations_required", F, _all(_is("threat_to_member", "none"),
                                                             _is("threat_to_international_peace", F)))},
    ], {}, None, "consultations_required"),
    "cst.art4": ([
        {"applicable": ("applicable", T, _all(_is("requesting_state_member", T))),
         "not_a_party": ("applicable", F, _all(_is("requesting_state_member", F))),
         **LAWFUL_SELF_DEFENCE,
         "attack_continues": ("attack_continues", T, _all(_is("hostilities_ceased", F))),
         "attack_over": ("attack_continues", F, _all(_is("hostilities_ceased", T)))},
        {**{f"aggression_{o}_{t}_{th}": ("aggression", T, _all(_is("armed_attack", T), _is("attack_origin", o),
                                                               _is("attack_target", t), _is("threat_to_member", th),
                                                               _is("lawful_self_defence", F)))
            for o in ("external_state", "state_sponsored", "external_non_state")
            for t in ("own_territory", "own_forces_abroad") for th in ("security", "stability")},
         "no_armed_attack": ("aggression", F, _all(_is("armed_attack", F))),
         "internal": ("aggression", F, _all(_is("attack_origin", "internal"))),
         "not_against_the_member": ("aggression", F, _all(_is("attack_target", "other"))),
         "self_defence": ("aggression", F, _all(_is("lawful_self_defence", T))),
         "no_threat": ("aggression", F, _all(_is("threat_to_member", "none")))},
        {"assistance": ("assistance_owed", T, _all(_is("aggression", T), _is("attack_continues", T),
                                                   _is("assistance_request", "collective"), _is("request_withdrawn", F))),
         "no_aggression": ("assistance_owed", F, _all(_is("aggression", F))),
         **{f"no_request_{r}": ("assistance_owed", F, _all(_is("assistance_request", r)))
            for r in ("one_member", "none")},
         "request_withdrawn": ("assistance_owed", F, _all(_is("request_withdrawn", T))),
         "no_attack_to_answer": ("assistance_owed", F, _all(_is("attack_continues", F)))},
    ], {}, "applicable", "assistance_owed"),
    "cst.art7": ([
        {"applicable": ("applicable", T, _all(_is("territory_member", T))),
         "not_a_party": ("applicable", F, _all(_is("territory_member", F))),
         "no_third_state_base": ("consent_lacking", F, _all(_is("third_state_base", F))),
         "objection": ("consent_lacking", T, _all(_is("third_state_base", T), _is("third_state_member", F),
                                                  _is("base_predates_protocol", F), _is("member_objection", T))),
         "no_consultation": ("consent_lacking", T, _all(_is("third_state_base", T), _is("third_state_member", F),
                                                        _is("base_predates_protocol", F),
                                                        _is("urgent_consultations_held", F))),
         "base_of_a_member": ("consent_lacking", F, _all(_is("third_state_member", T))),
         "existing_facility": ("consent_lacking", F, _all(_is("base_predates_protocol", T))),
         "consented": ("consent_lacking", F, _all(_is("urgent_consultations_held", T), _is("member_objection", F)))},
    ], {}, "applicable", "consent_lacking"),
    "pk.art3": ([
        {"member_territory_request": ("authorised", T, _all(_is("territory_member", T),
                                                            _is("requesting_state_is_territory", T),
                                                            _is("operation_request", "collective"),
                                                            _is("request_withdrawn", F))),
         "not_the_territory": ("authorised", F, _all(_is("territory_member", T),
                                                     _is("requesting_state_is_territory", F))),
         **{f"no_request_{r}": ("authorised", F, _all(_is("territory_member", T), _is("operation_request", r)))
            for r in ("one_member", "none")},
         "withdrawn": ("authorised", F, _all(_is("territory_member", T), _is("request_withdrawn", T))),
         "non_member_mandate": ("authorised", T, _all(_is("territory_member", F), _is("unsc_mandate", T))),
         "non_member_no_mandate": ("authorised", F, _all(_is("territory_member", F), _is("unsc_mandate", F)))},
    ], {}, None, "authorised"),
}


class HandWrittenLaw:
    """The rulesets above, registered once, and the chaining loop a durable_rules user writes."""

    def __init__(self) -> None:
        from casus.engine.backends.durable import HandWritten
        self.programs = []
        for pid, (strata, exceptions, applicability, outcome) in sorted(LAW.items()):
            rulesets = [(HandWritten(f"handwritten.{pid}.s{i}", {name: cond for name, (_, _, cond) in rules.items()}),
                         {name: (c, v) for name, (c, v, _) in rules.items()})
                        for i, rules in enumerate(strata)]
            self.programs.append((pid, rulesets, exceptions, applicability, outcome))

    def case(self, facts: Mapping[str, Any], provisions: Collection[str] | None = None) -> dict[str, str]:
        """Each provision's outcome for one case's facts (triggered / not_triggered /
        not_applicable / undetermined): the provisions the case asks about (as casus
        evaluates them), or all."""
        out = {}
        for pid, rulesets, exceptions, applicability, outcome in self.programs:
            if provisions is not None and pid not in provisions:
                continue
            known = {k: v for k, v in facts.items() if v is not None}
            for ruleset, means in rulesets:
                fired = [m[2:m.index('"', 2)] for m in ruleset.fire(known)]
                blocked = {exceptions[r] for r in fired if r in exceptions}
                derived: dict[str, set[bool]] = {}
                for r in fired:
                    if r not in blocked:
                        concludes, value = means[r]
                        derived.setdefault(concludes, set()).add(value)
                for concludes, values in derived.items():
                    if len(values) == 1:
                        known[concludes] = values.pop()
            app = True if applicability is None else known.get(applicability)
            value = known.get(outcome)
            out[pid] = ("not_applicable" if app is False else
                        ("triggered" if value else "not_triggered") if app is True and value is not None else
                        "undetermined")
        return out
