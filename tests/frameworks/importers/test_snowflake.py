"""The Snowflake importer: Medium's constants.js and its forks, read through a real JS parser."""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladders.frameworks import scoring
from ladders.frameworks.importers.base import ImportFailed, ImportResult
from ladders.frameworks.importers.merge import merge_results
from ladders.frameworks.importers.snowflake import (
    IMPORTER,
    SnowflakeConstants,
    read_constants,
)
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework
from tests.frameworks.conftest import (
    SHARED,
    SNOWFLAKE_POINTS,
    SNOWFLAKE_THRESHOLDS,
    SNOWFLAKE_TITLES,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"
SAMPLE = SHARED / "samples" / "medium-snowflake-constants.js"
FLOW = FIXTURES / "snowflake-fork-flow.js"
TYPESCRIPT = FIXTURES / "snowflake-fork-typescript.ts"

SNOWFLAKE_TRACKS = [
    "MOBILE", "WEB_CLIENT", "FOUNDATIONS", "SERVERS", "PROJECT_MANAGEMENT", "COMMUNICATION",
    "CRAFT", "INITIATIVE", "CAREER_DEVELOPMENT", "ORG_DESIGN", "WELLBEING", "ACCOMPLISHMENT",
    "MENTORSHIP", "EVANGELISM", "RECRUITING", "COMMUNITY",
]  # fmt: skip


def imported(path: Path) -> ImportResult:
    return merge_results([IMPORTER.parse(path.read_text(), path.name)])


def parse(text: str, filename: str = "constants.js") -> ImportResult:
    return merge_results([IMPORTER.parse(text, filename)])


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def unplaced_reasons(result: ImportResult) -> dict[int, str]:
    return {u.line: u.reason for u in result.report.unplaced}


def assert_every_line_accounted_for(result: ImportResult, source: str) -> None:
    report = result.report
    assert report.placed[source] + len(report.unplaced) == report.lines[source]
    assert all(u.reason for u in report.unplaced)


# --- Snowflake's own semantics, written out from the constants as parsed -----------------------


def snowflake_total(constants: SnowflakeConstants, milestones: dict[str, int]) -> int:
    """totalPointsFromMilestoneMap: the sum of milestoneToPoints over the tracks."""
    table = constants.milestone_to_points
    assert table is not None
    total = 0
    for track_id in constants.tracks:
        points = table.points_for(milestones.get(track_id, 0))
        assert points is not None
        total += int(points)
    return total


def snowflake_level(constants: SnowflakeConstants, total: int) -> str | None:
    """The level of the highest pointsToLevels key at or below the total."""
    assert constants.points_to_levels is not None
    level = None
    for points in sorted(int(k) for k in constants.points_to_levels):
        if total >= points:
            level = constants.points_to_levels[str(points)]
    return level


def snowflake_eligible_titles(constants: SnowflakeConstants, total: int) -> list[str]:
    """eligibleTitles: minPoints and maxPoints bound the total when they are defined."""
    assert constants.titles is not None
    return [
        t["label"]
        for t in constants.titles
        if (t.get("minPoints") is None or total >= t["minPoints"])
        and (t.get("maxPoints") is None or total <= t["maxPoints"])
    ]


def milestone_maps(constants: SnowflakeConstants) -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries(
        {
            track_id: st.integers(0, len(track.milestones))
            for track_id, track in constants.tracks.items()
        }
    )


def assert_scores_like_snowflake(
    fw: Framework, constants: SnowflakeConstants, milestones: dict[str, int]
) -> None:
    keys = dict(zip(constants.tracks, (s.key for s in fw.skills), strict=True))
    mapped = {keys[track_id]: n for track_id, n in milestones.items()}
    total = scoring.total_points(fw, mapped)
    assert total == snowflake_total(constants, milestones)
    level = snowflake_level(constants, total)
    assert scoring.level_for_points(fw, total) == level
    assert [t.name for t in scoring.eligible_titles(fw, total)] == snowflake_eligible_titles(
        constants, total
    )
    # The one track climbs with the points: the position held is Snowflake's level.
    (track,) = fw.tracks
    held = scoring.track_level(fw, track, mapped)
    assert (held.code if held else None) == level
    upcoming = scoring.next_level(track, held)
    if upcoming is not None:
        ready = scoring.readiness(fw, track, upcoming, mapped)
        assert not ready.ready
        assert ready.points_missing == upcoming.requirements.min_points - total > 0


# --- the real constants.js ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text()


@pytest.fixture(scope="module")
def sample(sample_text: str) -> ImportResult:
    return parse(sample_text, SAMPLE.name)


@pytest.fixture(scope="module")
def sample_constants(sample_text: str) -> SnowflakeConstants:
    return read_constants(sample_text, SAMPLE.name)


def test_the_real_file_is_detected(sample_text: str) -> None:
    assert IMPORTER.detect(sample_text, SAMPLE.name) == 1.0


def test_the_real_file_imports_lint_clean(sample: ImportResult) -> None:
    assert sample.report.warnings == []
    assert_every_line_accounted_for(sample, SAMPLE.name)


def test_the_real_file_gives_16_skills_in_4_categories(sample: ImportResult) -> None:
    fw = sample.framework
    assert [c.key for c in fw.categories] == ["a", "b", "c", "d"]
    assert [c.name for c in fw.categories] == [
        "Category A",
        "Category B",
        "Category C",
        "Category D",
    ]
    assert len(fw.skills) == 16
    assert [s.key for s in fw.skills][:4] == ["mobile", "web-client", "foundations", "servers"]
    assert [s.category for s in fw.skills] == [c for c in "abcd" for _ in range(4)]
    assert all([m.number for m in s.milestones] == [1, 2, 3, 4, 5] for s in fw.skills)
    assert all(
        len(m.signals) == 3 and len(m.examples) == 3 for s in fw.skills for m in s.milestones
    )
    web = fw.skill("web-client")
    assert web is not None
    assert web.name == "Web client"
    assert web.description.startswith("Develops expertise in web client technologies")
    assert web.milestones[0].summary.startswith("Works effectively within established web client")
    assert fw.skill("project-management") is not None
    assert fw.skill("career-development") is not None


def test_the_real_file_gives_snowflake_scoring(sample: ImportResult) -> None:
    scoring_ = sample.framework.scoring
    assert scoring_.mode == "highest"
    assert scoring_.points == SNOWFLAKE_POINTS
    assert {t.min_points: t.code for t in scoring_.levels} == SNOWFLAKE_THRESHOLDS
    assert len(scoring_.levels) == 15
    assert [(t.name, t.min_points, t.max_points) for t in scoring_.titles] == SNOWFLAKE_TITLES


def test_the_real_file_gives_one_track_of_15_levels(sample: ImportResult) -> None:
    fw = sample.framework
    (track,) = fw.tracks
    assert (track.key, track.name) == ("engineering", "Engineering")
    assert [(lv.requirements.min_points, lv.code) for lv in track.levels] == list(
        SNOWFLAKE_THRESHOLDS.items()
    )
    assert [lv.code for lv in track.levels] == [t.code for t in fw.scoring.levels]
    assert all(not lv.requirements.milestones for lv in track.levels)
    titles = [lv.title for lv in track.levels]
    assert titles[:3] == ["Engineer I"] * 3
    assert titles[3] == "Engineer II"
    assert titles[6] == "Senior Engineer / Group Lead"
    assert titles[9] == "Staff Engineer / Senior Group Lead"
    assert titles[-1] == "Principal Engineer / Director of Engineering"
    assert any(
        "Snowflake has one ladder of levels driven by points" in n for n in sample.report.inferred
    )


def test_the_real_file_is_named_snowflake_and_keyed_by_the_file(sample: ImportResult) -> None:
    fw = sample.framework
    assert (fw.key, fw.name) == ("medium-snowflake-constants", "Snowflake")
    assert parse(SAMPLE.read_text(), "constants.js").framework.key == "snowflake"


def test_positions_on_the_track(sample: ImportResult) -> None:
    fw = sample.framework
    (track,) = fw.tracks
    nobody = scoring.score(fw, {})
    assert nobody.track_level is not None and nobody.track_level.code == "1.1"
    assert nobody.next is not None and nobody.next.level.code == "1.2"
    assert nobody.next.points_missing == 5
    servers_3 = {"servers": 3, "mobile": 2}  # 6 + 3 = 9 points
    held = scoring.track_level(fw, track, servers_3)
    assert held is not None and (held.code, held.title) == ("1.2", "Engineer I")
    top = scoring.track_level(fw, track, {s.key: 5 for s in fw.skills})
    assert top is not None and top.code == "5.3"


def test_the_constants_as_parsed(sample_constants: SnowflakeConstants) -> None:
    assert list(sample_constants.tracks) == SNOWFLAKE_TRACKS
    table = sample_constants.milestone_to_points
    assert table is not None
    assert table.kind == "switch"
    assert table.points == {0: 0, 1: 1, 2: 3, 3: 6, 4: 12, 5: 20}
    assert table.default == 0
    assert sample_constants.points_to_levels == {str(k): v for k, v in SNOWFLAKE_THRESHOLDS.items()}
    assert sample_constants.titles is not None
    assert sample_constants.titles[-1] == {"label": "Director of Engineering", "minPoints": 90}


def test_the_report_says_what_was_left_out_and_why(sample: ImportResult, sample_text: str) -> None:
    reasons = unplaced_reasons(sample)
    assert reasons[1] == "comment"  # // @flow
    assert reasons[line_of(sample_text, "import * as d3")] == "import: code, not framework data"
    assert (
        "type declaration: code, not framework data" in reasons[line_of(sample_text, "type Tracks")]
    )
    assert reasons[line_of(sample_text, "categoryColorScale = d3")].startswith("d3 colour scale")
    helper = reasons[line_of(sample_text, "export const eligibleTitles")]
    assert helper == "helper function 'eligibleTitles': code, not framework data"
    assert "not started" in reasons[line_of(sample_text, "case 0: return 0")]
    assert line_of(sample_text, "default: return 0") in reasons
    # Everything between the first track and the end of titles went into the framework.
    first = line_of(sample_text, "export const tracks")
    last = line_of(sample_text, "export const trackIds") - 1
    assert not [n for n in reasons if first <= n <= last]
    for fragment in ("case 5: return 20", "'135': '5.3'", "{label: 'Engineer I'"):
        assert line_of(sample_text, fragment) not in reasons


def test_the_report_names_what_it_inferred(sample: ImportResult) -> None:
    inferred = "\n".join(sample.report.inferred)
    assert "'A' -> 'Category A'" in inferred
    assert "1: 1, 2: 3, 3: 6, 4: 12, 5: 20" in inferred
    assert "highest" in inferred


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.data_too_large])
@given(data=st.data())
def test_the_real_file_scores_like_snowflake(
    data: st.DataObject, sample: ImportResult, sample_constants: SnowflakeConstants
) -> None:
    milestones = data.draw(milestone_maps(sample_constants))
    assert_scores_like_snowflake(sample.framework, sample_constants, milestones)


def test_the_highest_and_lowest_scores_match_snowflake(
    sample: ImportResult, sample_constants: SnowflakeConstants
) -> None:
    for n in (0, 5):
        assert_scores_like_snowflake(
            sample.framework, sample_constants, dict.fromkeys(sample_constants.tracks, n)
        )
    assert (
        scoring.total_points(sample.framework, {s.key: 5 for s in sample.framework.skills}) == 320
    )


# --- a Flow fork: unquoted keys, three milestones, its own points ------------------------------


def test_flow_fork() -> None:
    result = imported(FLOW)
    assert result.report.warnings == []
    assert_every_line_accounted_for(result, FLOW.name)
    fw = result.framework
    assert [s.key for s in fw.skills] == ["widgets", "gadgets", "paperwork", "tea-rounds"]
    assert [s.name for s in fw.skills][3] == "Tea rounds"
    assert [(c.key, c.name) for c in fw.categories] == [("x", "Category X"), ("y", "Category Y")]
    assert all(len(s.milestones) == 3 for s in fw.skills)
    assert fw.scoring.points == {1: 2, 2: 5, 3: 10}
    assert [(t.min_points, t.code) for t in fw.scoring.levels] == [
        (0, "J1"), (4, "J2"), (10, "M1"), (20, "M2"), (30, "S1"),
    ]  # fmt: skip
    assert [(t.name, t.min_points, t.max_points) for t in fw.scoring.titles] == [
        ("Junior Widgeteer", 0, 9),
        ("Widgeteer", 10, 19),
        ("Senior Widgeteer", 20, None),
        ("Shop Lead", 20, None),
    ]
    widgets = fw.skill("widgets")
    assert widgets is not None
    assert widgets.milestones[1].summary == "Designs new widgets that fit the house style"
    assert (
        widgets.milestones[1].examples[1] == "Retired the wobbly widget without breaking any orders"
    )
    assert widgets.milestones[0].signals[1] == "Asks before inventing a new sprocket"
    assert any("'X' -> 'Category X'" in note for note in result.report.inferred)
    (track,) = fw.tracks
    assert [(lv.code, lv.title, lv.requirements.min_points) for lv in track.levels] == [
        ("J1", "Junior Widgeteer", 0),
        ("J2", "Junior Widgeteer", 4),
        ("M1", "Widgeteer", 10),
        ("M2", "Senior Widgeteer / Shop Lead", 20),
        ("S1", "Senior Widgeteer / Shop Lead", 30),
    ]
    text = FLOW.read_text()
    assert unplaced_reasons(result)[line_of(text, "// the top of the ladder")] == "comment"


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_flow_fork_scores_like_snowflake(data: st.DataObject) -> None:
    constants = read_constants(FLOW.read_text(), FLOW.name)
    fw = imported(FLOW).framework
    assert_scores_like_snowflake(fw, constants, data.draw(milestone_maps(constants)))


# --- a TypeScript fork: Record<string, Track>, Title[], named categories, array lookup ---------


def test_typescript_fork() -> None:
    result = imported(TYPESCRIPT)
    assert result.report.warnings == []
    assert_every_line_accounted_for(result, TYPESCRIPT.name)
    fw = result.framework
    assert [(c.key, c.name) for c in fw.categories] == [("build", "Building"), ("care", "Caring")]
    assert [(s.key, s.category) for s in fw.skills] == [
        ("sprockets", "build"),
        ("gardening", "care"),
    ]
    assert all(len(s.milestones) == 4 for s in fw.skills)
    assert fw.scoring.points == {1: 1, 2: 2, 3: 4, 4: 8}
    assert [(t.min_points, t.code) for t in fw.scoring.levels] == [
        (0, "IC1"), (4, "IC2"), (8, "IC3"), (14, "IC4"),
    ]  # fmt: skip
    assert [(t.name, t.min_points, t.max_points) for t in fw.scoring.titles] == [
        ("Apprentice", 0, 7),
        ("Journeyman", 8, 13),
        ("Master", 14, None),
    ]
    assert [(lv.code, lv.title) for lv in fw.tracks[0].levels] == [
        ("IC1", "Apprentice"), ("IC2", "Apprentice"), ("IC3", "Journeyman"), ("IC4", "Master"),
    ]  # fmt: skip
    text = TYPESCRIPT.read_text()
    reasons = unplaced_reasons(result)
    assert line_of(text, "BUILD: 'Building'") not in reasons
    assert "not part of a ladders framework" in reasons[line_of(text, "BUILD: '#0a0b0c'")]
    assert reasons[line_of(text, "export interface Track")].startswith("type declaration")
    constants = read_constants(text, TYPESCRIPT.name)
    assert constants.milestone_to_points is not None
    assert constants.milestone_to_points.kind == "array"
    assert constants.milestone_to_points.default == 0


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_typescript_fork_scores_like_snowflake(data: st.DataObject) -> None:
    constants = read_constants(TYPESCRIPT.read_text(), TYPESCRIPT.name)
    fw = imported(TYPESCRIPT).framework
    assert_scores_like_snowflake(fw, constants, data.draw(milestone_maps(constants)))


# --- the shapes forks take ---------------------------------------------------------------------

TRACK = """{
    displayName: 'Knitting', category: 'Crafts',
    milestones: [{summary: 'Casts on'}, {summary: 'Turns a heel'}, {summary: 'Designs a jumper'}],
  }"""


def small_module(points: str, extra: str = "") -> str:
    return f"""
export const tracks = {{
  KNITTING: {TRACK},
}}
{points}
{extra}
"""


def test_points_from_a_function_declaration_with_cases_that_fall_through() -> None:
    result = parse(
        small_module(
            """
export function milestoneToPoints(milestone) {
  switch (milestone) {
    case 1:
    case 2: { return 4 }
    default: return 9
  }
}"""
        )
    )
    assert result.framework.scoring.points == {1: 4, 2: 4, 3: 9}
    assert any("milestone(s) 3: worth its default" in n for n in result.report.inferred)
    assert result.report.warnings == []


def test_points_from_an_object_lookup() -> None:
    result = parse(small_module("const milestoneToPoints = {0: 0, 1: 2, '2': 4, 3: 8}"))
    assert result.framework.scoring.points == {1: 2, 2: 4, 3: 8}
    assert any("object at line" in n for n in result.report.inferred)


def test_points_from_an_array_lookup_function() -> None:
    result = parse(small_module("const milestoneToPoints = (m) => [0, 3, 5, 7][m]"))
    assert result.framework.scoring.points == {1: 3, 2: 5, 3: 7}


def test_a_category_written_out_keeps_its_name() -> None:
    fw = parse(small_module("")).framework
    assert [(c.key, c.name) for c in fw.categories] == [("crafts", "Crafts")]


def test_category_names_from_an_array_of_objects() -> None:
    extra = (
        "export const categories = [{id: 'Crafts', name: 'Making things', description: 'By hand'}]"
    )
    fw = parse(small_module("", extra)).framework
    assert [(c.key, c.name, c.description) for c in fw.categories] == [
        ("crafts", "Making things", "By hand")
    ]


def test_without_points_the_default_table_is_used_and_said() -> None:
    result = parse(small_module(""))
    assert result.framework.scoring.points == {1: 1, 2: 3, 3: 6, 4: 12, 5: 20}
    assert any("no milestoneToPoints found" in n for n in result.report.inferred)


def test_without_thresholds_there_is_no_track() -> None:
    result = parse(small_module(""))
    assert result.framework.tracks == []
    assert result.report.warnings == []
    assert any("no level thresholds, so no track" in n for n in result.report.inferred)


def test_levels_without_an_eligible_title_and_repeated_codes() -> None:
    extra = (
        "export const pointsToLevels = {'0': 'A', '3': 'B', '6': 'B', '9': 'C'}\n"
        "export const titles = [{label: 'Knitter', minPoints: 3}]"
    )
    result = parse(small_module("", extra))
    fw = result.framework
    assert [(t.min_points, t.code) for t in fw.scoring.levels] == [
        (0, "A"), (3, "B"), (6, "B"), (9, "C"),
    ]  # fmt: skip
    (track,) = fw.tracks
    assert [(lv.code, lv.title, lv.requirements.min_points) for lv in track.levels] == [
        ("A", "Level A", 0),
        ("B", "Knitter", 3),
        ("C", "Knitter", 9),
    ]
    inferred = "\n".join(result.report.inferred)
    assert "no title is eligible at the threshold of level(s) A" in inferred
    assert "repeats level code(s) 'B' at 6" in inferred
    knitting_2 = {"knitting": 2}  # 3 points
    held = scoring.track_level(fw, track, knitting_2)
    assert held is not None and held.code == scoring.level_for_points(fw, 3) == "B"


def test_strings_are_decoded_not_evaluated() -> None:
    text = r"""
const tracks = {
  'A': {
    displayName: "Caf\u00e9 \x26 \"more\"",
    category: `Top`,
    description: `Line one\nline two`,
    milestones: [{summary: 'It\'s fine', signals: [`uses ${danger}`, (() => 'no')()]}],
  },
}
"""
    result = parse(text)
    skill = result.framework.skills[0]
    assert skill.name == 'Café & "more"'
    assert skill.description == "Line one\nline two"
    assert skill.milestones[0].summary == "It's fine"
    assert skill.milestones[0].signals == []
    assert sum("is not literal text" in w for w in result.report.warnings) == 2


def test_unknown_track_fields_are_left_out_with_a_reason() -> None:
    text = small_module("").replace("displayName:", "icon: 'yarn.svg',\n    displayName:")
    result = parse(text)
    reasons = unplaced_reasons(result)
    assert any(
        "'icon' of track 'KNITTING' is not part of a ladders skill" in r for r in reasons.values()
    )


def test_a_file_without_tracks_fails_clearly() -> None:
    with pytest.raises(ImportFailed, match="no `tracks`"):
        IMPORTER.parse("export const milestoneToPoints = (m) => m\n", "constants.js")
    with pytest.raises(ImportFailed, match="no `tracks` object found"):
        IMPORTER.parse("import { tracks } from './tracks'\nexport { tracks }\n", "constants.js")
    with pytest.raises(ImportFailed, match="holds no track objects"):
        IMPORTER.parse("export const tracks = {}\n", "constants.js")


def test_syntax_the_parser_cannot_read_is_warned_about_and_read_around() -> None:
    text = FLOW.read_text().replace("export type Track = {|", "export type Track = {| +id: string,")
    text = text.replace("displayName: 'Paperwork',", "displayName: 'Paperwork' %%,")
    result = parse(text, FLOW.name)
    assert len(result.framework.skills) == 4
    assert any("did not parse as JavaScript/TypeScript" in w for w in result.report.warnings)
    reasons = unplaced_reasons(result)
    assert reasons[line_of(text, "+id: string")] == "did not parse as JavaScript/TypeScript"


def test_detect_is_specific() -> None:
    assert IMPORTER.detect(FLOW.read_text(), FLOW.name) == 1.0
    assert IMPORTER.detect(TYPESCRIPT.read_text(), TYPESCRIPT.name) == 1.0
    assert IMPORTER.detect((SHARED / "samples" / "monzo-backend.md").read_text(), "backend.md") == 0
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        assert IMPORTER.detect(seed.read_text(), seed.name) == 0, seed.name
    assert IMPORTER.detect("schema: ladders/v1\nkey: x\nname: tracks\n", "f.yaml") == 0
    assert (
        IMPORTER.detect("const tracks = 1\n", "music.js")
        < 0.5
        < IMPORTER.detect("export const tracks = {A: {}}\n", "constants.js")
    )


# --- nothing but ImportResult or ImportFailed, on any input ------------------------------------


def check_any_outcome(text: str, filename: str = "constants.js") -> None:
    try:
        result = IMPORTER.parse(text, filename)
    except ImportFailed:
        return
    framework_from_data(result.framework.to_document())
    assert_every_line_accounted_for(result, filename)


edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "insert", "truncate"]),
        st.integers(min_value=0, max_value=10_000),
        st.text(max_size=30),
    ),
    max_size=8,
)


def mutate(text: str, changes: list[tuple[str, int, str]]) -> str:
    lines = text.splitlines(keepends=True)
    for kind, position, noise in changes:
        if not lines:
            break
        at = position % len(lines)
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "insert":
            lines.insert(at, noise + "\n")
        else:
            cut = position % (len("".join(lines)) + 1)
            lines = ["".join(lines)[:cut]]
    return "".join(lines)


@settings(max_examples=150, deadline=None)
@given(
    source=st.sampled_from([FLOW, TYPESCRIPT]),
    changes=edits,
)
def test_mutated_forks_import_or_fail_cleanly(
    source: Path, changes: list[tuple[str, int, str]]
) -> None:
    check_any_outcome(mutate(source.read_text(), changes), source.name)


@settings(max_examples=30, deadline=None)
@given(changes=edits)
def test_the_mutated_real_file_imports_or_fails_cleanly(
    changes: list[tuple[str, int, str]], sample_text: str
) -> None:
    check_any_outcome(mutate(sample_text, changes), SAMPLE.name)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=400))
def test_random_text_imports_or_fails_cleanly(text: str) -> None:
    check_any_outcome(text)
    check_any_outcome("const tracks = {" + text)
    check_any_outcome(
        f"export const tracks = {{ A: {{ displayName: {text!r}, milestones: [{text}] }} }}"
    )


@pytest.fixture
def alarm() -> Iterator[None]:
    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("the importer took more than 60 seconds")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_five_megabytes_finish(alarm: None) -> None:
    fixture = FLOW.read_text()
    text = fixture * (5_000_000 // len(fixture))
    result = IMPORTER.parse(text, FLOW.name)
    assert len(result.framework.skills) == 4
    assert any("defined again" in w for w in result.report.warnings)


def test_a_megabyte_of_junk_finishes(alarm: None) -> None:
    # Tree-sitter's error recovery is slow on junk; the importer gives it a time budget.
    rng = random.Random(5)
    pieces = ["a: 1,", '"x', "'y", "`z", "/*", "*/", ":", "=>", "{}", "[]", ")(", "tracks", "\n"]
    junk = "export const tracks = {\n" + "".join(rng.choice(pieces) for _ in range(400_000))
    check_any_outcome(junk)


def test_deep_nesting_is_refused_before_it_reaches_the_parser() -> None:
    # Tens of thousands of nested `{a:` make tree-sitter recurse until the process crashes.
    with pytest.raises(ImportFailed, match="nest more than"):
        IMPORTER.parse("const tracks = " + "{a:" * 50_000 + "}" * 50_000, "deep.js")
