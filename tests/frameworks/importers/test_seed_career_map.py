"""The career-map importer: Experience / Area of Responsibility / Skills blocks, split into tracks."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladders.frameworks.importers.base import ImportFailed, ImportResult
from ladders.frameworks.importers.merge import merge_results
from ladders.frameworks.importers.seed_career_map import IMPORTER
from ladders.frameworks.loader import framework_from_data
from tests.frameworks.conftest import FIXTURES, SHARED

FIXTURE = FIXTURES / "importers" / "career-map.txt"
TEXT = FIXTURE.read_text()


def parse(text: str, name: str = "map.txt") -> ImportResult:
    return IMPORTER.parse(text, name)


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return merge_results([parse(TEXT, str(FIXTURE))])


def test_tracks_split_where_the_discipline_or_management_begins(result: ImportResult) -> None:
    tracks = result.framework.tracks
    assert [(t.key, t.name, len(t.levels)) for t in tracks] == [
        ("android", "Android", 3),
        ("ios", "iOS", 3),
        ("android-management", "Android management", 2),
        ("ios-management", "iOS management", 1),
    ]
    assert [lv.code for lv in tracks[1].levels] == ["L1", "L2", "L3"]
    inferred = result.report.inferred
    assert (
        "track split at line 27: ios (skills change from '- bullet' lines to 'Topic: text' "
        "lines; experience starts again at entry level ('Entry-level'))" in inferred
    )
    assert (
        "track split at line 50: android-management (skills change from 'Topic: text' lines "
        "to '- bullet' lines; management begins ('managing'))" in inferred
    )
    assert (
        "track split at line 64: ios-management (skills change from '- bullet' lines to "
        "'Topic: text' lines)" in inferred
    )


def test_a_level_keeps_experience_responsibility_and_skills(result: ImportResult) -> None:
    android, ios = result.framework.tracks[:2]
    first = android.levels[0]
    assert first.experience == "No professional experience. Entry-level: graduate or intern."
    assert first.responsibility == "Fixes small bugs with close guidance."
    assert [(g.topic, g.items) for g in first.expectations] == [
        (
            "Skills",
            [
                "Builds a simple screen with Jetpack Compose",
                "Reads a stack trace",
                "Asks early when blocked",
            ],
        )
    ]
    assert [(g.topic, g.items) for g in ios.levels[1].expectations] == [
        ("Swift", ["Uses protocols and generics well."]),
        ("Testing", ["Writes XCTest suites for features."]),
        ("Soft Skills", ["Explains trade-offs to designers."]),
    ]


def test_title_and_intro_name_and_describe_the_framework(result: ImportResult) -> None:
    fw = result.framework
    assert (fw.key, fw.name) == ("android", "Android")
    assert fw.description.startswith("This map shows how our engineers grow")
    assert fw.skills == [] and fw.categories == []


def test_every_line_is_placed_and_the_result_lints_clean(result: ImportResult) -> None:
    nonblank = sum(1 for line in TEXT.splitlines() if line.strip())
    assert result.report.placed[str(FIXTURE)] == nonblank
    assert result.report.unplaced == []
    assert result.report.warnings == []


def test_a_heading_between_blocks_starts_a_named_track() -> None:
    text = (
        "Experience\n1 year.\nArea of Responsibility\nSmall tasks.\nSkills\n- Codes\n"
        "Experience\n3 years.\nArea of Responsibility\nFeatures.\nSkills\n- Designs\n"
        "Data Platform\nOur data engineers build pipelines.\n"
        "Experience\n1 year of pipelines.\nArea of Responsibility\nJobs.\nSkills\n- Runs jobs\n"
    )
    result = merge_results([parse(text)])
    tracks = result.framework.tracks
    assert [(t.key, t.name, len(t.levels)) for t in tracks] == [
        ("track-1", "Track 1", 2),
        ("data-platform", "Data Platform", 1),
    ]
    assert "track split at line 13: data-platform (heading 'Data Platform')" in (
        result.report.inferred
    )
    assert tracks[1].description == "Our data engineers build pipelines."
    assert result.report.unplaced == []
    assert result.report.warnings == []
    assert result.framework.name == "map"


def test_headings_on_one_line_and_empty_blocks() -> None:
    text = (
        "Experience: 2 years.\nArea of Responsibility: Features.\nSkills\nGo: Writes services.\n"
        "Experience\nExperience\nNone yet.\nSkills\nGo: Learns.\n"
    )
    result = parse(text)
    [track] = result.framework.tracks
    assert [(lv.experience, lv.responsibility) for lv in track.levels] == [
        ("2 years.", "Features."),
        ("None yet.", ""),
    ]
    assert [(u.line, u.reason) for u in result.report.unplaced] == [
        (5, "heading with no text under it")
    ]


@pytest.mark.parametrize(
    "text", ["", "Backend\nJust an intro.\n", "Experience\nSkills\n", "random words\n- a bullet\n"]
)
def test_input_without_level_blocks_fails_clearly(text: str) -> None:
    with pytest.raises(ImportFailed, match="no level blocks found"):
        parse(text)


OTHERS = [
    SHARED / "seeds" / "000_97f4e4eb4172775a.txt",
    SHARED / "seeds" / "001_a3cf964f39b682a8.txt",
    SHARED / "seeds" / "002_9d49384526a9ae48.txt",
    SHARED / "seeds" / "003_cd91de3958217e17.txt",
    SHARED / "samples" / "medium-snowflake-constants.js",
    SHARED / "samples" / "monzo-backend.md",
    FIXTURES / "small.yaml",
    FIXTURES / "importers" / "role-ladder.txt",
]


def test_detects_its_own_shape() -> None:
    assert IMPORTER.detect(TEXT, "x.txt") >= 0.9
    path = SHARED / "seeds" / "004_fbb542b23c491300.txt"
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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_mutation, max_size=8).map(_mutate), st.text(max_size=500)))
def test_any_input_gives_a_framework_or_a_clear_error(text: str) -> None:
    assert 0.0 <= IMPORTER.detect(text, "map.txt") <= 1.0
    try:
        result = parse(text)
    except ImportFailed:
        return
    framework_from_data(result.framework.to_document())
    nonblank = sum(1 for line in text.splitlines() if line.strip())
    assert result.report.placed["map.txt"] + len(result.report.unplaced) == nonblank


@pytest.fixture
def alarm() -> Iterator[None]:
    def hang(signum: int, frame: object) -> None:
        raise TimeoutError("the importer took more than 60 seconds")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_five_megabytes_of_repeated_maps_finish(alarm: None) -> None:
    copies = 5 * 1024 * 1024 // len(TEXT)
    result = parse((TEXT + "\n") * copies)
    tracks = result.framework.tracks
    assert len(tracks) == 4 * copies
    assert tracks[4].key == "android-2" and tracks[5].key == "ios-2"


def test_five_megabytes_of_continuation_lines_finish(alarm: None) -> None:
    text = TEXT + "and then some more words on the line above\n" * (5 * 1024 * 1024 // 44)
    result = parse(text)
    assert any("characters was cut" in w for w in result.report.warnings)
