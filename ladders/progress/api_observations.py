"""Observations in the API: list and count (only what `observation_visible_q` lets the caller
see), read, write, edit, delete (soft, history kept) and earlier versions.

The rules are the pages': any member may write about anyone, only the author may change or
delete, and an earlier private version shows only to those entitled to private observations."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ladders.api.errors import errors, forbidden, not_found
from ladders.api.pagination import Cursor
from ladders.api.schemas import Deleted, Text, example

from . import selectors, services
from . import views as pages
from .api_common import (
    PERSON_EXAMPLE,
    CountOut,
    PersonRef,
    SkillKey,
    invalid,
    person_or_404,
    require_member,
)
from .models import Observation, ObservationRevision, Visibility

router = Router(tags=["observations"])

OBSERVATION_UUID = "5f0c2a8e-7d41-4f3b-b1a9-3e6d2c8f4a17"
VisibilityName = Literal["private", "shared"]


class SkillPick(Schema):
    model_config = example(key="testing", milestone=2)
    key: SkillKey
    milestone: int | None = Field(
        default=None, ge=1, le=99, description="The milestone shown, or null for the skill only."
    )


class ObservationIn(Schema):
    model_config = example(
        subject=PERSON_EXAMPLE["uuid"],
        text="Wrote the **migration plan** and walked the team through it.",
        observed_on="2026-11-20",
        link="https://example.com/pull/42",
        visibility="shared",
        skills=[{"key": "testing", "milestone": 2}],
    )
    subject: UUID = Field(description="The person the observation is about.")
    text: Text = Field(min_length=1, max_length=20_000, description="Markdown.")
    observed_on: date = Field(description="The day it happened; today at the latest.")
    link: Text = Field(default="", max_length=500, description="A URL, e.g. a pull request.")
    visibility: VisibilityName = "private"
    skills: list[SkillPick] = Field(
        min_length=1, max_length=200, description="Skills of the subject's framework it evidences."
    )


class ObservationPatch(Schema):
    model_config = example(text="Wrote the migration plan, and ran it.", visibility="shared")
    text: Text | None = Field(default=None, min_length=1, max_length=20_000)
    observed_on: date | None = None
    link: Text | None = Field(default=None, max_length=500)
    visibility: VisibilityName | None = None
    skills: list[SkillPick] | None = Field(default=None, min_length=1, max_length=200)


class ObservationOut(Schema):
    model_config = example(
        uuid=OBSERVATION_UUID,
        subject=PERSON_EXAMPLE,
        author={"uuid": "9a1d3b2c-4e5f-4a6b-8c7d-0e1f2a3b4c5d", "name": "Noor Haddad"},
        framework="engineering",
        text="Wrote the **migration plan** and walked the team through it.",
        observed_on="2026-11-20",
        link="https://example.com/pull/42",
        visibility="shared",
        skills=[{"key": "testing", "milestone": 2}],
        created_at="2026-11-20T15:02:11Z",
        updated_at="2026-11-20T15:02:11Z",
    )
    uuid: UUID
    subject: PersonRef
    author: PersonRef
    framework: str = Field(description="The key of the framework its skills belong to.")
    text: str = Field(description="Markdown.")
    observed_on: date
    link: str
    visibility: VisibilityName
    skills: list[SkillPick]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_framework(obj: Observation) -> str:
        return obj.framework.key

    @staticmethod
    def resolve_skills(obj: Observation) -> list[dict[str, Any]]:
        return [{"key": s.skill_key, "milestone": s.milestone} for s in obj.skills.all()]


class RevisionOut(Schema):
    model_config = example(
        action="edited",
        changed_by={"uuid": "9a1d3b2c-4e5f-4a6b-8c7d-0e1f2a3b4c5d", "name": "Noor Haddad"},
        changed_at="2026-11-21T08:30:00Z",
        text="Wrote the migration plan.",
        observed_on="2026-11-20",
        link="",
        visibility="private",
        skills=[{"key": "testing", "milestone": None}],
    )
    action: Literal["edited", "deleted"] = Field(description="What the author did next.")
    changed_by: PersonRef
    changed_at: datetime
    text: str = Field(description="What the observation said before the change (Markdown).")
    observed_on: date
    link: str
    visibility: VisibilityName
    skills: list[SkillPick]

    @staticmethod
    def resolve_skills(obj: ObservationRevision) -> list[dict[str, Any]]:
        return [{"key": key, "milestone": number} for key, number in obj.skills]


class ObservationFilters(Schema):
    model_config = example(person=PERSON_EXAMPLE["uuid"], skill="testing", since="2026-01-01")
    person: UUID | None = Field(default=None, description="Only observations of this person.")
    author: UUID | None = Field(default=None, description="Only those this person wrote.")
    mine: bool = Field(default=False, description="Only those you wrote.")
    skill: SkillKey | None = Field(default=None, description="Only those evidencing this skill.")
    since: date | None = Field(default=None, description="Observed on or after this day.")
    until: date | None = Field(default=None, description="Observed on or before this day.")
    visibility: VisibilityName | None = None


def _search(request: HttpRequest, filters: ObservationFilters) -> QuerySet[Observation]:
    require_member(request)
    author = person_or_404(filters.author) if filters.author else None
    if filters.mine:
        me = pages._me(request)
        if author is not None and author.pk != me.pk:
            return Observation.objects.none()
        author = me
    return selectors.observation_search(
        user=request.user,
        subject=person_or_404(filters.person) if filters.person else None,
        author=author,
        skill_key=filters.skill,
        since=filters.since,
        until=filters.until,
        visibility=filters.visibility,
    )


def _visible(request: HttpRequest, uuid: UUID) -> Observation:
    """A live observation the caller may see, else 404 (its existence does not leak)."""
    require_member(request)
    found = selectors.observation_search(user=request.user).filter(uuid=uuid).first()
    if found is None:
        raise not_found("observation")
    return found


def _own(request: HttpRequest, uuid: UUID) -> tuple[Any, Observation]:
    observation = _visible(request, uuid)
    me = pages._me(request)
    if observation.author_id != me.pk:
        raise forbidden("Only the author may change or delete an observation.")
    return me, observation


def _picks(skills: list[SkillPick]) -> list[tuple[str, int | None]]:
    return [(s.key, s.milestone) for s in skills]


@router.get(
    "/observations",
    response={200: list[ObservationOut], **errors(403, 404)},
    summary="List observations you may see",
    description="Newest observed first. Private observations show only to the person, the "
    "author, the person's management chain and admins; deleted ones never.",
)
@paginate(Cursor, ordering=("-observed_on", "-id"))
def observation_list(
    request: HttpRequest, filters: Query[ObservationFilters]
) -> QuerySet[Observation]:
    return _search(request, filters)


@router.get(
    "/observations/count",
    response={200: CountOut, **errors(403, 404)},
    summary="Count observations you may see",
)
def observation_count(request: HttpRequest, filters: Query[ObservationFilters]) -> CountOut:
    return CountOut(count=_search(request, filters).count())


@router.post(
    "/observations",
    response={201: ObservationOut, **errors(403, 404, 422)},
    summary="Write an observation",
    description="Any member may write about anyone, themselves included. Skills and milestones "
    "are checked against the subject's framework.",
)
def observation_create(request: HttpRequest, payload: ObservationIn) -> Status:
    require_member(request)
    me = pages._me(request)
    subject = person_or_404(payload.subject)
    version = pages._version_for(subject)
    try:
        made = services.observation_create(
            author=me,
            subject=subject,
            framework=version.framework,
            text=payload.text,
            observed_on=payload.observed_on,
            link=payload.link,
            skills=_picks(payload.skills),
            visibility=payload.visibility,
        )
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, _visible(request, made.uuid))


@router.get(
    "/observations/{uuid}",
    response={200: ObservationOut, **errors(403, 404)},
    summary="Read an observation",
)
def observation_get(request: HttpRequest, uuid: UUID) -> Observation:
    return _visible(request, uuid)


@router.patch(
    "/observations/{uuid}",
    response={200: ObservationOut, **errors(403, 404, 422)},
    summary="Edit your observation",
    description="Only the author. Fields left out keep their value; what it said before is "
    "kept as an earlier version.",
)
def observation_update(request: HttpRequest, uuid: UUID, payload: ObservationPatch) -> Observation:
    me, observation = _own(request, uuid)
    skills = (
        _picks(payload.skills)
        if payload.skills is not None
        else selectors.observation_skill_picks(observation=observation)
    )
    try:
        services.observation_update(
            observation=observation,
            editor=me,
            text=observation.text if payload.text is None else payload.text,
            observed_on=payload.observed_on or observation.observed_on,
            link=observation.link if payload.link is None else payload.link,
            skills=skills,
            visibility=payload.visibility or observation.visibility,
        )
    except ValidationError as error:
        raise invalid(error) from None
    return _visible(request, uuid)


@router.delete(
    "/observations/{uuid}",
    response={200: Deleted, **errors(403, 404)},
    summary="Delete your observation",
    description="Only the author. It disappears everywhere; its history is kept.",
)
def observation_delete(request: HttpRequest, uuid: UUID) -> Deleted:
    me, observation = _own(request, uuid)
    services.observation_delete(observation=observation, editor=me)
    return Deleted(ok=True)


@router.get(
    "/observations/{uuid}/revisions",
    response={200: list[RevisionOut], **errors(403, 404)},
    summary="Earlier versions of an observation",
    description="Newest first. An earlier private version shows only to the author, the "
    "person, their management chain and admins, even when the observation is shared now.",
)
@paginate(Cursor, ordering=("-changed_at", "-id"))
def observation_revisions(request: HttpRequest, uuid: UUID) -> QuerySet[ObservationRevision]:
    observation = _visible(request, uuid)
    return selectors.observation_revisions_visible(user=request.user, observation=observation)


__all__ = ["ObservationOut", "SkillPick", "Visibility", "router"]
