"""States by ISO 3166-1 alpha-2 code, named from pycountry (a maintained list, not ours).

The membership timeline (members.yaml) holds only the CSTO's own states; any other
ISO code is a valid party that was never a member. A name given in members.yaml wins
over pycountry's (it may be the short form used in the sources, e.g. 'Russia')."""

from __future__ import annotations

from functools import lru_cache

from ..files import models as m

# Non-member codes the scenario generators draw from (with every timeline state). Any
# non-member behaves alike for membership; several distinct ones let generated cases
# name different non-members in different roles. Fixed so that scenario i of a seed
# stays the same scenario across versions of casus.
SCENARIO_NON_MEMBERS = ("AF", "CN", "DE", "FR", "MD", "TR", "UA", "US")


@lru_cache(maxsize=1)
def iso_states() -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code with its common name."""
    import pycountry
    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def is_state(code: str, timeline: m.Timeline | None = None) -> bool:
    # The timeline first: most parties are CSTO states, and reading pycountry's list costs
    # more than a whole evaluation (~30 ms) on a cold start.
    return (timeline is not None and code in timeline.states) or code in iso_states()


def state_name(code: str, timeline: m.Timeline | None = None) -> str:
    record = timeline.states.get(code) if timeline is not None else None
    if record is not None and record.name:
        return record.name
    return iso_states().get(code, code)


def scenario_states(timeline: m.Timeline) -> list[str]:
    """The states generated scenarios name: the timeline's, and non-members. A timeline
    that lists a state with no membership events supplies its own non-members; one that
    lists only members (the shipped law) gets SCENARIO_NON_MEMBERS."""
    if any(not record.events for record in timeline.states.values()):
        return sorted(timeline.states)
    return sorted(set(timeline.states) | set(SCENARIO_NON_MEMBERS))
