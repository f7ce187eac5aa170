"""Reading YAML on the happy path (libyaml composes) gives exactly the data the careful
path gives, and never takes a document the careful path would refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from casus.engine.files import yamlio
from casus.engine.files.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "cases").glob("*.yaml")) + sorted((ROOT / "rules").rglob("*.yaml"))


def careful(text: str):
    saved = yamlio._FAST
    yamlio._FAST = False
    try:
        return yamlio.read_yaml("doc.yaml", text=text)
    finally:
        yamlio._FAST = saved


@pytest.mark.skipif(not yamlio._FAST, reason="PyYAML without a libyaml that caps nesting")
def test_shipped_files_read_the_same_on_both_paths():
    fast_read = 0
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        fast = yamlio._read_fast(text)
        if fast is None:
            assert len(text) > yamlio.FAST_MAX_BYTES or text.count("*") > yamlio.MAX_ALIASES, path.name
            continue
        fast_read += 1
        data, _ = careful(text)
        assert repr(fast) == repr(data), path.name
    assert fast_read >= len(SHIPPED) // 2


@pytest.mark.parametrize("text", [
    "base: &b {x: 1, y: [a, b]}\nmerged:\n  <<: *b\n  y: c\n",            # merge key
    "s: !!set {a, b}\nm: !!omap [{a: 1}]\nt: !!str 12\n",                 # explicit tags
    "? [a, b]\n: complex key\n",
    "1: one\n2022-01-05: a date\ntrue: yes\nnull: ~\n",         # keys of other types
    "a: &x [1, 2]\nb: *x\nc: [*x, *x]\n",                                # shared collections
    "d: &d " + "[" * 25 + "]" * 25 + "\ne: " + "[" * 24 + "*d" + "]" * 24 + "\n",   # 50 levels through an alias
    "d: &d " + "[" * 25 + "]" * 25 + "\ne: " + "[" * 26 + "*d" + "]" * 26 + "\n",   # 52
    "bin: !!binary aGVsbG8=\nf: 1.5e3\nn: 0x1f\nt: 2022-01-05T10:00:00Z\n",
])
def test_unusual_documents_read_the_same_on_both_paths(text):
    try:
        data = yamlio.read_yaml("doc.yaml", text=text)[0]
    except InputError as fast:
        with pytest.raises(InputError) as slow:
            careful(text)
        assert str(fast) == str(slow.value)
        return
    assert repr(data) == repr(careful(text)[0])


@pytest.mark.parametrize("text, message", [
    ("a: 1\na: 2\n", "duplicate key 'a'"),
    ("a: " + "[" * 60 + "]" * 60 + "\n", "nested deeper than"),
    ("a: yes\nb: on\n", None),
    ("n: " + "9" * 200 + "\n", "a number of 200 characters"),
    ("a: &x [*x]\n", "refers to itself"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(6)),
     "alias bomb"),
])
def test_what_the_careful_path_refuses_is_refused_the_same(text, message):
    if message is None:
        assert yamlio.read_yaml("doc.yaml", text=text)[0] == careful(text)[0] == {"a": "yes", "b": "on"}
        return
    with pytest.raises(InputError) as fast:
        yamlio.read_yaml("doc.yaml", text=text)
    with pytest.raises(InputError) as slow:
        careful(text)
    assert message in str(fast.value)
    assert str(fast.value) == str(slow.value)


def test_positions_are_found_when_asked_for():
    data, positions = yamlio.read_yaml("doc.yaml", text="id: x\nfacts:\n  armed_attack:\n    value: true\n")
    assert data["facts"]["armed_attack"]["value"] is True
    assert yamlio.locate(positions, ("facts", "armed_attack", "value")) == (4, 5)
    assert positions == careful("id: x\nfacts:\n  armed_attack:\n    value: true\n")[1]


def test_an_impossible_date_stays_text_for_the_field_to_report():
    # Refusing it while reading would hide the file's other mistakes (issue 16).
    assert yamlio.read_yaml("doc.yaml", text="d: 2022-02-30\n")[0] == careful("d: 2022-02-30\n")[0] == {"d": "2022-02-30"}
