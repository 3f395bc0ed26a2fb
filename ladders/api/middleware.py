"""Refuse an API request body over the limit before anything reads it: 413 in the API's shape."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .errors import error_response


class ApiBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.API_MAX_BODY_BYTES
            if length > limit:
                return error_response(
                    413,
                    "too_large",
                    f"The request body is {length} bytes; the limit is {limit} bytes.",
                )
            # NUL in a query parameter: PostgreSQL cannot compare it, so no view ever sees one
            for name, values in request.GET.lists():
                if any("\x00" in v for v in values) or "\x00" in name:
                    field = f"query.{name}".replace("\x00", "")
                    message = "must not contain the NUL character"
                    return error_response(422, "invalid", message, {field: message})
        return self.get_response(request)
