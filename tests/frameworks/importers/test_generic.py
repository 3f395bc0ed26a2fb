"""The generic importer: ladders in Markdown, HTML or plain text with no known shape."""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladders.frameworks.importers.base import ImportFailed, ImportResult
from ladders.frameworks.importers.generic import IMPORTER, level_name
from ladders.frameworks.importers.merge import merge_results
from ladders.frameworks.loader import framework_from_data
from tests.frameworks.conftest import SHARED

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "importers"
FILES = [
    "generic-levels.md",
    "generic-tracks.md",
    "generic-topics.md",
    "generic-table.md",
    "generic-columns.md",
    "generic-front-matter.md",
    "generic.html",
    "generic.txt",
]
DEFAULT_REASON = "not recognised as part of a framework"


def read(name: str) -> ImportResult:
    path = FIXTURES / name
    return IMPORTER.parse(path.read_text(encoding="utf-8"), str(path))


def skills(result: ImportResult) -> dict[str, dict[int, dict[str, Any]]]:
    """key -> milestone number -> {summary, signals, examples}, only the parts that are set."""
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for skill in result.framework.skills:
        out[skill.key] = {}
        for m in skill.milestones:
            parts: dict[str, Any] = {"signals": list(m.signals)}
            if m.summary:
                parts["summary"] = m.summary
            if m.examples:
                parts["examples"] = list(m.examples)
            out[skill.key][m.number] = parts
    return out


def levels(result: ImportResult, track: int = 0) -> list[dict[str, Any]]:
    out = []
    for level in result.framework.tracks[track].levels:
        data: dict[str, Any] = {"code": level.code}
        for part in ("title", "summary", "experience", "responsibility"):
            if getattr(level, part):
                data[part] = getattr(level, part)
        if level.expectations:
            data["expectations"] = [
                {"topic": g.topic, "items": g.items} for g in level.expectations
            ]
        data["requires"] = dict(level.requirements.milestones)
        out.append(data)
    return out


def unplaced(result: ImportResult) -> list[tuple[int, str]]:
    return [(u.line, u.reason) for u in result.report.unplaced]


def accounted(result: ImportResult, name: str) -> None:
    """Every non-blank line is placed or listed as unplaced, with a reason of its own."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    source = str(FIXTURES / name)
    nonblank = sum(1 for line in text.splitlines() if line.strip())
    report = result.report
    assert report.lines[source] == nonblank
    assert report.placed[source] + len(report.unplaced) == nonblank
    assert all(u.reason != DEFAULT_REASON for u in report.unplaced)


# --- Each fixture, exactly ----------------------------------------------------------------------


def test_levels_with_topic_headings_bold_lines_and_topic_lines() -> None:
    result = read("generic-levels.md")
    fw = result.framework
    assert fw.name == "Platform Engineering Ladder"
    assert [c.key for c in fw.categories] == ["skills"]
    assert [(s.key, s.name) for s in fw.skills] == [
        ("delivery", "Delivery"),
        ("collaboration", "Collaboration"),
        ("operations", "Operations"),
    ]
    assert skills(result) == {
        "delivery": {
            1: {
                "signals": [
                    "Finishes tickets that someone else has broken down",
                    "Adds tests next to every change",
                ],
                "examples": ["wrote the retry wrapper for the billing client"],
            },
            2: {
                "summary": "Owns features end to end.",
                "signals": [
                    "Breaks a feature into reviewable pull requests",
                    "Keeps dashboards for the services they run with alerts that page the "
                    "right people",
                ],
            },
            3: {
                "signals": ["Leads projects that span several services"],
                "examples": ["Led the migration of the job queue to the new cluster"],
            },
        },
        "collaboration": {
            1: {
                "signals": ["Posts a short daily status in the team channel"],
                "examples": ["paired with the on-call engineer during an incident"],
            },
            2: {"signals": ["Reviews pull requests from across the team within a day"]},
            3: {"signals": ["Mentors at least one engineer", "Adds tests next to every change"]},
        },
        "operations": {3: {"signals": ["Runs the incident review after every outage they lead"]}},
    }
    track = fw.tracks[0]
    assert (track.key, track.name) == ("platform-engineering-ladder", "Platform Engineering Ladder")
    assert track.description == (
        "How platform engineers grow here, from first tickets to company-wide systems."
    )
    assert levels(result) == [
        {
            "code": "L1",
            "title": "Junior Engineer",
            "summary": "Ships small, well-scoped changes with help.",
            "experience": "0-2 years",
            "expectations": [{"topic": "", "items": ["Asks for help early when stuck"]}],
            "requires": {"delivery": 1, "collaboration": 1},
        },
        {
            "code": "L2",
            "title": "Engineer II",
            "experience": "2-5 years",
            "expectations": [{"topic": "", "items": ["Plans their own week without prompting"]}],
            "requires": {"delivery": 2, "collaboration": 2},
        },
        {
            "code": "L3",
            "title": "Senior Engineer",
            "requires": {"delivery": 3, "collaboration": 3, "operations": 3},
        },
    ]
    assert unplaced(result) == [
        (1, "page chrome"),
        (49, "repeats text already in milestone 1 of 'Delivery'"),
        (64, "a horizontal rule (decoration)"),
        (66, "heading of a section with no level in it"),
        (68, "not under a level heading"),
        (70, "code block"),
        (71, "code block"),
        (72, "code block"),
    ]
    inferred = result.report.inferred
    assert "read as Markdown" in inferred
    assert (
        "level L1 'Junior Engineer' of track 'Platform Engineering Ladder' (milestone 1 of its "
        "skills) from the heading at line 7"
    ) in inferred
    assert "skill 'Delivery' (delivery) from the headings at lines 15, 32, 46" in inferred
    assert "skill 'Operations' (operations) from the headings at line 60" in inferred
    assert any("are that level's expectations" in note for note in inferred)


def test_several_tracks_one_without_topics() -> None:
    result = read("generic-tracks.md")
    fw = result.framework
    assert fw.name == "Acme Engineering Career Paths"
    assert [(t.key, t.name) for t in fw.tracks] == [
        ("individual-contributor-track", "Individual Contributor Track"),
        ("management-track", "Management Track"),
    ]
    assert [(c.key, c.name) for c in fw.categories] == [
        ("individual-contributor-track", "Individual Contributor Track"),
        ("management-track", "Management Track"),
    ]
    # The IC track has no topics: its bullets are the milestones of one skill named after it.
    assert skills(result) == {
        "individual-contributor-track": {
            1: {
                "signals": [
                    "Learns the codebase by fixing small bugs",
                    "Writes clear commit messages",
                ]
            },
            2: {
                "signals": ["Designs a component and explains the trade-offs"],
                "examples": ["chose a queue over polling for the export job"],
            },
            3: {"signals": ["Sets the technical direction of a team"]},
        },
        "management-track-people": {
            1: {"signals": ["Holds a one-to-one with each report every week"]},
            2: {"signals": ["Grows new team leads"]},
        },
        "management-track-delivery": {
            1: {"signals": ["Keeps the roadmap honest about what will ship"]},
            2: {"signals": ["Balances several teams' roadmaps against each other"]},
        },
    }
    assert [s.category for s in fw.skills] == [
        "individual-contributor-track",
        "management-track",
        "management-track",
    ]
    assert levels(result, 0) == [
        {"code": "IC1", "requires": {"individual-contributor-track": 1}},
        {"code": "IC2", "requires": {"individual-contributor-track": 2}},
        {"code": "IC3", "requires": {"individual-contributor-track": 3}},
    ]
    assert levels(result, 1) == [
        {
            "code": "M1",
            "title": "Team Lead",
            "expectations": [{"topic": "", "items": ["Runs the weekly planning meeting"]}],
            "requires": {"management-track-people": 1, "management-track-delivery": 1},
        },
        {
            "code": "M2",
            "title": "Engineering Manager",
            "requires": {"management-track-people": 2, "management-track-delivery": 2},
        },
    ]
    assert unplaced(result) == []
    assert any("no topics under its levels" in note for note in result.report.inferred)


def test_topics_first_with_levels_under_each_topic() -> None:
    result = read("generic-topics.md")
    fw = result.framework
    assert fw.name == "Data Science Ladder"
    assert [(s.key, s.name, s.description) for s in fw.skills] == [
        ("craft", "Craft", "Technical skill with data and models."),
        ("teamwork", "Teamwork", ""),
    ]
    assert skills(result) == {
        "craft": {
            1: {
                "signals": [
                    "Cleans a data set and documents each step",
                    "Builds a baseline model before anything fancier",
                ]
            },
            2: {"signals": ["Chooses an evaluation metric that matches the business goal"]},
            3: {
                "signals": ["Designs experiments other teams rely on"],
                "examples": ["the pricing test framework used by three squads"],
            },
        },
        "teamwork": {
            1: {"signals": ["Shares notebooks that others can run"]},
            2: {"signals": ["Explains results to people outside the team"]},
            3: {"signals": ["Coaches analysts on statistical pitfalls"]},
        },
    }
    assert levels(result) == [
        {"code": "Junior", "requires": {"craft": 1, "teamwork": 1}},
        {"code": "Mid-level", "requires": {"craft": 2, "teamwork": 2}},
        {"code": "Senior", "requires": {"craft": 3, "teamwork": 3}},
    ]
    assert fw.tracks[0].description.startswith("The ladder is organised by competency")
    assert unplaced(result) == []


def test_table_with_a_level_column() -> None:
    result = read("generic-table.md")
    assert skills(result) == {
        "troubleshooting": {
            1: {"signals": ["Follows the runbook for known issues"]},
            2: {"signals": ["Reproduces bugs before escalating", "Writes new runbook pages"]},
            3: {"signals": ["Finds the root cause across several systems"]},
        },
        "customer-care": {
            1: {"signals": ["Replies to tickets within the agreed time"]},
            2: {
                "signals": ["Keeps customers updated without being asked"],
                "examples": ["daily notes during a long outage"],
            },
            3: {"signals": ["Handles the most difficult accounts"]},
        },
    }
    assert levels(result) == [
        {
            "code": "L1",
            "title": "Associate Support Engineer",
            "requires": {"troubleshooting": 1, "customer-care": 1},
        },
        {
            "code": "L2",
            "title": "Support Engineer",
            "requires": {"troubleshooting": 2, "customer-care": 2},
        },
        {
            "code": "L3",
            "title": "Senior Support Engineer",
            "requires": {"troubleshooting": 3, "customer-care": 3},
        },
    ]
    assert result.framework.tracks[0].description == "Levels are reviewed every six months."
    assert unplaced(result) == []
    assert (
        "table at line 3: one level per row (column 'Level'), columns: Title, Troubleshooting, "
        "Customer care"
    ) in result.report.inferred


def test_table_with_a_level_per_column() -> None:
    result = read("generic-columns.md")
    assert skills(result) == {
        "test-design": {
            1: {"signals": ["Writes test cases from a written spec"]},
            2: {"signals": ["Designs a test plan for a whole feature"]},
            3: {"signals": ["Sets the test strategy for a product area"]},
        },
        "automation": {
            1: {"signals": ["Runs the existing automated suites"]},
            2: {"signals": ["Adds automated checks to the pipeline"]},
            3: {"signals": ["Builds the automation framework others use"]},
        },
    }
    assert levels(result) == [
        {
            "code": "L1",
            "summary": "Learning the product",
            "requires": {"test-design": 1, "automation": 1},
        },
        {
            "code": "L2",
            "summary": "Works independently",
            "requires": {"test-design": 2, "automation": 2},
        },
        {
            "code": "L3",
            "summary": "Leads quality for an area",
            "requires": {"test-design": 3, "automation": 3},
        },
    ]
    assert unplaced(result) == []
    assert (
        "table at line 3: one level per column (L1, L2, L3), one topic per row"
        in result.report.inferred
    )


def test_front_matter_that_holds_a_ladder() -> None:
    result = read("generic-front-matter.md")
    fw = result.framework
    assert fw.name == "Analytics Progression"
    assert [(s.key, s.name) for s in fw.skills] == [
        ("querying", "Querying"),
        ("storytelling", "Storytelling"),
    ]
    assert skills(result) == {
        "querying": {
            1: {"signals": ["Writes SELECT statements with simple filters"]},
            2: {
                "signals": ["Joins several tables and checks the row counts"],
                "examples": ["Rebuilt the weekly revenue query"],
            },
        },
        "storytelling": {
            1: {"signals": ["Labels every chart axis"]},
            3: {"signals": ["Presents findings to the leadership team"]},
        },
    }
    assert levels(result) == [
        {"code": "L1", "requires": {"querying": 1, "storytelling": 1}},
        {"code": "L2", "requires": {"querying": 2}},
        {"code": "L3", "requires": {"storytelling": 3}},
    ]
    assert unplaced(result) == [
        (3, "front matter field 'layout' is not part of the ladder"),
        (26, "heading of a section with no level in it"),
        (28, "not under a level heading"),
    ]


def test_html_page() -> None:
    result = read("generic.html")
    fw = result.framework
    assert fw.name == "Product Design Ladder"
    assert skills(result) == {
        "craft": {
            1: {
                "signals": [
                    "Produces clean mock-ups from an agreed brief",
                    "Uses the design system without detaching components",
                ]
            },
            2: {"signals": ["Designs complete flows, including the error states"]},
        },
        "research": {
            1: {
                "signals": ["Takes notes in user interviews"],
                "examples": ["ran the note-taking for the onboarding study"],
            },
            2: {"signals": ["Plans and runs a usability test on their own"]},
        },
    }
    assert levels(result) == [
        {
            "code": "P1",
            "title": "Associate Designer",
            "experience": "up to two years",
            "requires": {"craft": 1, "research": 1},
        },
        {"code": "P2", "title": "Designer", "requires": {"craft": 2, "research": 2}},
    ]
    assert fw.tracks[0].description == "What we expect from designers at each level."
    assert unplaced(result) == [
        (4, "page title: the document's first heading names it"),
        (5, "style sheet"),
        (9, "page navigation"),
        (10, "page navigation"),
        (36, "HTML comment"),
        (37, "script"),
        (38, "page footer"),
    ]
    assert "read as HTML" in result.report.inferred
    assert "17 lines hold only HTML tags: counted as placed" in result.report.inferred


def test_plain_text() -> None:
    result = read("generic.txt")
    fw = result.framework
    assert fw.name == "Mobile Developer"
    assert skills(result) == {
        "building": {
            1: {
                "signals": [
                    "Implements screens from finished designs",
                    "Fixes crashes reported by the team",
                ],
                "examples": ["fixed the image cache crash on older phones"],
            },
            2: {
                "signals": [
                    "Builds features that work offline",
                    "Profiles the app and removes slow start-up work",
                ]
            },
            3: {"signals": ["Designs the architecture of a new app module"]},
        },
        "working-with-others": {
            1: {
                "signals": [
                    "Asks questions in design reviews",
                    "Writes release notes for their changes which the support team can read",
                ]
            },
            2: {"signals": ["Leads the demo of their feature at the sprint review"]},
            3: {"signals": ["Mentors two engineers through their first release"]},
        },
    }
    assert levels(result) == [
        {"code": "Engineer I", "requires": {"building": 1, "working-with-others": 1}},
        {"code": "Engineer II", "requires": {"building": 2, "working-with-others": 2}},
        {"code": "Senior Engineer", "requires": {"building": 3, "working-with-others": 3}},
    ]
    assert unplaced(result) == [(1, "page chrome"), (2, "page chrome")]
    assert any(
        "also read as this skill: 'Working with others & mentoring' (line 38)" in note
        for note in result.report.inferred
    )


@pytest.mark.parametrize("name", FILES)
def test_every_line_is_accounted_for_and_the_result_lints_clean(name: str) -> None:
    result = read(name)
    accounted(result, name)
    assert result.report.formats == {str(FIXTURES / name): "generic"}
    assert result.report.warnings == []
    assert merge_results([result]).report.warnings == []


# --- Recognising levels, ordering, failures -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "title"),
    [
        ("Level 3", "L3", ""),
        ("Level 3 — Senior Engineer", "L3", "Senior Engineer"),
        ("level 2: Engineer", "L2", "Engineer"),
        ("L4", "L4", ""),
        ("L4 · Staff", "L4", "Staff"),
        ("IC3", "IC3", ""),
        ("E5", "E5", ""),
        ("P2 - Designer", "P2", "Designer"),
        ("M1", "M1", ""),
        ("Grade 2", "Grade 2", ""),
        ("Senior Engineer", "Senior Engineer", "Senior Engineer"),
        ("Staff Engineer", "Staff Engineer", "Staff Engineer"),
        ("Engineer II", "Engineer II", "Engineer II"),
        ("Principal", "Principal", "Principal"),
        ("Junior", "Junior", "Junior"),
        ("Lead", "Lead", "Lead"),
        ("3. Senior Engineer", "3", "Senior Engineer"),
        ("**Level 1**", "L1", ""),
        ("## 🚀 L2", "L2", ""),
        ("Senior Engineer (L4)", "L4", "Senior Engineer"),
        ("Staff Engineer – IC5", "IC5", "Staff Engineer"),
    ],
)
def test_level_names(text: str, code: str, title: str) -> None:
    name = level_name(text.lstrip("# "))
    assert name is not None
    assert (name.code, name.title) == (code, title)


@pytest.mark.parametrize(
    "text",
    [
        "Backend Developer",
        "Software Engineer",
        "Mastery",
        "Leadership",
        "Level 3 engineers lead projects",
        "Step 1: install",
        "E.g. a thing",
        "M1 Mac",
        "1. Introduction",
        "Levels",
        "Communication (L4)",
    ],
)
def test_not_level_names(text: str) -> None:
    assert level_name(text) is None


def test_levels_listed_from_the_top_are_ordered_by_number() -> None:
    text = "# Ladder\n\n## Level 3\n\n- Leads\n\n## Level 2\n\n- Owns\n\n## Level 1\n\n- Learns\n"
    result = IMPORTER.parse(text, "down.md")
    assert [lv.code for lv in result.framework.tracks[0].levels] == ["L1", "L2", "L3"]
    assert skills(result) == {
        "ladder": {
            1: {"signals": ["Learns"]},
            2: {"signals": ["Owns"]},
            3: {"signals": ["Leads"]},
        }
    }
    assert any("ordered by their number" in note for note in result.report.inferred)


def test_more_than_five_levels_extend_the_points_table() -> None:
    text = "\n\n".join(f"Level {n}\n\nTopic: Craft\n\n- Does thing number {n}" for n in range(1, 8))
    result = IMPORTER.parse(text, "seven.txt")
    assert result.framework.scoring.points[7] == 40
    assert merge_results([result]).report.warnings == []


@pytest.mark.parametrize(
    ("text", "filename"),
    [
        ("# Notes\n\nNothing here is a ladder.\n\n- just a list\n", "notes.md"),
        ("", "empty.txt"),
        ("<html><body><p>Hello</p></body></html>", "page.html"),
        ("| Name | Team |\n|---|---|\n| Ada | Core |\n", "people.md"),
    ],
)
def test_no_levels_is_a_clear_failure(text: str, filename: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        IMPORTER.parse(text, filename)
    message = str(failure.value)
    assert message.startswith(f"{filename}: no levels found: ")
    assert "'Level 2', 'L3', 'Senior Engineer', or a table with a Level column" in message


def test_detect_is_low_for_ladders_and_zero_for_other_things() -> None:
    for name in FILES:
        text = (FIXTURES / name).read_text(encoding="utf-8")
        assert 0 < IMPORTER.detect(text, name) <= 0.3, name
    assert IMPORTER.detect("# Notes\n\nSome prose about nothing.\n", "notes.md") == 0
    assert IMPORTER.detect("schema: ladders/v1\nkey: x\n", "x.yaml") == 0
    snowflake = (SHARED / "samples" / "medium-snowflake-constants.js").read_text(encoding="utf-8")
    assert IMPORTER.detect(snowflake, "medium-snowflake-constants.js") == 0


# --- The real documents (for information: reasonable, not exact) ---------------------------------


def test_real_role_ladder_seed() -> None:
    path = next((SHARED / "seeds").glob("003_*.txt"))
    result = IMPORTER.parse(path.read_text(encoding="utf-8"), path.name)
    fw = result.framework
    assert fw.name == "Backend Developer"
    assert [lv.code for lv in fw.tracks[0].levels] == ["L1", "L2", "L3", "L4", "L5", "L6"]
    assert [s.name for s in fw.skills] == [
        "Mastery",
        "Impact",
        "Influence",
        "Communication",
        "Leadership",
    ]
    assert [m.number for m in fw.skill("leadership").milestones] == [3, 4, 5, 6]  # type: ignore[union-attr]
    assert sum(len(m.signals) for s in fw.skills for m in s.milestones) > 100
    assert [u.text for u in result.report.unplaced] == ["Skip to content", "On this page"]
    assert merge_results([result]).report.warnings == []


def test_real_monzo_markdown_read_as_generic() -> None:
    path = SHARED / "samples" / "monzo-backend.md"
    result = IMPORTER.parse(path.read_text(encoding="utf-8"), path.name)
    fw = result.framework
    assert fw.name == "Backend Engineering Framework"
    assert sorted(s.key for s in fw.skills) == [
        "communication",
        "impact",
        "influence",
        "leadership",
        "mastery",
    ]
    assert [lv.code for lv in fw.tracks[0].levels] == ["L1", "L2", "L3", "L4", "L5", "L6"]
    examples = sum(len(m.examples) for s in fw.skills for m in s.milestones)
    assert examples > 10
    # The prose after the front matter has no levels: listed as unplaced with its reason.
    reasons = {u.reason for u in result.report.unplaced}
    assert "not under a level heading" in reasons
    assert merge_results([result]).report.warnings == []


# --- Any input: an ImportResult that validates, or ImportFailed ---------------------------------


def _outcome(text: str, filename: str) -> None:
    try:
        result = IMPORTER.parse(text, filename)
    except ImportFailed as failure:
        assert "internal error" not in str(failure)
        return
    framework_from_data(result.framework.to_document(), filename)
    merge_results([result])


_SOURCES = {name: (FIXTURES / name).read_text(encoding="utf-8") for name in FILES}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(FILES))
    lines = _SOURCES[name].splitlines()
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(0, 8))):
        action = rng.choice(["delete", "duplicate", "insert", "swap"])
        if not lines:
            break
        i = rng.randrange(len(lines))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            lines.insert(i, draw(st.text(max_size=40)))
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    text = "\n".join(lines)
    cut = draw(st.integers(0, len(text)))
    return name, text[: cut if draw(st.booleans()) else len(text)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_fixtures_import_or_fail_cleanly(case: tuple[str, str]) -> None:
    name, text = case
    _outcome(text, name)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"Level 123 LICE#*-•|<>/hpuli:\n\t ", "**", "<h2>", "<li>", "E.g.", "---\n"]
        )
        | st.text(max_size=3),
        max_size=200,
    ).map("".join),
    st.sampled_from(["random.md", "random.txt", "random.html", "random"]),
)
def test_random_text_imports_or_fails_cleanly(text: str, filename: str) -> None:
    _outcome(text, filename)


@pytest.mark.parametrize(
    "text",
    [
        "<div>" * 20_000 + "<h2>Level 1</h2><ul><li>Does things</li></ul>",
        ">" * 5_000 + " Level 1",
        "".join("  " * i + "- Level 1\n" for i in range(500)),
        "Level 1\n\nTopic: Craft\n\n- " + "word " * 200_000,
        "---\n" + "a:\n " * 2_000 + "level: 1\n---\n",
        "\x00\x0b\x0c\u2028Level 1\u2029- x\r\n\rL2\n",
    ],
)
def test_hostile_shapes_import_or_fail_cleanly(text: str) -> None:
    for filename in ("hostile.md", "hostile.html", "hostile.txt"):
        _outcome(text, filename)


@pytest.fixture
def alarm() -> Iterator[None]:
    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("the import did not finish in 60 s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", ["generic.txt", "generic.html"])
def test_five_megabytes_finish(name: str, alarm: None) -> None:
    block = _SOURCES[name]
    text = block * (5 * 1024 * 1024 // len(block))
    result = IMPORTER.parse(text, name)
    assert merge_results([result]).report.warnings == []
    assert result.report.placed[name] + len(result.report.unplaced) == result.report.lines[name]
