"""Sign-in required everywhere, with one twist for HTMX: an expired session must not swap the
sign-in page into a corner of the current page, so HTMX is told to go to it instead."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.path_info.startswith("/api/"):
            return None  # the API answers 401 in JSON itself; docs and schema are public
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> HttpResponse:
        if getattr(request, "htmx", False):
            current = urlsplit(request.headers.get("HX-Current-URL", "/"))
            back = current.path + (f"?{current.query}" if current.query else "")
            login = redirect_to_login(back, self.get_login_url(view_func))
            return HttpResponse(status=204, headers={"HX-Redirect": login["Location"]})
        return super().handle_no_permission(request, view_func)
