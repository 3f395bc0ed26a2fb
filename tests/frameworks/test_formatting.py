from __future__ import annotations

import json
from pathlib import Path

from ladders.frameworks.formatting import format_text
from ladders.frameworks.loader import load_text

MESSY = """\
# Our framework, kept in git.
name: Messy   # the display name
schema: ladders/v1
key: messy
skills:
- milestones:
  - summary: Writes code      # first step
    number: 1
  category: craft
  name: Coding
  key: coding
categories: [{name: Craft, key: craft}]
"""


def test_fmt_orders_keys_and_keeps_comments() -> None:
    out = format_text(MESSY)
    assert out.splitlines() == [
        "# Our framework, kept in git.",
        "schema: ladders/v1",
        "key: messy",
        "name: Messy   # the display name",
        "categories:",
        "  - key: craft",
        "    name: Craft",
        "skills:",
        "  - key: coding",
        "    name: Coding",
        "    category: craft",
        "    milestones:",
        "      - number: 1",
        "        summary: Writes code  # first step",
    ]


def test_fmt_is_idempotent_and_keeps_meaning(small_path: Path) -> None:
    once = format_text(small_path.read_text())
    assert format_text(once) == once
    assert load_text(once).framework == load_text(small_path.read_text()).framework


def test_fmt_json_output() -> None:
    data = json.loads(
        format_text(json.dumps({"name": "J", "key": "j", "schema": "ladders/v1"}), as_json=True)
    )
    assert list(data) == ["schema", "key", "name"]


def test_the_starter_framework_is_formatted() -> None:
    from ladders.frameworks.starter import STARTER_PATH

    text = STARTER_PATH.read_text()
    assert format_text(text) == text
    assert not [line for line in text.splitlines() if line != line.rstrip()]


def test_editor_schema_reference_is_accepted_and_kept() -> None:
    text = (
        "$schema: https://ladders.dev/schema/ladders-v1.json\nschema: ladders/v1\nkey: a\nname: A\n"
    )
    assert load_text(text).framework.json_schema == "https://ladders.dev/schema/ladders-v1.json"
    assert format_text(text) == text


def test_yaml_merge_keys_are_plain_data() -> None:
    text = (
        "schema: ladders/v1\nkey: a\nname: A\ncategories:\n  - &c {key: c, name: C}\n"
        "  - <<: *c\n    key: d\n"
    )
    assert [c.key for c in load_text(text).framework.categories] == ["c", "d"]
