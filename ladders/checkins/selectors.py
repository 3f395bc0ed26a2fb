"""Reads of check-ins: who may see them, who acts next, and the side-by-side ratings."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet

from ladders.accounts.permissions import can_view_person, is_admin, managed_ids, manages, person_for
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.frameworks.model import Milestone
from ladders.org.models import Person
from ladders.progress.attainments import person_milestones
from ladders.progress.selectors import observation_list_visible

from .models import CheckIn, CheckInRating, CheckInState, RaterRole

User = AbstractBaseUser | AnonymousUser


def checkin_document(check_in: CheckIn) -> FrameworkDoc:
    """The framework as it was when the check-in was opened."""
    return framework_from_data(check_in.snapshot, f"check-in {check_in.uuid} snapshot")


def checkin_get(*, uuid: UUID) -> CheckIn | None:
    return (
        CheckIn.objects.select_related("person", "framework", "version", "agreed_by", "created_by")
        .filter(uuid=uuid)
        .first()
    )


def checkin_list(*, person: Person) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(person=person).select_related("framework", "version", "person")


def checkin_can_view(user: User, check_in: CheckIn) -> bool:
    """The subject, their chain and admins."""
    return can_view_person(user, check_in.person)


def checkin_can_create(user: User, person: Person) -> bool:
    return can_view_person(user, person)


def checkin_next_role(check_in: CheckIn) -> str | None:
    """Whose turn it is: the person (self), the manager (rate or agree), or nobody."""
    return {
        CheckInState.DRAFT: RaterRole.SELF,
        CheckInState.SELF_DONE: RaterRole.MANAGER,
        CheckInState.MANAGER_DONE: RaterRole.AGREED,
    }.get(check_in.state)  # type: ignore[call-overload]


def checkin_user_step(user: User, check_in: CheckIn) -> str | None:
    """The step `user` may take now: 'self', 'manager', 'agreed' or None."""
    role = checkin_next_role(check_in)
    me = person_for(user)
    is_subject = me is not None and me.pk == check_in.person_id
    if role == RaterRole.SELF:
        return role if is_subject else None
    if role is None or is_subject:
        return None
    if is_admin(user) or (me is not None and manages(me, check_in.person)):
        return role
    return None


def checkin_manager_visible(user: User, check_in: CheckIn) -> bool:
    """The subject sees the manager's ratings once the manager has submitted them."""
    me = person_for(user)
    if me is not None and me.pk == check_in.person_id:
        return check_in.state in (CheckInState.MANAGER_DONE, CheckInState.AGREED)
    return True


@dataclass
class SkillRow:
    key: str
    name: str
    category: str
    milestones: list[Milestone]
    ratings: dict[str, CheckInRating] = field(default_factory=dict)
    evidence: int = 0

    @property
    def self(self) -> CheckInRating | None:
        return self.ratings.get(RaterRole.SELF)

    @property
    def manager(self) -> CheckInRating | None:
        return self.ratings.get(RaterRole.MANAGER)

    @property
    def agreed(self) -> CheckInRating | None:
        return self.ratings.get(RaterRole.AGREED)

    def summary(self, number: int | None) -> str:
        for milestone in self.milestones:
            if milestone.number == number:
                return milestone.summary
        return ""


def checkin_rows(*, user: User, check_in: CheckIn, document: FrameworkDoc) -> list[SkillRow]:
    """Each skill of the snapshot with its ratings and how many observations the user can see
    evidence it: two queries however many skills there are."""
    categories = {c.key: c.name for c in document.categories}
    rows = {
        s.key: SkillRow(s.key, s.name, categories.get(s.category, s.category), s.milestones)
        for s in document.skills
    }
    show_manager = checkin_manager_visible(user, check_in)
    for rating in check_in.ratings.all():
        if rating.rater_role == RaterRole.MANAGER and not show_manager:
            continue
        if rating.skill_key in rows:
            rows[rating.skill_key].ratings[rating.rater_role] = rating
    evidence = (
        observation_list_visible(user=user)
        .filter(
            subject_id=check_in.person_id,
            framework_id=check_in.framework_id,
            observed_on__lte=check_in.as_of,
        )
        .values("skills__skill_key")
        .annotate(n=Count("id", distinct=True))
    )
    for row in evidence:
        if row["skills__skill_key"] in rows:
            rows[row["skills__skill_key"]].evidence = row["n"]
    return list(rows.values())


@dataclass(frozen=True)
class Reminders:
    as_subject: list[CheckIn]
    as_manager: list[CheckIn]


def checkin_reminders(*, user: User) -> Reminders:
    """Check-ins waiting for `user`: their own self-rating, and the rating or agreement of
    people below them in the chain."""
    me = person_for(user)
    if me is None:
        return Reminders([], [])
    base = CheckIn.objects.select_related("person", "framework")
    mine = list(base.filter(person=me, state=CheckInState.DRAFT))
    below = managed_ids(me)
    theirs = list(
        base.filter(
            person_id__in=below, state__in=[CheckInState.SELF_DONE, CheckInState.MANAGER_DONE]
        ).order_by("as_of", "id")
    )
    return Reminders(mine, theirs)


def checkin_to_certify(*, user: User, check_in: CheckIn, rows: list[SkillRow]) -> list[SkillRow]:
    """Agreed milestones the person does not hold yet, when `user` may certify them (their chain
    or an admin, never the person); empty otherwise."""
    if check_in.state != CheckInState.AGREED:
        return []
    me = person_for(user)
    if me is not None and me.pk == check_in.person_id:
        return []
    if not (is_admin(user) and me is not None) and not (
        me is not None and manages(me, check_in.person)
    ):
        return []
    held = person_milestones(person=check_in.person, framework=check_in.framework)
    return [
        row
        for row in rows
        if row.agreed is not None and row.agreed.milestone > held.get(row.key, 0)
    ]


def checkin_in_progress(*, person: Person) -> CheckIn | None:
    """The person's check-in that is not agreed yet, if any (there is at most one)."""
    return CheckIn.objects.filter(person=person).exclude(state=CheckInState.AGREED).first()
