"""Who is calling: a personal access token (`Authorization: Bearer lad_...`) or the browser's
session (with CSRF on writes, checked by ninja's SessionAuth). Either way `request.user` is the
caller, so the permission helpers the pages use work unchanged."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from ladders.accounts.models import ApiToken
from ladders.accounts.tokens import token_authenticate

from .errors import ApiError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    openapi_description = (
        "A personal access token from your account page or `ladders token create`."
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is None:
            return None
        if found.read_only and request.method not in SAFE_METHODS:
            raise ApiError(403, "read_only_token", "This token is read-only; it may only read.")
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found


class BrowserSession(SessionAuth):
    openapi_description = "The session cookie of a signed-in browser; writes need the CSRF token."

    def _get_key(self, request: HttpRequest) -> str | None:
        # A bad token must not fall back to a cookie sent alongside it; and without a session
        # cookie there is nothing to check CSRF for: both answer 401, never a CSRF page.
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        return super().authenticate(request, key)
