"""Running compiled rulesets on durable_rules.

durable_rules rulesets are process-global and cannot be replaced (jruizgit/rules
#121, #262), so each compiled provision version is registered once under a
content-derived name and reused.

Sessions: each ruleset has one session. An evaluation asserts one fact (every
known fact the provision tests), collects the rules that fired, then retracts
the fact, which leaves the session empty for the next evaluation: no state
accumulates and no two evaluations can see each other's facts. We never call
`delete_state` in normal operation: in durable_rules 2.0.28 `deleteStateNode`
reads uninitialised memory and, depending on the heap, aborts the process
("free(): invalid pointer"); bench/durable_delete_state.py reproduces it and
valgrind shows the uninitialised read. Creating a session per evaluation is
also ~5x slower (durable_rules builds per-session state for every rule node).

Drivers: durable_rules' Python host wraps each action in a Closure and
round-trips the session state through JSON, which costs ~30 us per fired rule.
Our actions only record their own name, so the default driver walks the C
engine's agenda directly (assert -> start_action_for_state ->
complete_and_start_action), recording each action the Rete network scheduled.
The `host` driver goes through the public API (`assert_fact` with Python
actions); tests check that both drivers fire exactly the same rules.
"""

from __future__ import annotations

import json
from ..logic.compiler import CompiledVersion

_host = None
_sessions: dict[str, "_Session"] = {}
_host_fired: dict[str, list[str]] = {}


def _get_host():
    """Our own durable_rules host, without the dispatch threads of `durable.lang.get_host()`.

    The stock host starts daemon timers that call `start_action` on every ruleset every
    ~0.2 s. That races with an evaluation in progress: the timer thread can take the
    actions a fact just scheduled, and the evaluation then sees none (observed: ~1 in
    3,000 evaluations fired nothing; `casus check` caught it as a flaky failure). Our
    rulesets use no timers, so the host need not run them."""
    global _host
    if _host is None:
        from durable.engine import Host  # deferred: `casus --help` must not load the engine

        class QuietHost(Host):
            def _run(self):
                pass

        _host = QuietHost()
    return _host


class DurableError(RuntimeError):
    """durable_rules answered with an error code we do not expect from our rulesets."""


class _Session:
    """A compiled ruleset registered in durable_rules, and the session it runs in."""

    def __init__(self, compiled: CompiledVersion):
        host = _get_host()
        spec = compiled.durable_spec()
        for name, rule in spec.items():
            rule["run"] = _recorder(name)
        host.set_rulesets({compiled.name: spec})
        self.name = compiled.name
        self.handle = host.get_ruleset(compiled.name)._handle
        self.generation = 0
        self.sid = "s0"

    def abandon(self) -> None:
        """After a failure mid-evaluation: continue in a new session. The old one is
        left as it is (not deleted, see above); this happens only on errors."""
        self.generation += 1
        self.sid = f"s{self.generation}"


def _recorder(durable_name: str):
    def run(c):
        _host_fired[c.s.sid].append(durable_name)
    return run


def session(compiled: CompiledVersion) -> _Session:
    s = _sessions.get(compiled.name)
    if s is None:
        s = _sessions[compiled.name] = _Session(compiled)
    return s


def register(compiled: CompiledVersion) -> str:
    """Register the ruleset (once per process); returns its durable_rules name."""
    return session(compiled).name


def _fact(compiled: CompiledVersion, facts: dict, sid: str) -> dict:
    fact = {f: facts[f] for f in compiled.facts if f in facts}   # compiled.facts is sorted
    fact["sid"] = sid
    return fact


def _fire_c(s: _Session, fact: dict) -> list[str]:
    """Assert, run the agenda, retract: straight on durable_rules' C engine."""
    import durable_rules_engine as dre
    text = json.dumps(fact)     # keys come in the compiled (sorted) order
    code, state = dre.assert_fact(s.handle, text)[:2]
    if code == 1:           # no rule matched: durable_rules keeps no copy
        return []
    if code not in (0, 3):
        raise DurableError(f"durable_rules assert_fact returned code {code} in {s.name}")
    names = []
    message = dre.start_action_for_state(s.handle, state)
    message = message[1] if message else None
    while message:
        # The message is {"<action name>": {...}}; our names never contain a quote.
        names.append(message[2:message.index('"', 2)])
        message = dre.complete_and_start_action(s.handle, state)
    dre.retract_fact(s.handle, text)
    return names


def _fire_host(s: _Session, fact: dict) -> list[str]:
    """The same through durable_rules' public Python API (actions record themselves)."""
    from durable.engine import MessageNotHandledException
    host = _get_host()
    _host_fired[s.sid] = []
    try:
        host.assert_fact(s.name, fact)
    except MessageNotHandledException:
        return _host_fired.pop(s.sid)
    host.retract_fact(s.name, fact)
    return _host_fired.pop(s.sid)


_DRIVERS = {"c": _fire_c, "host": _fire_host}


def fire(compiled: CompiledVersion, facts: dict, *, driver: str = "c") -> list[tuple[str, int]]:
    """Assert the known facts the provision uses; return the (rule id, DNF term) of every
    durable rule that fired, sorted. The ruleset is `compiled.name`."""
    s = session(compiled)
    try:
        names = _DRIVERS[driver](s, _fact(compiled, facts, s.sid))
    except BaseException:
        s.abandon()
        raise
    return sorted(compiled.durable_rules[n] for n in names)


def session_facts(compiled: CompiledVersion) -> list:
    """What the ruleset's current session holds (empty between evaluations)."""
    s = session(compiled)
    return _get_host().get_facts(s.name, s.sid)
