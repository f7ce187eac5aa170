"""Validating a file of any kind (case, amendment, provision) against a law."""

from __future__ import annotations

from pathlib import Path

from . import models as m
from .amendments import apply_amendment
from .loader import Law, Located, check_provision, load_case, parse_file
from .yamlio import read_yaml


def validate_file(path: Path | str, law: Law) -> dict:
    """Validate a case, amendment or provision file against `law`; {kind, id} or InputError."""
    data, positions = read_yaml(path)
    if isinstance(data, dict) and "changes" in data:
        amendment, apos = parse_file(m.Amendment, path)
        apply_amendment(law, amendment, positions=apos, file=str(path))
        return {"kind": "amendment", "id": amendment.id}
    if isinstance(data, dict) and "versions" in data:
        prov, ppos = parse_file(m.Provision, path)
        check_provision(prov, law.vocabulary, Located(str(path), ppos))
        return {"kind": "provision", "id": prov.id}
    return {"kind": "case", "id": load_case(path, law).id}
