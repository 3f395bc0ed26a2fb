"""Feedback requests in the API: ask named peers about a person, list what you sent and what
waits for you, answer (an observation, as the inbox's Answer does) or decline.

As on the inbox page no observation text is shown on a request, so nothing private leaks."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ladders.accounts.permissions import manages
from ladders.api.errors import ApiError, errors, not_found
from ladders.api.pagination import Cursor
from ladders.api.schemas import Text, example
from ladders.org.models import Person

from . import selectors, services
from . import views as pages
from .api_common import PERSON_EXAMPLE, PersonRef, SkillKey, invalid, person_or_404, require_member
from .api_observations import ObservationOut, SkillPick, VisibilityName
from .api_observations import _visible as visible_observation
from .models import AskStatus, FeedbackAsk, FeedbackRequest

router = Router(tags=["feedback"])

REQUEST_UUID = "c3d2e1f0-1a2b-4c3d-9e8f-7a6b5c4d3e2f"
PEER = {"uuid": "9a1d3b2c-4e5f-4a6b-8c7d-0e1f2a3b4c5d", "name": "Noor Haddad"}
AskStatusName = Literal["open", "answered", "declined"]


class FeedbackRequestIn(Schema):
    model_config = example(
        subject=PERSON_EXAMPLE["uuid"],
        peers=[PEER["uuid"]],
        skills=["testing", "code-review"],
        message="How did the release go from where you sat?",
    )
    subject: UUID = Field(description="Who the feedback is about: you, or someone below you.")
    peers: list[UUID] = Field(min_length=1, max_length=100, description="The people to ask.")
    skills: list[SkillKey] = Field(min_length=1, max_length=200)
    message: Text = Field(default="", max_length=5_000)


class AskOut(Schema):
    model_config = example(peer=PEER, status="answered", answered_at="2026-11-21T10:00:00Z")
    peer: PersonRef
    status: AskStatusName
    answered_at: datetime | None


class FeedbackRequestOut(Schema):
    model_config = example(
        uuid=REQUEST_UUID,
        requester=PERSON_EXAMPLE,
        subject=PERSON_EXAMPLE,
        framework="engineering",
        skills=["testing", "code-review"],
        message="How did the release go from where you sat?",
        created_at="2026-11-20T09:00:00Z",
        asks=[{"peer": PEER, "status": "open", "answered_at": None}],
    )
    uuid: UUID
    requester: PersonRef
    subject: PersonRef
    framework: str = Field(description="The key of the framework the skills belong to.")
    skills: list[str] = Field(description="Skill keys asked about.")
    message: str
    created_at: datetime
    asks: list[AskOut] = Field(description="Each asked peer and what they did.")

    @staticmethod
    def resolve_framework(obj: FeedbackRequest) -> str:
        return obj.framework.key

    @staticmethod
    def resolve_skills(obj: FeedbackRequest) -> list[str]:
        return list(obj.skill_keys)

    @staticmethod
    def resolve_asks(obj: FeedbackRequest) -> list[FeedbackAsk]:
        return sorted(obj.asks.all(), key=lambda ask: (ask.peer.name, ask.peer_id))


class AnswerIn(Schema):
    model_config = example(
        text="Paired on the rollback drill; calm and thorough.",
        observed_on="2026-11-21",
        link="",
        visibility="private",
        skills=[{"key": "testing", "milestone": 2}],
    )
    text: Text = Field(min_length=1, max_length=20_000, description="Markdown.")
    observed_on: date | None = Field(default=None, description="Today when left out.")
    link: Text = Field(default="", max_length=500)
    visibility: VisibilityName = "private"
    skills: list[SkillPick] | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Left out: the skills asked about, without a milestone.",
    )


class InboxFilters(Schema):
    model_config = example(status="open")
    status: AskStatusName | None = Field(
        default="open", description="Your answer's state; leave empty for every request."
    )


def _request_for(request: HttpRequest, uuid: UUID) -> tuple[Person, FeedbackRequest]:
    """The request, if the caller sent it or was asked; else 404."""
    require_member(request)
    me = pages._me(request)
    found = selectors.feedback_request_get(uuid=uuid)
    if found is None or not (
        found.requester_id == me.pk or FeedbackAsk.objects.filter(request=found, peer=me).exists()
    ):
        raise not_found("feedback request")
    return me, found


def _open_ask(me: Person, found: FeedbackRequest) -> FeedbackAsk:
    ask = FeedbackAsk.objects.filter(request=found, peer=me).first()
    if ask is None:
        raise ApiError(403, "forbidden", "This request was not sent to you.")
    if ask.status != AskStatus.OPEN:
        raise ApiError(
            409, "conflict", f"You already {ask.get_status_display().lower()} this request."
        )
    return ask


def _out(uuid: UUID) -> FeedbackRequest:
    found = selectors.feedback_request_detail(uuid=uuid)
    assert found is not None
    return found


@router.post(
    "/feedback-requests",
    response={201: FeedbackRequestOut, **errors(403, 404, 422)},
    summary="Ask peers for feedback",
    description="About yourself, or anyone below you in the reporting line.",
)
def feedback_request_create(request: HttpRequest, payload: FeedbackRequestIn) -> Status:
    require_member(request)
    me = pages._me(request)
    subject = person_or_404(payload.subject)
    if me.pk != subject.pk and not manages(me, subject):
        raise ApiError(
            403, "forbidden", "Only the person or their managers may ask for feedback on them."
        )
    wanted = list(dict.fromkeys(payload.peers))
    peers = list(Person.objects.filter(uuid__in=wanted))
    if len(peers) != len(wanted):
        known = {p.uuid for p in peers}
        missing = ", ".join(str(u) for u in wanted if u not in known)
        raise ApiError(422, "invalid", "Unknown people.", {"body.peers": f"No person {missing}."})
    version = pages._version_for(subject)
    try:
        made = services.feedback_request_create(
            requester=me,
            subject=subject,
            framework=version.framework,
            peers=peers,
            skill_keys=payload.skills,
            message=payload.message,
        )
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, _out(made.uuid))


@router.get(
    "/feedback-requests/sent",
    response={200: list[FeedbackRequestOut], **errors(403)},
    summary="Requests you sent",
    description="Newest first, with each peer's status.",
)
@paginate(Cursor, ordering=("-created_at", "-id"))
def feedback_sent(request: HttpRequest) -> QuerySet[FeedbackRequest]:
    require_member(request)
    return selectors.feedback_requests_sent(person=pages._me(request))


@router.get(
    "/feedback-requests/inbox",
    response={200: list[FeedbackRequestOut], **errors(403)},
    summary="Requests sent to you",
    description="By default those still waiting for your answer; newest first.",
)
@paginate(Cursor, ordering=("-created_at", "-id"))
def feedback_inbox(request: HttpRequest, filters: Query[InboxFilters]) -> QuerySet[FeedbackRequest]:
    require_member(request)
    return selectors.feedback_requests_asked(person=pages._me(request), status=filters.status)


@router.get(
    "/feedback-requests/{uuid}",
    response={200: FeedbackRequestOut, **errors(403, 404)},
    summary="Read a request you sent or were sent",
)
def feedback_request_get(request: HttpRequest, uuid: UUID) -> FeedbackRequest:
    _request_for(request, uuid)
    return _out(uuid)


@router.post(
    "/feedback-requests/{uuid}/answer",
    response={201: ObservationOut, **errors(403, 404, 409, 422)},
    summary="Answer a request with an observation",
    description="Writes an observation about the request's subject, as the inbox's Answer "
    "does. 409 when you already answered or declined.",
)
def feedback_answer(request: HttpRequest, uuid: UUID, payload: AnswerIn) -> Status:
    me, found = _request_for(request, uuid)
    _open_ask(me, found)
    skills = (
        [(s.key, s.milestone) for s in payload.skills]
        if payload.skills is not None
        else [(key, None) for key in found.skill_keys]
    )
    try:
        made = services.feedback_request_answer(
            request=found,
            peer=me,
            text=payload.text,
            observed_on=payload.observed_on or timezone.localdate(),
            link=payload.link,
            skills=skills,
            visibility=payload.visibility,
        )
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, visible_observation(request, made.uuid))


@router.post(
    "/feedback-requests/{uuid}/decline",
    response={200: FeedbackRequestOut, **errors(403, 404, 409)},
    summary="Decline a request",
    description="409 when you already answered or declined.",
)
def feedback_decline(request: HttpRequest, uuid: UUID) -> FeedbackRequest:
    me, found = _request_for(request, uuid)
    _open_ask(me, found)
    try:
        services.feedback_request_decline(request=found, peer=me)
    except ValidationError as error:
        raise ApiError(409, "conflict", " ".join(error.messages)) from None
    return _out(uuid)
