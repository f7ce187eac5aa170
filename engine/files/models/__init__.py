"""File models (pydantic v2, extra fields forbidden): what each YAML file may say, one module
per file kind (vocabulary: facts.yaml, members: members.yaml, provision, case, amendment),
over what they share (shared) and the condition language (conditions). Callers read them as
one namespace (`from ..files import models as m`; `m.Case`), so that a model is named by
what it is, not by the module that defines it."""

from .amendment import (AddRule, AddVersion, Amendment, Change, CountsAsMember, Participating, RemoveRule,
                        RemoveVersion, ReplaceRule, ReplaceText, ReplaceVersion)
from .shared import CLAIMANT, ID, NON_STATE_ID, PARTY, ROLES, STATE_CODE, Bool, Claimant, Day, Source, Strict
from .case import Case, Claim, Event, Expectation, FactEntry, NonStateParty, Record, Response
from .conditions import All, Any_, Condition, ConclusionTest, FactTest, Not
from .members import MEMBERSHIP_STATUSES, EventClaim, MembershipEvent, StateRecord, Timeline
from .provision import (DUTY_STRENGTHS, RESPONSE_KINDS, ConclusionDef, Duty, InForce, Outcome, Provision,
                        ProvisionVersion, RecordSpec, ResponseKind, Rule, TranslationNote)
from .vocabulary import (DeprecatedFact, DeprecatedValue, DerivedFactDef, FactDef, Presumption, ValueMap,
                         Vocabulary)

__all__ = [
    "AddRule", "AddVersion", "Amendment", "Change", "CountsAsMember", "Participating", "RemoveRule",
    "RemoveVersion", "ReplaceRule", "ReplaceText", "ReplaceVersion",
    "CLAIMANT", "ID", "NON_STATE_ID", "PARTY", "ROLES", "STATE_CODE", "Bool", "Claimant", "Day", "Source", "Strict",
    "Case", "Claim", "Event", "Expectation", "FactEntry", "NonStateParty", "Record", "Response",
    "All", "Any_", "Condition", "ConclusionTest", "FactTest", "Not",
    "MEMBERSHIP_STATUSES", "EventClaim", "MembershipEvent", "StateRecord", "Timeline",
    "DUTY_STRENGTHS", "RESPONSE_KINDS", "ConclusionDef", "Duty", "InForce", "Outcome", "Provision",
    "ProvisionVersion", "RecordSpec", "ResponseKind", "Rule", "TranslationNote",
    "DeprecatedFact", "DeprecatedValue", "DerivedFactDef", "FactDef", "Presumption", "ValueMap", "Vocabulary",
]
