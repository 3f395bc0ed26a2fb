"""Agreed check-ins for the demo organisation, so the calibration report has something to say:
every demo person but Aiko Brennan (who has her own check-in history from the progress demo)
gets one agreed check-in. Their manager's ratings lean the way `LEANINGS` says: Tomasz Reyes
rates generously, Priya Lindqvist a little generously, Ines Okafor harshly.

Why rows are written here rather than through `ladders.checkins.services`: those services act
for signed-in people (only the person gives a self-rating, only their chain a manager rating),
and most demo people, Ines Okafor and Priya Lindqvist among them, have no account. So the rows
are built the way the services would leave an agreed check-in, against a snapshot of the
person's framework version, with every milestone clamped to one the snapshot defines, and each
row is `full_clean()`ed. Demo use only. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ladders.checkins.models import CheckIn, CheckInRating, CheckInState, RaterRole
from ladders.checkins.selectors import checkin_document
from ladders.org.demo import PEOPLE
from ladders.org.models import Person
from ladders.progress.attainments import person_milestones

SKIP = {"Aiko Brennan"}
DAYS_AGO = 35
# manager name -> (every how many skills they add to the truth, by how much)
LEANINGS: dict[str, tuple[int, int]] = {
    "Tomasz Reyes": (1, 1),  # +1 on every skill
    "Priya Lindqvist": (3, 1),  # +1 on every third skill
    "Ines Okafor": (1, -1),  # -1 on every skill
}
SUMMARY = "Agreed after talking it through; the outcome matches the certified milestones."


def _manager_milestone(truth: int, index: int, leaning: tuple[int, int], top: int) -> int:
    every, by = leaning
    shift = by if index % every == 0 else 0
    return max(0, min(top, truth + shift))


def _self_milestone(truth: int, index: int, top: int) -> int:
    """People mostly rate themselves where they are, a notch higher on every fifth skill."""
    return min(top, truth + (1 if index % 5 == 2 else 0))


def _check_in(person: Person, manager: Person, today_: datetime) -> None:
    position = person.positions.filter(ended_on__isnull=True).select_related("version").first()
    if position is None:
        return
    as_of = today_.date() - timedelta(days=DAYS_AGO)
    check_in = CheckIn(
        person=person,
        framework_id=position.framework_id,
        version=position.version,
        snapshot=position.version.document,
        as_of=as_of,
        state=CheckInState.AGREED,
        summary=SUMMARY,
        created_by=manager,
        agreed_by=manager,
        agreed_at=today_ - timedelta(days=DAYS_AGO - 6),
    )
    check_in.full_clean()
    check_in.save()
    truth = person_milestones(person=person, framework=position.framework)
    leaning = LEANINGS.get(manager.name, (1, 0))
    rows = []
    for index, skill in enumerate(checkin_document(check_in).skills):
        top = skill.max_milestone
        reached = min(top, truth.get(skill.key, 0))
        for role, milestone in (
            (RaterRole.SELF, _self_milestone(reached, index, top)),
            (RaterRole.MANAGER, _manager_milestone(reached, index, leaning, top)),
            (RaterRole.AGREED, reached),
        ):
            rating = CheckInRating(
                check_in=check_in,
                skill_key=skill.key,
                rater_role=role,
                milestone=milestone,
                rated_by=person if role == RaterRole.SELF else manager,
            )
            rating.full_clean(validate_constraints=False)
            rows.append(rating)
    CheckInRating.objects.bulk_create(rows)
    moment = datetime.combine(as_of - timedelta(days=7), time(10, 30))
    CheckIn.objects.filter(pk=check_in.pk).update(
        created_at=timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    )


@transaction.atomic
def calibration_demo() -> int:
    """Add the agreed check-ins; returns how many were added (0 when the demo organisation is
    missing or already has them)."""
    emails = [demo.email for demo in PEOPLE if demo.name not in SKIP]
    people = list(
        Person.objects.filter(email__in=emails, manager__isnull=False).select_related("manager")
    )
    if len(people) != len(emails) - 1:  # everyone but the head of engineering has a manager
        return 0
    if CheckIn.objects.filter(person__in=people).exists():
        return 0
    now = timezone.now()
    for person in people:
        assert person.manager is not None
        _check_in(person, person.manager, now)
    return len(people)
