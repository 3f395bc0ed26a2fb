"""The role-ladder importer: 'Level N' blocks of topic headings and bullets."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladders.frameworks.importers.base import ImportFailed, ImportResult
from ladders.frameworks.importers.merge import merge_results
from ladders.frameworks.importers.seed_role_ladder import IMPORTER
from ladders.frameworks.loader import framework_from_data
from tests.frameworks.conftest import FIXTURES, SHARED

FIXTURE = FIXTURES / "importers" / "role-ladder.txt"
TEXT = FIXTURE.read_text()


def parse(text: str, name: str = "ladder.txt") -> ImportResult:
    return IMPORTER.parse(text, name)


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return merge_results([parse(TEXT, str(FIXTURE))])


def test_topics_become_skills_with_a_milestone_per_level(result: ImportResult) -> None:
    fw = result.framework
    assert [s.name for s in fw.skills] == ["Craft", "Delivery", "Collaboration", "Mentoring"]
    assert [(c.key, c.name) for c in fw.categories] == [("mobile-engineer", "Mobile Engineer")]
    assert all(s.category == "mobile-engineer" for s in fw.skills)
    assert (
        "all skills are in one category named after the role: 'mobile-engineer' (Mobile Engineer)"
        in result.report.inferred
    )
    numbers = {s.key: [m.number for m in s.milestones] for s in fw.skills}
    assert numbers == {
        "craft": [1, 2, 3, 4],
        "delivery": [1, 2, 3, 4],
        "collaboration": [1, 2, 3, 4],
        "mentoring": [3, 4],
    }
    craft = fw.skill("craft")
    assert craft is not None
    assert craft.milestones[0].signals == [
        "Builds simple screens from an existing design",
        "Runs the app on a simulator and a device",
        "Uses the basic debugger — Example: Breakpoints, Watch, Step over, Step into",
    ]
    assert craft.milestones[0].summary == ""


def test_continuation_lines_join_the_bullet_above(result: ImportResult) -> None:
    craft = result.framework.skill("craft")
    assert craft is not None
    assert craft.milestones[1].signals[-1] == (
        "Knows the release process of the app stores such as how to prepare screenshots, "
        "release notes and a staged rollout"
    )
    assert sum(len(m.signals) for s in result.framework.skills for m in s.milestones) == 20


def test_a_heading_that_starts_like_a_known_topic_is_that_topic(result: ImportResult) -> None:
    collaboration = result.framework.skill("collaboration")
    assert collaboration is not None
    assert collaboration.milestones[-1].signals == ["Gives frank feedback to senior peers"]
    assert (
        "line 72: 'Collaboration & Feedback' read as topic 'Collaboration' (same first word)"
        in result.report.inferred
    )


def test_the_role_is_one_track_whose_levels_require_their_milestones(
    result: ImportResult,
) -> None:
    fw = result.framework
    assert (fw.key, fw.name) == ("mobile-engineer", "Mobile Engineer")
    [track] = fw.tracks
    assert (track.key, track.name) == ("mobile-engineer", "Mobile Engineer")
    assert [(lv.code, lv.title) for lv in track.levels] == [
        ("L1", "Level 1"),
        ("L2", "Level 2"),
        ("L3", "Level 3"),
        ("L4", "Level 4"),
    ]
    assert track.levels[0].requirements.milestones == {
        "craft": 1,
        "delivery": 1,
        "collaboration": 1,
    }
    assert track.levels[3].requirements.milestones == {
        "craft": 4,
        "delivery": 4,
        "collaboration": 4,
        "mentoring": 4,
    }


def test_page_chrome_is_reported_and_the_rest_is_placed(result: ImportResult) -> None:
    report = result.report
    assert [(u.line, u.text, u.reason) for u in report.unplaced] == [
        (1, "Skip to content", "page chrome"),
        (2, "On this page", "page chrome"),
    ]
    nonblank = sum(1 for line in TEXT.splitlines() if line.strip())
    assert report.lines[str(FIXTURE)] == nonblank
    assert report.placed[str(FIXTURE)] == nonblank - 2


def test_the_result_lints_clean(result: ImportResult) -> None:
    assert result.report.warnings == []
    assert result.report.formats == {str(FIXTURE): "role-ladder"}


def test_bullets_without_a_topic_are_level_expectations() -> None:
    text = "Tester\nLevel 1\nChecks releases by hand.\n- Writes test plans\n- Files clear bugs\n"
    result = merge_results([parse(text)])
    [level] = result.framework.tracks[0].levels
    assert level.summary == "Checks releases by hand."
    assert [(g.topic, g.items) for g in level.expectations] == [
        ("", ["Writes test plans", "Files clear bugs"])
    ]
    assert result.framework.skills == []
    assert result.framework.categories == []
    assert result.report.warnings == []


def test_text_under_a_topic_before_its_bullets_is_the_milestone_summary() -> None:
    text = "Level 1\nCraft\n- Writes tests\nLevel 2\nCraft\nBuilds modules others use.\n- Designs\n"
    result = merge_results([parse(text, "tester.txt")])
    craft = result.framework.skill("craft")
    assert craft is not None
    assert [(m.summary, m.signals) for m in craft.milestones] == [
        ("", ["Writes tests"]),
        ("Builds modules others use.", ["Designs"]),
    ]
    assert result.framework.name == "tester"
    assert [(c.key, c.name) for c in result.framework.categories] == [("tester", "tester")]
    assert [lv.title for lv in result.framework.tracks[0].levels] == ["Level 1", "Level 2"]
    assert "no role title before the first level: named the role 'tester'" in (
        result.report.inferred
    )


def test_more_than_five_levels_extend_the_points_table() -> None:
    text = "Role\n" + "".join(f"Level {n}\nCraft\n- Does thing number {n}\n" for n in range(1, 8))
    result = merge_results([parse(text)])
    assert result.framework.scoring.points == {1: 1, 2: 3, 3: 6, 4: 12, 5: 20, 6: 28, 7: 36}
    assert result.report.warnings == []


def test_a_second_role_is_a_clear_error() -> None:
    with pytest.raises(ImportFailed, match=r"ladder.txt:7: 'Frontend Developer' looks like"):
        parse(
            "Backend Developer\nLevel 1\nCraft\n- Writes code\nLevel 2\nCraft\n"
            "Frontend Developer\nLevel 1\nCraft\n- Writes code\n"
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no 'Level N' headings found"),
        ("Backend Developer\nMastery\n- Writes code\n", "no 'Level N' headings found"),
        ("Role\nLevel 1\nLevel 2\n", "ladder.txt:2: no bullets under any 'Level N' heading"),
    ],
)
def test_input_without_a_ladder_fails_clearly(text: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        parse(text)


OTHERS = [
    SHARED / "seeds" / "000_97f4e4eb4172775a.txt",
    SHARED / "seeds" / "001_a3cf964f39b682a8.txt",
    SHARED / "seeds" / "002_9d49384526a9ae48.txt",
    SHARED / "seeds" / "004_fbb542b23c491300.txt",
    SHARED / "samples" / "medium-snowflake-constants.js",
    SHARED / "samples" / "monzo-backend.md",
    FIXTURES / "small.yaml",
    FIXTURES / "importers" / "career-map.txt",
]


def test_detects_its_own_shape() -> None:
    assert IMPORTER.detect(TEXT, "x.txt") >= 0.9
    path = SHARED / "seeds" / "003_cd91de3958217e17.txt"
    assert IMPORTER.detect(path.read_text(), str(path)) >= 0.9


@pytest.mark.parametrize("path", OTHERS, ids=lambda p: p.name)
def test_ignores_other_shapes(path: Path) -> None:
    assert IMPORTER.detect(path.read_text(), str(path)) == 0.0


LINES = TEXT.splitlines()
_mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("duplicate"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("insert"), st.integers(0, len(LINES)), st.text(max_size=80)),
    st.tuples(st.just("truncate"), st.integers(0, len(TEXT))),
)


def _mutate(mutations: list[tuple[object, ...]]) -> str:
    lines = list(LINES)
    for mutation in mutations:
        op, at = mutation[0], int(mutation[1])  # type: ignore[call-overload]
        at = min(at, len(lines))
        if op == "delete" and at < len(lines):
            del lines[at]
        elif op == "duplicate" and at < len(lines):
            lines.insert(at, lines[at])
        elif op == "insert":
            lines.insert(at, str(mutation[2]))
        elif op == "truncate":
            lines = "\n".join(lines)[:at].splitlines()
    return "\n".join(lines)


def _check(text: str) -> None:
    assert 0.0 <= IMPORTER.detect(text, "ladder.txt") <= 1.0
    try:
        result = parse(text)
    except ImportFailed:
        return
    framework_from_data(result.framework.to_document())
    nonblank = sum(1 for line in text.splitlines() if line.strip())
    assert result.report.placed["ladder.txt"] + len(result.report.unplaced) == nonblank


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_mutation, max_size=8).map(_mutate), st.text(max_size=500)))
def test_any_input_gives_a_framework_or_a_clear_error(text: str) -> None:
    _check(text)


@pytest.fixture
def alarm() -> Iterator[None]:
    def hang(signum: int, frame: object) -> None:
        raise TimeoutError("the importer took more than 60 seconds")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_five_megabytes_of_repeated_ladders_finish(alarm: None) -> None:
    text = (TEXT + "\n") * (5 * 1024 * 1024 // len(TEXT))
    with pytest.raises(ImportFailed, match="second role"):
        parse(text)


def test_five_megabytes_of_bullets_in_one_level_finish(alarm: None) -> None:
    head, _, body = TEXT.partition("Level 4")
    block = body.partition("\n")[2]
    text = head + "Level 4\n" + block * (5 * 1024 * 1024 // len(block))
    result = parse(text)
    assert len(result.framework.tracks[0].levels) == 4


def test_five_megabytes_of_continuation_lines_finish(alarm: None) -> None:
    text = TEXT + "and then some more words on the line above\n" * (5 * 1024 * 1024 // 44)
    result = parse(text)
    assert any("characters was cut" in w for w in result.report.warnings)


@pytest.mark.parametrize(
    "text", ["", "Level 1\n- a bullet\n", "Level 1\nCraft\n- a\nImpact\n- b\n"]
)
def test_detect_reads_any_small_input(text: str) -> None:
    assert IMPORTER.detect(text, "x.txt") < 0.9
