"""Personal access tokens for the API: create (the secret is returned once), revoke, list,
and authenticate a presented secret.

A token reads `lad_<8 hex>_<43 url-safe chars>`: the first part is the visible prefix kept in
clear, the whole is hashed with SHA-256 (the secret has 256 bits of entropy, so a slow hash adds
nothing). Lookup is by hash, so a wrong token costs one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .errors import AccountError
from .models import ApiToken

PREFIX = "lad_"
MAX_TOKENS_PER_USER = 50
LAST_USED_GRANULARITY = timedelta(minutes=1)  # write last_used_at at most once a minute


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once; never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *,
    user: AbstractBaseUser,
    name: str,
    read_only: bool = False,
    expires_in_days: int | None = None,
) -> NewToken:
    name = name.strip()
    if not name:
        raise AccountError("Give the token a name that says what it is for.")
    if len(name) > 100:
        raise AccountError("A token name is at most 100 characters.")
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise AccountError("Expiry is between 1 and 3650 days, or none.")
    with transaction.atomic():
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_TOKENS_PER_USER:
            raise AccountError(
                f"You already have {active} tokens; revoke one you no longer use first."
            )
        visible = PREFIX + secrets.token_hex(4)
        secret = f"{visible}_{secrets.token_urlsafe(32)}"
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=visible,
            token_hash=_hash(secret),
            read_only=read_only,
            expires_at=expires_at,
        )
    return NewToken(token=token, secret=secret)


def token_revoke(*, user: AbstractBaseUser, prefix: str) -> ApiToken:
    """Revoke one of the user's own tokens (revoking twice is harmless)."""
    token = None if "\x00" in prefix else ApiToken.objects.filter(user=user, prefix=prefix).first()
    if token is None:
        raise AccountError(f"You have no token {prefix!r}.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_list(*, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_authenticate(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token for a presented secret, or None. Marks it used (coarsely)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.filter(token_hash=_hash(secret), user__is_active=True)
        .select_related("user")
        .first()
    )
    now = now or timezone.now()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
