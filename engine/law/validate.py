"""Validating a whole law: every version of every provision, and every shipped variant, compiles
for the engine within its limits."""

from __future__ import annotations

import os
from typing import Any

from . import models as m
from ..gcpause import gc_paused
from ..logic.compiler import CompileError, DomainOf, compile_program
from .errors import InputError
from .amendments import with_variants
from .loader import Law


def compiles(provision: m.Provision, domain_of: DomainOf, file: str | None = None) -> None:
    """Compile every version of a provision for the engine, or refuse it (CompileError):
    a provision that validates can be run without reaching a durable_rules limit."""
    from ..backends.durable import plan
    for version in provision.versions:
        try:
            program = compile_program(provision, version, domain_of)
            plan(program)
            program.conclusion_terms     # noqa: B018  (the analysis form is bounded too)
        except CompileError as e:
            raise e.located(file=file) from None


# Below this many provision versions, forking workers costs more than it saves.
POOL_FROM = 200

_law: list[Law] = []        # the law a forked worker validates (inherited, never pickled)


@gc_paused
def validate_law(law: Law, jobs: int = 1) -> None:
    """Compile the whole law, and every shipped variant of it (without the cyclic collector:
    each collection would walk the whole law and every program compiled so far). With
    `jobs` > 1, a large law's provisions are compiled by that many forked processes; the
    error raised is the same (that of the first provision, in id order, that fails)."""
    versions = sum(len(p.versions) for p in law.provisions.values())
    if jobs > 1 and versions >= POOL_FROM and hasattr(os, "fork"):
        import multiprocessing as mp

        from ..analysis.workers import worker_init
        _law[:] = [law]
        try:
            with mp.get_context("fork").Pool(jobs, initializer=worker_init) as pool:
                parts = pool.map_async(_validate_part, [(k, jobs) for k in range(jobs)])
                try:           # the variants here meanwhile; the base law's error comes first
                    _validate_variants(law)
                    variant_error = None
                except InputError as e:
                    variant_error = e
                failures = [f for f in parts.get() if f]
        finally:
            _law.clear()
        if failures:
            _, kind, fields = min(failures)
            message, file, line, column, hint = fields
            raise kind(message, file=file, line=line, column=column, hint=hint)
        if variant_error is not None:
            raise variant_error
        return
    for pid in sorted(law.provisions):
        compiles(law.provisions[pid], law.domain_of, law.provision_files.get(pid))
    _validate_variants(law)


def _validate_variants(law: Law) -> None:
    for vid in sorted(law.amendments):
        variant = with_variants(law, vid)
        for pid in sorted(variant.provisions):
            if variant.provisions[pid] is not law.provisions.get(pid):
                compiles(variant.provisions[pid], variant.domain_of, law.amendment_files.get(vid))


def _validate_part(part: tuple[int, int]) -> tuple[int, type[InputError], tuple[Any, ...]] | None:
    """In a worker: every `jobs`-th provision from the `k`-th, in id order; the first that
    fails, as (its index, the error's class, the error's fields)."""
    k, jobs = part
    law = _law[0]
    pids = sorted(law.provisions)
    for i in range(k, len(pids), jobs):
        try:
            compiles(law.provisions[pids[i]], law.domain_of, law.provision_files.get(pids[i]))
        except InputError as e:
            return i, type(e), (e.message, e.file, e.line, e.column, e.hint)
    return None
