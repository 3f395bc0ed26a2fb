"""Framework health from the document alone: each structural and writing rule on a small
hand-built framework (it fires, and a clean counterpart does not), and `ladders lint --health`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ladders.cli import app
from ladders.frameworks import health
from ladders.frameworks.health import Finding
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework, Requirements
from ladders.frameworks.starter import load_starter

STARTER = Path(__file__).resolve().parents[2] / "ladders" / "frameworks" / "data" / "starter.yaml"


def clean_data() -> dict[str, Any]:
    """Two categories, three skills, one track of three levels; nothing for health to say."""

    def milestone(n: int, topic: str) -> dict[str, Any]:
        return {
            "number": n,
            "summary": f"Handles {topic} work of size {n} without help.",
            "signals": [f"Splits {topic} work of size {n} into reviewed changes."],
            "examples": [f"Shipped the {topic} change number {n} behind a flag."],
        }

    return {
        "schema": "ladders/v1",
        "key": "tiny",
        "name": "Tiny",
        "categories": [{"key": "craft", "name": "Craft"}, {"key": "people", "name": "People"}],
        "skills": [
            {
                "key": "coding",
                "name": "Coding",
                "category": "craft",
                "milestones": [milestone(n, "coding") for n in (1, 2, 3)],
            },
            {
                "key": "testing",
                "name": "Testing",
                "category": "craft",
                "milestones": [milestone(n, "testing") for n in (1, 2)],
            },
            {
                "key": "mentoring",
                "name": "Mentoring",
                "category": "people",
                "milestones": [milestone(n, "mentoring") for n in (1, 2)],
            },
        ],
        "tracks": [
            {
                "key": "ic",
                "name": "Engineer",
                "levels": [
                    {"code": "E1", "requirements": {"milestones": {"coding": 1}}},
                    {
                        "code": "E2",
                        "requirements": {
                            "milestones": {"coding": 2, "testing": 1},
                            "min_points": 4,
                        },
                    },
                    {
                        "code": "E3",
                        "requirements": {
                            "milestones": {"coding": 3, "testing": 2, "mentoring": 1},
                            "min_points": 9,
                            "category_points": {"people": 1},
                        },
                    },
                ],
            }
        ],
    }


def load(data: dict[str, Any]) -> Framework:
    return framework_from_data(data, "tiny.yaml")


def changed(**edits: Any) -> Framework:
    """The clean framework with some parts replaced: edits map a dotted path to a value."""
    data = copy.deepcopy(clean_data())
    for dotted, value in edits.items():
        node: Any = data
        parts = [int(p) if p.isdigit() else p for p in dotted.split("__")]
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return load(data)


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def only(findings: list[Finding], rule: str) -> Finding:
    (found,) = [f for f in findings if f.rule == rule]
    return found


def test_the_clean_framework_has_no_findings() -> None:
    assert health.framework_findings(load(clean_data())) == []


# --- structural --------------------------------------------------------------------------------


def test_lint_rules_are_part_of_structure() -> None:
    fw = changed(skills__1__milestones__1={"number": 2})
    found = only(health.structural_findings(fw), "empty-milestone")
    assert found.kind == "structural" and found.severity == "warning"
    assert found.path == "skills.testing.milestones[1]"
    assert found.skill == "testing"


def test_a_level_asking_for_a_milestone_above_the_skills_highest_is_an_error() -> None:
    # The loader refuses this file, so build the document directly, as a program might.
    fw = load(clean_data())
    track = fw.tracks[0]
    e3 = track.levels[2].model_copy(update={"requirements": Requirements(milestones={"coding": 7})})
    broken = fw.model_copy(
        update={"tracks": [track.model_copy(update={"levels": [*track.levels[:2], e3]})]}
    )
    found = only(health.structural_findings(broken), "unknown-milestone")
    assert found.severity == "error"
    assert found.path == "tracks.ic.levels[2].requirements.milestones.coding"
    assert found.skill == "coding"
    assert "requires milestone 7 of skill 'coding', which only has milestones [1, 2, 3]" in (
        found.message
    )


def test_points_above_the_most_the_framework_gives_are_reported_once() -> None:
    # highest scoring, default table: coding 3 -> 6, testing 2 -> 3, mentoring 2 -> 3: 12 at most
    fw = changed(tracks__0__levels__2__requirements__min_points=13)
    found = health.structural_findings(fw)
    assert only(found, "unreachable-level").message == (
        "level 'E3' needs 13 points but the most anyone can reach is 12"
    )
    assert "blocked-levels" not in rules(found)  # E3 is the top: nothing above it is blocked


def test_an_unreachable_level_blocks_every_level_above_it() -> None:
    fw = changed(tracks__0__levels__1__requirements__min_points=13)
    found = only(health.structural_findings(fw), "blocked-levels")
    assert found.path == "tracks.ic.levels[1]"
    assert found.text == "E2"
    assert "so E3 above it can never be reached either" in found.message


def test_a_later_level_asking_for_less_is_reported_where_it_asks() -> None:
    fw = changed(
        tracks__0__levels__2__requirements={
            "milestones": {"coding": 1, "testing": 2, "mentoring": 1},
            "min_points": 3,
            "category_points": {"people": 1},
        }
    )
    found = [f for f in health.structural_findings(fw) if f.rule == "level-decrease"]
    assert [(f.path, f.message) for f in found] == [
        (
            "tracks.ic.levels[2].requirements.milestones.coding",
            "level E3 asks for milestone 1 of Coding, less than the 2 that the lower "
            "level E2 asks for",
        ),
        (
            "tracks.ic.levels[2].requirements.min_points",
            "level E3 asks for 3 points, less than the 4 that the lower level E2 asks for",
        ),
    ]
    assert found[0].skill == "coding" and found[0].text == "1"


def test_messages_name_skills_categories_and_levels_not_their_keys() -> None:
    """Keys that differ from names: skill "coding" is "Writing code", category "people" is
    "People and teams"; E2 asks for 2 points in it and E3 for 1."""
    data = clean_data()
    data["skills"][0]["name"] = "Writing code"
    data["categories"][1]["name"] = "People and teams"
    data["tracks"][0]["levels"][1]["requirements"]["category_points"] = {"people": 2}
    data["tracks"][0]["levels"][2]["requirements"]["milestones"]["coding"] = 1
    data["skills"][0]["milestones"][1]["signals"] = []
    found = health.structural_findings(load(data))
    messages = [f.message for f in found]
    assert messages == [
        "milestone 2 of Writing code has no signals: a reviewer has no behaviour to look for",
        "level E3 asks for milestone 1 of Writing code, less than the 2 that the lower level "
        "E2 asks for",
        "level E3 asks for 1 point in People and teams, less than the 2 that the lower level "
        "E2 asks for",
    ]
    assert not any("'coding'" in m or "'people'" in m for m in messages)
    # the path keeps keys and zero-based positions for tools; the place is for people
    assert [(f.path, f.place) for f in found] == [
        ("skills.coding.milestones[1]", "Writing code › milestone 2"),
        (
            "tracks.ic.levels[2].requirements.milestones.coding",
            "Engineer › level E3 › requirements › Writing code milestone",
        ),
        (
            "tracks.ic.levels[2].requirements.category_points.people",
            "Engineer › level E3 › requirements › points in People and teams",
        ),
    ]


@pytest.mark.parametrize(
    ("location", "place"),
    [
        (("skills", 0, "milestones", 2, "signals", 0), "Coding › milestone 3 › signal 1"),
        (("skills", 1, "milestones", 1, "examples", 0), "Testing › milestone 2 › example 1"),
        (("skills", 2, "milestones", 0, "summary"), "Mentoring › milestone 1 › summary"),
        (("skills", 2), "Mentoring"),
        (("skills",), "Skills"),
        (("tracks", 0, "levels", 1), "Engineer › level E2"),
        (
            ("tracks", 0, "levels", 1, "requirements", "min_points"),
            "Engineer › level E2 › requirements › minimum points",
        ),
        (("tracks",), "Tracks and levels"),
        (("categories", 1, "description"), "People › description"),
        ((), "Tiny"),
    ],
)
def test_a_place_reads_by_name_and_counts_from_one(
    location: tuple[str | int, ...], place: str
) -> None:
    assert health.place_of(load(clean_data()), location) == place


def test_a_level_asking_for_exactly_what_the_one_below_asks_for() -> None:
    same = {"milestones": {"coding": 2, "testing": 1}, "min_points": 4}
    fw = changed(tracks__0__levels__2__requirements=same)
    found = only(health.structural_findings(fw), "level-no-increase")
    assert found.path == "tracks.ic.levels[2].requirements"
    assert "level E3 requires exactly what E2 below it requires" in found.message
    assert "level-decrease" not in rules(health.structural_findings(fw))


def test_milestones_without_signals_or_examples() -> None:
    fw = changed(
        skills__0__milestones__1__signals=[],
        skills__2__milestones__0__examples=[],
        skills__2__milestones__1__examples=[],
    )
    found = [f for f in health.structural_findings(fw) if f.rule in ("no-signals", "no-examples")]
    assert [(f.rule, f.path, f.message) for f in found] == [
        (
            "no-signals",
            "skills.coding.milestones[1]",
            "milestone 2 of Coding has no signals: a reviewer has no behaviour to look for",
        ),
        # every milestone of mentoring lacks examples: one finding for the skill, not two
        (
            "no-examples",
            "skills.mentoring",
            "none of the 2 milestones of Mentoring has examples: people have nothing "
            "concrete to compare their work to",
        ),
    ]
    assert found[0].text == "Handles coding work of size 2 without help."


def test_a_skill_no_level_requires() -> None:
    data = clean_data()
    data["tracks"][0]["levels"][2]["requirements"]["milestones"].pop("mentoring")
    found = only(health.structural_findings(load(data)), "unused-skill")
    assert (
        found.path == "skills.mentoring" and found.severity == "info"
    )  # E3 asks for people points
    # names, not keys: the skill "Mentoring" and the category "People" (key "people")
    assert found.message == (
        "no level of any track requires a milestone of Mentoring; it only counts towards "
        "readiness through the points levels ask for in the People category and in total"
    )
    del data["tracks"][0]["levels"][2]["requirements"]["category_points"]
    found = only(health.structural_findings(load(data)), "unused-skill")
    assert found.severity == "warning"
    assert "only counts towards readiness through total points" in found.message


def test_levels_without_any_requirements_get_one_note() -> None:
    data = clean_data()
    for level in data["tracks"][0]["levels"]:
        level.pop("requirements")
    found = health.structural_findings(load(data))
    assert rules(found) == ["no-requirements"]
    assert found[0].message.startswith("none of the 3 levels names a milestone it requires")


# --- writing -----------------------------------------------------------------------------------


def test_vague_praise_without_an_observable_verb() -> None:
    fw = changed(
        skills__0__milestones__2__signals=[
            "Writes beautiful code",
            "Gives great reviews that point at the exact line to change",
            "Writes code with tests",
        ]
    )
    found = [f for f in health.writing_findings(fw) if f.rule == "vague-signal"]
    assert [(f.path, f.text) for f in found] == [
        ("skills.coding.milestones[2].signals[0]", "Writes beautiful code")
    ]
    assert '("beautiful")' in found[0].message and "names no behaviour" in found[0].message


def test_vague_level_expectations_are_checked_too() -> None:
    fw = changed(
        tracks__0__levels__1__expectations=[
            {"topic": "Craft", "items": ["Deep knowledge of the database", "Runs the on-call"]}
        ]
    )
    found = only(health.writing_findings(fw), "vague-signal")
    assert found.path == "tracks.ic.levels[1].expectations[0].items[0]"
    assert found.message.startswith('this expectation praises ("deep")')


def test_a_sentence_repeated_in_another_milestone_of_the_skill() -> None:
    repeated = "Keeps the team informed about the state of the work."
    fw = changed(
        skills__0__milestones__0__summary=f"Changes one module. {repeated}",
        skills__0__milestones__2__summary=f"Designs whole services. {repeated}",
        # the same sentence in another skill is allowed: two skills may ask for one behaviour
        skills__1__milestones__0__summary=f"Adds tests. {repeated}",
    )
    found = only(health.writing_findings(fw), "repeated-sentence")
    assert found.path == "skills.coding.milestones[2].summary"
    assert found.text == f"Designs whole services. {repeated}"
    assert found.message == (
        "milestone 3 of Coding repeats a sentence of milestone 1: say what is different at "
        "this milestone"
    )


def test_a_whole_item_repeated_is_left_to_lint() -> None:
    same = "Keeps the team informed about the state of the work."
    fw = changed(skills__0__milestones__0__summary=same, skills__0__milestones__1__summary=same)
    found = health.framework_findings(fw)
    assert rules(found) == ["duplicate-text"]


def test_spelling_slips_from_the_codespell_dictionary() -> None:
    fw = changed(
        skills__1__milestones__1__signals=[
            "Recieves bug reports and adds a test for each",
            "Renames `recieve_msg` in the client",  # code is not prose
        ]
    )
    found = only(health.writing_findings(fw), "spelling")
    assert found.path == "skills.testing.milestones[1].signals[0]"
    assert found.message == "'Recieves' looks misspelt; did you mean 'Receives'?"
    assert health.spelling_dictionary()["teh"] == ("the",)


def test_overly_long_items_say_their_word_count_and_the_limit() -> None:
    thirty = " ".join(["Adds"] + ["word"] * 29)
    fw = changed(skills__0__milestones__0__signals=[thirty, thirty + " more"])
    found = only(health.writing_findings(fw), "too-long")
    assert found.path == "skills.coding.milestones[0].signals[1]"
    assert found.message.startswith("this signal is 31 words long; keep it to 30 or fewer")


def test_counts_and_skill_filter() -> None:
    fw = changed(
        skills__0__milestones__1__signals=[],
        skills__1__milestones__0__signals=["Writes amazing code"],
    )
    found = health.framework_findings(fw)
    assert health.counts(found) == {
        "structural": 1,
        "writing": 1,
        "usage": 0,
        "error": 0,
        "warning": 1,
        "info": 1,
        "total": 2,
    }
    assert rules(health.for_skill(found, "testing")) == ["vague-signal"]


def test_the_starter_framework_has_only_three_notes() -> None:
    """Our own framework: three skills are not required by any level (they count through
    category points). No writing finding: no vague signal, repeat, slip or overlong item."""
    found = health.framework_findings(load_starter().framework)
    assert [(f.rule, f.severity, f.path) for f in found] == [
        ("unused-skill", "info", "skills.reliability"),
        ("unused-skill", "info", "skills.product-sense"),
        ("unused-skill", "info", "skills.ways-of-working"),
    ]


# --- ladders lint --health -----------------------------------------------------------------------


@pytest.fixture
def sloppy(tmp_path: Path) -> Path:
    data = clean_data()
    data["skills"][0]["milestones"][2]["signals"] = ["Writes beautiful code"]
    data["skills"][1]["milestones"][1]["signals"] = ["Recieves bug reports"]
    path = tmp_path / "sloppy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_lint_without_health_is_unchanged(sloppy: Path) -> None:
    result = CliRunner().invoke(app, ["lint", str(sloppy)])
    assert result.exit_code == 0, result.output
    assert "sloppy.yaml" not in result.stdout


def test_lint_health_prints_findings_as_warnings_with_file_line_and_text(sloppy: Path) -> None:
    result = CliRunner().invoke(app, ["lint", "--health", str(sloppy)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    line_of = {n + 1: text for n, text in enumerate(sloppy.read_text().splitlines())}
    vague, spelling = lines
    location, _, rest = vague.partition(": warning: ")
    file, line, _column = location.rsplit(":", 2)
    assert file == str(sloppy) and "Writes beautiful code" in line_of[int(line)]
    assert rest.endswith(
        "[vague-signal] (skills.coding.milestones[2].signals[0]) “Writes beautiful code”"
    )
    assert "[spelling] (skills.testing.milestones[1].signals[0]) “Recieves bug reports”" in spelling
    assert "1 file checked: 0 errors, 2 warnings" in result.stderr


def test_lint_health_json(sloppy: Path) -> None:
    result = CliRunner().invoke(app, ["lint", "--health", "--json", str(sloppy)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 0 and data["warnings"] == 2
    first = data["files"][0]["problems"][0]
    assert {k: first[k] for k in ("severity", "rule", "path", "kind", "text")} == {
        "severity": "warning",
        "rule": "vague-signal",
        "path": "skills.coding.milestones[2].signals[0]",
        "kind": "writing",
        "text": "Writes beautiful code",
    }


def test_lint_health_on_the_starter_framework_gives_notes_that_do_not_fail() -> None:
    result = CliRunner().invoke(app, ["lint", "--health", str(STARTER)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(": note: " in line for line in lines)
    assert "[unused-skill] (skills.ways-of-working) “Ways of working”" in result.stdout
    # the message names the skill and its category; the path in brackets keeps the keys
    assert (
        ": note: no level of any track requires a milestone of Ways of working; it only counts "
        "towards readiness through the points levels ask for in the Organisation category and "
        "in total [unused-skill]"
    ) in result.stdout
    assert "1 file checked: no problems (3 notes)" in result.stderr


def test_lint_health_on_a_file_that_does_not_load_shows_the_load_errors_only(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: ladders/v1\nkey: Bad\nname: Bad\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["lint", "--health", str(bad)])
    assert result.exit_code == 1
    assert "error: 'Bad' is not a valid key" in result.stdout
    assert "1 file checked: 1 error, 0 warnings" in result.stderr
