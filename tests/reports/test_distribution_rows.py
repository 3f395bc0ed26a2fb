"""The arithmetic of level distribution and time in level, on rows built by hand.

Today is 1 Jan 2026. One framework (id 1, key "fw") with an engineering track L1 < L2 < L3 and
a management track M1. Seven people:

    A  red   L1 2024-01-01 .. 2024-06-30 (182 days), then L2 from 2024-07-01 (549 days so far)
    B  red   L1 2024-03-01 .. 2024-12-31 (306 days), then L2 from 2025-01-01 (365 days)
    C  blue  L1 2025-01-01 .. 2025-09-30 (273 days), then L2 from 2025-10-01 (92 days)
    D  blue  L1 from 2023-01-01 (1096 days)
    E  none  L2 2023-06-01 .. 2024-05-31, then L1 from 2024-06-01 (a step down; 579 days)
    F  none  L2 from 2023-01-01 (1096 days)
    G  red   L1 2024-01-01 .. 2024-12-31 (366 days), then M1 on the other track from 2025-01-01

Moves up from L1: A, B and C (182, 273, 306 days). E's step down and G's change of track are
not moves up. Nobody has moved up from L2.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from ladders.frameworks.starter import load_starter
from ladders.reports import distribution as dist
from ladders.reports import distribution_charts as drawing
from ladders.reports.distribution import PersonRef, Stay, TeamRef, TrackInfo

TODAY = date(2026, 1, 1)
RED, BLUE, NONE = TeamRef("red", "Red"), TeamRef("blue", "Blue"), TeamRef("none", "No team")
ENG = TrackInfo(
    1, "fw", "Framework", "eng", "Engineering", (("L1", "One"), ("L2", "Two"), ("L3", "Three")), 3
)
MGR = TrackInfo(1, "fw", "Framework", "mgr", "Management", (("M1", "Lead"),), 1)
TRACKS = {ENG.id: ENG, MGR.id: MGR}
PEOPLE = [
    PersonRef(1, "A", RED),
    PersonRef(2, "B", RED),
    PersonRef(3, "C", BLUE),
    PersonRef(4, "D", BLUE),
    PersonRef(5, "E", NONE),
    PersonRef(6, "F", NONE),
    PersonRef(7, "G", RED),
]
E, M = ENG.id, MGR.id
STAYS = [
    Stay(1, E, "L1", date(2024, 1, 1), date(2024, 6, 30)),
    Stay(1, E, "L2", date(2024, 7, 1)),
    Stay(2, E, "L1", date(2024, 3, 1), date(2024, 12, 31)),
    Stay(2, E, "L2", date(2025, 1, 1)),
    Stay(3, E, "L1", date(2025, 1, 1), date(2025, 9, 30)),
    Stay(3, E, "L2", date(2025, 10, 1)),
    Stay(4, E, "L1", date(2023, 1, 1)),
    Stay(5, E, "L2", date(2023, 6, 1), date(2024, 5, 31)),
    Stay(5, E, "L1", date(2024, 6, 1)),
    Stay(6, E, "L2", date(2023, 1, 1)),
    Stay(7, E, "L1", date(2024, 1, 1), date(2024, 12, 31)),
    Stay(7, M, "M1", date(2025, 1, 1)),
]


def _report(**filters: str) -> dist.LevelDistribution:
    return dist.distribution_from_rows(
        people=PEOPLE, stays=STAYS, tracks=TRACKS, today=TODAY, **filters
    )


def _time(**filters: str) -> dist.TimeInLevel:
    return dist.time_from_rows(people=PEOPLE, stays=STAYS, tracks=TRACKS, today=TODAY, **filters)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "ends"),
    [
        (date(2026, 1, 1), ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]),
        # a quarter ending today has not ended yet
        (date(2026, 3, 31), ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]),
        (date(2026, 4, 1), ["2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31"]),
        (date(2026, 11, 22), ["2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30"]),
    ],
)
def test_quarter_ends_are_the_last_four_that_have_ended(today: date, ends: list[str]) -> None:
    assert [d.isoformat() for d in dist.quarter_ends(today)] == ends


def test_a_stay_counts_on_its_first_and_last_day() -> None:
    stay = Stay(1, E, "L1", date(2025, 1, 1), date(2025, 9, 30))
    assert not stay.holds_on(date(2024, 12, 31))
    assert stay.holds_on(date(2025, 1, 1))
    assert stay.holds_on(date(2025, 9, 30))
    assert not stay.holds_on(date(2025, 10, 1))
    # days count both ends, like days_in_position: 1 Jan to 30 Sep 2025 is 273 days
    assert stay.days(TODAY) == 273
    assert Stay(1, E, "L2", date(2025, 10, 1)).days(TODAY) == 92


# --- level distribution --------------------------------------------------------------------------


def test_counts_now_and_at_quarter_ends_in_track_order() -> None:
    report = _report()
    assert [td.track.key for td in report.tracks] == ["eng", "mgr"]
    eng = report.tracks[0]
    assert eng.teams == [BLUE, RED, NONE]  # by name, "No team" last
    assert [(lv.code, lv.by_team, lv.now) for lv in eng.levels] == [
        ("L1", [1, 0, 1], 2),  # D (blue), E (no team)
        ("L2", [1, 2, 1], 4),  # C (blue), A and B (red), F (no team)
        ("L3", [0, 0, 0], 0),  # an empty level is still shown, in its place
    ]
    # 31 Mar, 30 Jun, 30 Sep: C, D, E at L1 and A, B, F at L2; C is still at L1 on 30 Sep,
    # her last day there. 31 Dec: C has moved to L2.
    assert [lv.quarters for lv in eng.levels] == [[3, 3, 3, 2], [3, 3, 3, 4], [0, 0, 0, 0]]
    assert eng.quarter_totals == [6, 6, 6, 6]
    assert eng.now == 6
    mgr = report.tracks[1]
    assert [(lv.code, lv.now, lv.quarters) for lv in mgr.levels] == [("M1", 1, [1, 1, 1, 1])]


def test_team_rows_for_the_csv() -> None:
    eng = _report().tracks[0]
    rows = {(r.team.slug, r.code): (r.now, r.quarters) for r in eng.team_rows}
    # every shown level for every team, as the page's table has them, zeros included
    assert rows == {
        ("blue", "L3"): (0, (0, 0, 0, 0)),
        ("red", "L1"): (0, (0, 0, 0, 0)),
        ("red", "L3"): (0, (0, 0, 0, 0)),
        ("none", "L3"): (0, (0, 0, 0, 0)),
        ("blue", "L1"): (1, (2, 2, 2, 1)),
        ("blue", "L2"): (1, (0, 0, 0, 1)),
        ("red", "L2"): (2, (2, 2, 2, 2)),
        ("none", "L1"): (1, (1, 1, 1, 1)),
        ("none", "L2"): (1, (1, 1, 1, 1)),
    }


def test_filters_narrow_people_and_tracks() -> None:
    red = _report(team="red")
    eng = red.tracks[0]
    assert eng.teams == [RED]
    assert [(lv.code, lv.now, lv.quarters) for lv in eng.levels] == [
        ("L1", 0, [0, 0, 0, 0]),
        ("L2", 2, [2, 2, 2, 2]),
        ("L3", 0, [0, 0, 0, 0]),
    ]
    # the options stay whole so the form can switch back
    assert [t.slug for t in red.team_options] == ["blue", "red", "none"]
    only_mgr = _report(track="fw:mgr")
    assert [td.track.key for td in only_mgr.tracks] == ["mgr"]
    assert [t.slug for t in only_mgr.track_options] == ["fw:eng", "fw:mgr"]
    assert _report(team="blue", track="fw:mgr").tracks == []


def test_levels_come_from_the_document_and_unknown_codes_go_last() -> None:
    doc = load_starter().framework
    info = dist.track_info(9, "starter", doc, "engineer", ["IC3", "X9"])
    assert [code for code, _ in info.levels] == ["IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "X9"]
    assert info.title("IC4") == "Senior Engineer"
    assert info.index("IC3") == 2 and info.index("X9") is None
    stays = [Stay(1, (9, "engineer"), "X9", date(2025, 5, 1))]
    report = dist.distribution_from_rows(
        people=[PersonRef(1, "A", RED)], stays=stays, tracks={info.id: info}, today=TODAY
    )
    last = report.tracks[0].levels[-1]
    assert (last.code, last.in_framework, last.now) == ("X9", False, 1)


# --- time in level -------------------------------------------------------------------------------


def test_moves_up_leave_out_step_downs_and_track_changes() -> None:
    found = dist.moves_up(STAYS, TRACKS)
    assert sorted((s.person_id, s.level_code, s.days(TODAY)) for s in found) == [
        (1, "L1", 182),
        (2, "L1", 306),
        (3, "L1", 273),
    ]


def test_typical_time_is_the_median_from_three_moves_up() -> None:
    assert dist.typical_days([182, 273, 306]) == (273.0, True)
    assert dist.typical_days([100, 200]) == (24 * 365.25 / 12, False)  # 730.5 days
    assert dist.months(273) == 9.0  # 273 / 30.4375 = 8.97
    assert dist.months(730.5) == 24.0


def test_time_in_level_per_level() -> None:
    report = _time()
    eng = report.tracks[0]
    l1, l2, l3 = eng.levels
    # L1: median of the moves up 182, 273, 306 -> 273 days = 9.0 months
    assert l1.completed == [182, 273, 306]
    assert (l1.median_completed_months, l1.typical_months, l1.typical_is_median) == (9.0, 9.0, True)
    assert [(p.person.name, p.days, p.months) for p in l1.people] == [
        ("D", 1096, 36.0),
        ("E", 579, 19.0),
    ]
    assert l1.median_now_months == 27.5  # (1096 + 579) / 2 = 837.5 days
    assert l1.past_count == 2
    # L2: nobody moved up (E stepped down), so 24 months applies; F is past it
    assert l2.completed == [] and l2.median_completed_months is None
    assert (l2.typical_months, l2.typical_is_median) == (24.0, False)
    assert [(p.person.name, p.months, p.past_typical) for p in l2.people] == [
        ("F", 36.0, True),
        ("A", 18.0, False),
        ("B", 12.0, False),
        ("C", 3.0, False),
    ]
    assert l2.median_now_months == 15.0  # (549 + 365) / 2 = 457 days
    assert l3.people == [] and l3.completed == []
    assert [lv.code for lv in report.tracks[1].levels] == ["M1"]


def test_people_past_the_usual_time_furthest_first() -> None:
    past = _time().past_typical
    # D: 1096 - 273 = 823 days over; F: 1096 - 730.5 = 365.5; E: 579 - 273 = 306
    assert [(p.person.name, p.code, p.typical_months) for p in past] == [
        ("D", "L1", 9.0),
        ("F", "L2", 24.0),
        ("E", "L1", 9.0),
    ]


def test_team_filter_narrows_the_people_but_not_the_usual_time() -> None:
    red = _time(team="red")
    l1 = red.tracks[0].levels[0]
    # the usual time stays the median of all three moves up from L1 (A, B and C, of whom only
    # A and B are in red): 273 days = 9.0 months, so D elsewhere would be past it
    assert (l1.completed, l1.typical_is_median, l1.typical_months) == ([182, 273, 306], True, 9.0)
    assert red.past_typical == []  # nobody in red is at L1 now
    assert [p.person.name for p in red.people] == ["A", "B", "G"]


def test_the_usual_time_comes_from_the_history_passed_in() -> None:
    """Only C and D are in scope, but the whole organisation's history has three moves up from
    L1 (182, 273, 306 days): the usual time is their median, 9.0 months, and D (36.0 months at
    L1) is past it. Without the history, C's one move would leave the 24-month rule, and D
    would be past that too; E is not listed (out of scope) though their stays count."""
    scoped = [p for p in PEOPLE if p.name in ("C", "D")]
    stays = [s for s in STAYS if s.person_id in (3, 4)]
    report = dist.time_from_rows(
        people=scoped, stays=stays, tracks=TRACKS, today=TODAY, history=STAYS
    )
    l1 = report.tracks[0].levels[0]
    assert (l1.typical_months, l1.typical_is_median, len(l1.completed)) == (9.0, True, 3)
    assert l1.median_completed_months == 9.0
    assert [p.person.name for p in l1.people] == ["D"]
    assert [(p.person.name, p.typical_months) for p in report.past_typical] == [("D", 9.0)]
    alone = dist.time_from_rows(people=scoped, stays=stays, tracks=TRACKS, today=TODAY)
    l1 = alone.tracks[0].levels[0]
    assert (l1.typical_months, l1.typical_is_median, l1.completed) == (24.0, False, [273])
    # a median of fewer than three stays is not shown: it would be one person's own time
    assert l1.median_completed_months is None


# --- charts --------------------------------------------------------------------------------------


def test_the_distribution_chart_labels_every_level_and_wraps_its_legend() -> None:
    teams = [TeamRef(f"team-{i}", f"Team number {i}") for i in range(12)]
    people = [PersonRef(i, f"P{i}", team) for i, team in enumerate(teams)]
    stays = [Stay(i, E, "L2", date(2025, 1, 1)) for i in range(12)]
    report = dist.distribution_from_rows(people=people, stays=stays, tracks=TRACKS, today=TODAY)
    (eng,) = report.tracks
    svg = drawing.distribution_svg(eng, drawing.team_colours(teams))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>Engineering (Framework): people at each level now</title>" in svg
    assert "<desc>L1: 0; L2: 12; L3: 0</desc>" in svg
    assert all(f">Team number {i}</text>" in svg for i in range(12))
    assert all(f">{code}</text>" in svg for code in ("L1", "L2", "L3"))
    legend = [
        (float(x), float(y))
        for x, y in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="11"', svg)
    ]
    assert len(legend) == 12
    assert max(x for x, _ in legend) + 15 + 7 * len("Team number 11") <= 640  # wrapped, not cut
    assert len({y for _, y in legend}) > 1


def test_the_time_chart_marks_people_past_the_usual_time() -> None:
    eng = _time().tracks[0]
    svg = drawing.time_svg(eng)
    assert "<title>Engineering (Framework): months in each level</title>" in svg
    # D (36 months) is past L1's 9.0: red; A (18 months at L2, usual 24) is not
    assert re.search(r'fill="#b91c1c" stroke="#ffffff"><title>D: 36.0 months</title>', svg)
    assert re.search(r'fill="#24292f" stroke="#ffffff"><title>A: 18.0 months</title>', svg)
    assert "<title>L1: median 9.0 months over 3 moves up</title>" in svg
    assert ">2 now</text>" in svg and ">4 now</text>" in svg
