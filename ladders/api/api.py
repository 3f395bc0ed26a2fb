"""The REST API, version 1, at /api/v1/: one NinjaAPI, one router per app, one error shape.

Authentication is a personal access token or the browser session; authorization is asked of
`ladders.accounts.permissions` exactly as the pages ask it. Lists use cursor pagination.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from ladders.accounts.api import router as account_router
from ladders.audit.api import router as audit_router
from ladders.checkins.api import router as checkins_router
from ladders.library.api import router as library_router
from ladders.org.api import router as org_router
from ladders.progress.api import router as progress_router
from ladders.reports.api import router as reports_router

from . import errors
from .auth import BrowserSession, TokenAuth
from .throttle import CallerRateThrottle

DESCRIPTION = """\
Everything the pages do, for scripts and other systems: frameworks, people, teams, positions,
observations, feedback requests, check-ins, certified milestones, readiness and reports.

Send a personal access token (create one on your account page or with `ladders token create`)
as `Authorization: Bearer <token>`. Errors always read
`{"error": {"code": ..., "message": ..., "fields": {...}}}`. Lists are paged with an opaque
`cursor`; follow `next` until it is null. See docs/api.md for a walk-through.
"""

# Answers every authenticated operation may give, documented once for all of them.
COMMON_ERRORS = {
    "401": "No valid token or session.",
    "413": "The request body is over the limit.",
    "429": "Too many requests for this token; see Retry-After.",
}


class LaddersAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, text in COMMON_ERRORS.items():
                    responses.setdefault(
                        status,
                        {"description": text, "content": {"application/json": {"schema": ref}}},
                    )
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "ErrorOut",
            errors.ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"),
        )
        return schema


api = LaddersAPI(
    title="Ladders API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[TokenAuth(), BrowserSession()],
    throttle=[CallerRateThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

api.add_router("", account_router)
api.add_router("", library_router)
api.add_router("", org_router)
api.add_router("", progress_router)
api.add_router("", checkins_router)
api.add_router("", reports_router)
api.add_router("", audit_router)


def unknown_path(request: Any, rest: str = "") -> Any:
    """Anything under /api/ that no operation answers: a 404 in the API's shape, not a page."""
    return errors.error_response(
        404, "not_found", f"No API operation at {request.path}; see /api/v1/docs."
    )
