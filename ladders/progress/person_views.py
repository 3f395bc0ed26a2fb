"""A person's progress page (snowflake chart, points, level, readiness, attainments) and the
what-if view. Visible to the person, their management chain and admins; certifying and revoking
to the chain and admins only. Views parse, call a service or selector and render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from ladders.accounts.permissions import can_view_person, person_for
from ladders.checkins.models import CheckIn
from ladders.checkins.selectors import checkin_list
from ladders.frameworks.chart import category_colours, snowflake_svg
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library import models as library
from ladders.org.models import Person, Position

from .attainments import (
    AttainmentError,
    AttainmentNotAllowed,
    attainment_certify,
    attainment_revoke,
    certify_refusal,
    first_published_framework,
    framework_latest_document,
    milestones_in,
    person_attainments,
    person_milestones,
    person_open_position,
    progress_summary,
)
from .models import Attainment, Observation
from .selectors import ObservationRow, observation_rows, observation_visible_q

# --- forms ---------------------------------------------------------------------------------------


class CertifyForm(forms.Form):
    skill = forms.ChoiceField(label="Skill")
    milestone = forms.TypedChoiceField(label="Milestone", coerce=int)
    evidence = forms.ModelMultipleChoiceField(
        label="Evidence",
        queryset=Observation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Observations that justify this milestone.",
    )

    def __init__(self, *args: Any, doc: FrameworkDoc, observations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [(s.key, s.name) for s in doc.skills]
        top = max((s.max_milestone for s in doc.skills), default=0)
        self.fields["milestone"].choices = [(n, str(n)) for n in range(1, top + 1)]
        self.fields["evidence"].queryset = observations
        self.fields["evidence"].label_from_instance = _observation_label  # type: ignore[attr-defined]


def _observation_label(observation: Observation) -> str:
    text = " ".join(observation.text.split())
    text = text if len(text) <= 80 else text[:79] + "…"
    day = observation.observed_on
    return f"{day.day} {day:%b %Y} · {observation.author.name}: {text}"


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.TextInput,
        error_messages={"required": "Say why the milestone is revoked: the reason is kept."},
    )


# --- loading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """The person a page is about, with the framework and track their progress is measured on."""

    person: Person
    position: Position | None
    framework: library.Framework | None
    doc: FrameworkDoc | None
    track_key: str | None


def _subject(request: HttpRequest, uuid: UUID) -> Subject:
    person = Person.objects.select_related("manager").filter(uuid=uuid).first()
    if person is None:
        raise Http404("No such person")
    if not can_view_person(request.user, person):
        raise PermissionDenied
    position = person_open_position(person=person)
    framework = position.framework if position else first_published_framework()
    doc = framework_latest_document(framework) if framework else None
    return Subject(person, position, framework, doc, position.track_key if position else None)


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # certified, revoked, observation or check-in
    attainment: Attainment | None = None
    by: Person | None = None
    skill_name: str = ""
    reason: str = ""
    revoke_form: RevokeForm | None = None
    observation: ObservationRow | None = None
    check_in: CheckIn | None = None


def _observation_at(observation: Observation) -> datetime:
    """When written on the day observed, the time of writing; else the start of that day."""
    if observation.created_at.date() == observation.observed_on:
        return observation.created_at
    return datetime.combine(observation.observed_on, time.min, tzinfo=UTC)


def _timeline(
    attainments: list[Attainment],
    names: dict[str, str],
    forms: dict[UUID, RevokeForm],
    observations: list[ObservationRow],
    check_ins: list[CheckIn],
) -> list[TimelineEvent]:
    """Attainments (certified and revoked), the observations the viewer may see and the
    check-ins, newest first."""
    events = [
        TimelineEvent(
            a.certified_at,
            "certified",
            a,
            a.certified_by,
            names.get(a.skill_key, a.skill_key),
            revoke_form=forms.get(a.uuid),
        )
        for a in attainments
    ]
    events += [
        TimelineEvent(
            a.revoked_at,
            "revoked",
            a,
            a.revoked_by,
            names.get(a.skill_key, a.skill_key),
            a.revoke_reason,
        )
        for a in attainments
        if a.revoked_at is not None
    ]
    events += [
        TimelineEvent(
            _observation_at(row.observation),
            "observation",
            by=row.observation.author,
            observation=row,
        )
        for row in observations
    ]
    events += [
        TimelineEvent(c.agreed_at or c.created_at, "check-in", check_in=c) for c in check_ins
    ]
    order = {"revoked": 0, "certified": 1, "check-in": 2, "observation": 3}
    return sorted(events, key=lambda e: (e.at, -order[e.kind]), reverse=True)


def _legend(doc: FrameworkDoc) -> list[tuple[str, str]]:
    colours = category_colours(doc)
    return [(c.name, colours[c.key]) for c in doc.categories]


def _visible_observations(request: HttpRequest, subject: Subject) -> Any:
    return (
        Observation.objects.filter(observation_visible_q(request.user))
        .filter(subject=subject.person, framework=subject.framework)
        .select_related("author")
        .order_by("-observed_on", "-id")
    )


def _progress_page(
    request: HttpRequest,
    subject: Subject,
    *,
    certify_form: CertifyForm | None = None,
    revoke_forms: dict[UUID, RevokeForm] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"subject": subject, "person": subject.person, "error": error}
    if subject.doc is None or subject.framework is None:
        return render(request, "progress/person/progress.html", context, status=status)
    doc = subject.doc
    attainments = list(
        person_attainments(person=subject.person, framework=subject.framework, viewer=request.user)
    )
    active: dict[str, int] = {}
    for a in attainments:
        if a.revoked_at is None:
            active[a.skill_key] = max(active.get(a.skill_key, 0), a.milestone)
    summary = progress_summary(
        doc=doc, milestones=active, track_key=subject.track_key, attainments=attainments
    )
    me = person_for(request.user)
    can_certify = me is not None and not certify_refusal(
        person=subject.person, certifier=me, actor=request.user
    )
    if can_certify and certify_form is None:
        certify_form = CertifyForm(doc=doc, observations=_visible_observations(request, subject))
    names = {s.key: s.name for s in doc.skills}
    context.update(
        doc=doc,
        summary=summary,
        chart=mark_safe(snowflake_svg(doc, summary.milestones)),
        legend=_legend(doc),
        attainments=attainments,
        timeline=_timeline(
            attainments,
            names,
            revoke_forms or {},
            observation_rows(user=request.user, subject=subject.person),
            list(checkin_list(person=subject.person).order_by("-created_at")),
        ),
        can_certify=can_certify,
        is_self=me is not None and me.pk == subject.person.pk,
        certify_form=certify_form if can_certify else None,
    )
    return render(request, "progress/person/progress.html", context, status=status)


# --- pages ---------------------------------------------------------------------------------------


def person_progress(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _progress_page(request, _subject(request, uuid))


@require_POST
def person_certify(request: HttpRequest, uuid: UUID) -> HttpResponse:
    subject = _subject(request, uuid)
    me = person_for(request.user)
    refusal = certify_refusal(person=subject.person, certifier=me, actor=request.user)
    if refusal:
        return _progress_page(request, subject, error=refusal, status=403)
    if subject.doc is None or subject.framework is None or me is None:
        return _progress_page(request, subject, error="No framework is published yet.", status=400)
    form = CertifyForm(
        request.POST, doc=subject.doc, observations=_visible_observations(request, subject)
    )
    if form.is_valid():
        try:
            attainment = attainment_certify(
                person=subject.person,
                framework=subject.framework,
                skill_key=form.cleaned_data["skill"],
                milestone=form.cleaned_data["milestone"],
                certified_by=me,
                evidence=list(form.cleaned_data["evidence"]),
                actor=request.user,
            )
        except AttainmentNotAllowed as exc:
            return _progress_page(request, subject, error=str(exc), status=403)
        except AttainmentError as exc:
            form.add_error(None, str(exc))
        else:
            skill = subject.doc.skill(attainment.skill_key)
            messages.success(
                request,
                f"Certified {skill.name if skill else attainment.skill_key} "
                f"milestone {attainment.milestone} for {subject.person.name}.",
            )
            return HttpResponseRedirect(reverse("person-progress", args=[subject.person.uuid]))
    return _progress_page(request, subject, certify_form=form, status=400)


@require_POST
def attainment_revoke_view(request: HttpRequest, uuid: UUID, attainment: UUID) -> HttpResponse:
    subject = _subject(request, uuid)
    target = (
        Attainment.objects.select_related("person", "framework")
        .filter(uuid=attainment, person=subject.person)
        .first()
    )
    if target is None:
        raise Http404("No such attainment")
    me = person_for(request.user)
    refusal = certify_refusal(person=subject.person, certifier=me, actor=request.user)
    if refusal or me is None:
        return _progress_page(request, subject, error=refusal, status=403)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            attainment_revoke(
                attainment=target,
                revoked_by=me,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except AttainmentNotAllowed as exc:
            return _progress_page(request, subject, error=str(exc), status=403)
        except AttainmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Revoked milestone {target.milestone}; reason recorded.")
            return HttpResponseRedirect(reverse("person-progress", args=[subject.person.uuid]))
    return _progress_page(request, subject, revoke_forms={target.uuid: form}, status=400)


def _what_if_map(
    doc: FrameworkDoc, query: Any, real: dict[str, int]
) -> tuple[dict[str, int], list[str]]:
    chosen = dict(real)
    problems = []
    for skill in doc.skills:
        raw = query.get(skill.key)
        if raw is None or raw == "":
            continue
        try:
            number = int(raw)
        except ValueError:
            problems.append(f"{skill.name}: {raw!r} is not a milestone number; kept the real one.")
            continue
        if not 0 <= number <= skill.max_milestone:
            problems.append(
                f"{skill.name}: milestone {number} does not exist "
                f"(0 to {skill.max_milestone}); kept the real one."
            )
            continue
        chosen[skill.key] = number
    return chosen, problems


def person_what_if(request: HttpRequest, uuid: UUID) -> HttpResponse:
    subject = _subject(request, uuid)
    context: dict[str, Any] = {"subject": subject, "person": subject.person}
    if subject.doc is not None and subject.framework is not None:
        doc = subject.doc
        real = milestones_in(
            doc, person_milestones(person=subject.person, framework=subject.framework)
        )
        chosen, problems = _what_if_map(doc, request.GET, real)
        summary = progress_summary(doc=doc, milestones=chosen, track_key=subject.track_key)
        real_summary = progress_summary(doc=doc, milestones=real, track_key=subject.track_key)
        context.update(
            doc=doc,
            summary=summary,
            real=real_summary,
            problems=problems,
            chart=mark_safe(snowflake_svg(doc, summary.milestones)),
            legend=_legend(doc),
            selects=[
                (
                    s,
                    range(0, s.max_milestone + 1),
                    summary.milestones.get(s.key, 0),
                    real.get(s.key, 0),
                )
                for s in doc.skills
            ],
        )
    partial = request.htmx and not request.htmx.boosted  # type: ignore[attr-defined]
    template = "progress/person/_what_if_result.html" if partial else "progress/person/what_if.html"
    return render(request, template, context)
