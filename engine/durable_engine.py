"""Running compiled rulesets on durable_rules: one short-lived session per evaluation.

durable_rules rulesets are process-global and cannot be replaced, so each is
registered once under a content-derived name and reused. Every evaluation gets
a fresh session id and its state is deleted afterwards (durable_rules keeps
state per session; leaving it grows memory and hits its ~1k live-session limit).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .compiler import CompiledVersion

_registered: set[str] = set()
_fired: dict[str, list[str]] = {}
_sids = itertools.count()
_host = None


def _get_host():
    global _host
    if _host is None:
        from durable.lang import get_host  # deferred: `casus --help` must not load the engine
        _host = get_host()
    return _host


def _action(durable_name: str):
    def run(c):
        _fired[c.s.sid].append(durable_name)
    return run


def register(compiled: CompiledVersion) -> None:
    if compiled.name in _registered:
        return
    spec = compiled.durable_spec()
    for name, rule in spec.items():
        rule["run"] = _action(name)
    _get_host().set_rulesets({compiled.name: spec})
    _registered.add(compiled.name)


@dataclass(frozen=True, order=True)
class Firing:
    """One durable rule that fired: the user rule, which DNF term, which ruleset."""
    rule: str
    term: int
    ruleset: str


def fire(compiled: CompiledVersion, facts: dict) -> list[Firing]:
    """Assert the known facts the provision uses; return the rules that fired, sorted."""
    from durable.engine import MessageNotHandledException
    register(compiled)
    host = _get_host()
    sid = f"e{next(_sids)}"
    fact = {f: facts[f] for f in compiled.facts if f in facts}
    fact["sid"] = sid
    _fired[sid] = []
    try:
        host.assert_fact(compiled.name, fact)
    except MessageNotHandledException:
        pass  # no rule matched: every conclusion stays unknown
    finally:
        try:
            host.delete_state(compiled.name, sid)
        except Exception:  # noqa: BLE001 - no state was created for this session
            pass
        names = _fired.pop(sid)
    return sorted(Firing(*compiled.durable_rules[n], compiled.name) for n in names)
