"""Certified milestones in the API: list a person's (active and revoked), certify, revoke.

Who may do what is the progress page's: the person, their chain and admins see; the chain and
admins (never the person) certify and revoke (`certify_refusal`). Evidence lists only the
observations the caller may see."""

from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ladders.accounts.permissions import person_for
from ladders.api.errors import ApiError, errors, forbidden, not_found
from ladders.api.pagination import Cursor
from ladders.api.schemas import Text, example
from ladders.org.models import Person

from . import person_views as pages
from .api_common import PERSON_EXAMPLE, PersonRef, SkillKey
from .attainments import (
    AttainmentError,
    AttainmentNotAllowed,
    attainment_certify,
    attainment_revoke,
    certify_refusal,
    person_attainments,
)
from .models import Attainment, Observation
from .selectors import observation_visible_q

router = Router(tags=["attainments"])

ATTAINMENT_UUID = "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098"
MANAGER = {"uuid": "2c4e6a8b-1d3f-4b5a-9c7e-8f0a1b2c3d4e", "name": "Sam Okafor"}


class AttainmentOut(Schema):
    model_config = example(
        uuid=ATTAINMENT_UUID,
        person=PERSON_EXAMPLE,
        framework="engineering",
        skill="testing",
        milestone=2,
        certified_by=MANAGER,
        certified_at="2026-11-21T10:00:00Z",
        revoked_at=None,
        revoked_by=None,
        revoke_reason="",
        evidence=["5f0c2a8e-7d41-4f3b-b1a9-3e6d2c8f4a17"],
    )
    uuid: UUID
    person: PersonRef
    framework: str = Field(description="The framework's key.")
    skill: str = Field(description="The skill's key.")
    milestone: int
    certified_by: PersonRef
    certified_at: datetime
    revoked_at: datetime | None
    revoked_by: PersonRef | None
    revoke_reason: str
    evidence: list[UUID] = Field(description="The evidence observations you may see.")

    @staticmethod
    def resolve_framework(obj: Attainment) -> str:
        return obj.framework.key

    @staticmethod
    def resolve_skill(obj: Attainment) -> str:
        return obj.skill_key

    @staticmethod
    def resolve_evidence(obj: Attainment) -> list[UUID]:
        return [o.uuid for o in getattr(obj, "visible_evidence", [])]


class CertifyIn(Schema):
    model_config = example(
        skill="testing", milestone=2, evidence=["5f0c2a8e-7d41-4f3b-b1a9-3e6d2c8f4a17"]
    )
    skill: SkillKey
    milestone: int = Field(ge=1, le=99)
    evidence: list[UUID] = Field(
        default_factory=list,
        max_length=200,
        description="Observations of the person, that you can see, justifying the milestone.",
    )


class RevokeIn(Schema):
    model_config = example(reason="Certified on the wrong skill.")
    reason: Text = Field(min_length=1, max_length=2000, description="Why; kept with the row.")


class AttainmentFilters(Schema):
    model_config = example(active=True, skill="testing")
    active: bool | None = Field(default=None, description="true: active only; false: revoked.")
    skill: SkillKey | None = None


def visible_subject(request: HttpRequest, uuid: UUID) -> pages.Subject:
    """The person as the progress page loads them, but 404 both for an unknown person and for
    one the caller may not see (the page's 403), so the API never tells which uuids exist."""
    try:
        return pages._subject(request, uuid)
    except PermissionDenied:
        raise not_found("person") from None


def subject_with_framework(request: HttpRequest, uuid: UUID) -> pages.Subject:
    """The person as the progress page loads them (404 unknown, 403 not theirs to see), with
    the framework their progress is measured on."""
    subject = visible_subject(request, uuid)
    if subject.framework is None or subject.doc is None:
        raise ApiError(
            404, "not_found", "No framework has been published yet: nothing to measure against."
        )
    return subject


def _attainments(request: HttpRequest, subject: pages.Subject) -> QuerySet[Attainment]:
    assert subject.framework is not None
    return person_attainments(
        person=subject.person, framework=subject.framework, viewer=request.user
    ).select_related("person", "framework")


def _certifier(request: HttpRequest, subject: pages.Subject) -> Person:
    me = person_for(request.user)
    refusal = certify_refusal(person=subject.person, certifier=me, actor=request.user)
    if refusal or me is None:
        raise forbidden(refusal or "Only people in the organisation can certify milestones.")
    return me


@router.get(
    "/people/{uuid}/attainments",
    response={200: list[AttainmentOut], **errors(403, 404)},
    summary="A person's certified milestones",
    description="Active and revoked, newest first, in the framework their progress is measured "
    "on. The person, their management chain and admins may read them.",
)
@paginate(Cursor, ordering=("-certified_at", "-id"))
def attainment_list(
    request: HttpRequest, uuid: UUID, filters: Query[AttainmentFilters]
) -> QuerySet[Attainment]:
    subject = visible_subject(request, uuid)
    if subject.framework is None:
        return Attainment.objects.none()
    found = _attainments(request, subject)
    if filters.active is not None:
        found = found.filter(revoked_at__isnull=filters.active)
    if filters.skill is not None:
        found = found.filter(skill_key=filters.skill)
    return found


@router.post(
    "/people/{uuid}/attainments",
    response={201: AttainmentOut, **errors(403, 404, 409, 422)},
    summary="Certify a milestone",
    description="For the person's managers (anyone above them) and admins; never for yourself "
    "(403). 409 when the person already holds that milestone.",
)
def attainment_create(request: HttpRequest, uuid: UUID, payload: CertifyIn) -> Status:
    subject = visible_subject(request, uuid)
    me = _certifier(request, subject)
    subject = subject_with_framework(request, uuid)
    assert subject.doc is not None and subject.framework is not None
    wanted = set(payload.evidence)
    evidence = list(
        Observation.objects.filter(observation_visible_q(request.user)).filter(
            uuid__in=wanted, subject=subject.person
        )
    )
    if len(evidence) != len(wanted):
        raise ApiError(
            422,
            "invalid",
            "Some evidence cannot be used.",
            {
                "body.evidence": (
                    f"Evidence must be observations of {subject.person.name} that you can see."
                )
            },
        )
    try:
        made = attainment_certify(
            person=subject.person,
            framework=subject.framework,
            skill_key=payload.skill,
            milestone=payload.milestone,
            certified_by=me,
            evidence=evidence,
            actor=request.user,
        )
    except AttainmentNotAllowed:
        raise
    except AttainmentError as error:
        skill = subject.doc.skill(payload.skill)
        if skill is None:
            field = "body.skill"
        elif skill.milestone(payload.milestone) is None:
            field = "body.milestone"
        else:
            raise ApiError(409, "conflict", str(error)) from None
        raise ApiError(422, "invalid", str(error), {field: str(error)}) from None
    return Status(201, _attainments(request, subject).get(pk=made.pk))


@router.post(
    "/people/{uuid}/attainments/{attainment}/revoke",
    response={200: AttainmentOut, **errors(403, 404, 409, 422)},
    summary="Revoke a certified milestone",
    description="The reason is required and kept; the row stays, marked revoked. 409 when it "
    "was revoked already.",
)
def attainment_revoke_endpoint(
    request: HttpRequest, uuid: UUID, attainment: UUID, payload: RevokeIn
) -> Attainment:
    subject = visible_subject(request, uuid)
    target = (
        Attainment.objects.select_related("person", "framework")
        .filter(uuid=attainment, person=subject.person)
        .first()
    )
    if target is None:
        raise not_found("attainment")
    me = _certifier(request, subject)
    if target.revoked_at is not None:
        raise ApiError(409, "conflict", "This milestone was already revoked.")
    try:
        attainment_revoke(
            attainment=target,
            revoked_by=me,
            reason=payload.reason,
            actor=request.user,
        )
    except AttainmentNotAllowed:
        raise
    except AttainmentError as error:
        if Attainment.objects.filter(pk=target.pk, revoked_at__isnull=False).exists():
            raise ApiError(409, "conflict", str(error)) from None
        raise ApiError(422, "invalid", str(error), {"body.reason": str(error)}) from None
    # the attainment may be of an earlier framework of the person's: read it back in its own
    return (
        person_attainments(person=subject.person, framework=target.framework, viewer=request.user)
        .select_related("person", "framework")
        .get(pk=target.pk)
    )
