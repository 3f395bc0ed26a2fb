"""Reads of progression data, with visibility applied: private observations are only ever
counted or shown for the subject, the author, the subject's management chain and admins."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from ladders.accounts.permissions import is_admin, managed_ids, person_for
from ladders.library.models import Framework

from .models import Attainment, Observation, Visibility


def observation_visible_q(user: AbstractBaseUser | AnonymousUser) -> Q:
    """A filter for the observations `user` may see."""
    if is_admin(user):
        return Q()
    me = person_for(user)
    if me is None:
        return Q(pk__in=[])
    below = managed_ids(me)
    return Q(visibility=Visibility.SHARED) | Q(subject=me) | Q(author=me) | Q(subject_id__in=below)


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
