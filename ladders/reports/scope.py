"""Whose data a report may show. Reports follow the same rule as a person's progress page:
admins see the whole organisation; a manager sees the people below them in the chain (and
themselves); anyone else has no reports. Every report filters its people through here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ladders.accounts.permissions import User, is_admin, managed_ids, person_for
from ladders.org.models import Person

View = TypeVar("View", bound=Callable[..., Any])


def report_people_ids(user: User) -> set[int] | None:
    """Ids of the people `user` may see in reports; None means everyone (an admin).

    An empty set means no reports at all: members without reports and outsiders."""
    if is_admin(user):
        return None
    me = person_for(user)
    if me is None:
        return set()
    below = managed_ids(me)
    return ({me.pk} | below) if below else set()


def report_people(user: User) -> QuerySet[Person]:
    """The active people `user` may see in reports."""
    people = Person.objects.filter(is_active=True)
    ids = report_people_ids(user)
    return people if ids is None else people.filter(pk__in=ids)


def can_see_reports(user: User) -> bool:
    ids = report_people_ids(user)
    return ids is None or bool(ids)


def reports_required(view: View) -> View:
    """Admins and managers only; a 403 page for everyone else."""

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not can_see_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]
