from __future__ import annotations

from django.http import HttpRequest

from .permissions import has_reports, is_admin, is_editor


def roles(request: HttpRequest) -> dict[str, bool]:
    """What the navigation may offer: computed once per page, from the cached person."""
    user = request.user
    admin = is_admin(user)
    return {
        "nav_can_edit": is_editor(user),
        "nav_is_admin": admin,
        "nav_can_report": admin or has_reports(user),
    }
