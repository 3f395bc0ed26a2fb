"""Refuse an API request body over the limit before anything reads it: 413 in the API's shape."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

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
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character in the path or a query parameter never reaches a view: PostgreSQL cannot
    compare text holding one, so it would end as a server error. The API answers in its shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_path = "\x00" in request.path
        in_query = any(
            "\x00" in name or any("\x00" in v for v in values)
            for name, values in request.GET.lists()
        )
        if not (in_path or in_query):
            return self.get_response(request)
        message = "must not contain the NUL character"
        if request.path_info.startswith("/api/"):
            if in_path:
                return error_response(404, "not_found", "No such object, or you may not see it.")
            names = [
                n for n, vs in request.GET.lists() if "\x00" in n or any("\x00" in v for v in vs)
            ]
            fields = {f"query.{n}".replace("\x00", ""): message for n in names}
            return error_response(422, "invalid", message, fields)
        return HttpResponseBadRequest(
            "The address holds a NUL character, which Ladders does not accept.",
            content_type="text/plain; charset=utf-8",
        )
