"""The caller's own account and personal access tokens."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ladders.api.errors import errors, forbidden
from ladders.api.pagination import Cursor
from ladders.api.schemas import Text, example

from . import tokens
from .models import ApiToken
from .permissions import has_reports, is_admin, is_editor, person_for

router = Router(tags=["account"])


class MeOut(Schema):
    model_config = example(
        username="aiko",
        person="0b5e4a52-3c1f-4c0e-9a55-1d2a7b9f6e10",
        name="Aiko Brennan",
        role="member",
        is_admin=False,
        is_editor=False,
        is_manager=False,
        token="lad_3f9a2c1b",
        read_only=False,
    )
    username: str
    person: UUID | None = Field(description="Your person record; null for an outsider.")
    name: str
    role: str | None
    is_admin: bool
    is_editor: bool
    is_manager: bool = Field(description="Whether anyone reports to you.")
    token: str | None = Field(description="The prefix of the token in use, if any.")
    read_only: bool


class TokenIn(Schema):
    model_config = example(name="compensation sync", read_only=True, expires_in_days=90)
    name: Text = Field(min_length=1, max_length=100)
    read_only: bool = False
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(Schema):
    model_config = example(
        prefix="lad_3f9a2c1b",
        name="compensation sync",
        read_only=True,
        created_at="2026-11-22T09:00:00Z",
        expires_at="2027-02-20T09:00:00Z",
        last_used_at=None,
        revoked_at=None,
    )
    prefix: str
    name: str
    read_only: bool
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    model_config = example(
        prefix="lad_3f9a2c1b",
        name="compensation sync",
        read_only=True,
        created_at="2026-11-22T09:00:00Z",
        expires_at=None,
        last_used_at=None,
        revoked_at=None,
        secret="lad_3f9a2c1b_9bX2...",
    )
    secret: str = Field(description="The whole token. Shown this once; keep it safe.")


@router.get("/me", response={200: MeOut}, summary="Who am I")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    person = person_for(user)
    token = getattr(request, "api_token", None)
    return MeOut(
        username=user.get_username(),
        person=person.uuid if person else None,
        name=person.name if person else user.get_username(),
        role=person.role if person else None,
        is_admin=is_admin(user),
        is_editor=is_editor(user),
        is_manager=has_reports(user),
        token=token.prefix if token else None,
        read_only=bool(token and token.read_only),
    )


@router.get("/tokens", response={200: list[TokenOut]}, summary="List your tokens")
@paginate(Cursor, ordering=("-created_at", "-id"))
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    return tokens.token_list(user=request.user)  # type: ignore[arg-type]


@router.post("/tokens", response={201: NewTokenOut, **errors(400)}, summary="Create a token")
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    if getattr(request, "api_token", None) is not None:
        # a token must not mint tokens: one leaked short-lived token would become a lasting one
        raise forbidden(
            "Tokens are made signed in (the account page or this API with your session) or "
            "with `ladders token create`, not with another token."
        )
    made = tokens.token_create(
        user=request.user,  # type: ignore[arg-type]
        name=payload.name,
        read_only=payload.read_only,
        expires_in_days=payload.expires_in_days,
    )
    out = TokenOut.model_validate(made.token, from_attributes=True)
    return Status(201, NewTokenOut(**out.model_dump(), secret=made.secret))


@router.delete(
    "/tokens/{prefix}", response={200: TokenOut, **errors(404)}, summary="Revoke a token"
)
def token_revoke(request: HttpRequest, prefix: str) -> TokenOut:
    from ladders.api.errors import not_found

    from .errors import AccountError

    try:
        token = tokens.token_revoke(user=request.user, prefix=prefix)  # type: ignore[arg-type]
    except AccountError:
        raise not_found("token") from None
    return TokenOut.model_validate(token, from_attributes=True)
