"""Level distribution and time in level over the API: the same selectors and the same scope as
the pages (admins: everyone; managers: themselves and the people below them; others: 403)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ladders.api.errors import errors, forbidden, not_found
from ladders.api.schemas import example

from . import distribution as dist
from .scope import can_see_reports

router = Router(tags=["reports"])

Rule = Literal["median", "fallback"]


class ReportFilter(Schema):
    team: str = Field(
        "",
        description='A team slug, or "none" for people without a team.',
        examples=["payments"],
    )
    track: str = Field(
        "",
        description='A track as "<framework key>:<track key>".',
        examples=["ladders-starter:engineer"],
    )


class TeamCountOut(Schema):
    model_config = example(team="payments", team_name="Payments", count=2, quarters=[1, 1, 2, 2])
    team: str | None = Field(description="The team's slug; null for people without a team.")
    team_name: str
    count: int = Field(description="People at the level now.")
    quarters: list[int] = Field(description="People at the level at each of `quarter_ends`.")


class LevelCountOut(Schema):
    model_config = example(
        code="IC3",
        title="Engineer III",
        in_framework=True,
        count=3,
        quarters=[2, 2, 2, 3],
        teams=[dict(team="mobile", team_name="Mobile", count=2, quarters=[2, 2, 2, 2])],
    )
    code: str
    title: str
    in_framework: bool = Field(description="False for a code the latest version no longer has.")
    count: int
    quarters: list[int]
    teams: list[TeamCountOut]


class TrackDistributionOut(Schema):
    model_config = example(
        framework="ladders-starter",
        track="engineer",
        name="Engineer",
        count=9,
        quarter_totals=[7, 7, 8, 9],
        levels=[],
    )
    framework: str = Field(description="The framework's key.")
    track: str = Field(description="The track's key.")
    name: str
    count: int
    quarter_totals: list[int]
    levels: list[LevelCountOut] = Field(description="In the track's order.")


class LevelDistributionOut(Schema):
    model_config = example(
        as_of="2026-11-22",
        quarter_ends=["2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30"],
        tracks=[],
    )
    as_of: date
    quarter_ends: list[date] = Field(description="The last four quarter ends, oldest first.")
    tracks: list[TrackDistributionOut]


class PersonInLevelOut(Schema):
    model_config = example(
        person="0b5e4a52-3c1f-4c0e-9a55-1d2a7b9f6e10",
        name="Samir Castellano",
        team="mobile",
        team_name="Mobile",
        manager_name="Priya Lindqvist",
        framework="ladders-starter",
        track="engineer",
        level="IC3",
        started_on="2025-02-20",
        months_in_level=21.0,
        typical_months=10.8,
        typical_rule="median",
        past_typical=True,
    )
    person: UUID
    name: str
    team: str | None
    team_name: str | None
    manager_name: str | None
    framework: str
    track: str
    level: str
    started_on: date
    months_in_level: float
    typical_months: float
    typical_rule: Rule = Field(
        description="median: of the stays that ended with a move up; fallback: the fixed "
        "time used when fewer than `min_completed` people moved up from the level."
    )
    past_typical: bool


class LevelTimeOut(Schema):
    model_config = example(
        code="IC2",
        title="Engineer II",
        people_now=1,
        median_months_so_far=3.0,
        moves_up=3,
        median_months_before_moving_up=12.2,
        typical_months=12.2,
        typical_rule="median",
        past_typical=0,
    )
    code: str
    title: str
    people_now: int
    median_months_so_far: float | None
    moves_up: int = Field(description="Completed stays that ended with a higher level.")
    median_months_before_moving_up: float | None
    typical_months: float
    typical_rule: Rule
    past_typical: int


class TrackTimeOut(Schema):
    model_config = example(
        framework="ladders-starter", track="engineer", name="Engineer", levels=[]
    )
    framework: str
    track: str
    name: str
    levels: list[LevelTimeOut]


class TimeInLevelOut(Schema):
    model_config = example(
        as_of="2026-11-22",
        fallback_months=24,
        min_completed=3,
        tracks=[],
        people=[],
        past_typical=[],
    )
    as_of: date
    fallback_months: int
    min_completed: int
    tracks: list[TrackTimeOut]
    people: list[PersonInLevelOut] = Field(description="Everyone at a level now.")
    past_typical: list[PersonInLevelOut] = Field(description="Furthest past the usual time first.")


def _allowed(request: HttpRequest) -> None:
    if not can_see_reports(request.user):
        raise forbidden("Reports are for admins and managers.")


def _check(f: ReportFilter, teams: list[dist.TeamRef], tracks: list[dist.TrackInfo]) -> None:
    if f.team and f.team not in {t.slug for t in teams}:
        raise not_found("team")
    if f.track and f.track not in {t.slug for t in tracks}:
        raise not_found("track")


def _team(team: dist.TeamRef) -> str | None:
    return None if team.slug == dist.NO_TEAM else team.slug


@router.get(
    "/reports/levels",
    response={200: LevelDistributionOut, **errors(403, 404)},
    summary="Level distribution",
)
def level_distribution(request: HttpRequest, filters: Query[ReportFilter]) -> LevelDistributionOut:
    """People per track, level and team now and at the last four quarter ends."""
    _allowed(request)
    report = dist.level_distribution(user=request.user, team=filters.team, track=filters.track)
    _check(filters, report.team_options, report.track_options)
    tracks = []
    for td in report.tracks:
        levels = [
            LevelCountOut(
                code=lv.code,
                title=lv.title,
                in_framework=lv.in_framework,
                count=lv.now,
                quarters=lv.quarters,
                teams=[
                    TeamCountOut(
                        team=_team(r.team),
                        team_name=r.team.name,
                        count=r.now,
                        quarters=list(r.quarters),
                    )
                    for r in td.team_rows
                    if r.code == lv.code and (r.now or any(r.quarters))
                ],
            )
            for lv in td.levels
        ]
        tracks.append(
            TrackDistributionOut(
                framework=td.track.framework_key,
                track=td.track.key,
                name=td.track.name,
                count=td.now,
                quarter_totals=td.quarter_totals,
                levels=levels,
            )
        )
    return LevelDistributionOut(as_of=report.today, quarter_ends=report.quarter_ends, tracks=tracks)


def _person(p: dist.PersonInLevel) -> PersonInLevelOut:
    return PersonInLevelOut(
        person=UUID(p.person.uuid),
        name=p.person.name,
        team=_team(p.person.team),
        team_name=None if p.person.team.slug == dist.NO_TEAM else p.person.team.name,
        manager_name=p.person.manager_name or None,
        framework=p.track.framework_key,
        track=p.track.key,
        level=p.code,
        started_on=p.started_on,
        months_in_level=p.months,
        typical_months=p.typical_months,
        typical_rule="median" if p.typical_is_median else "fallback",
        past_typical=p.past_typical,
    )


@router.get(
    "/reports/time-in-level",
    response={200: TimeInLevelOut, **errors(403, 404)},
    summary="Time in level and promotion velocity",
)
def time_in_level(request: HttpRequest, filters: Query[ReportFilter]) -> TimeInLevelOut:
    """Per track and level: people there now, median months so far and before moving up, and
    who is past the usual time."""
    _allowed(request)
    report = dist.time_in_level(user=request.user, team=filters.team, track=filters.track)
    _check(filters, report.team_options, report.track_options)
    tracks = [
        TrackTimeOut(
            framework=tt.track.framework_key,
            track=tt.track.key,
            name=tt.track.name,
            levels=[
                LevelTimeOut(
                    code=lv.code,
                    title=lv.title,
                    people_now=len(lv.people),
                    median_months_so_far=lv.median_now_months,
                    moves_up=len(lv.completed),
                    median_months_before_moving_up=lv.median_completed_months,
                    typical_months=lv.typical_months,
                    typical_rule="median" if lv.typical_is_median else "fallback",
                    past_typical=lv.past_count,
                )
                for lv in tt.levels
            ],
        )
        for tt in report.tracks
    ]
    return TimeInLevelOut(
        as_of=report.today,
        fallback_months=report.fallback_months,
        min_completed=report.min_completed,
        tracks=tracks,
        people=[_person(p) for p in report.people],
        past_typical=[_person(p) for p in report.past_typical],
    )
