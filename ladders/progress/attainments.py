"""Certified milestones: the services that certify and revoke them, and the reads behind a
person's progress page.

Who may certify a milestone for someone: anyone above them in the management chain, and
organisation admins; never the person themselves (the database refuses it too). A certified
milestone implies the lower ones for scoring, since scoring uses the highest one per skill.
Revoking keeps the row, with who revoked it, when and why. Both are written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from ladders.accounts.permissions import is_admin, manages
from ladders.audit.models import AuditAction
from ladders.audit.services import audit_record
from ladders.frameworks import scoring
from ladders.frameworks.errors import LaddersError
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library import models as library
from ladders.library.selectors import framework_document
from ladders.org.models import Person, Position, Role

from .models import Attainment, Observation
from .selectors import observation_visible_q

User = AbstractBaseUser | AnonymousUser


class AttainmentError(LaddersError):
    """A refused certification or revocation; the message says what was wrong and how to fix it."""


class AttainmentNotAllowed(AttainmentError):
    """The acting person may not certify or revoke milestones for this person."""


# --- rules ---------------------------------------------------------------------------------------


def certify_refusal(*, person: Person, certifier: Person | None, actor: User | None = None) -> str:
    """Why `certifier` may not certify or revoke milestones of `person`; empty when they may."""
    if certifier is not None and certifier.pk == person.pk:
        return (
            "You cannot certify or revoke your own milestones. "
            "Ask your manager, or anyone above them, to do it."
        )
    if actor is not None and is_admin(actor) and certifier is not None:
        return ""
    if certifier is None:
        return "Only people in the organisation can certify milestones."
    if certifier.role == Role.ADMIN or manages(certifier, person):
        return ""
    return (
        f"Only {person.name}'s managers (anyone above them in the reporting line) "
        "and organisation admins can certify or revoke their milestones."
    )


def framework_latest_document(framework: library.Framework) -> FrameworkDoc:
    version = framework.versions.order_by("-number").first()
    if version is None:
        raise AttainmentError(f"{framework.name} has no published version yet.")
    return framework_document(version)


# --- services ------------------------------------------------------------------------------------


def attainment_certify(
    *,
    person: Person,
    framework: library.Framework,
    skill_key: str,
    milestone: int,
    certified_by: Person,
    evidence: list[Observation] | None = None,
    actor: User | None = None,
) -> Attainment:
    """Certify that `person` reached `milestone` of a skill of the framework's latest version."""
    refusal = certify_refusal(person=person, certifier=certified_by, actor=actor)
    if refusal:
        raise AttainmentNotAllowed(refusal)
    doc = framework_latest_document(framework)
    skill = doc.skill(skill_key)
    if skill is None:
        raise AttainmentError(
            f"{doc.name} has no skill {skill_key!r}; pick one of the skills listed."
        )
    if skill.milestone(milestone) is None:
        numbers = ", ".join(str(m.number) for m in skill.milestones) or "none"
        raise AttainmentError(
            f"{skill.name} has no milestone {milestone}; its milestones are: {numbers}."
        )
    evidence = list(evidence or [])
    viewer = actor if actor is not None else certified_by.user
    if evidence:
        visible: set[int] = set()
        if viewer is not None:
            visible = set(
                Observation.objects.filter(observation_visible_q(viewer))
                .filter(pk__in=[o.pk for o in evidence], subject=person)
                .values_list("pk", flat=True)
            )
        if any(o.pk not in visible for o in evidence):
            raise AttainmentError(
                f"Evidence must be observations of {person.name} that you can see."
            )
    with transaction.atomic():
        if Attainment.objects.filter(
            person=person,
            framework=framework,
            skill_key=skill_key,
            milestone=milestone,
            revoked_at__isnull=True,
        ).exists():
            raise AttainmentError(
                f"{person.name} already holds {skill.name} milestone {milestone}; "
                "revoke it first to certify it again."
            )
        attainment = Attainment(
            person=person,
            framework=framework,
            skill_key=skill_key,
            milestone=milestone,
            certified_by=certified_by,
        )
        attainment.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                attainment.save()
        except IntegrityError as exc:
            raise AttainmentError(
                f"{person.name} already holds {skill.name} milestone {milestone}."
            ) from exc
        if evidence:
            attainment.evidence.set(evidence)
        audit_record(
            actor=actor if actor is not None else certified_by.user,
            action=AuditAction.ATTAINMENT_CERTIFY,
            target=person.email,
            data={
                "attainment": str(attainment.uuid),
                "framework": framework.key,
                "skill": skill_key,
                "milestone": milestone,
                "certified_by": certified_by.email,
                "evidence": [str(o.uuid) for o in evidence],
            },
        )
    return attainment


def attainment_revoke(
    *, attainment: Attainment, revoked_by: Person, reason: str, actor: User | None = None
) -> Attainment:
    """Mark a certified milestone as revoked, with a reason; the row stays."""
    reason = (reason or "").strip()
    if not reason:
        raise AttainmentError("Say why the milestone is revoked: the reason is kept with it.")
    person = attainment.person
    refusal = certify_refusal(person=person, certifier=revoked_by, actor=actor)
    if refusal:
        raise AttainmentNotAllowed(refusal)
    with transaction.atomic():
        locked = Attainment.objects.select_for_update().get(pk=attainment.pk)
        if locked.revoked_at is not None:
            raise AttainmentError("This milestone was already revoked.")
        locked.revoked_at = timezone.now()
        locked.revoked_by = revoked_by
        locked.revoke_reason = reason
        locked.full_clean(validate_constraints=False)
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit_record(
            actor=actor if actor is not None else revoked_by.user,
            action=AuditAction.ATTAINMENT_REVOKE,
            target=person.email,
            data={
                "attainment": str(locked.uuid),
                "framework": locked.framework.key,
                "skill": locked.skill_key,
                "milestone": locked.milestone,
                "revoked_by": revoked_by.email,
                "reason": reason,
            },
        )
    return locked


# --- selectors -----------------------------------------------------------------------------------


def person_milestones(*, person: Person, framework: library.Framework) -> dict[str, int]:
    """The highest active certified milestone per skill key."""
    rows = (
        Attainment.objects.filter(person=person, framework=framework, revoked_at__isnull=True)
        .values("skill_key")
        .annotate(top=Max("milestone"))
        .order_by()
    )
    return {row["skill_key"]: row["top"] for row in rows}


def milestones_in(doc: FrameworkDoc, milestones: Mapping[str, int]) -> dict[str, int]:
    """A milestone map limited to what `doc` knows, so scoring accepts it: skills removed from
    the framework are left out and milestones above a skill's top are lowered to it."""
    kept: dict[str, int] = {}
    for key, number in milestones.items():
        skill = doc.skill(key)
        if skill is not None and number > 0:
            kept[key] = min(number, skill.max_milestone)
    return kept


def person_attainments(
    *, person: Person, framework: library.Framework, viewer: User
) -> QuerySet[Attainment]:
    """Every attainment of `person` in the framework, newest first, with the people involved and
    only the evidence `viewer` may see (as `visible_evidence`)."""
    evidence = (
        Observation.objects.filter(observation_visible_q(viewer))
        .select_related("author")
        .order_by("-observed_on", "-id")
    )
    return (
        Attainment.objects.filter(person=person, framework=framework)
        .select_related("certified_by", "revoked_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence, to_attr="visible_evidence"))
        .order_by("-certified_at", "-id")
    )


def person_open_position(*, person: Person) -> Position | None:
    return (
        Position.objects.filter(person=person, ended_on__isnull=True)
        .select_related("framework", "version")
        .first()
    )


def first_published_framework() -> library.Framework | None:
    return (
        library.Framework.objects.filter(versions__isnull=False)
        .distinct()
        .order_by("name", "id")
        .first()
    )


@dataclass(frozen=True)
class RequirementView:
    result: scoring.RequirementResult
    attainments: list[Attainment] = field(default_factory=list)


@dataclass(frozen=True)
class ProgressSummary:
    """What the progress and what-if pages show for one milestone map."""

    doc: FrameworkDoc
    milestones: dict[str, int]
    score: scoring.Score
    requirements: list[RequirementView]
    skill_rows: list[tuple[str, str, int, int, int]]  # key, name, reached, top, points

    @property
    def max_points(self) -> int:
        return scoring.max_total_points(self.doc)


def progress_summary(
    *,
    doc: FrameworkDoc,
    milestones: Mapping[str, int],
    track_key: str | None,
    attainments: Iterable[Attainment] = (),
) -> ProgressSummary:
    """Score a milestone map through `scoring` and pair each requirement of the next level with
    the active attainments of its skill."""
    reached = milestones_in(doc, milestones)
    if track_key is not None and doc.track(track_key) is None:
        track_key = None
    result = scoring.score(doc, reached, track_key)
    active: dict[str, list[Attainment]] = {}
    for attainment in attainments:
        if attainment.revoked_at is None:
            active.setdefault(attainment.skill_key, []).append(attainment)
    requirements = []
    if result.next is not None:
        for r in result.next.results:
            backing = active.get(r.key, []) if r.kind is scoring.RequirementKind.MILESTONE else []
            requirements.append(RequirementView(r, backing))
    rows = [
        (s.key, s.name, reached.get(s.key, 0), s.max_milestone, result.skill_points[s.key])
        for s in doc.skills
    ]
    return ProgressSummary(doc, reached, result, requirements, rows)
