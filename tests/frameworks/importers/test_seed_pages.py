"""The two plain-text skill pages: the template library's (seeds 000, 002) and the progression
tool's (seed 001)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladders.frameworks.importers.base import ImportFailed, ImportResult
from ladders.frameworks.importers.merge import merge_results
from ladders.frameworks.importers.seed_milestones import IMPORTER as MILESTONE_PAGE
from ladders.frameworks.importers.seed_skill import IMPORTER as SKILL_PAGE
from ladders.frameworks.loader import framework_from_data
from tests.frameworks.conftest import FIXTURES, SHARED

SKILL_FIXTURE = FIXTURES / "importers" / "skill-page.txt"
MILESTONE_FIXTURE = FIXTURES / "importers" / "milestone-page.txt"
SEEDS = SHARED / "seeds"
SERVERS = SEEDS / "000_97f4e4eb4172775a.txt"
SERVERS_MILES = SEEDS / "001_a3cf964f39b682a8.txt"
FOUNDATIONS = SEEDS / "002_9d49384526a9ae48.txt"
DEFAULT_REASON = "not recognised as part of a framework"


def _parse(importer: object, path: Path, text: str | None = None) -> ImportResult:
    return importer.parse(path.read_text() if text is None else text, str(path))  # type: ignore[attr-defined, no-any-return]


def _accounted(result: ImportResult, text: str, source: str) -> None:
    """Every non-blank line is placed or listed as unplaced with a reason of its own."""
    nonblank = sum(1 for line in text.splitlines() if line.strip())
    report = result.report
    assert report.lines[source] == nonblank
    assert report.placed[source] + len([u for u in report.unplaced if u.source == source]) == (
        nonblank
    )


# --- the template library's skill page --------------------------------------------------------


def test_skill_page_fixture() -> None:
    result = _parse(SKILL_PAGE, SKILL_FIXTURE)
    fw = result.framework
    assert fw.key == "reliability" and fw.name == "Reliability"
    assert [(c.key, c.name) for c in fw.categories] == [("skills", "Skills")]
    (skill,) = fw.skills
    assert (skill.key, skill.name, skill.category) == ("reliability", "Reliability", "skills")
    assert skill.description == (
        "Keeps the services people depend on running, and learns from the times they do not"
    )
    assert [m.number for m in skill.milestones] == [1, 2, 3]
    first = skill.milestones[0]
    assert first.summary == "Follows the on-call runbooks and escalates when a runbook runs out"
    assert first.signals == [
        "Acknowledges alerts within the agreed time",
        "Reads dashboards before changing anything",
    ]
    assert first.examples == [
        "Restarted a stuck queue worker by following the runbook",
        "Paged the database owner when replication lag kept growing",
    ]
    assert [len(m.signals) for m in skill.milestones] == [2, 2, 1]
    assert [len(m.examples) for m in skill.milestones] == [2, 1, 2]
    assert all(m.points is None for m in skill.milestones)
    assert fw.scoring.mode == "highest"
    assert any("new category 'skills'" in note for note in result.report.inferred)
    assert [(u.line, u.reason) for u in result.report.unplaced] == [
        (1, "page chrome (template library navigation)"),
        (2, "page chrome (template library navigation)"),
        (42, "page chrome (call to action)"),
    ]
    _accounted(result, SKILL_FIXTURE.read_text(), str(SKILL_FIXTURE))
    assert merge_results([result]).report.warnings == []


def test_skill_page_without_bullets_reads_later_lines_as_signals() -> None:
    text = "Skill\nPlanning\nPlans work\nPlanning\nLevel 1\nSplits tasks\nEstimates work\nE.g. Split a launch\n"
    result = SKILL_PAGE.parse(text, "planning.txt")
    (m,) = result.framework.skills[0].milestones
    assert (m.summary, m.signals, m.examples) == (
        "Splits tasks",
        ["Estimates work"],
        ["Split a launch"],
    )
    assert any("lines 7: text without a bullet" in note for note in result.report.inferred)


def test_skill_page_repeated_level_is_merged_and_empty_level_skipped() -> None:
    text = (
        "Ops\nRuns things\nOps\nLevel 1\nRuns a deploy\n  • Uses the checklist\nLevel 2\n"
        "Level 1\nRuns a deploy\n  • Uses the checklist\n  • Watches the graphs\nLevel 0\n  • Nothing\n"
    )
    result = SKILL_PAGE.parse(text, "ops.txt")
    (skill,) = result.framework.skills
    assert [m.number for m in skill.milestones] == [1]
    assert skill.milestones[0].signals == ["Uses the checklist", "Watches the graphs"]
    reasons = {u.line: u.reason for u in result.report.unplaced}
    assert reasons[7] == "level 2 has no summary, signals or examples"
    assert reasons[12] == "level 0 is outside 1..99, the milestones kept"
    assert reasons[13] == "under level 0, outside 1..99"
    assert any("level 1 appears again at line 8" in note for note in result.report.inferred)


def test_skill_page_name_from_the_file_name_when_the_page_has_none() -> None:
    text = (
        "Develops expertise in keeping systems up, through drills and reviews.\nLevel 1\nDoes it\n"
    )
    result = SKILL_PAGE.parse(text, "/tmp/7_uptime_0a1b2c3d4e.txt")
    assert result.framework.skills[0].name == "uptime"
    assert result.framework.skills[0].description.startswith("Develops expertise")
    assert any("taken from the file name" in note for note in result.report.inferred)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no 'Level N' headers found"),
        ("Templates\nSkill\nServers\nJust words\n", "no 'Level N' headers found"),
        ("Servers\nLevel 1\nLevel 2\n", "none has a summary, signals or examples"),
    ],
)
def test_skill_page_errors(text: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        SKILL_PAGE.parse(text, "x.txt")


def test_skill_page_skips_text_too_long_to_keep() -> None:
    text = "Ops\nLevel 1\nDoes ops\n  • " + "x" * 10_001 + "\n"
    result = SKILL_PAGE.parse(text, "ops.txt")
    assert result.report.unplaced[0].line == 4
    assert "longer than 10000 characters" in result.report.unplaced[0].reason


# --- the progression tool's milestone page -----------------------------------------------------


def test_milestone_page_fixture() -> None:
    result = _parse(MILESTONE_PAGE, MILESTONE_FIXTURE)
    fw = result.framework
    (skill,) = fw.skills
    assert (skill.key, skill.name, skill.category) == ("reliability", "Reliability", "skills")
    assert skill.description.split("\n\n") == [
        "Keeps the services people depend on running, and learns from the times they do not",
        "Outages cost trust that takes months to win back. We want engineers who notice trouble "
        "early, fix its causes, and leave systems sturdier than they found them.",
    ]
    assert [(m.number, m.points) for m in skill.milestones] == [(1, 1), (2, 4), (3, 9)]
    assert fw.scoring.mode == "cumulative"
    two, three = skill.milestones[1], skill.milestones[2]
    assert two.summary == "Fixes the causes of recurring alerts in the services the team owns"
    assert two.signals == [
        "Removes noisy alerts that nobody acts on",
        "Writes a short incident review after each page",
    ]
    assert two.examples == ["Replaced a flaky health check with a real readiness probe"]
    assert three.signals == ["Sets service level objectives with product owners"]
    assert three.examples == [
        "Added circuit breakers around the payments provider",
        "Ran a game day that found a missing failover",
    ]
    inferred = result.report.inferred
    assert any("skill name 'Reliability' from line 34" in note for note in inferred)
    assert any("mode set to cumulative" in note for note in inferred)
    assert any("role 'Operators' must be at milestone 2+" in note for note in inferred)
    assert any("role 'Stewards' must be at milestone 3+" in note for note in inferred)
    assert fw.tracks == []
    reasons = {u.line: u.reason for u in result.report.unplaced}
    assert reasons[7] == "table header row (column labels only)"
    assert reasons[8] == "table separator row (layout only)"
    assert reasons[25].startswith("usage data ('Configuration Health' section header)")
    assert reasons[30].startswith("usage data ('Role & Position Requirements' section)")
    assert reasons[36].startswith("usage data ('Conversations about' section)")
    assert DEFAULT_REASON not in reasons.values()
    _accounted(result, MILESTONE_FIXTURE.read_text(), str(MILESTONE_FIXTURE))
    assert merge_results([result]).report.warnings == []


def test_milestone_page_name_from_the_file_name_when_the_page_has_none() -> None:
    text = "\n".join(MILESTONE_FIXTURE.read_text().splitlines()[:24])
    result = MILESTONE_PAGE.parse(text, "pages/12_uptime_0a1b2c3d4e.txt")
    assert result.framework.skills[0].key == "uptime"
    assert any("taken from the file name" in note for note in result.report.inferred)


def test_milestone_page_without_miles_keeps_the_scoring_mode() -> None:
    text = "Description\nKeeps things up\nMilestone 1\nDoes ops\n| Examples | |\n| Watches | Watched |\n"
    result = MILESTONE_PAGE.parse(text, "ops.txt")
    assert result.framework.scoring.mode == "highest"
    assert result.framework.skills[0].milestones[0].points is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no 'Milestone N' headers found"),
        ("Description\nWords\n", "no 'Milestone N' headers found"),
        ("Milestone 1\n(adds 1 mile to your journey)\n", "none has a summary"),
    ],
)
def test_milestone_page_errors(text: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message):
        MILESTONE_PAGE.parse(text, "x.txt")


def test_the_two_fixtures_merge_into_one_skill() -> None:
    result = merge_results(
        [_parse(SKILL_PAGE, SKILL_FIXTURE), _parse(MILESTONE_PAGE, MILESTONE_FIXTURE)]
    )
    (skill,) = result.framework.skills
    assert [m.points for m in skill.milestones] == [1, 4, 9]
    assert skill.milestones[2].examples == [
        "Added circuit breakers around the payments provider",
        "Ran a game day that found a missing failover",
    ]
    assert result.report.warnings == []


# --- detection ---------------------------------------------------------------------------------


def _others() -> Iterator[Path]:
    yield SEEDS / "003_cd91de3958217e17.txt"
    yield SEEDS / "004_fbb542b23c491300.txt"
    yield from sorted((SHARED / "samples").iterdir())
    yield FIXTURES / "small.yaml"


def test_detection() -> None:
    for path in (SERVERS, FOUNDATIONS, SKILL_FIXTURE):
        text = path.read_text()
        assert SKILL_PAGE.detect(text, str(path)) >= 0.9, path
        assert MILESTONE_PAGE.detect(text, str(path)) == 0.0, path
    for path in (SERVERS_MILES, MILESTONE_FIXTURE):
        text = path.read_text()
        assert MILESTONE_PAGE.detect(text, str(path)) >= 0.9, path
        assert SKILL_PAGE.detect(text, str(path)) == 0.0, path
    for path in _others():
        text = path.read_text()
        assert SKILL_PAGE.detect(text, str(path)) <= 0.05, path
        assert MILESTONE_PAGE.detect(text, str(path)) <= 0.05, path


# --- the real seeds ----------------------------------------------------------------------------


def _seeds() -> list[ImportResult]:
    return [
        _parse(SKILL_PAGE, SERVERS),
        _parse(MILESTONE_PAGE, SERVERS_MILES),
        _parse(SKILL_PAGE, FOUNDATIONS),
    ]


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0)])
def test_seeds_000_001_002_import_as_servers_and_foundations(order: tuple[int, ...]) -> None:
    results = _seeds()
    merged = merge_results([results[i] for i in order])
    fw = merged.framework
    assert sorted(s.name for s in fw.skills) == ["Foundations", "Servers"]
    for skill in fw.skills:
        assert [m.number for m in skill.milestones] == [1, 2, 3, 4, 5]
        for m in skill.milestones:
            assert m.summary
            assert len(m.signals) == 3 and len(m.examples) == 3, (skill.key, m.number)
    servers = fw.skill("servers")
    assert servers is not None
    assert [m.points for m in servers.milestones] == [1, 3, 6, 12, 20]
    assert fw.scoring.mode == "cumulative"
    assert servers.description.startswith("Develops expertise in server side engineering")
    assert "Excellent clients are no use" in servers.description
    assert servers.milestones[0].signals[0] == "Adds NodeJS endpoints using layers architecture"
    assert servers.milestones[0].examples[0] == "Added IFTTT trigger for new bookmark to medium2"
    assert merged.report.warnings == []
    assert "skill 'servers' is in several files: merged" in merged.report.inferred


def test_every_seed_line_is_placed_or_skipped_with_a_reason() -> None:
    for path, result in zip((SERVERS, SERVERS_MILES, FOUNDATIONS), _seeds(), strict=True):
        _accounted(result, path.read_text(), str(path))
        assert all(u.reason != DEFAULT_REASON for u in result.report.unplaced), path
    servers, miles, _ = _seeds()
    assert [u.line for u in servers.report.unplaced] == [1, 2, 90]
    usage = [u for u in miles.report.unplaced if u.reason.startswith("usage data")]
    assert usage[0].line == 44 and len(usage) == 12
    assert any("role 'Builders' must be at milestone 1+" in n for n in miles.report.inferred)
    assert any("skill name 'Servers' from line 56" in n for n in miles.report.inferred)


# --- any input: a framework or ImportFailed, in linear time ------------------------------------

_NOISE = [
    "Level 1", "Level 7", "Level 0", "Level 100", "Milestone 2", "Milestone 99", "Milestone 0",
    "(adds 3 miles to your journey)", "(adds 5000000 miles to your journey)", "  • E.g.", "  •",
    "| Examples | |", "|---|---|", "| | |", "| a | b | c |", "Description", "Configuration Health",
    "Conversations about ", "Buildersmust be milestone 2+", "Templates", "Skill", "",
]  # fmt: skip


def _mutated(data: st.DataObject, text: str) -> str:
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(0, 8))):
        op = data.draw(st.sampled_from(["delete", "duplicate", "insert", "noise"]))
        i = data.draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "delete" and lines:
            del lines[i]
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, data.draw(st.text(max_size=40)))
        else:
            lines.insert(i, data.draw(st.sampled_from(_NOISE)))
    out = "\n".join(lines)
    return out[: data.draw(st.integers(0, len(out)))] if data.draw(st.booleans()) else out


def _framework_or_failed(importer: object, text: str) -> None:
    try:
        result = importer.parse(text, "mutated.txt")  # type: ignore[attr-defined]
    except ImportFailed:
        return
    assert isinstance(result, ImportResult)
    framework_from_data(result.framework.to_document())
    nonblank = sum(1 for line in text.splitlines() if line.strip())
    assert result.report.placed["mutated.txt"] + len(result.report.unplaced) == nonblank


@pytest.mark.parametrize(
    ("importer", "fixture"),
    [(SKILL_PAGE, SKILL_FIXTURE), (MILESTONE_PAGE, MILESTONE_FIXTURE)],
    ids=["skill-page", "milestone-page"],
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_fixtures_and_random_text(
    importer: object, fixture: Path, data: st.DataObject
) -> None:
    if data.draw(st.booleans()):
        text = _mutated(data, fixture.read_text())
    else:
        text = data.draw(
            st.text() | st.lists(st.sampled_from(_NOISE) | st.text(max_size=20)).map("\n".join)
        )
    _framework_or_failed(importer, text)


@pytest.mark.parametrize(
    ("importer", "fixture"),
    [(SKILL_PAGE, SKILL_FIXTURE), (MILESTONE_PAGE, MILESTONE_FIXTURE)],
    ids=["skill-page", "milestone-page"],
)
def test_five_megabytes_finish(importer: object, fixture: Path) -> None:
    text = fixture.read_text()
    big = text * (5 * 1024 * 1024 // len(text))
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("timed out on 5 MB"))
    signal.alarm(60)
    try:
        importer.detect(big, "big.txt")  # type: ignore[attr-defined]
        _framework_or_failed(importer, big)
        _framework_or_failed(importer, big.replace("\n", " "))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
