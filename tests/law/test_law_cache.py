"""The law cache (engine/law/cache.py): a law read once is unpickled by later processes; a
corrupt, foreign or stale cache file is ignored and written anew; an edited law file, another
rules directory or another casus version never reads another's file."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from casus.engine.files.errors import InputError
from casus.engine.files.paths import rules_dir
from casus.engine.law import cache
from casus.engine.law.loader import read_rules


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("CASUS_CACHE_DIR", str(where))
    monkeypatch.delenv("CASUS_NO_CACHE", raising=False)
    return where


@pytest.fixture
def rules(tmp_path) -> Path:
    out = tmp_path / "rules"
    shutil.copytree(rules_dir(), out)
    return out


def only_file(where: Path) -> Path:
    files = list(where.glob("law-*.pickle"))
    assert len(files) == 1, files
    return files[0]


def same_law(a, b) -> bool:
    return (a.root == b.root and a.vocabulary == b.vocabulary and a.timeline == b.timeline
            and a.provisions == b.provisions and a.amendments == b.amendments
            and a.provision_files == b.provision_files and a.amendment_files == b.amendment_files)


def test_the_second_read_comes_from_the_cache_and_is_the_same_law(cache_home, rules, monkeypatch):
    first = cache.cached_rules(rules)
    assert same_law(first, read_rules(rules))
    only_file(cache_home)

    def no_yaml(*args, **kwargs):
        raise AssertionError("read the YAML files again")
    monkeypatch.setattr(cache, "read_rules", no_yaml)
    assert same_law(cache.cached_rules(rules), first)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign key", "not a law", "empty"])
def test_a_corrupt_or_foreign_cache_file_is_ignored_and_written_anew(cache_home, rules, damage):
    law = cache.cached_rules(rules)
    file = only_file(cache_home)
    data = file.read_bytes()
    head_end = data.index(b"\n", len(cache.MAGIC)) + 1
    damaged = {
        "truncated": data[: len(data) // 2],
        "garbage": data[:head_end] + b"\x80\x05not a pickle at all",
        "foreign key": cache.MAGIC + b"0" * 64 + b"\n" + data[head_end:],
        "not a law": data[:head_end] + pickle.dumps({"provisions": {}}),
        "empty": b"",
    }[damage]
    file.write_bytes(damaged)
    again = cache.cached_rules(rules)
    assert same_law(again, law)
    assert only_file(cache_home).read_bytes() == data       # rewritten whole


def test_a_file_others_can_write_is_not_trusted(cache_home, rules):
    if not hasattr(os, "getuid"):
        pytest.skip("POSIX permissions")
    cache.cached_rules(rules)
    file = only_file(cache_home)
    file.chmod(0o666)
    key = cache.law_key(rules)
    assert cache._read(file, key) is None


def test_an_edited_law_file_gets_a_new_key(cache_home, rules):
    before = cache.law_key(rules)
    art4 = rules / "cst" / "article-4.yaml"
    art4.write_text(art4.read_text(encoding="utf-8").replace("title:", "title: edited", 1), encoding="utf-8")
    assert cache.law_key(rules) != before
    law = cache.cached_rules(rules)
    assert law.provisions["cst.art4"].title.startswith("edited")
    assert len(list(cache_home.glob("law-*.pickle"))) == 1     # the edited law was read, then kept


def test_another_version_of_casus_gets_another_key(cache_home, rules, monkeypatch):
    from casus.engine import version
    before = cache.law_key(rules)
    monkeypatch.setattr(version, "__version__", "999.0")
    assert cache.law_key(rules) != before


def test_another_directory_with_the_same_files_gets_another_key(cache_home, rules, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(rules, other)
    assert cache.law_key(rules) != cache.law_key(other)
    assert cache.cached_rules(other).root == other


def test_a_law_with_mistakes_is_reported_and_not_cached(cache_home, rules):
    (rules / "cst" / "article-4.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError):
        cache.cached_rules(rules)
    assert not list(cache_home.glob("law-*.pickle"))


def test_no_cache_when_turned_off_or_unwritable(cache_home, rules, monkeypatch, tmp_path):
    monkeypatch.setenv("CASUS_NO_CACHE", "1")
    cache.cached_rules(rules)
    assert not cache_home.exists()
    monkeypatch.delenv("CASUS_NO_CACHE")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("CASUS_CACHE_DIR", str(blocked / "cache"))
    assert same_law(cache.cached_rules(rules), read_rules(rules))     # no error: just no cache


def test_old_files_are_pruned(cache_home, rules, tmp_path):
    for i in range(cache.KEEP + 3):
        other = tmp_path / f"law-{i}"
        shutil.copytree(rules, other)
        cache.cached_rules(other)
    assert len(list(cache_home.glob("law-*.pickle"))) == cache.KEEP


def test_the_cache_is_not_in_the_package():
    """Nothing is written under the package (so nothing of it can ship in a wheel)."""
    where = cache.cache_dir()
    package = Path(cache.__file__).resolve().parents[2]
    assert where is None or package not in where.resolve().parents
