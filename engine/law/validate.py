"""Validating a file of any kind (case, amendment, provision) against a law."""

from __future__ import annotations

from pathlib import Path

from . import models as m
from ..gcpause import gc_paused
from ..logic.compiler import CompileError, DomainOf, compile_program
from .amendments import apply_amendment, with_variants
from .loader import Law, Located, check_provision, load_case, parse_file
from .yamlio import read_yaml


def validate_file(path: Path | str, law: Law) -> dict[str, str]:
    """Validate a case, amendment or provision file against `law`; {kind, id} or InputError."""
    data, positions = read_yaml(path)
    if isinstance(data, dict) and "changes" in data:
        amendment, apos = parse_file(m.Amendment, path)
        variant = apply_amendment(law, amendment, positions=apos, file=str(path))
        for pid in sorted(variant.provisions):
            compiles(variant.provisions[pid], variant.domain_of, str(path))
        return {"kind": "amendment", "id": amendment.id}
    if isinstance(data, dict) and "versions" in data:
        prov, ppos = parse_file(m.Provision, path)
        check_provision(prov, law.vocabulary, Located(str(path), ppos))
        compiles(prov, law.domain_of, str(path))
        return {"kind": "provision", "id": prov.id}
    return {"kind": "case", "id": load_case(path, law).id}


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


@gc_paused
def validate_law(law: Law) -> None:
    """Compile the whole law, and every shipped variant of it (without the cyclic collector:
    each collection would walk the whole law and every program compiled so far)."""
    for pid in sorted(law.provisions):
        compiles(law.provisions[pid], law.domain_of, law.provision_files.get(pid))
    for vid in sorted(law.amendments):
        variant = with_variants(law, vid)
        for pid in sorted(variant.provisions):
            if variant.provisions[pid] is not law.provisions.get(pid):
                compiles(variant.provisions[pid], variant.domain_of, law.amendment_files.get(vid))
