"""Check-ins in the REST API: list, open, rate, submit, agree and certify, as on the pages.

The person, the managers above them and admins see a person's check-ins; other members get 403
for the person's list (as on the page) and 404 for a check-in itself, so its existence does not
leak. What each viewer sees of the ratings is `checkin_rows`: the subject sees the manager's
ratings only once the manager has submitted them. An agreed check-in is locked: changes → 409.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ladders.accounts.permissions import is_member
from ladders.api.errors import ApiError, errors, forbidden, invalid, not_found
from ladders.api.schemas import Text, example
from ladders.library.selectors import framework_get
from ladders.org.api import PersonRef, RowsCursor
from ladders.org.models import Person

from . import selectors, services
from .models import CheckIn, CheckInRating, CheckInState, RaterRole

router = Router(tags=["check-ins"])

CHECKIN_UUID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
PERSON = {"uuid": "0b5e4a52-3c1f-4c0e-9a55-1d2a7b9f6e10", "name": "Aiko Brennan"}
MANAGER = {"uuid": "5d0c7e11-8f2a-4b6e-b1c3-2e9f4a7d8c21", "name": "Noor Haddad"}
CHECKIN_EXAMPLE: dict[str, Any] = {
    "uuid": CHECKIN_UUID,
    "person": PERSON,
    "framework": "engineering",
    "framework_name": "Engineering",
    "version": 3,
    "as_of": "2026-11-01",
    "state": "self_done",
    "state_label": "Waiting for the manager's rating",
    "next_role": "manager",
    "summary": "",
    "created_by": PERSON,
    "created_at": "2026-11-01T09:00:00Z",
    "agreed_by": None,
    "agreed_at": None,
}


# --- schemas -------------------------------------------------------------------------------------


class CheckInOut(Schema):
    model_config = example(**CHECKIN_EXAMPLE)
    uuid: UUID
    person: PersonRef
    framework: str = Field(description="The framework's key.")
    framework_name: str
    version: int = Field(description="The framework version the check-in was opened against.")
    as_of: date
    state: CheckInState
    state_label: str
    next_role: RaterRole | None = Field(
        description="Whose turn it is: self, manager, agreed (the manager records the outcome) "
        "or null once agreed."
    )
    summary: str = Field(description="The summary recorded with the agreed outcome.")
    created_by: PersonRef | None
    created_at: datetime
    agreed_by: PersonRef | None
    agreed_at: datetime | None


class RatingOut(Schema):
    model_config = example(milestone=2, summary="Ships small changes safely.", comment="")
    milestone: int = Field(description="0: not started.")
    summary: str = Field(description="What the milestone says in the check-in's framework.")
    comment: str


class SkillRatingsOut(Schema):
    model_config = example(
        key="testing",
        name="Testing",
        category="Craft",
        evidence=3,
        self={"milestone": 2, "summary": "Ships small changes safely.", "comment": ""},
        manager=None,
        agreed=None,
    )
    key: str
    name: str
    category: str
    evidence: int = Field(description="Observations you can see that evidence this skill.")
    self: RatingOut | None
    manager: RatingOut | None = Field(
        description="Null for the person until the manager has submitted their rating."
    )
    agreed: RatingOut | None


class CheckInDetailOut(CheckInOut):
    model_config = example(
        **CHECKIN_EXAMPLE,
        your_step="manager",
        skills=[],
        to_certify=[],
    )
    your_step: RaterRole | None = Field(description="The step you may take now, if any.")
    skills: list[SkillRatingsOut]
    to_certify: list[str] = Field(
        description="Skills whose agreed milestone the person does not hold yet and you may "
        "certify."
    )


class CheckInIn(Schema):
    model_config = example(as_of="2026-11-01", framework=None)
    as_of: date | None = Field(default=None, description="Defaults to today.")
    framework: Text | None = Field(
        default=None,
        max_length=64,
        description="Only used when the person has no current position: a framework key.",
    )


class RatingIn(Schema):
    model_config = example(skill="testing", milestone=2, comment="Added the contract tests.")
    skill: Text = Field(min_length=1, max_length=64, description="A skill's key.")
    milestone: int = Field(ge=0, le=1000, description="0: not started.")
    comment: Text = Field(default="", max_length=5000)


class RateIn(Schema):
    model_config = example(
        role="self", ratings=[{"skill": "testing", "milestone": 2, "comment": ""}]
    )
    role: Literal["self", "manager"]
    ratings: list[RatingIn] = Field(max_length=1000)


class SubmitIn(Schema):
    model_config = example(role="self")
    role: Literal["self", "manager"]


class AgreedIn(Schema):
    model_config = example(skill="testing", milestone=2)
    skill: Text = Field(min_length=1, max_length=64)
    milestone: int = Field(ge=0, le=1000)


class AgreeIn(Schema):
    model_config = example(
        agreed=[{"skill": "testing", "milestone": 2}], summary="Ready for the next level."
    )
    agreed: list[AgreedIn] = Field(max_length=1000)
    summary: Text = Field(default="", max_length=10000)


class CertifyOut(Schema):
    model_config = example(certified=["Testing milestone 2"], skipped=[])
    certified: list[str]
    skipped: list[str] = Field(description="Agreed milestones not certified, and why.")


class WaitingOut(Schema):
    model_config = example(as_subject=[CHECKIN_EXAMPLE], as_manager=[])
    as_subject: list[CheckInOut] = Field(description="Your own check-ins waiting for you.")
    as_manager: list[CheckInOut] = Field(
        description="Check-ins of people below you waiting for your rating or agreement."
    )


# --- building answers ----------------------------------------------------------------------------


def _ref(person: Person | None) -> PersonRef | None:
    return PersonRef(uuid=person.uuid, name=person.name) if person is not None else None


def _fields(check_in: CheckIn) -> dict[str, Any]:
    return {
        "uuid": check_in.uuid,
        "person": _ref(check_in.person),
        "framework": check_in.framework.key,
        "framework_name": check_in.framework.name,
        "version": check_in.version.number,
        "as_of": check_in.as_of,
        "state": CheckInState(check_in.state),
        "state_label": check_in.get_state_display(),  # type: ignore[attr-defined]
        "next_role": selectors.checkin_next_role(check_in),
        "summary": check_in.summary,
        "created_by": _ref(check_in.created_by),
        "created_at": check_in.created_at,
        "agreed_by": _ref(check_in.agreed_by),
        "agreed_at": check_in.agreed_at,
    }


def _out(check_in: CheckIn) -> CheckInOut:
    return CheckInOut(**_fields(check_in))


def _rating(row: selectors.SkillRow, rating: CheckInRating | None) -> RatingOut | None:
    if rating is None:
        return None
    return RatingOut(
        milestone=rating.milestone, summary=row.summary(rating.milestone), comment=rating.comment
    )


def _detail(request: HttpRequest, check_in: CheckIn) -> CheckInDetailOut:
    document = selectors.checkin_document(check_in)
    rows = selectors.checkin_rows(user=request.user, check_in=check_in, document=document)
    certify = selectors.checkin_to_certify(user=request.user, check_in=check_in, rows=rows)
    return CheckInDetailOut(
        **_fields(check_in),
        your_step=selectors.checkin_user_step(request.user, check_in),
        skills=[
            SkillRatingsOut(
                key=row.key,
                name=row.name,
                category=row.category,
                evidence=row.evidence,
                self=_rating(row, row.self),
                manager=_rating(row, row.manager),
                agreed=_rating(row, row.agreed),
            )
            for row in rows
        ],
        to_certify=[row.key for row in certify],
    )


def _page(request: HttpRequest, check_ins: list[CheckIn]) -> list[CheckInOut]:
    return [_out(c) for c in check_ins]


def _member(request: HttpRequest) -> None:
    if not is_member(request.user):
        raise forbidden("Only members of the organisation see check-ins.")


def _person(request: HttpRequest, uuid: UUID) -> Person:
    """The person whose check-ins the caller may see and open, as the list page decides."""
    _member(request)
    person = Person.objects.select_related("manager").filter(uuid=uuid).first()
    if person is None:
        raise not_found("person")
    if not selectors.checkin_can_create(request.user, person):
        raise forbidden("Only the person, the managers above them and admins see their check-ins.")
    return person


def _check_in(request: HttpRequest, uuid: UUID) -> CheckIn:
    _member(request)
    check_in = selectors.checkin_get(uuid=uuid)
    if check_in is None or not selectors.checkin_can_view(request.user, check_in):
        raise not_found("check-in")
    return check_in


def _fresh(request: HttpRequest, check_in: CheckIn) -> CheckInDetailOut:
    found = selectors.checkin_get(uuid=check_in.uuid)
    assert found is not None  # it was just written and check-ins are never deleted here
    return _detail(request, found)


# --- endpoints -----------------------------------------------------------------------------------


@router.get(
    "/check-ins/waiting",
    response={200: WaitingOut, **errors(403)},
    summary="Check-ins waiting for you",
)
def checkin_waiting(request: HttpRequest) -> WaitingOut:
    _member(request)
    reminders = selectors.checkin_reminders(user=request.user)
    return WaitingOut(
        as_subject=[_out(c) for c in _with_people(reminders.as_subject)],
        as_manager=[_out(c) for c in _with_people(reminders.as_manager)],
    )


def _with_people(check_ins: list[CheckIn]) -> list[CheckIn]:
    """The same check-ins with everything an answer shows, in one query."""
    if not check_ins:
        return []
    found = _listed(CheckIn.objects.filter(pk__in=[c.pk for c in check_ins])).in_bulk()
    return [found[c.pk] for c in check_ins]


def _listed(check_ins: Any) -> Any:
    return check_ins.select_related(
        "person", "framework", "version", "created_by", "agreed_by"
    ).defer("snapshot", "version__document")


@router.get(
    "/people/{uuid}/check-ins",
    response={200: list[CheckInOut], **errors(403, 404, 422)},
    summary="A person's check-ins, newest first",
)
@paginate(RowsCursor, rows=_page, ordering=("-as_of", "-id"))
def checkin_list(
    request: HttpRequest, uuid: UUID, state: Annotated[CheckInState | None, Query()] = None
) -> Any:
    person = _person(request, uuid)
    check_ins = _listed(selectors.checkin_list(person=person))
    return check_ins.filter(state=state.value) if state else check_ins


@router.post(
    "/people/{uuid}/check-ins",
    response={201: CheckInDetailOut, **errors(400, 403, 404, 409, 422)},
    summary="Open a check-in for a person",
)
def checkin_create(request: HttpRequest, uuid: UUID, payload: CheckInIn) -> Status:
    person = _person(request, uuid)
    open_one = selectors.checkin_in_progress(person=person)
    if open_one is not None:
        raise ApiError(
            409,
            "conflict",
            f"{person.name} already has a check-in in progress ({open_one.uuid}): finish or "
            "agree it first.",
        )
    framework = None
    if payload.framework:
        framework = framework_get(key=payload.framework)
        if framework is None:
            raise invalid("body.framework", f"There is no framework {payload.framework!r}.")
    check_in = services.checkin_create(
        person=person,
        actor=request.user,
        as_of=payload.as_of or timezone.localdate(),
        framework=framework,
    )
    return Status(201, _fresh(request, check_in))


@router.get(
    "/check-ins/{uuid}",
    response={200: CheckInDetailOut, **errors(403, 404, 422)},
    summary="Get a check-in with its ratings",
)
def checkin_get(request: HttpRequest, uuid: UUID) -> CheckInDetailOut:
    return _detail(request, _check_in(request, uuid))


@router.put(
    "/check-ins/{uuid}/ratings",
    response={200: CheckInDetailOut, **errors(400, 403, 404, 409, 422)},
    summary="Record or change your self or manager ratings",
)
def checkin_rate(request: HttpRequest, uuid: UUID, payload: RateIn) -> CheckInDetailOut:
    check_in = _check_in(request, uuid)
    ratings: dict[str, tuple[int, str]] = {}
    for i, rating in enumerate(payload.ratings):
        if rating.skill in ratings:
            raise invalid(f"body.ratings.{i}.skill", f"{rating.skill!r} is rated twice.")
        ratings[rating.skill] = (rating.milestone, rating.comment)
    services.checkin_rate(
        check_in=check_in, rater_role=payload.role, ratings=ratings, actor=request.user
    )
    return _fresh(request, check_in)


@router.post(
    "/check-ins/{uuid}/submit",
    response={200: CheckInDetailOut, **errors(400, 403, 404, 409, 422)},
    summary="Submit your ratings: moves the check-in to the next step",
)
def checkin_submit(request: HttpRequest, uuid: UUID, payload: SubmitIn) -> CheckInDetailOut:
    check_in = _check_in(request, uuid)
    if payload.role == RaterRole.SELF:
        services.checkin_submit_self(check_in=check_in, actor=request.user)
    else:
        services.checkin_submit_manager(check_in=check_in, actor=request.user)
    return _fresh(request, check_in)


@router.post(
    "/check-ins/{uuid}/agree",
    response={200: CheckInDetailOut, **errors(400, 403, 404, 409, 422)},
    summary="Record the agreed milestones and summary, and lock the check-in",
)
def checkin_agree(request: HttpRequest, uuid: UUID, payload: AgreeIn) -> CheckInDetailOut:
    check_in = _check_in(request, uuid)
    agreed: dict[str, int] = {}
    for i, item in enumerate(payload.agreed):
        if item.skill in agreed:
            raise invalid(f"body.agreed.{i}.skill", f"{item.skill!r} is given twice.")
        agreed[item.skill] = item.milestone
    services.checkin_agree(
        check_in=check_in, agreed=agreed, summary=payload.summary, actor=request.user
    )
    return _fresh(request, check_in)


@router.post(
    "/check-ins/{uuid}/certify",
    response={200: CertifyOut, **errors(400, 403, 404, 422)},
    summary="Certify the agreed milestones the person does not hold yet",
)
def checkin_certify(request: HttpRequest, uuid: UUID) -> CertifyOut:
    check_in = _check_in(request, uuid)
    result = services.checkin_certify(check_in=check_in, actor=request.user)
    return CertifyOut(certified=result.certified, skipped=result.skipped)
