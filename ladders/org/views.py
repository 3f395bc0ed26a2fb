"""Organisation pages. Views parse, call a service or selector and render; the rules live in
services. Every member sees the chart and people pages; only admins change anything."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from ladders.accounts.permissions import (
    admin_required,
    can_view_person,
    is_admin,
    member_required,
)
from ladders.library.selectors import framework_get

from . import selectors, services
from .csv_import import COLUMNS, people_import_csv
from .errors import OrgError, PeopleImportInvalid
from .forms import (
    ImportForm,
    ManagerForm,
    PersonCreateForm,
    PersonForm,
    PositionForm,
    RoleForm,
    TeamForm,
)
from .models import Person

# --- the chart -----------------------------------------------------------------------------------


@member_required
def person_list(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("team", "").strip()
    team = selectors.team_get(slug=slug) if slug else None
    rows = selectors.person_list(user=request.user, team=team)
    context = {
        "rows": rows,
        "chart": selectors.person_chart(rows),
        "team": team,
        "unknown_team": slug if slug and team is None else "",
        "teams": selectors.team_list(),
        "is_admin": is_admin(request.user),
    }
    partial = request.htmx and not request.htmx.boosted  # type: ignore[attr-defined]
    template = "org/_people.html" if partial else "org/person_list.html"
    return render(request, template, context)


# --- one person ----------------------------------------------------------------------------------


def _person_or_404(uuid: UUID) -> Person:
    person = selectors.person_get(uuid=uuid)
    if person is None:
        raise Http404("No such person")
    return person


def _invite_url(person: Person) -> str | None:
    """The invitation action, when the accounts app provides it."""
    for kwargs, args in (({"uuid": person.uuid}, None), (None, [person.uuid])):
        try:
            return reverse("person-invite", kwargs=kwargs, args=args)
        except NoReverseMatch:
            continue
    return None


def _detail(request: HttpRequest, person: Person, **bound: django_forms.Form) -> HttpResponse:
    admin = is_admin(request.user)
    history = selectors.position_history(person=person)
    context: dict[str, Any] = {
        "person": person,
        "can_see_email": can_view_person(request.user, person),
        "chain": selectors.person_chain(person=person),
        "reports": selectors.person_reports_tree(person=person),
        "history": history,
        "current": next((row for row in history if row.is_open), None),
        "is_admin": admin,
    }
    if admin:
        current_role = person.role
        context.update(
            edit_form=bound.get("edit_form")
            or PersonForm(
                initial={"name": person.name, "email": person.email, "team": person.team}
            ),
            manager_form=bound.get("manager_form")
            or ManagerForm(person=person, initial={"manager": person.manager}),
            role_form=bound.get("role_form") or RoleForm(initial={"role": current_role}),
            position_form=bound.get("position_form")
            or PositionForm(initial={"level": _level_value(context["current"])}),
            invite_url=_invite_url(person) if person.user_id is None else None,
        )
    return render(request, "org/person_detail.html", context)


def _level_value(current: selectors.PositionRow | None) -> str | None:
    if current is None:
        return None
    position = current.position
    return f"{position.framework.key}:{position.track_key}:{position.level_code}"


@member_required
def person_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    return _detail(request, _person_or_404(uuid))


def _back(person: Person, anchor: str = "") -> HttpResponseRedirect:
    return redirect(reverse("person-detail", args=[person.uuid]) + anchor)


@admin_required
def person_edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    if request.method != "POST":
        return _back(person, "#manage")
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            services.person_update(
                person=person,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                team=form.cleaned_data["team"],
                actor=request.user,
            )
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {person.name}.")
            return _back(person)
    return _detail(request, _person_or_404(uuid), edit_form=form)


@admin_required
def person_set_manager(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    if request.method != "POST":
        return _back(person, "#manage")
    form = ManagerForm(request.POST, person=person)
    if form.is_valid():
        manager = form.cleaned_data["manager"]
        try:
            services.person_set_manager(person=person, manager=manager, actor=request.user)
        except OrgError as exc:
            form.add_error("manager", str(exc))
        else:
            who = manager.name if manager else "nobody"
            messages.success(request, f"{person.name} now reports to {who}.")
            return _back(person)
    return _detail(request, person, manager_form=form)


@admin_required
def person_set_role(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    if request.method != "POST":
        return _back(person, "#manage")
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_role(
                person=person, role=form.cleaned_data["role"], actor=request.user
            )
        except OrgError as exc:
            form.add_error("role", str(exc))
        else:
            person.refresh_from_db(fields=["role"])
            messages.success(request, f"{person.name} is now: {person.get_role_display()}.")
            return _back(person)
    return _detail(request, person, role_form=form)


@admin_required
def person_set_position(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person_or_404(uuid)
    if request.method != "POST":
        return _back(person, "#manage")
    form = PositionForm(request.POST)
    if form.is_valid():
        framework_key, track_key, level_code = form.parsed()
        framework = framework_get(key=framework_key)
        try:
            if framework is None:
                raise OrgError(f"there is no framework {framework_key!r}")
            services.position_set(
                person=person,
                framework=framework,
                track_key=track_key,
                level_code=level_code,
                started_on=form.cleaned_data["started_on"],
                actor=request.user,
            )
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{person.name} is now at {track_key} {level_code}.")
            return _back(person)
    return _detail(request, person, position_form=form)


@admin_required
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                name=data["name"],
                email=data["email"],
                team=data["team"],
                manager=data["manager"],
                role=data["role"],
                actor=request.user,
            )
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added {person.name}.")
            return _back(person)
    return render(request, "org/person_create.html", {"form": form})


@admin_required
def people_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = people_import_csv(
                text=form.cleaned_data["csv_text"],
                actor=request.user,
                framework=form.cleaned_data["framework"],
            )
        except PeopleImportInvalid as exc:
            row_errors = exc.errors
        except OrgError as exc:
            row_errors = [str(exc)]
        else:
            messages.success(request, f"Imported the people file: {summary}.")
            return redirect("person-list")
    return render(
        request,
        "org/people_import.html",
        {"form": form, "row_errors": row_errors, "columns": ",".join(COLUMNS)},
    )


# --- teams ---------------------------------------------------------------------------------------


@member_required
def team_list(request: HttpRequest) -> HttpResponse:
    admin = is_admin(request.user)
    return render(
        request,
        "org/team_list.html",
        {"teams": selectors.team_list(), "is_admin": admin, "form": TeamForm() if admin else None},
    )


@admin_required
@require_POST
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = services.team_create(name=form.cleaned_data["name"])
        except OrgError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Added the team {team.name}.")
            return redirect("team-detail", slug=team.slug)
    return render(
        request,
        "org/team_list.html",
        {"teams": selectors.team_list(), "is_admin": True, "form": form},
    )


@member_required
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = selectors.team_get(slug=slug)
    if team is None:
        raise Http404("No such team")
    rows = selectors.person_list(user=request.user, team=team)
    return render(
        request,
        "org/team_detail.html",
        {"team": team, "rows": rows, "chart": selectors.person_chart(rows)},
    )
