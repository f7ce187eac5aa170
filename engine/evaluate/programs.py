"""Backends by name, and the programs one backend prepared, kept by whoever evaluates with
them (an Evaluator, a Checker): a compiled version is prepared once (as OPA's
PrepareForEval), then run on each fact assignment."""

from __future__ import annotations

from collections.abc import Mapping

from ..backends.base import Backend, Derivation, Program
from ..logic.compiler import CompiledVersion
from ..logic.ir import Value


def backend_named(name: str) -> Backend:
    if name == "durable":
        from ..backends.durable import DurableBackend
        return DurableBackend()
    if name == "reference":
        from ..backends.reference import ReferenceBackend
        return ReferenceBackend()
    raise ValueError(f"unknown backend '{name}'")


class Programs:
    """One backend's prepared programs, by compiled version (its content-derived name)."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self._prepared: dict[str, Program] = {}

    def of(self, compiled: CompiledVersion) -> Program:
        found = self._prepared.get(compiled.name)
        if found is None:
            found = self._prepared[compiled.name] = self.backend.prepare(compiled)
        return found

    def derive(self, compiled: CompiledVersion, facts: Mapping[str, Value]) -> Derivation:
        found = self._prepared.get(compiled.name) or self.of(compiled)
        return found.run(facts)
