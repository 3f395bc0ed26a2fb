"""Evidence coverage: certified milestones that rest on no evidence, or only on old evidence.

An attainment is covered when at least one observation attached to it as evidence was observed
in the last `RECENT_MONTHS` months. Only observations the viewer may see count
(`observation_visible_q`): a private observation the viewer is not entitled to leaves the
attainment looking uncovered, exactly as it would on the viewer's own screens, and no text of any
observation is read here. Revoked attainments do not count. Two queries plus the viewer's scope.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Max
from django.utils import timezone

from ladders.org.models import Person
from ladders.progress.models import Attainment, Observation
from ladders.progress.selectors import observation_visible_q

User = AbstractBaseUser | AnonymousUser
RECENT_MONTHS = 12


@dataclass(frozen=True)
class PersonCoverage:
    person: Person
    attainments: int
    without_evidence: int  # no evidence the viewer can see
    only_old: int  # evidence, all observed before the cutoff
    latest: date | None  # the newest evidence the viewer can see

    @property
    def covered(self) -> int:
        return self.attainments - self.without_evidence - self.only_old

    @property
    def share(self) -> float:
        return self.covered / self.attainments if self.attainments else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)


@dataclass(frozen=True)
class EvidenceCoverage:
    rows: list[PersonCoverage]  # weakest coverage first
    without_attainments: list[Person]
    cutoff: date  # evidence observed before this day is old
    months: int = RECENT_MONTHS

    @property
    def attainments(self) -> int:
        return sum(r.attainments for r in self.rows)

    @property
    def covered(self) -> int:
        return sum(r.covered for r in self.rows)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def evidence_coverage(
    *, viewer: User, people: Iterable[Person], today: date | None = None
) -> EvidenceCoverage:
    """How well the active attainments of `people` are evidenced, as `viewer` sees it."""
    people = list(people)
    cutoff = months_before(today or timezone.localdate(), RECENT_MONTHS)
    ids = [p.pk for p in people]
    attainments: dict[int, list[int]] = {}
    for attainment_id, person_id in Attainment.objects.filter(
        person_id__in=ids, revoked_at__isnull=True
    ).values_list("id", "person_id"):
        attainments.setdefault(person_id, []).append(attainment_id)
    visible = Observation.objects.filter(observation_visible_q(viewer)).values("pk")
    evidence = {
        row["attainment_id"]: (row["n"], row["latest"])
        for row in Attainment.evidence.through.objects.filter(
            attainment__person_id__in=ids,
            attainment__revoked_at__isnull=True,
            observation__in=visible,
        )
        .values("attainment_id")
        .annotate(n=Count("observation_id"), latest=Max("observation__observed_on"))
        .order_by()
    }
    rows, without = [], []
    for person in people:
        held = attainments.get(person.pk, [])
        if not held:
            without.append(person)
            continue
        latest = [evidence[a][1] for a in held if a in evidence]
        rows.append(
            PersonCoverage(
                person=person,
                attainments=len(held),
                without_evidence=sum(1 for a in held if a not in evidence),
                only_old=sum(1 for a in held if a in evidence and evidence[a][1] < cutoff),
                latest=max(latest) if latest else None,
            )
        )
    rows.sort(key=lambda r: (r.share, -r.without_evidence, -r.attainments, r.person.name))
    return EvidenceCoverage(rows, without, cutoff)
