"""Observation and feedback pages. Views parse, call a service or selector and render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ladders.accounts.permissions import manages, member_required, person_for
from ladders.library.models import FrameworkVersion
from ladders.library.selectors import framework_document, framework_version_get
from ladders.org.models import Person

from . import selectors, services
from .forms import FeedbackRequestForm, ObservationForm, add_service_errors
from .models import AskStatus, FeedbackAsk, FeedbackRequest, Observation


def _me(request: HttpRequest) -> Person:
    """The viewer's person record: writing needs one, even for admins."""
    me = person_for(request.user)
    if me is None:
        raise PermissionDenied
    return me


def _person_or_404(uuid: UUID) -> Person:
    person = Person.objects.filter(uuid=uuid).select_related("team").first()
    if person is None:
        raise Http404("No such person")
    return person


def _version_for(person: Person) -> FrameworkVersion:
    version = selectors.person_framework_version(person=person)
    if version is None:
        raise Http404("No framework has been published yet")
    return version


def _list_url(person: Person) -> str:
    return reverse("observation-list", kwargs={"uuid": person.uuid})


@member_required
def observation_list(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    me = person_for(request.user)
    context = {
        "person": person,
        "rows": selectors.observation_rows(user=request.user, subject=person),
        "can_request": me is not None and (me.pk == person.pk or manages(me, person)),
    }
    return render(request, "progress/observation_list.html", context)


def _open_ask(request: HttpRequest, me: Person, person: Person) -> FeedbackAsk | None:
    """The open feedback request the viewer is answering, from `?request=` or the form."""
    value = request.POST.get("feedback_request") or request.GET.get("request")
    if not value:
        return None
    try:
        key = UUID(value)
    except ValueError as error:
        raise Http404("No such request") from error
    ask = (
        FeedbackAsk.objects.filter(request__uuid=key, peer=me, request__subject=person)
        .select_related("request__framework")
        .first()
    )
    if ask is None:
        raise Http404("No such request")
    return ask


@member_required
def observation_create(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    me = _me(request)
    ask = _open_ask(request, me, person)
    if ask is not None and ask.status != AskStatus.OPEN:
        messages.info(request, f"You already {ask.get_status_display().lower()} that request.")
        return redirect("inbox")
    if ask is not None:
        version = framework_version_get(framework=ask.request.framework)
        picks: list[tuple[str, int | None]] = [(k, None) for k in ask.request.skill_keys]
    else:
        version = _version_for(person)
        picks = []
    if version is None:
        raise Http404("No framework has been published yet")
    doc = framework_document(version)
    form = ObservationForm(request.POST or None, doc=doc, picks=picks)
    if request.method == "POST" and form.is_valid():
        fields: dict[str, Any] = {
            "text": form.cleaned_data["text"],
            "observed_on": form.cleaned_data["observed_on"],
            "link": form.cleaned_data["link"],
            "skills": form.skill_picks(),
            "visibility": form.cleaned_data["visibility"],
        }
        try:
            if ask is not None:
                services.feedback_request_answer(request=ask.request, peer=me, **fields)
            else:
                services.observation_create(
                    author=me, subject=person, framework=version.framework, **fields
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Observation of {person.name} saved.")
            return redirect(_list_url(person))
    context = {"person": person, "form": form, "doc": doc, "ask": ask, "version": version}
    return render(request, "progress/observation_form.html", context)


def _own_observation(request: HttpRequest, uuid: UUID) -> tuple[Person, Observation]:
    observation = selectors.observation_get(uuid=uuid)
    if observation is None:
        raise Http404("No such observation")
    me = _me(request)
    if observation.author_id != me.pk:
        raise PermissionDenied
    return me, observation


@member_required
def observation_edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    me, observation = _own_observation(request, uuid)
    version = framework_version_get(framework=observation.framework)
    if version is None:
        raise Http404("No framework")
    doc = framework_document(version)
    initial = {
        "text": observation.text,
        "observed_on": observation.observed_on,
        "link": observation.link,
        "visibility": observation.visibility,
    }
    picks = selectors.observation_skill_picks(observation=observation)
    form = ObservationForm(request.POST or None, doc=doc, picks=picks, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_update(
                observation=observation,
                editor=me,
                text=form.cleaned_data["text"],
                observed_on=form.cleaned_data["observed_on"],
                link=form.cleaned_data["link"],
                skills=form.skill_picks(),
                visibility=form.cleaned_data["visibility"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Observation updated; the earlier text is in its history.")
            return redirect(_list_url(observation.subject))
    context = {
        "person": observation.subject,
        "form": form,
        "doc": doc,
        "observation": observation,
        "version": version,
    }
    return render(request, "progress/observation_form.html", context)


@member_required
def observation_delete(request: HttpRequest, uuid: UUID) -> HttpResponse:
    me, observation = _own_observation(request, uuid)
    if request.method == "POST":
        services.observation_delete(observation=observation, editor=me)
        messages.success(request, "Observation deleted. Its history is kept.")
        return redirect(_list_url(observation.subject))
    return render(request, "progress/observation_delete.html", {"observation": observation})


# --- feedback requests ---------------------------------------------------------------------------


@member_required
def inbox(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    return render(request, "progress/inbox.html", {"inbox": selectors.inbox(person=me), "me": me})


def _request_or_404(uuid: UUID) -> FeedbackRequest:
    found = selectors.feedback_request_get(uuid=uuid)
    if found is None:
        raise Http404("No such request")
    return found


@require_POST
@member_required
def feedback_request_decline(request: HttpRequest, uuid: UUID) -> HttpResponse:
    me = _me(request)
    found = _request_or_404(uuid)
    try:
        services.feedback_request_decline(request=found, peer=me)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You declined to write about {found.subject.name}.")
    return redirect("inbox")


@member_required
def feedback_request_create(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    me = _me(request)
    if me.pk != person.pk and not manages(me, person):
        raise PermissionDenied
    version = _version_for(person)
    doc = framework_document(version)
    form = FeedbackRequestForm(request.POST or None, doc=doc, subject=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_request_create(
                requester=me,
                subject=person,
                framework=version.framework,
                peers=list(form.cleaned_data["peers"]),
                skill_keys=form.cleaned_data["skills"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Request sent; it waits in each person's inbox.")
            return redirect("inbox")
    context = {"person": person, "form": form, "version": version}
    return render(request, "progress/feedback_request_form.html", context)
