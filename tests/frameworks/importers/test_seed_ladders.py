"""Acceptance: the real role ladder (seed 003) and career map (seed 004) import as specified."""

from __future__ import annotations

import pytest

from ladders.frameworks.importers.base import ImportResult
from ladders.frameworks.importers.merge import merge_results
from ladders.frameworks.importers.seed_career_map import IMPORTER as CAREER_MAP
from ladders.frameworks.importers.seed_role_ladder import IMPORTER as ROLE_LADDER
from tests.frameworks.conftest import SHARED

ROLE_LADDER_PATH = SHARED / "seeds" / "003_cd91de3958217e17.txt"
CAREER_MAP_PATH = SHARED / "seeds" / "004_fbb542b23c491300.txt"


@pytest.fixture(scope="module")
def ladder() -> ImportResult:
    text = ROLE_LADDER_PATH.read_text()
    return merge_results([ROLE_LADDER.parse(text, str(ROLE_LADDER_PATH))])


@pytest.fixture(scope="module")
def career_map() -> ImportResult:
    text = CAREER_MAP_PATH.read_text()
    return merge_results([CAREER_MAP.parse(text, str(CAREER_MAP_PATH))])


def test_role_ladder_topics_are_five_skills(ladder: ImportResult) -> None:
    fw = ladder.framework
    assert [s.name for s in fw.skills] == [
        "Mastery",
        "Impact",
        "Influence",
        "Communication",
        "Leadership",
    ]
    leadership = fw.skill("leadership")
    assert leadership is not None
    assert [m.number for m in leadership.milestones] == [3, 4, 5, 6]
    assert all([m.number for m in s.milestones] == [1, 2, 3, 4, 5, 6] for s in fw.skills[:4])


def test_role_ladder_skills_share_one_category_named_after_the_role(ladder: ImportResult) -> None:
    fw = ladder.framework
    assert [(c.key, c.name) for c in fw.categories] == [("backend-developer", "Backend Developer")]
    assert {s.category for s in fw.skills} == {"backend-developer"}
    assert any("one category named after the role" in n for n in ladder.report.inferred)


def test_role_ladder_has_115_signals_with_their_continuations(ladder: ImportResult) -> None:
    fw = ladder.framework
    assert sum(len(m.signals) for s in fw.skills for m in s.milestones) == 115
    mastery = fw.skill("mastery")
    assert mastery is not None
    signals = mastery.milestones[0].signals
    assert (
        "Masters the basic git — Example: Checkout, Push, Pull, Branch, Diff, Merge, "
        in (signals[4])
    )
    assert signals[-1].startswith("Knows the workflow of how to work with GitLab such as how to")
    assert mastery.milestones[1].signals[5].endswith("— Example: CI pipeline stage and job")


def test_role_ladder_communication_and_feedback_is_communication(ladder: ImportResult) -> None:
    communication = ladder.framework.skill("communication")
    assert communication is not None
    assert communication.milestones[-1].signals == [
        "Transparent about feedback they have received and what they are going to do differently"
    ]
    assert any("'Communication & Feedback' read as topic" in n for n in ladder.report.inferred)


def test_role_ladder_is_one_track_of_six_levels(ladder: ImportResult) -> None:
    [track] = ladder.framework.tracks
    assert (track.key, track.name) == ("backend-developer", "Backend Developer")
    assert [lv.code for lv in track.levels] == ["L1", "L2", "L3", "L4", "L5", "L6"]
    assert [lv.title for lv in track.levels] == [f"Level {n}" for n in range(1, 7)]
    assert track.levels[0].requirements.milestones == {
        "mastery": 1,
        "impact": 1,
        "influence": 1,
        "communication": 1,
    }
    assert track.levels[5].requirements.milestones == {
        key: 6 for key in ("mastery", "impact", "influence", "communication", "leadership")
    }


def test_role_ladder_lints_clean_and_only_chrome_is_unplaced(ladder: ImportResult) -> None:
    assert ladder.report.warnings == []
    assert [(u.line, u.reason) for u in ladder.report.unplaced] == [
        (1, "page chrome"),
        (2, "page chrome"),
    ]


def test_career_map_has_21_levels_in_four_tracks(career_map: ImportResult) -> None:
    tracks = career_map.framework.tracks
    assert [(t.key, len(t.levels)) for t in tracks] == [
        ("backend", 8),
        ("frontend", 8),
        ("backend-management", 3),
        ("frontend-management", 2),
    ]
    levels = [lv for t in tracks for lv in t.levels]
    assert len(levels) == 21
    assert all(lv.experience and lv.responsibility and lv.expectations for lv in levels)
    assert [lv.code for lv in tracks[0].levels] == [f"L{n}" for n in range(1, 9)]


def test_career_map_keeps_backend_and_frontend_apart(career_map: ImportResult) -> None:
    def track_of(experience_start: str) -> str:
        return next(
            t.key
            for t in career_map.framework.tracks
            for lv in t.levels
            if lv.experience.startswith(experience_start)
        )

    backend = {track_of("No professional experience"), track_of("5+ years")}
    frontend = {track_of("Entry-level, little to no"), track_of("Recognized as an expert in front")}
    assert len(backend) == 1 and len(frontend) == 1 and backend != frontend


def test_career_map_expectations_keep_their_style(career_map: ImportResult) -> None:
    backend, frontend = career_map.framework.tracks[:2]
    assert [g.topic for g in backend.levels[0].expectations] == ["Skills"]
    assert backend.levels[0].expectations[0].items[0] == (
        "Understands basic networking and client-server model"
    )
    first = frontend.levels[0].expectations
    assert [g.topic for g in first] == ["HTML/CSS", "JavaScript", "Git", "Soft Skills"]
    assert first[0].items == ["Understanding and using basic HTML elements and CSS styles."]


def test_career_map_reports_its_splits_and_lints_clean(career_map: ImportResult) -> None:
    splits = [n for n in career_map.report.inferred if n.startswith("track split at line")]
    assert [s.split(":")[0] for s in splits] == [
        "track split at line 114",
        "track split at line 186",
        "track split at line 225",
    ]
    assert "experience starts again at entry level" in splits[0]
    assert "management begins" in splits[1]
    assert career_map.report.warnings == []
    assert career_map.report.unplaced == []
    assert career_map.framework.skills == []
    assert career_map.framework.description.startswith("Our career map helps you")
