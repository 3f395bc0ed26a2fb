from __future__ import annotations

import json
from pathlib import Path

import pytest

from ladders.frameworks.errors import FrameworkInvalid
from ladders.frameworks.loader import MAX_DOCUMENT_BYTES, load_file, load_text

BROKEN = """\
schema: ladders/v1
key: broken
name: Broken
categories:
  - key: craft
    name: Craft
skills:
  - key: coding
    name: Coding
    category: craft
    milestones:
      - number: 1
        summary: Writes code
        signalz: [Ships]
      - number: two
  - key: Not A Slug
    name: Bad
    category: craft
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(FrameworkInvalid) as info:
        load_text(text, "f.yaml")
    return [p.render("f.yaml") for p in info.value.problems]


def test_valid_file_loads(small_path: Path) -> None:
    loaded = load_file(small_path)
    assert [s.key for s in loaded.framework.skills] == ["coding", "testing", "mentoring"]
    assert loaded.framework.skill("mentoring").max_milestone == 4  # type: ignore[union-attr]


def test_every_error_is_reported_at_once_with_line_column_and_path() -> None:
    assert problems_of(BROKEN) == [
        "f.yaml:14:9: error: unknown field 'signalz'; did you mean 'signals'? [unknown-field] "
        "(skills[0].milestones[0].signalz)",
        'f.yaml:15:17: error: expected a whole number, got "two" [invalid] '
        "(skills[0].milestones[1].number)",
        "f.yaml:16:10: error: 'Not A Slug' is not a valid key; use lowercase letters and digits "
        "joined by '-' or '_' (for example 'system-design') [invalid] (skills[1].key)",
    ]


def test_reference_errors_name_what_is_known() -> None:
    text = BROKEN.replace("signalz", "signals").replace("number: two", "number: 2")
    text = text.replace("Not A Slug", "design").replace('category: craft\n"""', "")
    text = text.replace(
        "    name: Bad\n    category: craft", "    name: Design\n    category: build"
    )
    text += "tracks:\n  - key: ic\n    name: IC\n    levels:\n      - code: L1\n"
    text += "        requirements:\n          milestones: {servers: 1, coding: 4}\n"
    assert problems_of(text) == [
        "f.yaml:18:15: error: skill 'design' names category 'build', which is not defined; add it"
        " under categories or use one of: craft [unknown-category] (skills[1].category)",
        "f.yaml:25:33: error: level 'L1' requires skill 'servers', which is not defined; known "
        "skills: coding, design [unknown-skill] (tracks[0].levels[0].requirements.milestones.servers)",
        "f.yaml:25:44: error: level 'L1' requires milestone 4 of skill 'coding', which only has "
        "milestones [1, 2] [unknown-milestone] (tracks[0].levels[0].requirements.milestones.coding)",
    ]


def test_duplicate_keys_are_errors(small_path: Path) -> None:
    text = small_path.read_text().replace("key: testing", "key: coding")
    assert any(
        "skill key 'coding' is used by more than one skill; make it unique" in p
        for p in problems_of(text)
    )


def test_duplicate_mapping_keys_are_a_syntax_error() -> None:
    (problem,) = problems_of("schema: ladders/v1\nkey: a\nkey: b\nname: x\n")
    assert problem.startswith("f.yaml:3:1: error:") and "duplicate" in problem


def test_syntax_error_has_a_position() -> None:
    (problem,) = problems_of("schema: ladders/v1\nkey: [unclosed\nname: x\n")
    assert problem.startswith("f.yaml:3:") and "[syntax]" in problem


def test_missing_schema_says_how_to_fix() -> None:
    hint, problem = problems_of("key: a\nname: A\n")
    assert "this does not look like a ladders/v1 file" in hint and "ladders import" in hint
    assert "add 'schema: ladders/v1' as the first line" in problem


def test_unknown_schema_version() -> None:
    *_, problem = problems_of("schema: ladders/v9\nkey: a\nname: A\n")
    assert problem.startswith("f.yaml:1:9:") and "'ladders/v9' is not a schema" in problem


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- b\n", "just text\n"])
def test_documents_that_are_not_a_mapping(text: str) -> None:
    *_, problem = problems_of(text)
    assert "f.yaml" in problem and ("mapping" in problem or "empty" in problem)


@pytest.mark.parametrize(
    "text",
    [
        "schema: !!python/object/apply:os.system ['echo hi']\n",
        "schema: !!python/name:os.system\n",
        "schema: !custom ladders/v1\n",
    ],
)
def test_unsafe_yaml_is_refused(text: str) -> None:
    *_, problem = problems_of(text)
    assert "is not allowed; framework files hold plain data only [unsafe-yaml]" in problem


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    *_, problem = problems_of("\n".join(lines) + "\n")
    assert "alias bomb" in problem


def test_oversized_document_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("schema: ladders/v1\ndescription: '" + "x" * MAX_DOCUMENT_BYTES + "'\n")
    with pytest.raises(FrameworkInvalid, match="the limit is"):
        load_file(big)


def test_unreadable_inputs_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(FrameworkInvalid, match="no such file"):
        load_file(tmp_path / "missing.yaml")
    with pytest.raises(FrameworkInvalid, match="is a directory"):
        load_file(tmp_path)
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"schema: \xff\xfe")
    with pytest.raises(FrameworkInvalid, match="not UTF-8"):
        load_file(binary)


def test_json_files_report_positions_too(small: object, tmp_path: Path) -> None:
    data = json.loads(json.dumps(small.to_document()))  # type: ignore[attr-defined]
    data["skills"][1]["milestones"][0]["number"] = 0
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(FrameworkInvalid) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert problem.path == ("skills", 1, "milestones", 0, "number")
    line = path.read_text().splitlines()[problem.line - 1]
    assert '"number": 0' in line


def test_json_files_must_be_strict_json(tmp_path: Path) -> None:
    path = tmp_path / "trailing.json"
    path.write_text('{"schema": "ladders/v1", "key": "t",}')
    with pytest.raises(FrameworkInvalid) as info:
        load_file(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.rule) == (1, 37, "syntax")
    assert problem.message.startswith("not valid JSON")


def test_numbers_are_not_guessed_from_other_types() -> None:
    text = (
        "schema: ladders/v1\nkey: a\nname: A\ncategories: [{key: c, name: C}]\n"
        "skills:\n  - {key: s, name: S, category: c, milestones: [{number: true, points: '3'}]}\n"
        "tracks:\n  - key: t\n    name: T\n    levels:\n      - code: 1.10\n"
    )
    assert problems_of(text) == [
        "f.yaml:6:58: error: expected a whole number, got true [invalid] (skills[0].milestones[0].number)",
        'f.yaml:6:72: error: expected a whole number, got "3" [invalid] (skills[0].milestones[0].points)',
        "f.yaml:11:15: error: expected text, got the number 1.1; put it in quotes [invalid] (tracks[0].levels[0].code)",
    ]


def test_non_regular_files_are_refused() -> None:
    with pytest.raises(FrameworkInvalid, match="is not a regular file"):
        load_file("/dev/zero")
