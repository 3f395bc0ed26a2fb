"""Calibration, skill gaps and evidence coverage over the API: the same selectors and the same
scope as the pages (admins: everyone; managers: themselves and the people below them; others:
403). Each answer is one whole report, computed at once, so none of them is paginated."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from ladders.api.errors import errors, forbidden
from ladders.api.schemas import example

from .calibration import ManagerCalibration, calibration_report
from .evidence import evidence_coverage
from .gaps import RequirementGap, TeamGaps, skill_gaps
from .scope import can_see_reports, report_people

router = Router(tags=["reports"])
PERSON = "0b5e4a52-3c1f-4c0e-9a55-1d2a7b9f6e10"


def _allowed(request: HttpRequest) -> None:
    if not can_see_reports(request.user):
        raise forbidden("Reports are for organisation admins and managers.")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- calibration ---------------------------------------------------------------------------------


class ManagerCalibrationOut(Schema):
    model_config = example(
        manager=PERSON,
        name="Tomasz Reyes",
        people=4,
        check_ins=5,
        ratings=60,
        mean_difference=0.5,
        spread=0.5,
        mean_rating=2.1167,
        compared=48,
        delta_vs_org=0.2083,
        taking_part=True,
        others_mean=-0.5,
        others_spread=0.9428,
        distance=1.0607,
        flagged=False,
        comparison_hidden=False,
        delta_hidden=False,
    )
    manager: UUID = Field(description="The manager's person id.")
    name: str
    people: int = Field(description="People whose check-ins they rated.")
    check_ins: int
    ratings: int = Field(description="Skills rated by both the manager and the person.")
    mean_difference: float | None = Field(
        description="Mean of manager minus self milestones: above 0 lenient, below 0 severe."
    )
    spread: float | None = Field(description="Standard deviation of those differences.")
    mean_rating: float | None = Field(description="Mean of the manager's milestones.")
    compared: int | None = Field(
        description="Manager ratings another manager also gave at the same skill and level; "
        "null when withheld (see `min_others`)."
    )
    delta_vs_org: float | None = Field(
        description="Mean of (rating minus the other managers' mean at that skill and level); "
        "null when withheld."
    )
    taking_part: bool = Field(description="Enough ratings to take part in the outlier check.")
    others_mean: float | None = Field(
        description="Mean of the other managers' mean differences; null when withheld."
    )
    others_spread: float | None = Field(description="Their standard deviation, after the floor.")
    distance: float | None = Field(description="(mean_difference - others_mean) / others_spread.")
    flagged: bool = Field(description="Worked out even when the figures behind it are withheld.")
    comparison_hidden: bool = Field(
        description="others_mean, others_spread and distance are withheld from you."
    )
    delta_hidden: bool = Field(description="compared and delta_vs_org are withheld from you.")


class CalibrationOut(Schema):
    model_config = example(
        org_mean_difference=-0.1389,
        org_ratings=144,
        org_managers=3,
        taking_part=3,
        min_ratings=5,
        min_managers=3,
        threshold=1.5,
        min_spread=0.25,
        min_others=5,
        org_hidden=False,
        comparison_hidden=False,
        managers=[],
    )
    org_mean_difference: float | None = Field(
        description="Over every paired rating; null when withheld."
    )
    org_ratings: int | None = Field(description="Null when withheld.")
    org_managers: int = Field(description="Managers with at least one paired rating.")
    taking_part: int = Field(description="Managers with at least `min_ratings` paired ratings.")
    min_ratings: int
    min_managers: int = Field(description="Taking-part managers needed before anyone is flagged.")
    threshold: float = Field(description="Flagged beyond this many spreads from the others.")
    min_spread: float = Field(description="The smallest spread a manager is judged against.")
    min_others: int = Field(
        description="Except for admins, a figure built from managers you cannot see is shown "
        "only when at least this many of them take part in it; otherwise it is null."
    )
    org_hidden: bool = Field(description="org_mean_difference and org_ratings are withheld.")
    comparison_hidden: bool = Field(description="Other managers' mean and spread are withheld.")
    managers: list[ManagerCalibrationOut] = Field(
        description="The managers you may see, largest mean difference first."
    )


def _manager_out(r: ManagerCalibration) -> ManagerCalibrationOut:
    return ManagerCalibrationOut(
        manager=r.manager.uuid,
        name=r.manager.name,
        people=r.people,
        check_ins=r.check_ins,
        ratings=r.ratings,
        mean_difference=_round(r.mean_difference),
        spread=_round(r.spread),
        mean_rating=_round(r.mean_rating),
        compared=r.compared,
        delta_vs_org=_round(r.delta_vs_org),
        taking_part=r.taking_part,
        others_mean=_round(r.others_mean),
        others_spread=_round(r.others_spread),
        distance=_round(r.distance),
        flagged=r.flagged,
        comparison_hidden=r.comparison_hidden,
        delta_hidden=r.delta_hidden,
    )


@router.get(
    "/reports/calibration",
    response={200: CalibrationOut, **errors(403)},
    summary="Calibration of managers' check-in ratings",
)
def calibration(request: HttpRequest) -> CalibrationOut:
    """Each manager's ratings against the self-ratings they answer and against the other
    managers; the organisation is the baseline, the rows are the managers you may see."""
    _allowed(request)
    report = calibration_report(user=request.user)
    return CalibrationOut(
        org_mean_difference=_round(report.org_mean_difference),
        org_ratings=report.org_ratings,
        org_managers=report.org_managers,
        taking_part=report.taking_part,
        min_ratings=report.min_ratings,
        min_managers=report.min_managers,
        threshold=report.threshold,
        min_spread=report.min_spread,
        min_others=report.min_others,
        org_hidden=report.org_hidden,
        comparison_hidden=report.comparison_hidden,
        managers=[_manager_out(r) for r in report.rows],
    )


# --- skill gaps ----------------------------------------------------------------------------------


class RequirementGapOut(Schema):
    model_config = example(
        requirement="System design at milestone 3",
        kind="milestone",
        skill="system-design",
        milestone=3,
        points=None,
        missing=2,
        of=3,
        people=[PERSON],
    )
    requirement: str
    kind: str = Field(description="milestone, min_points or category_points.")
    skill: str = Field(description="The skill's key for a milestone requirement; else empty.")
    milestone: int | None
    points: int | None = Field(description="Points asked (in total or in a category).")
    missing: int = Field(description="People who do not meet it yet.")
    of: int = Field(description="People whose next level asks for it.")
    people: list[UUID] = Field(description="Who does not meet it yet.")


class TeamGapsOut(Schema):
    model_config = example(
        team="payments", team_name="Payments", counted=5, at_top=0, without_position=0, gaps=[]
    )
    team: str | None = Field(description="The team's slug; null for people without a team.")
    team_name: str
    counted: int = Field(description="People with a next level.")
    at_top: int
    without_position: int
    gaps: list[RequirementGapOut] = Field(description="Missed by someone; most missed first.")


class SkillGapsOut(Schema):
    model_config = example(teams=[])
    teams: list[TeamGapsOut]


def _gap_out(g: RequirementGap) -> RequirementGapOut:
    r = g.requirement
    return RequirementGapOut(
        requirement=r.label,
        kind=r.kind,
        skill=r.skill,
        milestone=r.milestone,
        points=r.points,
        missing=len(g.missing),
        of=g.of,
        people=[p.uuid for p in g.missing],
    )


def _team_out(t: TeamGaps) -> TeamGapsOut:
    return TeamGapsOut(
        team=t.team.slug if t.team else None,
        team_name=t.name,
        counted=t.counted,
        at_top=t.at_top,
        without_position=t.without_position,
        gaps=[_gap_out(g) for g in t.gaps],
    )


@router.get(
    "/reports/skill-gaps",
    response={200: SkillGapsOut, **errors(403)},
    summary="Next-level requirements people miss, per team",
)
def gaps(request: HttpRequest) -> SkillGapsOut:
    """For each team, the requirements of people's next level that they do not meet yet."""
    _allowed(request)
    return SkillGapsOut(teams=[_team_out(t) for t in skill_gaps(user=request.user)])


# --- evidence coverage ---------------------------------------------------------------------------


class PersonCoverageOut(Schema):
    model_config = example(
        person=PERSON,
        name="Felix Amadi",
        team="payments",
        attainments=12,
        without_evidence=8,
        only_old=0,
        covered=4,
        share=0.3333,
        latest="2026-06-14",
    )
    person: UUID
    name: str
    team: str | None = Field(description="The team's slug, if any.")
    attainments: int = Field(description="Active certified milestones.")
    without_evidence: int = Field(description="With no evidence you may see.")
    only_old: int = Field(description="With evidence, all observed before `cutoff`.")
    covered: int
    share: float = Field(description="covered / attainments.")
    latest: date | None = Field(description="The newest evidence you may see.")


class EvidenceCoverageOut(Schema):
    model_config = example(
        as_of="2026-11-22", cutoff="2025-11-22", attainments=207, covered=8, people=[], bare=[]
    )
    as_of: date
    cutoff: date = Field(description="Evidence observed before this day counts as old.")
    attainments: int
    covered: int
    people: list[PersonCoverageOut] = Field(description="Weakest coverage first.")
    bare: list[UUID] = Field(description="People without any certified milestone.")


@router.get(
    "/reports/evidence",
    response={200: EvidenceCoverageOut, **errors(403)},
    summary="Evidence coverage of certified milestones",
)
def evidence(request: HttpRequest) -> EvidenceCoverageOut:
    """Per person, certified milestones with no evidence or only old evidence. Only
    observations you may see are counted."""
    _allowed(request)
    today = timezone.localdate()
    people = report_people(request.user).select_related("team").order_by("name", "id")
    coverage = evidence_coverage(viewer=request.user, people=people, today=today)
    return EvidenceCoverageOut(
        as_of=today,
        cutoff=coverage.cutoff,
        attainments=coverage.attainments,
        covered=coverage.covered,
        people=[
            PersonCoverageOut(
                person=r.person.uuid,
                name=r.person.name,
                team=r.person.team.slug if r.person.team else None,
                attainments=r.attainments,
                without_evidence=r.without_evidence,
                only_old=r.only_old,
                covered=r.covered,
                share=round(r.share, 4),
                latest=r.latest,
            )
            for r in coverage.rows
        ],
        bare=[p.uuid for p in coverage.without_attainments],
    )
