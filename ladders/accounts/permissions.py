"""Who may do what. Every view and endpoint asks here; nothing else decides access.

Roles (DESIGN.md): organisation admin, framework editor, manager (anyone above a person in the
management chain) and member. A signed-in user without an active person record is an outsider:
they see nothing of the organisation. Django superusers count as organisation admins.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

from ladders.org.models import Person, Role

User = AbstractBaseUser | AnonymousUser
View = TypeVar("View", bound=Callable[..., Any])


def person_for(user: User) -> Person | None:
    """The active person record of a user, cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_ladders_person", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    # has_reports rides along in the same query so the navigation can offer Reports for free
    below = Person.objects.filter(manager=OuterRef("pk"), is_active=True)
    person = (
        Person.objects.filter(user=user, is_active=True)
        .select_related("team")
        .annotate(has_reports=Exists(below))
        .first()
    )
    user._ladders_person = person  # type: ignore[union-attr]
    return person


def is_admin(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    person = person_for(user)
    return person is not None and person.role == Role.ADMIN


def is_editor(user: User) -> bool:
    if is_admin(user):
        return True
    person = person_for(user)
    return person is not None and person.role == Role.EDITOR


def is_member(user: User) -> bool:
    """Anyone in the organisation (any role), as opposed to an outsider."""
    return is_admin(user) or person_for(user) is not None


def has_reports(user: User) -> bool:
    """Whether the user's person has anyone reporting to them (no extra query)."""
    person = person_for(user)
    return person is not None and bool(getattr(person, "has_reports", False))


def manages(manager: Person, person: Person) -> bool:
    """Whether `manager` is above `person` in the management chain."""
    seen: set[int] = set()
    current = person.manager_id
    while current is not None and current not in seen:
        if current == manager.pk:
            return True
        seen.add(current)
        current = Person.objects.filter(pk=current).values_list("manager_id", flat=True).first()
    return False


def managed_ids(manager: Person) -> set[int]:
    """Ids of everyone below `manager` in the chain: one query per level of depth."""
    found: set[int] = set()
    frontier = {manager.pk}
    while frontier:
        below = (
            set(Person.objects.filter(manager_id__in=frontier).values_list("id", flat=True))
            - found
            - {manager.pk}
        )
        found |= below
        frontier = below
    return found


def can_view_person(user: User, person: Person) -> bool:
    """Self, anyone above in the chain, and admins see a person's own data."""
    if is_admin(user):
        return True
    me = person_for(user)
    return me is not None and (me.pk == person.pk or manages(me, person))


def _require(check: Callable[[User], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


member_required = _require(is_member)
editor_required = _require(is_editor)
admin_required = _require(is_admin)
