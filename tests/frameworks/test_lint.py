from __future__ import annotations

from pathlib import Path

from ladders.frameworks.errors import Severity
from ladders.frameworks.lint import lint_file, lint_framework
from ladders.frameworks.loader import load_text
from ladders.frameworks.starter import STARTER_PATH


def rules_of(text: str) -> list[tuple[str, str, int]]:
    loaded = load_text(text, "f.yaml")
    return [(p.rule, p.message, p.line) for p in lint_framework(loaded)]


def test_the_test_fixture_is_clean(small_path: Path) -> None:
    assert lint_file(str(small_path)) == []


def test_the_starter_framework_is_clean() -> None:
    assert lint_file(str(STARTER_PATH)) == []


def test_lint_reports_load_errors_as_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: ladders/v1\nkey: x\n")
    (problem,) = lint_file(str(bad))
    assert problem.severity is Severity.ERROR
    assert problem.message == "required field 'name' is missing"


def test_empty_milestone(small_path: Path) -> None:
    text = small_path.read_text().replace(
        "        summary: Plans the tests of a feature before writing it\n"
        "        signals: [Lists the edge cases in the ticket]\n",
        "",
    )
    text = text.replace("testing: 2, ", "")
    found = rules_of(text)
    assert ("empty-milestone", "milestone 2 of skill 'testing' is empty: give it a summary and "
            "the signals that show it", 36) in found  # fmt: skip


def test_duplicate_text_across_milestones(small_path: Path) -> None:
    across_skills = small_path.read_text().replace(
        "signals: [Lists the edge cases in the ticket]",
        "signals: [Writes design notes before large changes]",
    )
    assert [f for f in rules_of(across_skills) if f[0] == "duplicate-text"] == []
    within_skill = small_path.read_text().replace(
        "signals: [Ships small fixes, Asks for review early]",
        "signals: [Ships small fixes, Writes design notes before large changes]",
    )
    (finding,) = [f for f in rules_of(within_skill) if f[0] == "duplicate-text"]
    assert finding[1] == (
        'signal repeats text from coding milestone 1: "Writes design notes before large changes"'
    )
    assert finding[2] == 27


def test_unreachable_threshold_and_level(small_path: Path) -> None:
    text = small_path.read_text().replace(
        "{min_points: 15, code: E3}", "{min_points: 500, code: E3}"
    )
    text = text.replace("min_points: 15\n", "min_points: 99\n")
    found = {(rule, message) for rule, message, _ in rules_of(text)}
    assert (
        "unreachable-threshold",
        "threshold for 'E3' needs 500 points but the most anyone can reach is 21",
    ) in found
    assert (
        "unreachable-level",
        "level 'E3' needs 99 points but the most anyone can reach is 21",
    ) in found


def test_unreachable_category_points(small_path: Path) -> None:
    text = small_path.read_text().replace(
        "category_points: {people: 6}", "category_points: {people: 13}"
    )
    assert (
        "unreachable-level",
        "level 'E3' needs 13 points in 'people' but the most anyone can reach there is 12",
    ) in {(r, m) for r, m, _ in rules_of(text)}


def test_title_gaps_and_overlaps(small_path: Path) -> None:
    text = small_path.read_text().replace(
        "{name: Engineer II, min_points: 4, max_points: 14}",
        "{name: Engineer II, min_points: 6, max_points: 16}",
    )
    found = [(r, m) for r, m, _ in rules_of(text) if r.startswith("title")]
    assert found == [
        ("title-gap", "no title covers 4–5 points, between 'Engineer I' and 'Engineer II'"),
        ("title-overlap", "title 'Senior Engineer' (15+) overlaps 'Engineer II' (6–16)"),
    ]


def test_identical_title_ranges_are_alternatives_not_overlaps(small_path: Path) -> None:
    text = small_path.read_text().replace(
        "    - {name: Senior Engineer, min_points: 15}",
        "    - {name: Senior Engineer, min_points: 15}\n    - {name: Team Lead, min_points: 15}",
    )
    assert [r for r, _, _ in rules_of(text) if r.startswith("title")] == []


def test_titles_of_different_tracks_do_not_overlap_each_other(small_path: Path) -> None:
    text = small_path.read_text() + "    - {name: Manager, min_points: 10, track: ic}\n"
    assert [r for r, _, _ in rules_of(text) if r.startswith("title")] == []


def test_milestone_without_points(small_path: Path) -> None:
    text = small_path.read_text().replace('"4": 12, ', "")
    assert ("no-points", 46) in {(r, line) for r, _, line in rules_of(text)}
