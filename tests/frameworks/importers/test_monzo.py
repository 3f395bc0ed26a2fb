"""The Monzo importer: Markdown with YAML front matter (topics, levels) to `ladders/v1`."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ladders.frameworks.importers import detect_format, import_documents
from ladders.frameworks.importers.base import ImportFailed, ImportResult
from ladders.frameworks.importers.merge import merge_results
from ladders.frameworks.importers.monzo import IMPORTER, _without_leading_symbols
from ladders.frameworks.loader import framework_from_data
from tests.frameworks.conftest import FIXTURES, SHARED

SAMPLE = SHARED / "samples" / "monzo-backend.md"
FIXTURE = FIXTURES / "importers" / "monzo-like.md"
DEFAULT_REASON = "not recognised as part of a framework"


def _parse(text: str, name: str = "ladder.md") -> ImportResult:
    return IMPORTER.parse(text, name)


def _fixture() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _accounts_for_every_line(result: ImportResult, text: str) -> None:
    report = result.report
    nonblank = [line for line in text.splitlines() if line.strip()]
    (read,) = report.lines.values()
    (placed,) = report.placed.values()
    assert read == len(nonblank)
    assert placed + len(report.unplaced) == read
    assert all(u.reason and u.reason != DEFAULT_REASON for u in report.unplaced)


# -- the real file ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample(sample_text: str) -> ImportResult:
    return merge_results([IMPORTER.parse(sample_text, str(SAMPLE))])


@pytest.fixture(scope="module")
def sample_data(sample_text: str) -> Any:
    """The front matter read independently of the importer, to count what it should find."""
    front = sample_text.split("\n---\n", 1)[0].removeprefix("---\n")
    return YAML(typ="safe").load(front)


def test_sample_counts_match_the_file(sample: ImportResult, sample_data: Any) -> None:
    topics = sample_data["topics"]
    # Counted by hand in the file: 5 topics; levels: 6; leadership starts at level 3.
    assert len(topics) == 5 and sample_data["levels"] == 6
    assert [len(t["content"]) for t in topics] == [6, 6, 4, 6, 6]
    fw = sample.framework
    assert [s.key for s in fw.skills] == [t["name"] for t in topics]
    assert [s.name for s in fw.skills] == [
        "Communication",
        "Impact",
        "Leadership",
        "Influence",
        "Mastery",
    ]
    assert [[m.number for m in s.milestones] for s in fw.skills] == [
        [c["level"] for c in t["content"]] for t in topics
    ]
    assert sum(len(s.milestones) for s in fw.skills) == 28
    (track,) = fw.tracks
    assert track.key == "backend"
    assert [lv.code for lv in track.levels] == [f"L{n}" for n in range(1, 7)]
    assert [lv.title for lv in track.levels] == [f"Level {n}" for n in range(1, 7)]
    assert len(track.levels) == sample_data["levels"]
    level_3 = track.levels[2].requirements.milestones
    assert level_3 == {
        k: 3 for k in ("communication", "impact", "leadership", "influence", "mastery")
    }
    assert "leadership" not in track.levels[0].requirements.milestones


def test_sample_every_criterion_is_a_signal_and_every_example_kept(
    sample: ImportResult, sample_data: Any
) -> None:
    fw = sample.framework
    for topic in sample_data["topics"]:
        skill = fw.skill(topic["name"])
        assert skill is not None
        for content in topic["content"]:
            milestone = skill.milestone(content["level"])
            assert milestone is not None
            given = [c.strip() for c in content.get("criteria", [])]
            given += [e["criteria"].strip() for e in content.get("exampleCriteria", [])]
            assert milestone.signals == given
            examples = [
                x.strip() for e in content.get("exampleCriteria", []) for x in e["examples"]
            ]
            assert milestone.examples == examples
    mastery = fw.skill("mastery")
    assert mastery is not None
    assert '"There\'s a risk here of X, Y but given Z, I think this is OK"' in (
        mastery.milestone(3).examples  # type: ignore[union-attr]
    )


def test_sample_is_lint_clean(sample: ImportResult) -> None:
    assert sample.report.warnings == []


def test_sample_accounts_for_every_line(sample: ImportResult, sample_text: str) -> None:
    _accounts_for_every_line(sample, sample_text)
    unplaced = {u.text: u.reason for u in sample.report.unplaced}
    assert set(unplaced) == {
        'sidebarGroup: "engineering"',
        "yaml: true",
        "homepage: true",
        "title:",
    }
    assert unplaced["homepage: true"] == "a setting of the Monzo progression site"
    assert unplaced["title:"] == "empty title"
    assert "shared by every file" in unplaced['sidebarGroup: "engineering"']
    assert len(sample.report.unplaced) == 5  # two topics have an empty title


def test_sample_names_description_and_scoring(sample: ImportResult) -> None:
    fw = sample.framework
    assert fw.key == "backend-engineering-framework"
    assert fw.name == "🛠️ Backend Engineering Framework"
    assert fw.tracks[0].name == "🛠️ Backend"
    assert fw.description.startswith("### About our engineering progression frameworks")
    assert fw.description.endswith("to further clarify them.")
    assert fw.scoring.points[6] == 30
    inferred = sample.report.inferred
    assert any("category 'skills'" in note for note in inferred)
    assert "framework key 'backend-engineering-framework' from the title of the file" in inferred
    assert any("'👩‍💼 Leadership' -> 'Leadership'" in note for note in inferred)
    assert any("'communication' -> 'Communication'" in note for note in inferred)
    assert "the front matter names no levels: titled 'Level 1', 'Level 2'…" in inferred


def test_detects_the_sample_and_not_other_formats(sample_text: str) -> None:
    assert IMPORTER.detect(sample_text, "backend.md") > 0.9
    snowflake = SHARED / "samples" / "medium-snowflake-constants.js"
    assert IMPORTER.detect(snowflake.read_text(encoding="utf-8"), "constants.js") == 0
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        assert IMPORTER.detect(seed.read_text(encoding="utf-8"), seed.name) == 0
    assert IMPORTER.detect("---\ntitle: a blog post\n---\n# Hello\n", "post.md") == 0
    assert IMPORTER.detect("schema: ladders/v1\nkey: x\n", "x.yaml") == 0


def test_the_registry_reads_the_sample_as_monzo(sample_text: str) -> None:
    assert detect_format(sample_text, SAMPLE.name).name == "monzo"
    result = import_documents([(str(SAMPLE), sample_text)])
    assert result.report.formats == {str(SAMPLE): "monzo"}
    assert result.report.warnings == []


# -- a small fixture --------------------------------------------------------------------------


def test_fixture_skills_milestones_and_markdown() -> None:
    result = merge_results([_parse(_fixture())])
    fw = result.framework
    assert result.report.warnings == []
    assert [(s.key, s.name, s.category) for s in fw.skills] == [
        ("craft", "Craft", "skills"),
        ("delivery", "Delivery", "skills"),
        ("collaboration", "Collaboration", "skills"),
    ]
    assert [(c.key, c.name) for c in fw.categories] == [("skills", "Skills")]
    craft = fw.skill("craft")
    assert craft is not None
    assert craft.milestones[0].signals[1] == (
        "Follows the [style guide](https://example.org/style) when writing views"
    )
    level_2 = craft.milestone(2)
    assert level_2 is not None
    assert level_2.signals == [
        "Builds **offline-first** features without hand-holding",
        "Keeps the app responsive on slow devices",
        "Writes UI tests for the flows they own",
    ]
    assert level_2.examples == [
        "Moved image decoding off the main thread",
        "Profiled the launch path and cut cold start in half",
        "Added snapshot tests for the payments sheet",
    ]
    delivery = fw.skill("delivery")
    assert delivery is not None and [m.number for m in delivery.milestones] == [1, 2, 4]
    collaboration = fw.skill("collaboration")
    assert collaboration is not None
    assert collaboration.milestone(3).signals == ["Runs useful design reviews"]  # type: ignore[union-attr]


def test_fixture_track_levels_and_requirements() -> None:
    fw = _parse(_fixture()).framework
    assert (fw.key, fw.name) == ("mobile-engineering-ladder", "📱 Mobile Engineering Ladder")
    (track,) = fw.tracks
    assert (track.key, track.name) == ("mobile", "📱 Mobile")
    assert [lv.code for lv in track.levels] == ["L1", "L2", "L3", "L4"]
    assert [lv.title for lv in track.levels] == ["Level 1", "Level 2", "Level 3", "Level 4"]
    assert [lv.requirements.milestones for lv in track.levels] == [
        {"craft": 1, "delivery": 1},
        {"craft": 2, "delivery": 2, "collaboration": 2},
        {"craft": 3, "collaboration": 3},
        {"craft": 4, "delivery": 4, "collaboration": 4},
    ]
    assert fw.scoring.points == {1: 1, 2: 3, 3: 6, 4: 12, 5: 20}
    assert fw.description.startswith("### What this ladder is for")


def test_fixture_reports_what_it_left_out() -> None:
    text = _fixture()
    result = _parse(text, "m.md")
    _accounts_for_every_line(result, text)
    reasons = {u.line: u.reason for u in result.report.unplaced}
    assert reasons == {
        _line(text, "yaml: true"): "a setting of the Monzo progression site",
        _line(text, "homepage:"): "a setting of the Monzo progression site",
        text.splitlines().index("    title:") + 1: "empty title",
        _line(text, "sidebarGroup:"): (
            "the site's group of frameworks, shared by every file in it: "
            "the framework is keyed by its own title or path"
        ),
        _line(text, "# level 3 is left out"): "a YAML comment",
    }
    for needle in ("Profiled the launch path", "exampleCriteria:", "path:", "🚚 Delivery"):
        assert _line(text, needle) not in reasons


def test_categories_come_from_the_topics_when_given() -> None:
    text = _fixture().replace(
        '  - name: "craft"\n', '  - name: "craft"\n    category: "Building things"\n'
    )
    text = text.replace('  - name: "delivery"\n', '  - name: "delivery"\n    group: "Shipping"\n')
    result = _parse(text)
    fw = result.framework
    assert [(c.key, c.name) for c in fw.categories] == [
        ("building-things", "Building things"),
        ("shipping", "Shipping"),
        ("skills", "Skills"),
    ]
    assert [s.category for s in fw.skills] == ["building-things", "shipping", "skills"]
    assert "topics without a category or group were put in 'skills'" in result.report.inferred
    _accounts_for_every_line(result, text)


def test_level_titles_from_a_list_and_extra_levels() -> None:
    text = _fixture().replace(
        "levels: 4\n",
        'levels:\n  - "Associate"\n  - title: "Engineer"\n    summary: "Works alone"\n'
        '  - "Senior"\n',
    )
    result = merge_results([_parse(text)])
    levels = result.framework.tracks[0].levels
    assert [(lv.code, lv.title, lv.summary) for lv in levels] == [
        ("L1", "Associate", ""),
        ("L2", "Engineer", "Works alone"),
        ("L3", "Senior", ""),
        ("L4", "Level 4", ""),
    ]
    assert any("levels 4 are used by topics" in n for n in result.report.inferred)
    assert "levels 4 have no title in the front matter: titled 'Level N'" in (
        result.report.inferred
    )
    assert result.report.warnings == []
    _accounts_for_every_line(result, text)


def test_levels_above_five_get_points() -> None:
    text = _fixture().replace(
        '          - "Sets the direction',
        '          - "Sets the direction for everything"\n      - level: 7\n        criteria:\n'
        '          - "Sets the direction',
    )
    result = merge_results([_parse(text)])
    assert result.framework.scoring.points[7] == 40
    assert [lv.code for lv in result.framework.tracks[0].levels][-1] == "L7"
    assert result.report.warnings == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("👩‍💼 Leadership", "Leadership"),
        ("✨ Influence", "Influence"),
        ("🛠️ Mastery", "Mastery"),
        ("🇬🇧  Local markets", "Local markets"),
        ("→ Delivery", "Delivery"),
        ("Impact", "Impact"),
        ("(Beta) Impact ✨", "(Beta) Impact ✨"),
        ("🚀 ✨", ""),
    ],
)
def test_titles_lose_the_emoji_in_front(title: str, expected: str) -> None:
    assert _without_leading_symbols(title) == expected


def test_skills_are_named_by_title_else_by_capitalised_name() -> None:
    front = (
        "title: Data Ladder\ntopics:\n"
        "  - {name: on-call and SLOs, content: [{level: 1, criteria: [a]}]}\n"
        "  - {name: delivery, title: '🚚 Shipping things', content: [{level: 1, criteria: [b]}]}\n"
        "  - name: craft\n    title: '🚀'\n    content: [{level: 1, criteria: [c]}]\n"
        "  - {title: '🛠️ Mastery', content: [{level: 1, criteria: [d]}]}\n"
    )
    text = f"---\n{front}---\n"
    result = merge_results([_parse(text)])
    assert [(s.key, s.name) for s in result.framework.skills] == [
        ("on-call-and-slos", "On-call and SLOs"),
        ("delivery", "Shipping things"),
        ("craft", "Craft"),
        ("mastery", "Mastery"),
    ]
    reasons = {u.text: u.reason for u in result.report.unplaced}
    assert reasons == {"title: '🚀'": ("the title has no words after its emoji: named by 'name'")}
    assert result.report.warnings == []


def test_the_framework_key_is_the_files_own_not_its_group() -> None:
    def key_of(text: str, name: str = "ladder.md") -> str:
        return _parse(text, name).framework.key

    fixture = _fixture()
    backend = fixture.replace("/engineering/mobile", "/engineering/backend").replace(
        "📱 Mobile Engineering Ladder", "🛠️ Backend Engineering Ladder"
    )
    assert key_of(fixture) == "mobile-engineering-ladder"
    assert key_of(backend) == "backend-engineering-ladder"
    untitled = fixture.replace('title: "📱 Mobile Engineering Ladder"\n', "")
    assert key_of(untitled) == "engineering-mobile"
    result = _parse(untitled)
    assert "framework key 'engineering-mobile' from the path of the file" in (
        result.report.inferred
    )
    _accounts_for_every_line(result, untitled)
    no_path = untitled.replace('path: "/engineering/mobile"\n', "")
    assert key_of(no_path) == "mobile"  # from sidebarTitle
    bare = no_path.replace('sidebarTitle: "📱 Mobile"\n', "")
    assert key_of(bare, "frameworks/data-science.md") == "data-science"


def test_repeated_topic_names_get_their_own_keys() -> None:
    text = _fixture().replace('name: "delivery"', 'name: "craft"')
    result = merge_results([_parse(text)])
    assert [s.key for s in result.framework.skills] == ["craft", "craft-2", "collaboration"]
    assert "topic 'craft' is used 2 times: keyed craft-2 onwards" in result.report.inferred


def test_long_repeated_names_still_make_slugs() -> None:
    name = "a" * 61 + " bcd"
    topic = f"{{name: '{name}', content: [{{level: 1, criteria: [x]}}]}}"
    result = _parse(f"---\ntopics: [{topic}, {topic}]\n---\n")
    assert [s.key for s in result.framework.skills] == ["a" * 61 + "-bc", "a" * 61 + "-2"]


def test_a_topic_without_criteria_is_left_out_with_a_reason() -> None:
    text = (
        _fixture()
        .replace('          - "Finishes well-scoped tickets on time"\n', "")
        .replace('          - "Splits a feature into releasable slices"\n', "")
    )
    text = text.replace('          - "Plans releases across several squads"\n', "")
    result = _parse(text)
    assert [s.key for s in result.framework.skills] == ["craft", "collaboration"]
    assert "topic 'delivery' has no criteria: not imported" in result.report.warnings
    reasons = {u.line: u.reason for u in result.report.unplaced}
    assert reasons[_line(text, 'name: "delivery"')] == (
        "topic 'delivery' has no criteria, so it is not a skill"
    )
    _accounts_for_every_line(result, text)


def test_a_long_body_is_cut_at_the_description_limit() -> None:
    text = _fixture() + "".join(f"Paragraph {i} " + "x" * 90 + "\n" for i in range(200))
    result = _parse(text)
    assert 9_000 < len(result.framework.description) <= 10_000
    assert result.report.unplaced[-1].reason == "past the 10,000-character description limit"
    _accounts_for_every_line(result, text)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "no front matter", 1),
        ("# Backend\n\nSome text\n", "no front matter", 1),
        ("---\ntopics: []\n", "never closed", 1),
        ("---\n\n---\nbody\n", "front matter is empty", 1),
        ("---\n- just\n- a list\n---\n", "not a mapping", 2),
        ("---\ntitle: x\nlevels: 3\n---\n", "no topics", 1),
        ("---\ntitle: x\nlevels: 3\ntopics: []\n---\n", "no topics", 4),
        ("---\ntitle: x\ntopics:\n  - name: a\n---\n", "no topic has any criteria", 3),
        ("---\ntitle: x\ntopics: [\n---\n", "not readable YAML", 4),
        ("---\ntitle: x\ntitle: y\ntopics: []\n---\n", "duplicate key", 3),
        ("---\ntopics: !!python/object:os.system x\n---\n", "is not allowed", 2),
    ],
)
def test_unreadable_input_fails_with_the_line(text: str, message: str, line: int) -> None:
    with pytest.raises(ImportFailed, match=message) as failed:
        _parse(text)
    assert failed.value.line == line


def test_huge_front_matter_is_refused_before_reading_it() -> None:
    topic = '  - {name: a, content: [{level: 1, criteria: ["Does a thing"]}]}\n'
    with pytest.raises(ImportFailed, match="the limit is 524,288") as failed:
        _parse("---\ntopics:\n" + topic * 10_000 + "---\n")
    assert failed.value.line == 1


def test_alias_bombs_are_refused() -> None:
    bomb = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        bomb.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    bomb += ["topics: [*h]", "---"]
    with pytest.raises(ImportFailed, match="alias bomb"):
        _parse("\n".join(bomb) + "\n")


# -- any input: an ImportResult that validates, or ImportFailed ------------------------------


def _check(text: str) -> None:
    try:
        result = _parse(text)
    except ImportFailed:
        return
    assert isinstance(result, ImportResult)
    framework_from_data(result.framework.to_document(), "again")
    report = result.report
    (read,) = report.lines.values()
    assert report.placed[next(iter(report.placed))] + len(report.unplaced) == read


@st.composite
def _mutated_fixture(draw: st.DrawFn) -> str:
    lines = _fixture().splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "indent"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            lines.insert(i, draw(st.text(max_size=40)) + "\n")
        else:
            lines[i] = "  " + lines[i]
    text = "".join(lines)
    return text[: draw(st.integers(0, len(text)))] if draw(st.booleans()) else text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated_fixture())
def test_mutated_fixtures_import_or_fail_cleanly(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300).map(lambda t: "---\ntopics:\n" + t) | st.text(max_size=300))
def test_random_text_imports_or_fails_cleanly(text: str) -> None:
    _check(text)


@pytest.mark.parametrize(
    "front",
    [
        "topics: &t [{name: a, content: [{level: 1, criteria: *t}]}]",
        "topics: [{name: a, content: [{level: true, criteria: [x]}]}]",
        "topics: [{name: a, content: [{level: 2001-01-01, criteria: [x]}]}]",
        "topics: [{name: [a], content: [{level: 1, criteria: [{x: 1}, 2, null, '']}]}]",
        "topics: [{name: a, content: [{level: 1, exampleCriteria: [{criteria: c}, 3]}]}]",
        "levels: {1: A, x: B, 2: {title: C, other: 1}}\ntopics: [{name: a, content: [{level: 1, criteria: [x]}]}]",
        "levels: -3\ntopics: [{name: a, content: [{level: 100, criteria: [x]}, {level: 1, criteria: [y]}]}]",
        "topics: [{name: a, content: [{level: 1, criteria: ['" + "x" * 10_001 + "', y]}]}]",
        "topics: [{name: a, content: [{level: 1, criteria: [x, x]}, {level: 1, criteria: [z]}]}]",
        "<<: {title: T}\ntopics: [{name: a, content: [{level: 1, criteria: [x]}]}]",
        "topics: " + "[" * 500 + "]" * 500,
    ],
)
def test_odd_front_matter_imports_or_fails_cleanly(front: str) -> None:
    _check(f"---\n{front}\n---\n")


@pytest.fixture
def alarm() -> Iterator[None]:
    def hang(signum: int, frame: object) -> None:
        raise TimeoutError("the import took more than 60 seconds")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_five_megabytes_finish(alarm: None) -> None:
    fixture = _fixture()
    text = fixture * (5_000_000 // len(fixture))
    result = _parse(text)
    assert [s.key for s in result.framework.skills] == ["craft", "delivery", "collaboration"]
    assert len(result.report.unplaced) > 10_000


def test_a_large_front_matter_finishes(alarm: None) -> None:
    """Many topics, most with a repeated name: keys, positions and lines stay linear."""
    head, rest = _fixture().split("topics:\n", 1)
    topics, body = rest.split("\n---\n", 1)
    text = head + "topics:\n" + (topics + "\n") * 150 + "---\n" + body
    result = _parse(text)
    assert len(result.framework.skills) == 450
    assert result.framework.skills[-1].key == "collaboration-150"
    assert re.fullmatch(r"L[1-4]", result.framework.tracks[0].levels[-1].code)
    _accounts_for_every_line(result, text)
