"""A person's progress in the API (points, level, titles, readiness for the next level,
requirement by requirement, as the progress page), what-if scoring, the team heatmap and the
manager's dashboard rows. Everything is scored by `progress_summary` / the team selectors."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema
from pydantic import Field

from ladders.accounts.permissions import managed_ids, person_for
from ladders.api.errors import ApiError, errors, not_found
from ladders.api.schemas import example
from ladders.checkins.selectors import checkin_reminders
from ladders.org.models import Person, Team

from . import team_views
from .api_attainments import subject_with_framework
from .api_common import PERSON_EXAMPLE, PersonRef, page, require_member
from .attainments import (
    ProgressSummary,
    milestones_in,
    person_attainments,
    person_milestones,
    progress_summary,
)
from .team_selectors import ReportRow, team_heatmap
from .team_selectors import report_rows as dashboard_rows

router = Router(tags=["progress"])

REQUIREMENT = {
    "kind": "milestone",
    "key": "testing",
    "label": "Testing at milestone 3",
    "required": 3,
    "actual": 2,
    "met": False,
    "missing": 1,
    "attainments": ["7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098"],
}
READINESS = {
    "track": "backend",
    "level": "L3",
    "title": "Engineer",
    "ready": False,
    "points": 24,
    "points_missing": 6,
    "requirements": [REQUIREMENT],
}


class LevelRef(Schema):
    model_config = example(code="L2", title="Associate Engineer")
    code: str
    title: str


class SkillPointsOut(Schema):
    model_config = example(key="testing", name="Testing", milestone=2, max_milestone=5, points=3)
    key: str
    name: str
    milestone: int = Field(description="Highest milestone reached (0: not started).")
    max_milestone: int
    points: int


class RequirementOut(Schema):
    model_config = example(**REQUIREMENT)
    kind: str = Field(description="milestone, min_points or category_points.")
    key: str = Field(description="The skill or category key; empty for min_points.")
    label: str
    required: int
    actual: int
    met: bool
    missing: int
    attainments: list[UUID] = Field(
        description="Active certified milestones of the skill backing it (progress only)."
    )


class ReadinessOut(Schema):
    model_config = example(**READINESS)
    track: str
    level: str = Field(description="The code of the next level.")
    title: str
    ready: bool
    points: int
    points_missing: int
    requirements: list[RequirementOut]


class ProgressOut(Schema):
    model_config = example(
        person=PERSON_EXAMPLE,
        framework="engineering",
        scoring_mode="highest",
        points=24,
        max_points=160,
        level_code="L2",
        track="backend",
        track_level={"code": "L2", "title": "Associate Engineer"},
        titles=["Engineer I"],
        milestones={"testing": 2},
        skills=[
            {"key": "testing", "name": "Testing", "milestone": 2, "max_milestone": 5, "points": 3}
        ],
        next=READINESS,
    )
    person: PersonRef
    framework: str = Field(description="The key of the framework progress is measured on.")
    scoring_mode: str
    points: int
    max_points: int
    level_code: str | None = Field(description="The level code the points reach, if any.")
    track: str | None = Field(description="The track measured on (the person's position's).")
    track_level: LevelRef | None = Field(
        description="Highest level of the track whose requirements all hold; null below the first."
    )
    titles: list[str] = Field(description="Titles the points make the person eligible for.")
    milestones: dict[str, int] = Field(description="The milestone map scored, by skill key.")
    skills: list[SkillPointsOut]
    next: ReadinessOut | None = Field(
        description="Readiness for the next level; null at the top of the track or without tracks."
    )


class WhatIfIn(Schema):
    model_config = example(milestones={"testing": 3, "code-review": 2})
    milestones: dict[str, int] = Field(
        description="Skill key → milestone (0 to the skill's top). Skills left out keep the "
        "person's certified milestone."
    )


def progress_out(person: Person, framework_key: str, summary: ProgressSummary) -> ProgressOut:
    score = summary.score
    ready = score.next
    backing = {row.result.key: row.attainments for row in summary.requirements}
    return ProgressOut(
        person=PersonRef(uuid=person.uuid, name=person.name),
        framework=framework_key,
        scoring_mode=summary.doc.scoring.mode,
        points=score.points,
        max_points=summary.max_points,
        level_code=score.level_code,
        track=score.track.key if score.track else None,
        track_level=(
            LevelRef(code=score.track_level.code, title=score.track_level.title)
            if score.track_level
            else None
        ),
        titles=[t.name for t in score.titles],
        milestones=dict(summary.milestones),
        skills=[
            SkillPointsOut(key=k, name=n, milestone=m, max_milestone=top, points=p)
            for k, n, m, top, p in summary.skill_rows
        ],
        next=(
            ReadinessOut(
                track=ready.track.key,
                level=ready.level.code,
                title=ready.level.title,
                ready=ready.ready,
                points=ready.points,
                points_missing=ready.points_missing,
                requirements=[
                    RequirementOut(
                        kind=r.kind.value,
                        key=r.key,
                        label=r.label,
                        required=r.required,
                        actual=r.actual,
                        met=r.met,
                        missing=r.missing,
                        attainments=(
                            [a.uuid for a in backing.get(r.key, [])]
                            if r.kind.value == "milestone"
                            else []
                        ),
                    )
                    for r in ready.results
                ],
            )
            if ready is not None
            else None
        ),
    )


@router.get(
    "/people/{uuid}/progress",
    response={200: ProgressOut, **errors(403, 404)},
    summary="A person's progress",
    description="Points, level, titles and readiness for the next level from their certified "
    "milestones. The person, their management chain and admins may read it.",
)
def person_progress(request: HttpRequest, uuid: UUID) -> ProgressOut:
    subject = subject_with_framework(request, uuid)
    assert subject.doc is not None and subject.framework is not None
    attainments = list(
        person_attainments(person=subject.person, framework=subject.framework, viewer=request.user)
    )
    active: dict[str, int] = {}
    for a in attainments:
        if a.revoked_at is None:
            active[a.skill_key] = max(active.get(a.skill_key, 0), a.milestone)
    summary = progress_summary(
        doc=subject.doc, milestones=active, track_key=subject.track_key, attainments=attainments
    )
    return progress_out(subject.person, subject.framework.key, summary)


@router.post(
    "/people/{uuid}/progress/what-if",
    response={200: ProgressOut, **errors(403, 404, 422)},
    summary="What-if scoring",
    description="Score the person's certified milestones with some changed: nothing is saved. "
    "An unknown skill or a milestone out of range is refused (422) with the field.",
)
def person_what_if(request: HttpRequest, uuid: UUID, payload: WhatIfIn) -> ProgressOut:
    subject = subject_with_framework(request, uuid)
    doc, framework = subject.doc, subject.framework
    assert doc is not None and framework is not None
    fields: dict[str, str] = {}
    for key, number in payload.milestones.items():
        skill = doc.skill(key)
        if skill is None:
            fields[f"body.milestones.{key}"] = f"{doc.name} has no skill with this key."
        elif not 0 <= number <= skill.max_milestone:
            fields[f"body.milestones.{key}"] = (
                f"{skill.name} has milestones 0 to {skill.max_milestone}; {number} does not exist."
            )
    if fields:
        raise ApiError(422, "invalid", "Some milestones cannot be scored.", fields)
    chosen = milestones_in(doc, person_milestones(person=subject.person, framework=framework))
    chosen.update(payload.milestones)
    summary = progress_summary(doc=doc, milestones=chosen, track_key=subject.track_key)
    return progress_out(subject.person, framework.key, summary)


# --- team heatmap --------------------------------------------------------------------------------


class CellOut(Schema):
    model_config = example(skill="testing", milestone=2, required=3, state="below")
    skill: str
    milestone: int
    required: int | None = Field(description="What the person's level asks; null: nothing.")
    state: str = Field(description="above, met, below or not-required.")


class HeatmapRowOut(Schema):
    model_config = example(
        person=PERSON_EXAMPLE,
        track="backend",
        level="L2",
        level_title="Associate Engineer",
        cells=[{"skill": "testing", "milestone": 2, "required": 3, "state": "below"}],
    )
    person: PersonRef
    track: str = Field(description="The track of their open position.")
    level: str = Field(description="The level code of their open position.")
    level_title: str
    cells: list[CellOut]


class SkillRef(Schema):
    model_config = example(key="testing", name="Testing")
    key: str
    name: str


class HeatmapTableOut(Schema):
    model_config = example(
        framework="engineering",
        framework_name="Engineering",
        skills=[{"key": "testing", "name": "Testing"}],
        rows=[HeatmapRowOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
    )
    framework: str
    framework_name: str
    skills: list[SkillRef]
    rows: list[HeatmapRowOut]


class TeamRef(Schema):
    model_config = example(slug="platform", name="Platform")
    slug: str
    name: str


class HeatmapOut(Schema):
    model_config = example(
        team={"slug": "platform", "name": "Platform"},
        limited=True,
        tables=[HeatmapTableOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        without_position=[],
    )
    team: TeamRef
    limited: bool = Field(description="True when rows are limited to you and people below you.")
    tables: list[HeatmapTableOut] = Field(description="One per framework, most used first.")
    without_position: list[PersonRef]


@router.get(
    "/teams/{slug}/heatmap",
    response={200: HeatmapOut, **errors(403, 404)},
    summary="Team heatmap",
    description="Active members × skills: the milestone each holds against what their level "
    "asks. Admins see every member; others see themselves and the people below them.",
)
def heatmap(
    request: HttpRequest,
    slug: str = Path(..., pattern=r"^[-a-zA-Z0-9_]{1,64}$", description="The team's slug."),
) -> HeatmapOut:
    require_member(request)
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise not_found("team")
    visible = team_views._visible_people(request.user)
    found = team_heatmap(team=team, visible=visible)
    return HeatmapOut(
        team=TeamRef(slug=team.slug, name=team.name),
        limited=visible is not None,
        tables=[
            HeatmapTableOut(
                framework=table.framework.key,
                framework_name=table.doc.name,
                skills=[SkillRef(key=s.key, name=s.name) for s in table.skills],
                rows=[
                    HeatmapRowOut(
                        person=PersonRef(uuid=row.person.uuid, name=row.person.name),
                        track=row.position.track_key,
                        level=row.position.level_code,
                        level_title=row.level.title if row.level else "",
                        cells=[
                            CellOut(
                                skill=s.key,
                                milestone=c.milestone,
                                required=c.required,
                                state=c.state,
                            )
                            for s, c in zip(table.skills, row.cells, strict=True)
                        ],
                    )
                    for row in table.rows
                ],
            )
            for table in found.tables
        ],
        without_position=[PersonRef(uuid=p.uuid, name=p.name) for p in found.without_position],
    )


# --- manager's dashboard -------------------------------------------------------------------------


class DashboardReadinessOut(Schema):
    model_config = example(level="L3", ready=False, met=2, total=3, points_missing=6)
    level: str
    ready: bool
    met: int
    total: int
    points_missing: int


class CheckInRef(Schema):
    model_config = example(
        uuid="1b2c3d4e-5f60-4718-a9b0-c1d2e3f4a5b6", as_of="2026-10-01", state="agreed"
    )
    uuid: UUID
    as_of: date
    state: str


class ReportRowOut(Schema):
    model_config = example(
        person=PERSON_EXAMPLE,
        is_active=True,
        team="platform",
        track="backend",
        level="L2",
        points=24,
        next_level={"level": "L3", "ready": False, "met": 2, "total": 3, "points_missing": 6},
        at_top=False,
        last_checkin={
            "uuid": "1b2c3d4e-5f60-4718-a9b0-c1d2e3f4a5b6",
            "as_of": "2026-10-01",
            "state": "agreed",
        },
        waiting=[],
        overdue=False,
    )
    person: PersonRef
    is_active: bool
    team: str | None = Field(description="The team's slug.")
    track: str | None = Field(description="The track of their open position.")
    level: str | None = Field(description="The level code of their open position.")
    points: int | None
    next_level: DashboardReadinessOut | None
    at_top: bool = Field(description="At the top of their track.")
    last_checkin: CheckInRef | None
    waiting: list[CheckInRef] = Field(description="Check-ins waiting for you.")
    overdue: bool = Field(description="No check-in in the last six months.")


class ReportPageOut(Schema):
    model_config = example(
        results=[ReportRowOut.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
        next=None,
        previous=None,
    )
    results: list[ReportRowOut]
    next: str | None
    previous: str | None


def _check_in(c: Any) -> CheckInRef:
    return CheckInRef(uuid=c.uuid, as_of=c.as_of, state=c.state)


def _row(row: ReportRow) -> ReportRowOut:
    r = row.readiness
    return ReportRowOut(
        person=PersonRef(uuid=row.person.uuid, name=row.person.name),
        is_active=row.person.is_active,
        team=row.person.team.slug if row.person.team else None,
        track=row.position.track_key if row.position else None,
        level=row.position.level_code if row.position else None,
        points=row.points,
        next_level=(
            DashboardReadinessOut(
                level=r.level.code,
                ready=r.ready,
                met=len(r.met),
                total=len(r.results),
                points_missing=r.points_missing,
            )
            if r is not None
            else None
        ),
        at_top=row.at_top,
        last_checkin=_check_in(row.last_checkin) if row.last_checkin else None,
        waiting=[_check_in(c) for c in row.waiting],
        overdue=row.overdue,
    )


@router.get(
    "/me/reports",
    response={200: ReportPageOut, **errors(403, 422)},
    summary="Your reports (the manager's dashboard)",
    description="Everyone below you in the reporting line, by name: level, points, readiness "
    "for the next level, last check-in and what waits for you. Paged like every list.",
)
def my_reports(
    request: HttpRequest, cursor: str | None = None, page_size: int | None = None
) -> ReportPageOut:
    require_member(request)
    me = person_for(request.user)
    ids = managed_ids(me) if me is not None else set()
    people, next_url, previous_url = page(
        request,
        Person.objects.filter(pk__in=ids),
        ordering=("name", "id"),
        cursor=cursor,
        page_size=page_size,
    )
    reminders = checkin_reminders(user=request.user)
    rows = dashboard_rows(
        ids=[p.pk for p in people], waiting=reminders.as_manager, today=timezone.localdate()
    )
    by_id = {row.person.pk: row for row in rows}
    return ReportPageOut(
        results=[_row(by_id[p.pk]) for p in people], next=next_url, previous=previous_url
    )
