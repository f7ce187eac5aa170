"""casus's JSON text is exactly what the standard library writes with
indent=2, sort_keys=True, ensure_ascii=False, default=str (plus a newline): users and
scripts saw that format before the faster encoder, and must keep seeing it."""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass

import pytest

import casus
from casus.engine.jsontext import json_text


def stdlib(data) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


class Colour(str, enum.Enum):
    RED = "red"


@dataclass
class Point:
    x: int


@pytest.mark.parametrize("data", [
    {}, [], {"a": []}, {"a": {}}, [[], {}], {"b": 1, "a": [1, 2, {"z": None, "y": True, "x": False}]},
    {"text": "Қазақстан — «кавычки» \"quotes\" \\ back\tslash\nline \x01 \x1f \u2028 /"},
    {"day": dt.date(2022, 1, 5), "moment": dt.datetime(2022, 1, 5, 10, 30), "colour": Colour.RED},
    {"point": Point(3), "tuple": (1, 2), "float": 0.1, "big": 10 ** 15, "neg": -7},
    {2: "a", 10: "b"}, {"huge": 2 ** 70},
])
def test_same_text_as_the_standard_library(data):
    assert json_text(data) == stdlib(data)


def test_every_shipped_case_explained_is_the_same_text():
    law = casus.load_law()
    for info in casus.cases():
        data = casus.evaluate(info.id, law=law, explain=True).to_json()
        assert json_text(data) == stdlib(data), info.id


def test_compare_report_is_the_same_text():
    data = casus.compare("pk-2023-no-unsc", generated=200, jobs=1).to_json()
    assert json_text(data) == stdlib(data)
