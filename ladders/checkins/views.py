"""Check-in pages. Views parse, call a service or selector and render; the rules live in
services and selectors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from ladders.accounts.permissions import member_required
from ladders.org.models import Person

from . import selectors, services
from .errors import CheckInDenied, CheckInError
from .forms import AgreeForm, CheckInCreateForm, RatingsForm
from .models import CheckIn, RaterRole


def _person_or_404(uuid: UUID) -> Person:
    person = Person.objects.filter(uuid=uuid).first()
    if person is None:
        raise Http404("No such person")
    return person


@member_required
def checkin_dashboard(request: HttpRequest) -> HttpResponse:
    reminders = selectors.checkin_reminders(user=request.user)
    return render(request, "checkins/dashboard.html", {"reminders": reminders})


@member_required
def checkin_list(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    if not selectors.checkin_can_create(request.user, person):
        raise PermissionDenied
    check_ins = list(selectors.checkin_list(person=person))
    rows = [(c, selectors.checkin_next_role(c)) for c in check_ins]
    return render(
        request,
        "checkins/list.html",
        {"person": person, "rows": rows, "can_create": True},
    )


@member_required
def checkin_new(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    if not selectors.checkin_can_create(request.user, person):
        raise PermissionDenied
    has_position = person.positions.filter(ended_on__isnull=True).exists()
    if request.method == "POST":
        form = CheckInCreateForm(request.POST)
        if form.is_valid():
            try:
                check_in = services.checkin_create(
                    person=person,
                    actor=request.user,
                    as_of=form.cleaned_data["as_of"],
                    framework=form.cleaned_data["framework"],
                )
            except CheckInDenied as exc:
                raise PermissionDenied(str(exc)) from exc
            except CheckInError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Opened a check-in for {person.name}.")
                return redirect("checkin-detail", uuid=check_in.uuid)
    else:
        form = CheckInCreateForm(initial={"as_of": timezone.localdate()})
    return render(
        request,
        "checkins/new.html",
        {"person": person, "form": form, "has_position": has_position},
    )


def _checkin_or_404(request: HttpRequest, uuid: UUID) -> CheckIn:
    check_in = selectors.checkin_get(uuid=uuid)
    if check_in is None:
        raise Http404("No such check-in")
    if not selectors.checkin_can_view(request.user, check_in):
        raise PermissionDenied
    return check_in


def _initial(rows: list[selectors.SkillRow], role: str) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for row in rows:
        source = row.ratings.get(role)
        if role == RaterRole.AGREED:
            source = row.manager or row.self
        if source is not None:
            initial[f"m-{row.key}"] = source.milestone
            initial[f"c-{row.key}"] = source.comment
    return initial


def _act(request: HttpRequest, check_in: CheckIn, step: str, form: RatingsForm) -> None:
    """Run the posted step; raises CheckInError with a message for the form."""
    if isinstance(form, AgreeForm):
        services.checkin_agree(
            check_in=check_in,
            agreed=form.agreed(),
            summary=form.cleaned_data["summary"],
            actor=request.user,
        )
        messages.success(request, "Agreed: this check-in is now locked.")
        return
    services.checkin_rate(
        check_in=check_in, rater_role=step, ratings=form.ratings(), actor=request.user
    )
    if request.POST.get("action") != "submit":
        messages.success(request, "Saved your ratings; submit them when you are done.")
        return
    if step == RaterRole.SELF:
        services.checkin_submit_self(check_in=check_in, actor=request.user)
    else:
        services.checkin_submit_manager(check_in=check_in, actor=request.user)
    messages.success(request, "Submitted.")


@member_required
def checkin_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    check_in = _checkin_or_404(request, uuid)
    document = selectors.checkin_document(check_in)
    rows = selectors.checkin_rows(user=request.user, check_in=check_in, document=document)
    step = selectors.checkin_user_step(request.user, check_in)
    form_class = AgreeForm if step == RaterRole.AGREED else RatingsForm
    form = None
    if request.method == "POST" and request.POST.get("action") == "certify":
        return _certify(request, check_in)
    if request.method == "POST":
        if step is None:
            if check_in.state == "agreed":
                messages.error(request, "This check-in was agreed and is locked.")
                return redirect("checkin-detail", uuid=check_in.uuid)
            raise PermissionDenied
        form = form_class(request.POST, document=document)
        if form.is_valid():
            try:
                _act(request, check_in, step, form)
            except CheckInDenied as exc:
                raise PermissionDenied(str(exc)) from exc
            except CheckInError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("checkin-detail", uuid=check_in.uuid)
    elif step is not None:
        form = form_class(initial=_initial(rows, step), document=document)
    context = {
        "check_in": check_in,
        "document": document,
        "rows": rows,
        "step": step,
        "form": form,
        "fields": _fields(form, rows),
        "next_role": selectors.checkin_next_role(check_in),
        "to_certify": selectors.checkin_to_certify(user=request.user, check_in=check_in, rows=rows),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "checkins/detail.html", context, status=status)


def _fields(form: RatingsForm | None, rows: list[selectors.SkillRow]) -> list[tuple[Any, ...]]:
    """(row, milestone field, comment field) per skill, for the template."""
    if form is None:
        return [(row, None, None) for row in rows]
    out = []
    for row in rows:
        comment = form[f"c-{row.key}"] if f"c-{row.key}" in form.fields else None
        out.append((row, form[f"m-{row.key}"], comment))
    return out


def _certify(request: HttpRequest, check_in: CheckIn) -> HttpResponse:
    try:
        result = services.checkin_certify(check_in=check_in, actor=request.user)
    except CheckInDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except CheckInError as exc:
        messages.error(request, str(exc))
    else:
        if result.certified:
            messages.success(request, "Certified: " + "; ".join(result.certified) + ".")
        else:
            messages.info(request, "Nothing left to certify: every agreed milestone is held.")
        if result.skipped:
            messages.warning(request, "Not certified: " + "; ".join(result.skipped) + ".")
    return redirect("checkin-detail", uuid=check_in.uuid)
