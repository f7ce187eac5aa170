"""Symlinked folders in a rules directory (issue 28, item 4): never skipped without a word.

- A link to a folder inside the rules directory is followed; each folder is read once,
  however many links lead to it (so a link back to a folder that contains it cannot loop).
- A link to a folder outside the rules directory is refused: exit 2, one line naming the
  link and where it leads. A law is one directory: what `casus validate` checked, what
  `casus serve --rules` names (files by their path in the directory) and what survives a
  copy (`cp -r`, tar and git keep the link, not the files) must be the same files; a folder
  from elsewhere would be none of these. Copy the folder in instead.
"""

from __future__ import annotations

import json
import shutil

import pytest

from casus.engine.files.paths import rules_dir


def provisions(cli, rules) -> list[str]:
    r = cli("rules", "--rules", str(rules), "--format", "json")
    assert r.code == 0, r.err
    return sorted(p["id"] for p in json.loads(r.out)["provisions"])


def shipped(cli) -> list[str]:
    return provisions(cli, rules_dir())


def test_a_link_to_a_folder_outside_the_rules_directory_is_refused(cli, tmp_path):
    law = tmp_path / "law"
    shutil.copytree(rules_dir(), law)
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.move(str(law / "cst"), shared / "cst")
    (law / "cst").symlink_to(shared / "cst", target_is_directory=True)
    for args in (("rules", "--rules", str(law)), ("evaluate", "kazakhstan-2022", "--rules", str(law)),
                 ("validate", "--rules", str(law), str(law / "peacekeeping" / "article-3.yaml"))):
        r = cli(*args)
        assert r.code == 2, (args, r.code, r.err)
        assert r.err.count("\n") == 1 and str(law / "cst") in r.err and "outside" in r.err, r.err


def test_a_link_to_a_folder_inside_is_followed_and_each_folder_read_once(cli, tmp_path):
    law = tmp_path / "law"
    shutil.copytree(rules_dir(), law)
    (law / "treaties").mkdir()
    shutil.move(str(law / "cst"), law / "treaties" / "cst")
    (law / "cst").symlink_to(law / "treaties" / "cst", target_is_directory=True)      # a second way in
    (law / "treaties" / "again").symlink_to(law, target_is_directory=True)            # a loop
    assert provisions(cli, law) == shipped(cli)


def test_a_folder_reached_only_through_an_inside_link_is_read(cli, tmp_path):
    law = tmp_path / "law"
    shutil.copytree(rules_dir(), law)
    # amendments/ holds amendments, never provisions: a folder under it is reached only by the link.
    shutil.move(str(law / "cst"), law / "amendments" / "cst-store")
    (law / "cst").symlink_to(law / "amendments" / "cst-store", target_is_directory=True)
    assert provisions(cli, law) == shipped(cli)
