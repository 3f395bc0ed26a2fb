"""Writes of observations and feedback requests. Every rule about them lives here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ladders.accounts.permissions import manages
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library.models import Framework
from ladders.library.selectors import framework_document, framework_version_get
from ladders.org.models import Person

from .models import (
    AskStatus,
    FeedbackAsk,
    FeedbackRequest,
    Observation,
    ObservationRevision,
    ObservationSkill,
    RevisionAction,
    Visibility,
)

SkillPicks = Sequence[tuple[str, int | None]]


def _document(framework: Framework) -> FrameworkDoc:
    version = framework_version_get(framework=framework)
    if version is None:
        raise ValidationError(f"The framework {framework.key!r} has no published version yet.")
    return framework_document(version)


def _check_skill_keys(doc: FrameworkDoc, keys: Iterable[str]) -> None:
    unknown = [key for key in keys if doc.skill(key) is None]
    if unknown:
        known = ", ".join(skill.key for skill in doc.skills)
        raise ValidationError(
            {
                "skills": (
                    f"{doc.name} has no skill {', '.join(map(repr, unknown))}. Pick from: {known}."
                )
            }
        )


def _check_skills(doc: FrameworkDoc, skills: SkillPicks) -> None:
    keys = [key for key, _ in skills]
    if not keys:
        raise ValidationError(
            {"skills": "Pick at least one skill this observation is evidence of."}
        )
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValidationError({"skills": f"Each skill once only: {', '.join(duplicates)}."})
    _check_skill_keys(doc, keys)
    for key, number in skills:
        skill = doc.skill(key)
        assert skill is not None
        if number is not None and skill.milestone(number) is None:
            numbers = ", ".join(str(m.number) for m in skill.milestones) or "none"
            raise ValidationError(
                {
                    "skills": (
                        f"{skill.name} has no milestone {number}; its milestones are {numbers}."
                    )
                }
            )


def _check_date(observed_on: datetime.date) -> None:
    if observed_on > timezone.localdate():
        raise ValidationError(
            {"observed_on": "The date is in the future: give the day it happened, today at latest."}
        )


def _check_active(person: Person, what: str) -> None:
    if not person.is_active:
        raise ValidationError(f"{person.name} has left the organisation and cannot be {what}.")


def _fill(
    observation: Observation,
    *,
    doc: FrameworkDoc,
    skills: SkillPicks,
    text: str,
    observed_on: datetime.date,
    link: str,
    visibility: str,
) -> None:
    """Set the fields, then refuse with every problem at once so a form can show them all."""
    observation.text = text.strip()
    observation.observed_on = observed_on
    observation.link = link.strip()
    observation.visibility = visibility
    errors: dict[str, list[str]] = {}
    if not observation.text:
        errors["text"] = ["Write what you saw: the text is empty."]
    if visibility not in Visibility.values:
        errors["visibility"] = [f"Visibility must be one of {', '.join(Visibility.values)}."]
    for check in (lambda: _check_date(observed_on), lambda: _check_skills(doc, skills)):
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _save_skills(observation: Observation, skills: SkillPicks) -> None:
    ObservationSkill.objects.bulk_create(
        ObservationSkill(observation=observation, skill_key=key, milestone=number)
        for key, number in skills
    )


@transaction.atomic
def observation_create(
    *,
    author: Person,
    subject: Person,
    framework: Framework,
    text: str,
    observed_on: datetime.date,
    link: str = "",
    skills: SkillPicks,
    visibility: str = Visibility.PRIVATE,
) -> Observation:
    """Anyone in the organisation may write about anyone, themselves included."""
    _check_active(author, "an author")
    _check_active(subject, "written about")
    observation = Observation(author=author, subject=subject, framework=framework)
    _fill(
        observation,
        doc=_document(framework),
        skills=skills,
        text=text,
        observed_on=observed_on,
        link=link,
        visibility=visibility,
    )
    observation.full_clean()
    observation.save()
    _save_skills(observation, skills)
    return observation


def _only_author(observation: Observation, editor: Person) -> None:
    if observation.author_id != editor.pk:
        raise PermissionDenied("Only the author may change an observation.")
    if observation.deleted_at is not None:
        raise ValidationError("This observation was deleted.")


def _keep_revision(observation: Observation, *, editor: Person, action: str) -> None:
    ObservationRevision.objects.create(
        observation=observation,
        action=action,
        changed_by=editor,
        text=observation.text,
        observed_on=observation.observed_on,
        link=observation.link,
        visibility=observation.visibility,
        skills=[[s.skill_key, s.milestone] for s in observation.skills.order_by("skill_key")],
    )


@transaction.atomic
def observation_update(
    *,
    observation: Observation,
    editor: Person,
    text: str,
    observed_on: datetime.date,
    link: str = "",
    skills: SkillPicks,
    visibility: str,
) -> Observation:
    """The author changes their observation; what it said before is kept as a revision."""
    _only_author(observation, editor)
    before = (
        observation.text,
        observation.observed_on,
        observation.link,
        observation.visibility,
        [(s.skill_key, s.milestone) for s in observation.skills.order_by("skill_key")],
    )
    after = (
        text.strip(),
        observed_on,
        link.strip(),
        visibility,
        sorted(skills, key=lambda pick: pick[0]),
    )
    if before == after:
        return observation  # nothing changed: no revision to keep
    _keep_revision(observation, editor=editor, action=RevisionAction.EDITED)
    _fill(
        observation,
        doc=_document(observation.framework),
        skills=skills,
        text=text,
        observed_on=observed_on,
        link=link,
        visibility=visibility,
    )
    observation.full_clean()
    observation.save()
    observation.skills.all().delete()
    _save_skills(observation, skills)
    return observation


@transaction.atomic
def observation_delete(*, observation: Observation, editor: Person) -> None:
    """The author deletes their observation: it disappears everywhere, its history stays."""
    _only_author(observation, editor)
    _keep_revision(observation, editor=editor, action=RevisionAction.DELETED)
    observation.deleted_at = timezone.now()
    observation.save(update_fields=["deleted_at", "updated_at"])


@transaction.atomic
def feedback_request_create(
    *,
    requester: Person,
    subject: Person,
    framework: Framework,
    peers: Sequence[Person],
    skill_keys: Sequence[str],
    message: str = "",
) -> FeedbackRequest:
    """The subject, or anyone above them in the chain, asks named peers for an observation."""
    if requester.pk != subject.pk and not manages(requester, subject):
        raise PermissionDenied("Only the person or their managers may ask for feedback on them.")
    _check_active(subject, "the subject of a request")
    unique = {peer.pk: peer for peer in peers}
    if not unique:
        raise ValidationError({"peers": "Name at least one person to ask."})
    if subject.pk in unique:
        raise ValidationError(
            {"peers": f"{subject.name} is the subject: ask others about them, not themselves."}
        )
    gone = [peer.name for peer in unique.values() if not peer.is_active]
    if gone:
        raise ValidationError({"peers": f"{', '.join(gone)} left the organisation."})
    if not skill_keys:
        raise ValidationError({"skills": "Pick at least one skill to ask about."})
    _check_skill_keys(_document(framework), skill_keys)
    request = FeedbackRequest(
        requester=requester,
        subject=subject,
        framework=framework,
        skill_keys=list(dict.fromkeys(skill_keys)),
        message=message.strip(),
    )
    request.full_clean()
    request.save()
    FeedbackAsk.objects.bulk_create(FeedbackAsk(request=request, peer=p) for p in unique.values())
    return request


def _open_ask(request: FeedbackRequest, peer: Person) -> FeedbackAsk:
    ask = FeedbackAsk.objects.select_for_update().filter(request=request, peer=peer).first()
    if ask is None:
        raise PermissionDenied("This request was not sent to you.")
    if ask.status != AskStatus.OPEN:
        raise ValidationError(f"You already {ask.get_status_display().lower()} this request.")
    return ask


@transaction.atomic
def feedback_request_answer(
    *,
    request: FeedbackRequest,
    peer: Person,
    text: str,
    observed_on: datetime.date,
    link: str = "",
    skills: SkillPicks,
    visibility: str = Visibility.PRIVATE,
) -> Observation:
    """A requested peer answers with an observation about the request's subject."""
    ask = _open_ask(request, peer)
    observation = observation_create(
        author=peer,
        subject=request.subject,
        framework=request.framework,
        text=text,
        observed_on=observed_on,
        link=link,
        skills=skills,
        visibility=visibility,
    )
    ask.status = AskStatus.ANSWERED
    ask.answered_at = timezone.now()
    ask.observation = observation
    ask.save(update_fields=["status", "answered_at", "observation"])
    return observation


@transaction.atomic
def feedback_request_decline(*, request: FeedbackRequest, peer: Person) -> None:
    ask = _open_ask(request, peer)
    ask.status = AskStatus.DECLINED
    ask.answered_at = timezone.now()
    ask.save(update_fields=["status", "answered_at"])
