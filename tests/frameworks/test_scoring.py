from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ladders.frameworks import scoring
from ladders.frameworks.errors import ScoringError
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework

from .conftest import SHARED, SNOWFLAKE_THRESHOLDS, snowflake_shaped


def _with_mode(fw: Framework, mode: str) -> Framework:
    data = fw.to_document()
    data["scoring"]["mode"] = mode  # type: ignore[index]
    return framework_from_data(data)


def test_highest_mode_counts_only_the_milestone_reached(small: Framework) -> None:
    coding = small.skill("coding")
    assert coding is not None
    assert [scoring.skill_points(small, coding, n) for n in range(4)] == [0, 1, 3, 6]


def test_cumulative_mode_adds_every_milestone_reached(small: Framework) -> None:
    fw = _with_mode(small, "cumulative")
    coding = fw.skill("coding")
    assert coding is not None
    # "adds 1, 3 and 6 miles": milestone 3 is worth 10
    assert [scoring.skill_points(fw, coding, n) for n in range(4)] == [0, 1, 4, 10]


def test_sparse_milestones_count_the_highest_defined_below(small: Framework) -> None:
    mentoring = small.skill("mentoring")  # defines milestones 3 and 4 only
    assert mentoring is not None
    assert scoring.skill_points(small, mentoring, 2) == 0
    assert scoring.skill_points(small, mentoring, 3) == 6
    assert scoring.skill_points(small, mentoring, 4) == 12
    cumulative = _with_mode(small, "cumulative")
    assert scoring.skill_points(cumulative, cumulative.skill("mentoring"), 4) == 18  # type: ignore[arg-type]


def test_a_milestones_own_points_override_the_table(small: Framework) -> None:
    data = small.to_document()
    data["skills"][0]["milestones"][1]["points"] = 50  # type: ignore[index]
    fw = framework_from_data(data)
    assert scoring.total_points(fw, {"coding": 2}) == 50


def test_category_caps_limit_category_totals(small: Framework) -> None:
    data = small.to_document()
    data["scoring"]["category_caps"] = {"craft": 5}  # type: ignore[index]
    fw = framework_from_data(data)
    assert scoring.category_points(fw, {"coding": 3, "testing": 2, "mentoring": 3}) == {
        "craft": 5,
        "people": 6,
    }
    assert scoring.total_points(fw, {"coding": 3, "testing": 2, "mentoring": 3}) == 11


def test_unknown_skill_or_milestone_is_a_clear_error(small: Framework) -> None:
    with pytest.raises(ScoringError, match="unknown skill 'servers'; known skills: coding"):
        scoring.total_points(small, {"servers": 2})
    with pytest.raises(ScoringError, match="skill 'coding' has milestones up to 3; milestone 9"):
        scoring.total_points(small, {"coding": 9})


def test_max_points_use_each_skills_best_milestone(small: Framework) -> None:
    data = small.to_document()
    data["skills"][0]["milestones"][2]["points"] = 0  # type: ignore[index]
    fw = framework_from_data(data)
    # coding's milestone 3 is worth nothing, so its best is milestone 2 (3 points)
    assert scoring.max_category_points(fw) == {"craft": 6, "people": 12}
    assert scoring.max_total_points(fw) == 18


@pytest.mark.parametrize(
    ("points", "level"),
    [(0, "1.1"), (36, "3.1"), (89, "4.3"), (135, "5.3"), (4, "1.1"), (300, "5.3")],
)
def test_snowflake_levels_from_points(snowflake: Framework, points: int, level: str) -> None:
    assert scoring.level_for_points(snowflake, points) == level


def test_every_snowflake_threshold_starts_its_level(snowflake: Framework) -> None:
    for points, code in SNOWFLAKE_THRESHOLDS.items():
        assert scoring.level_for_points(snowflake, points) == code
        if points:
            assert scoring.level_for_points(snowflake, points - 1) != code


@pytest.mark.parametrize(
    ("points", "titles"),
    [
        (0, ["Engineer I"]),
        (16, ["Engineer I"]),
        (17, ["Engineer II"]),
        (36, ["Senior Engineer", "Group Lead"]),
        (89, ["Staff Engineer", "Senior Group Lead"]),
        (135, ["Principal Engineer", "Director of Engineering"]),
    ],
)
def test_snowflake_titles_by_range(snowflake: Framework, points: int, titles: list[str]) -> None:
    assert [t.name for t in scoring.eligible_titles(snowflake, points)] == titles


def test_snowflake_milestone_map_scores_like_snowflake(snowflake: Framework) -> None:
    # four skills at milestone 3 (6 each) and two at 1: 26 points, level 2.2
    milestones = {
        "skill-0": 3,
        "skill-4": 3,
        "skill-8": 3,
        "skill-12": 3,
        "skill-1": 1,
        "skill-2": 1,
    }
    assert scoring.total_points(snowflake, milestones) == 26
    assert scoring.level_for_points(snowflake, 26) == "2.2"


def test_fixture_matches_the_published_snowflake_constants() -> None:
    """The thresholds above are Snowflake's: read them back from its constants.js."""
    text = (SHARED / "samples" / "medium-snowflake-constants.js").read_text()
    block = text[text.index("pointsToLevels") : text.index("maxLevel")]
    published = {int(p): code for p, code in re.findall(r"'(\d+)': '([\d.]+)'", block)}
    assert published == SNOWFLAKE_THRESHOLDS
    cases = re.findall(r"case (\d+): return (\d+)", text)
    assert {int(m): int(p) for m, p in cases if int(m)} == dict(snowflake_shaped().scoring.points)


def test_readiness_lists_met_and_unmet_requirements(small: Framework) -> None:
    track = small.track("ic")
    assert track is not None
    e3 = track.level("E3")
    assert e3 is not None
    result = scoring.readiness(small, track, e3, {"coding": 3, "testing": 1})
    by_label = {r.label: r for r in result.results}
    assert by_label["Coding at milestone 3"].met
    assert not by_label["Testing at milestone 2"].met
    assert by_label["Mentoring at milestone 3"].missing == 3
    assert by_label["15 points in total"].actual == 7
    assert by_label["6 points in People"].missing == 6
    assert result.points_missing == 8
    assert not result.ready


def test_track_level_climbs_while_requirements_hold(small: Framework) -> None:
    track = small.track("ic")
    assert track is not None
    assert scoring.track_level(small, track, {}) is None
    reached = scoring.track_level(small, track, {"coding": 2, "testing": 2})
    assert reached is not None and reached.code == "E2"
    # meeting E3's skill requirements without E2's points does not skip E2
    result = scoring.score(small, {"coding": 3, "testing": 2, "mentoring": 3})
    assert result.track_level is not None and result.track_level.code == "E3"
    assert result.next is None


def test_score_reports_next_level_readiness(small: Framework) -> None:
    result = scoring.score(small, {"coding": 1})
    assert result.points == 1
    assert result.level_code == "E1"
    assert [t.name for t in result.titles] == ["Engineer I"]
    assert result.track_level is not None and result.track_level.code == "E1"
    assert result.next is not None and result.next.level.code == "E2"
    assert [r.label for r in result.next.unmet] == [
        "Coding at milestone 2",
        "Testing at milestone 1",
        "5 points in total",
    ]


MILESTONE_MAPS = st.dictionaries(
    st.sampled_from([f"skill-{i}" for i in range(16)]), st.integers(0, 5), max_size=16
)


@settings(max_examples=200, deadline=None)
@given(
    MILESTONE_MAPS,
    st.sampled_from([f"skill-{i}" for i in range(16)]),
    st.sampled_from(["highest", "cumulative"]),
)
def test_attaining_more_never_lowers_points_level_or_titles(
    milestones: dict[str, int], skill: str, mode: str
) -> None:
    fw = _with_mode(snowflake_shaped(), mode)
    more = {**milestones, skill: min(5, milestones.get(skill, 0) + 1)}
    before, after = scoring.total_points(fw, milestones), scoring.total_points(fw, more)
    assert after >= before
    codes = [t.code for t in fw.scoring.levels]
    assert codes.index(scoring.level_for_points(fw, after) or "1.1") >= codes.index(
        scoring.level_for_points(fw, before) or "1.1"
    )
    assert min(t.min_points for t in scoring.eligible_titles(fw, after)) >= min(
        t.min_points for t in scoring.eligible_titles(fw, before)
    )


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["coding", "testing", "mentoring"]), st.integers(0, 5)),
    st.sampled_from(["coding", "testing", "mentoring"]),
)
def test_attaining_more_never_lowers_readiness(milestones: dict[str, int], skill: str) -> None:
    from ladders.frameworks.loader import load_file

    from .conftest import FIXTURES

    fw = load_file(FIXTURES / "small.yaml").framework
    track = fw.tracks[0]
    top = {s.key: s.max_milestone for s in fw.skills}
    milestones = {k: min(v, top[k]) for k, v in milestones.items()}
    more = {**milestones, skill: min(top[skill], milestones.get(skill, 0) + 1)}
    for level in track.levels:
        a = scoring.readiness(fw, track, level, milestones)
        b = scoring.readiness(fw, track, level, more)
        assert len(b.met) >= len(a.met)
        assert b.points_missing <= a.points_missing
        assert b.ready or not a.ready
    index = lambda lv: -1 if lv is None else track.levels.index(lv)  # noqa: E731
    assert index(scoring.track_level(fw, track, more)) >= index(
        scoring.track_level(fw, track, milestones)
    )


def test_readiness_of_a_level_without_points_requirements(small: Framework) -> None:
    """A level that asks only for milestones (as imported role ladders do) has no points gap."""
    track = small.track("ic")
    assert track is not None
    e1 = track.level("E1")
    assert e1 is not None and e1.requirements.min_points is None
    data = small.to_document()
    data["scoring"]["levels"] = []  # type: ignore[index]
    fw = framework_from_data(data)
    result = scoring.readiness(fw, fw.tracks[0], fw.tracks[0].levels[0], {})
    assert result.points_missing == 0
    assert not result.ready and [r.label for r in result.unmet] == ["Coding at milestone 1"]
