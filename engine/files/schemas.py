"""JSON Schemas of the files casus reads, generated from the pydantic models.

The shipped copies in schemas/ are what editors use (a `yaml-language-server` modeline
on the first line of each shipped file points at them); tests/files/test_schemas.py keeps them
equal to what the models generate. Regenerate after changing a model:

    python -m casus.engine.files.schemas
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models as m

FILE_MODELS: dict[str, type[BaseModel]] = {
    "case": m.Case, "provision": m.Provision, "amendment": m.Amendment,
    "facts": m.Vocabulary, "members": m.Timeline,
}
TITLES = {
    "case": "casus case file", "provision": "casus provision file", "amendment": "casus amendment variant file",
    "facts": "casus fact vocabulary (facts.yaml)", "members": "casus membership timeline (members.yaml)",
}


def file_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file, by the names `casus schema` takes."""
    schema = FILE_MODELS[name].model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://casus.invalid/schemas/{name}.json", **schema, "title": TITLES[name]}


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_all(directory: Path) -> list[Path]:
    written = []
    for name in FILE_MODELS:
        path = directory / f"{name}.json"
        path.write_text(schema_text(file_schema(name)), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    from .paths import package_dir
    for p in write_all(package_dir("schemas")):
        print(p)
