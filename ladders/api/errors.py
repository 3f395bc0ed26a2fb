"""One JSON shape for every API error, and the one place domain errors become status codes.

    {"error": {"code": "not_found", "message": "No such person.", "fields": {}}}

`fields` maps a field path (`body.name`, `query.cursor`, `skills[2].key`) to what is wrong with
it. Views raise domain errors (LaddersError and subclasses) or `ApiError`; nothing else needs to
know about status codes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict, Field

from ladders.accounts.errors import AccountError
from ladders.checkins.errors import CheckInDenied, CheckInLocked
from ladders.frameworks.errors import FrameworkInvalid, LaddersError, format_path
from ladders.frameworks.importers.base import ImportFailed
from ladders.library.drafts import DraftChanged, KeyTaken, PartNotFound
from ladders.progress.attainments import AttainmentNotAllowed

if TYPE_CHECKING:
    from ninja import NinjaAPI

log = logging.getLogger("ladders.api")


class ErrorBody(Schema):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["No person with that id, or you may not see them."])
    fields: dict[str, str] = Field(default_factory=dict, examples=[{"body.name": "Field required"}])


class ErrorOut(Schema):
    """Every error answer has this shape."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"error": {"code": "not_found", "message": "No such person.", "fields": {}}}
            ]
        }
    )
    error: ErrorBody


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents: `response={200: XOut, **errors(403, 404)}`."""
    return dict.fromkeys(statuses, ErrorOut)


class ApiError(Exception):
    """An error raised by an API view with its status, code and message."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def not_found(what: str = "object") -> ApiError:
    """404, also for things the caller may not see, so their existence does not leak."""
    return ApiError(404, "not_found", f"No such {what}, or you may not see it.")


def invalid(field: str, message: str) -> ApiError:
    """422 for one field: `invalid("query.team", "No team with that slug.")`."""
    return ApiError(422, "invalid", message, {field: message})


def forbidden(message: str = "You may not do this.") -> ApiError:
    return ApiError(403, "forbidden", message)


# Domain errors by class, most specific first: (status, code).
DOMAIN_ERRORS: list[tuple[type[Exception], int, str]] = [
    (PartNotFound, 404, "not_found"),
    (KeyTaken, 409, "conflict"),
    (DraftChanged, 409, "conflict"),
    (CheckInLocked, 409, "conflict"),
    (CheckInDenied, 403, "forbidden"),
    (AttainmentNotAllowed, 403, "forbidden"),
    (ImportFailed, 422, "import_failed"),
    (FrameworkInvalid, 422, "invalid_framework"),
    (AccountError, 400, "bad_request"),
    (LaddersError, 400, "bad_request"),
]

STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> HttpResponse:
    from django.http import JsonResponse

    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return JsonResponse(body, status=status)


def _loc(loc: Any) -> str:
    if not isinstance(loc, list | tuple):
        return str(loc)
    parts = [str(part) for part in loc]
    if len(parts) >= 3 and parts[0] == "body":
        del parts[1]  # ninja puts the view's parameter name second: body.payload.name
    return ".".join(parts)


def _validation_fields(errors: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        key = _loc(error.get("loc", ())) or "body"
        message = str(error.get("msg") or next(iter(error.values()), "invalid"))
        if "loc" not in error and len(error) == 1:  # ninja's cursor error: {"cursor": "..."}
            key, message = next(iter(error.items()))
            key = f"query.{key}"
        fields.setdefault(key, message)
    return fields


def _framework_fields(exc: FrameworkInvalid) -> dict[str, str]:
    problems = getattr(exc, "problems", None) or []
    fields: dict[str, str] = {}
    for problem in problems:
        key = format_path(problem.path) or "document"
        if problem.line:
            key = f"{key} (line {problem.line}, column {problem.column})"
        fields.setdefault(key, problem.message)
    return fields


def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The API's only exception handler."""
    if isinstance(exc, ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.fields)
    if isinstance(exc, NinjaValidationError):
        fields = _validation_fields(list(exc.errors))
        return error_response(422, "invalid", "Some fields are missing or not valid.", fields)
    if isinstance(exc, AuthenticationError):
        return error_response(
            401,
            "unauthenticated",
            "Sign in, or send a personal access token as 'Authorization: Bearer <token>'.",
        )
    if isinstance(exc, Throttled):
        response = error_response(
            429, "rate_limited", "Too many requests for this token; wait and try again."
        )
        if exc.wait is not None:
            response["Retry-After"] = str(max(1, round(exc.wait)))
        return response
    if isinstance(exc, HttpError):
        code = STATUS_CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc))
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return error_response(404, "not_found", "Not found, or you may not see it.")
    if isinstance(exc, PermissionDenied):
        return error_response(403, "forbidden", str(exc) or "You may not do this.")
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return error_response(413, "too_large", "The request body is too large.")
    if isinstance(exc, DjangoValidationError):
        fields = (
            {k: " ".join(v) for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        return error_response(422, "invalid", " ".join(exc.messages), fields)
    for cls, status, code in DOMAIN_ERRORS:
        if isinstance(exc, cls):
            fields = _framework_fields(exc) if isinstance(exc, FrameworkInvalid) else {}
            return error_response(status, code, str(exc), fields)
    log.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", "Something went wrong on our side; it was logged.")


def install(api: NinjaAPI) -> None:
    # ninja picks the handler of the most specific class, so replace its defaults one by one
    for cls in (Exception, Http404, HttpError, NinjaValidationError, AuthenticationError):
        api.add_exception_handler(cls, lambda request, exc: handle(request, exc))
