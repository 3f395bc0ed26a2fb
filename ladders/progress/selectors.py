"""Reads of progression data, with visibility applied: private observations are only ever
counted or shown for the subject, the author, the subject's management chain and admins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from ladders.accounts.permissions import is_admin, managed_ids, person_for
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library.models import Framework, FrameworkVersion
from ladders.library.selectors import framework_document
from ladders.org.models import Person

from .markdown import render_markdown
from .models import (
    AskStatus,
    Attainment,
    FeedbackAsk,
    FeedbackRequest,
    Observation,
    ObservationRevision,
    ObservationSkill,
    Visibility,
)


def observation_visible_q(user: AbstractBaseUser | AnonymousUser) -> Q:
    """A filter for the observations `user` may see."""
    live = Q(deleted_at__isnull=True)
    if is_admin(user):
        return live
    me = person_for(user)
    if me is None:
        return Q(pk__in=[])
    below = managed_ids(me)
    return live & (
        Q(visibility=Visibility.SHARED) | Q(subject=me) | Q(author=me) | Q(subject_id__in=below)
    )


def observation_list_visible(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Observation]:
    return Observation.objects.filter(observation_visible_q(user))


@dataclass(frozen=True)
class SkillUsage:
    """The usage half of a skill's Health panel."""

    observations: int = 0
    attained: dict[int, int] = field(default_factory=dict)  # milestone -> people


def skill_usage(
    *, user: AbstractBaseUser | AnonymousUser, framework: Framework, skill_key: str
) -> SkillUsage:
    """How many observations `user` can see reference the skill, and how many people hold each
    milestone (an active attainment). Two queries, whatever the size of the organisation."""
    observations = (
        observation_list_visible(user=user)
        .filter(framework=framework, skills__skill_key=skill_key)
        .distinct()
        .count()
    )
    rows = (
        Attainment.objects.filter(framework=framework, skill_key=skill_key, revoked_at__isnull=True)
        .values("milestone")
        .annotate(people=Count("person", distinct=True))
    )
    return SkillUsage(observations, {row["milestone"]: row["people"] for row in rows})


# --- observation pages ---------------------------------------------------------------------------


def person_framework_version(*, person: Person) -> FrameworkVersion | None:
    """The framework a person is assessed on: the latest version of their open position's
    framework, or, without a position, of the first framework ever published."""
    position = person.positions.filter(ended_on__isnull=True).first()
    versions = FrameworkVersion.objects.select_related("framework")
    if position is not None:
        return versions.filter(framework_id=position.framework_id).order_by("-number").first()
    first = versions.order_by("framework__created_at", "framework_id").first()
    if first is None:
        return None
    return versions.filter(framework_id=first.framework_id).order_by("-number").first()


def _latest_documents(framework_ids: Iterable[int]) -> dict[int, FrameworkDoc]:
    """The latest document of each framework, in one query."""
    latest = (
        FrameworkVersion.objects.filter(framework=OuterRef("framework"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = FrameworkVersion.objects.filter(
        framework_id__in=set(framework_ids), number=Subquery(latest)
    )
    return {v.framework_id: framework_document(v) for v in versions}


@dataclass(frozen=True)
class SkillTag:
    key: str
    name: str
    milestone: int | None
    milestone_summary: str = ""


@dataclass(frozen=True)
class RevisionRow:
    revision: ObservationRevision
    html: str


@dataclass(frozen=True)
class ObservationRow:
    observation: Observation
    html: str
    skills: list[SkillTag]
    revisions: list[RevisionRow]
    can_edit: bool


def _tags(doc: FrameworkDoc | None, picks: Iterable[tuple[str, int | None]]) -> list[SkillTag]:
    tags = []
    for key, number in picks:
        skill = doc.skill(key) if doc else None
        milestone = skill.milestone(number) if skill and number else None
        tags.append(
            SkillTag(
                key,
                skill.name if skill else key,
                number,
                milestone.summary if milestone else "",
            )
        )
    return tags


def observation_rows(
    *, user: AbstractBaseUser | AnonymousUser, subject: Person
) -> list[ObservationRow]:
    """The observations of `subject` that `user` may see, newest first, ready to show. A fixed
    number of queries however many there are."""
    me = person_for(user)
    sees_private = sees_private_of(user=user, subject=subject)
    observations = list(
        observation_list_visible(user=user)
        .filter(subject=subject)
        .select_related("author", "framework")
        .prefetch_related(
            Prefetch("skills", queryset=ObservationSkill.objects.order_by("skill_key")),
            Prefetch(
                "revisions", queryset=ObservationRevision.objects.select_related("changed_by")
            ),
        )
    )
    docs = _latest_documents(o.framework_id for o in observations)
    return [
        ObservationRow(
            observation=o,
            html=render_markdown(o.text),
            skills=_tags(
                docs.get(o.framework_id), ((s.skill_key, s.milestone) for s in o.skills.all())
            ),
            # an earlier private version stays private even if the observation is shared now
            revisions=[
                RevisionRow(r, render_markdown(r.text))
                for r in o.revisions.all()
                if r.visibility == Visibility.SHARED
                or sees_private
                or (me is not None and o.author_id == me.pk)
            ],
            can_edit=me is not None and o.author_id == me.pk,
        )
        for o in observations
    ]


def observation_get(*, uuid: UUID) -> Observation | None:
    """A live (not deleted) observation with its framework, author and subject."""
    return (
        Observation.objects.filter(uuid=uuid, deleted_at__isnull=True)
        .select_related("framework", "author", "subject")
        .first()
    )


def observation_skill_picks(*, observation: Observation) -> list[tuple[str, int | None]]:
    return [(s.skill_key, s.milestone) for s in observation.skills.order_by("skill_key")]


# --- feedback requests ---------------------------------------------------------------------------


def feedback_request_get(*, uuid: UUID) -> FeedbackRequest | None:
    return (
        FeedbackRequest.objects.filter(uuid=uuid)
        .select_related("requester", "subject", "framework")
        .first()
    )


@dataclass(frozen=True)
class InboxRequest:
    request: FeedbackRequest
    skills: list[SkillTag]
    asks: list[FeedbackAsk]


@dataclass(frozen=True)
class Inbox:
    waiting: list[InboxRequest]
    sent: list[InboxRequest]


def inbox(*, person: Person) -> Inbox:
    """Requests waiting for `person` to answer, and the requests they sent with each peer's
    status. No observation text is shown here, so nothing private can leak through it."""
    asks = Prefetch("asks", queryset=FeedbackAsk.objects.select_related("peer"))
    base = FeedbackRequest.objects.select_related("requester", "subject", "framework")
    waiting = list(
        base.filter(asks__peer=person, asks__status=AskStatus.OPEN).prefetch_related(asks)
    )
    sent = list(base.filter(requester=person).prefetch_related(asks)[:50])
    docs = _latest_documents(r.framework_id for r in [*waiting, *sent])

    def row(request: FeedbackRequest) -> InboxRequest:
        doc = docs.get(request.framework_id)
        tags = _tags(doc, ((key, None) for key in request.skill_keys))
        return InboxRequest(request, tags, list(request.asks.all()))

    return Inbox([row(r) for r in waiting], [row(r) for r in sent])


# --- API reads -----------------------------------------------------------------------------------


def sees_private_of(*, user: AbstractBaseUser | AnonymousUser, subject: Person) -> bool:
    """Whether `user` may see every private observation of `subject`, and the private earlier
    versions of its observations: admins, the subject and anyone above them in the chain."""
    if is_admin(user):
        return True
    me = person_for(user)
    return me is not None and (me.pk == subject.pk or subject.pk in managed_ids(me))


def observation_revisions_visible(
    *, user: AbstractBaseUser | AnonymousUser, observation: Observation
) -> QuerySet[ObservationRevision]:
    """The earlier versions of a visible observation that `user` may read: an earlier private
    version stays private even when the observation is shared now (as `observation_rows`)."""
    revisions = ObservationRevision.objects.filter(observation=observation).select_related(
        "changed_by"
    )
    me = person_for(user)
    if (me is not None and observation.author_id == me.pk) or sees_private_of(
        user=user, subject=observation.subject
    ):
        return revisions
    return revisions.filter(visibility=Visibility.SHARED)


def observation_search(
    *,
    user: AbstractBaseUser | AnonymousUser,
    subject: Person | None = None,
    author: Person | None = None,
    skill_key: str | None = None,
    since: date | None = None,
    until: date | None = None,
    visibility: str | None = None,
) -> QuerySet[Observation]:
    """The observations `user` may see, narrowed by the given filters (dates inclusive)."""
    found = observation_list_visible(user=user)
    if subject is not None:
        found = found.filter(subject=subject)
    if author is not None:
        found = found.filter(author=author)
    if skill_key is not None:
        found = found.filter(skills__skill_key=skill_key)  # one row per skill: no duplicates
    if since is not None:
        found = found.filter(observed_on__gte=since)
    if until is not None:
        found = found.filter(observed_on__lte=until)
    if visibility is not None:
        found = found.filter(visibility=visibility)
    return found.select_related("subject", "author", "framework").prefetch_related(
        Prefetch("skills", queryset=ObservationSkill.objects.order_by("skill_key"))
    )


def _with_asks(requests: QuerySet[FeedbackRequest]) -> QuerySet[FeedbackRequest]:
    asks = Prefetch("asks", queryset=FeedbackAsk.objects.select_related("peer", "observation"))
    return requests.select_related("requester", "subject", "framework").prefetch_related(asks)


def feedback_requests_sent(*, person: Person) -> QuerySet[FeedbackRequest]:
    """Every request `person` sent, with each asked peer and their status."""
    return _with_asks(FeedbackRequest.objects.filter(requester=person))


def feedback_requests_asked(
    *, person: Person, status: str | None = AskStatus.OPEN
) -> QuerySet[FeedbackRequest]:
    """Requests sent to `person`; by default only those still waiting for their answer."""
    if status is None:
        found = FeedbackRequest.objects.filter(asks__peer=person)
    else:
        found = FeedbackRequest.objects.filter(asks__peer=person, asks__status=status)
    return _with_asks(found)


def feedback_request_detail(*, uuid: UUID) -> FeedbackRequest | None:
    """One request with its asked peers, as the request lists show it."""
    return _with_asks(FeedbackRequest.objects.filter(uuid=uuid)).first()
