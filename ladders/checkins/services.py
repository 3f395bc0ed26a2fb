"""Writes to check-ins. Each service checks who acts, the state, and the ratings against the
snapshot the check-in was created with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from ladders.accounts.permissions import is_admin, manages, person_for
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library.models import Framework, FrameworkVersion
from ladders.org.models import Person
from ladders.progress.attainments import (
    AttainmentError,
    AttainmentNotAllowed,
    attainment_certify,
    certify_refusal,
    framework_latest_document,
    person_milestones,
)

from .errors import CheckInDenied, CheckInError, CheckInLocked
from .models import CheckIn, CheckInRating, CheckInState, RaterRole
from .selectors import checkin_document

User = AbstractBaseUser | AnonymousUser
Ratings = dict[str, tuple[int, str]]


def _is_chain_or_admin(actor: User, person: Person) -> bool:
    """Someone above `person` in the chain, or an admin who is not `person`."""
    me = person_for(actor)
    if me is not None and me.pk == person.pk:
        return False
    return is_admin(actor) or (me is not None and manages(me, person))


def _version_for(person: Person, framework: Framework | None) -> FrameworkVersion:
    position = person.positions.filter(ended_on__isnull=True).select_related("version").first()
    if position is not None:
        return position.version
    if framework is None:
        raise CheckInError(
            f"{person.name} has no current position: choose the framework to assess them against"
        )
    version = framework.versions.order_by("-number").first()
    if version is None:
        raise CheckInError(f"the framework {framework.key!r} has no published version yet")
    return version


@transaction.atomic
def checkin_create(
    *, person: Person, actor: User, as_of: date, framework: Framework | None = None
) -> CheckIn:
    """Open a check-in of `person` against the version of their current position (or, without
    one, the latest version of `framework`). The person, their chain and admins may open one."""
    me = person_for(actor)
    if not (is_admin(actor) or (me is not None and (me.pk == person.pk or manages(me, person)))):
        raise CheckInDenied(
            "only the person, someone above them in the chain or an admin opens a check-in"
        )
    if CheckIn.objects.filter(person=person).exclude(state=CheckInState.AGREED).exists():
        raise CheckInError(
            f"{person.name} already has a check-in in progress: finish or agree it first"
        )
    version = _version_for(person, framework)
    check_in = CheckIn(
        person=person,
        framework_id=version.framework_id,
        version=version,
        snapshot=version.document,
        as_of=as_of,
        created_by=me,
    )
    check_in.full_clean()
    try:
        with transaction.atomic():
            check_in.save()
    except IntegrityError as exc:  # a concurrent request opened one first
        raise CheckInError(f"{person.name} already has a check-in in progress") from exc
    return check_in


def _unlocked(check_in: CheckIn) -> None:
    if check_in.state == CheckInState.AGREED:
        when = check_in.agreed_at.date().isoformat() if check_in.agreed_at else "earlier"
        raise CheckInLocked(
            f"this check-in was agreed on {when} and is locked: open a new check-in to record "
            "a change"
        )


def _check_rater(check_in: CheckIn, rater_role: str, actor: User) -> None:
    if rater_role == RaterRole.SELF:
        me = person_for(actor)
        if me is None or me.pk != check_in.person_id:
            raise CheckInDenied(f"only {check_in.person.name} gives their own self-rating")
        if check_in.state != CheckInState.DRAFT:
            raise CheckInError("the self-rating was already submitted; it can no longer change")
    elif rater_role == RaterRole.MANAGER:
        if not _is_chain_or_admin(actor, check_in.person):
            raise CheckInDenied(
                "only someone above the person in the chain, or an admin, gives the manager rating"
            )
        if check_in.state != CheckInState.SELF_DONE:
            raise CheckInError(
                "the manager rating opens once the self-rating is submitted and closes when the"
                " manager submits it"
            )
    else:
        raise CheckInError(
            f"unknown rater {rater_role!r}: use 'self' or 'manager' (agreement has its own step)"
        )


def _valid_milestones(document: FrameworkDoc) -> dict[str, set[int]]:
    return {s.key: {0} | {m.number for m in s.milestones} for s in document.skills}


def _check_ratings(document: FrameworkDoc, ratings: dict[str, int]) -> None:
    valid = _valid_milestones(document)
    for skill_key, milestone in ratings.items():
        if skill_key not in valid:
            raise CheckInError(f"{skill_key!r} is not a skill of this check-in's framework")
        if milestone not in valid[skill_key]:
            allowed = ", ".join(str(n) for n in sorted(valid[skill_key]))
            raise CheckInError(f"{skill_key}: milestone {milestone} does not exist; use {allowed}")


@transaction.atomic
def checkin_rate(
    *, check_in: CheckIn, rater_role: str, ratings: Ratings, actor: User
) -> list[CheckInRating]:
    """Record (or change) a rater's milestone and comment for some skills."""
    check_in = CheckIn.objects.select_for_update().select_related("person").get(pk=check_in.pk)
    _unlocked(check_in)
    _check_rater(check_in, rater_role, actor)
    _check_ratings(checkin_document(check_in), {k: m for k, (m, _) in ratings.items()})
    saved = []
    rater = person_for(actor)
    for skill_key, (milestone, comment) in ratings.items():
        rating, _ = CheckInRating.objects.update_or_create(
            check_in=check_in,
            skill_key=skill_key,
            rater_role=rater_role,
            defaults={"milestone": milestone, "comment": comment.strip(), "rated_by": rater},
        )
        saved.append(rating)
    return saved


def _missing(check_in: CheckIn, rater_role: str) -> list[str]:
    rated = set(check_in.ratings.filter(rater_role=rater_role).values_list("skill_key", flat=True))
    return [s.name for s in checkin_document(check_in).skills if s.key not in rated]


def _advance(check_in: CheckIn, rater_role: str, target: str) -> CheckIn:
    missing = _missing(check_in, rater_role)
    if missing:
        raise CheckInError(
            f"rate every skill before submitting; still to rate: {', '.join(missing)}"
        )
    check_in.state = target
    check_in.full_clean()
    check_in.save(update_fields=["state"])
    return check_in


@transaction.atomic
def checkin_submit_self(*, check_in: CheckIn, actor: User) -> CheckIn:
    """draft → self_done, by the person once every skill has a self-rating."""
    check_in = CheckIn.objects.select_for_update().select_related("person").get(pk=check_in.pk)
    _unlocked(check_in)
    _check_rater(check_in, RaterRole.SELF, actor)
    return _advance(check_in, RaterRole.SELF, CheckInState.SELF_DONE)


@transaction.atomic
def checkin_submit_manager(*, check_in: CheckIn, actor: User) -> CheckIn:
    """self_done → manager_done, by the chain or an admin once every skill is rated."""
    check_in = CheckIn.objects.select_for_update().select_related("person").get(pk=check_in.pk)
    _unlocked(check_in)
    _check_rater(check_in, RaterRole.MANAGER, actor)
    return _advance(check_in, RaterRole.MANAGER, CheckInState.MANAGER_DONE)


@transaction.atomic
def checkin_agree(
    *, check_in: CheckIn, agreed: dict[str, int], summary: str, actor: User
) -> CheckIn:
    """manager_done → agreed: record the agreed milestone of every skill and lock."""
    check_in = CheckIn.objects.select_for_update().select_related("person").get(pk=check_in.pk)
    _unlocked(check_in)
    if not _is_chain_or_admin(actor, check_in.person):
        raise CheckInDenied(
            "only someone above the person in the chain, or an admin, records the agreed outcome"
        )
    if check_in.state != CheckInState.MANAGER_DONE:
        raise CheckInError("the outcome is agreed after both the self and manager ratings")
    document = checkin_document(check_in)
    _check_ratings(document, agreed)
    missing = [s.name for s in document.skills if s.key not in agreed]
    if missing:
        raise CheckInError(
            f"give the agreed milestone of every skill; missing: {', '.join(missing)}"
        )
    CheckInRating.objects.bulk_create(
        [
            CheckInRating(
                check_in=check_in, skill_key=key, rater_role=RaterRole.AGREED, milestone=m
            )
            for key, m in agreed.items()
        ]
    )
    check_in.state = CheckInState.AGREED
    check_in.summary = summary.strip()
    check_in.agreed_by = person_for(actor)
    check_in.agreed_at = timezone.now()
    check_in.full_clean()
    check_in.save()
    return check_in


@dataclass(frozen=True)
class Certified:
    certified: list[str]  # "Skill name milestone N"
    skipped: list[str]  # why a milestone was not certified


def checkin_certify(*, check_in: CheckIn, actor: User) -> Certified:
    """Certify every agreed milestone the person does not hold yet, against the framework's
    current version. Skills or milestones that version no longer has are skipped and named."""
    check_in = CheckIn.objects.select_related("person", "framework").get(pk=check_in.pk)
    if check_in.state != CheckInState.AGREED:
        raise CheckInError("only the milestones of an agreed check-in can be certified")
    certifier = person_for(actor)
    refusal = certify_refusal(person=check_in.person, certifier=certifier, actor=actor)
    if refusal or certifier is None:
        raise CheckInDenied(refusal or "only people in the organisation certify milestones")
    try:
        current = framework_latest_document(check_in.framework)
    except AttainmentError as exc:
        raise CheckInError(str(exc)) from exc
    held = person_milestones(person=check_in.person, framework=check_in.framework)
    agreed = check_in.ratings.filter(rater_role=RaterRole.AGREED, milestone__gt=0)
    done: list[str] = []
    skipped: list[str] = []
    with transaction.atomic():
        for rating in agreed.order_by("skill_key"):
            skill = current.skill(rating.skill_key)
            if skill is None or skill.milestone(rating.milestone) is None:
                skipped.append(
                    f"{rating.skill_key} milestone {rating.milestone}: not in the current "
                    "version of the framework"
                )
                continue
            if held.get(rating.skill_key, 0) >= rating.milestone:
                continue
            try:
                attainment_certify(
                    person=check_in.person,
                    framework=check_in.framework,
                    skill_key=rating.skill_key,
                    milestone=rating.milestone,
                    certified_by=certifier,
                    actor=actor,
                )
            except AttainmentNotAllowed as exc:
                raise CheckInDenied(str(exc)) from exc
            except AttainmentError as exc:
                raise CheckInError(str(exc)) from exc
            done.append(f"{skill.name} milestone {rating.milestone}")
    return Certified(done, skipped)
