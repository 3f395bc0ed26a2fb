"""Personal access tokens: the service, the account page and `ladders token`."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ladders.accounts import tokens
from ladders.accounts.errors import AccountError
from ladders.accounts.models import ApiToken
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def _user(name: str = "member"):  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username=name)


def test_only_the_hash_and_a_visible_prefix_are_stored(people) -> None:
    made = tokens.token_create(user=_user(), name="ci")
    row = ApiToken.objects.get()
    assert made.secret.startswith(row.prefix + "_")
    assert row.prefix.startswith("lad_") and len(row.prefix) == 12
    assert row.token_hash == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in str(ApiToken.objects.values().get())


def test_authenticate_accepts_the_secret_and_refuses_others(people) -> None:
    made = tokens.token_create(user=_user(), name="ci")
    assert tokens.token_authenticate(made.secret) == made.token
    assert tokens.token_authenticate(made.secret + "x") is None
    assert tokens.token_authenticate("not-a-token") is None
    assert tokens.token_authenticate(made.token.prefix) is None


def test_expired_revoked_and_inactive_user_tokens_do_not_authenticate(people) -> None:
    made = tokens.token_create(user=_user(), name="ci", expires_in_days=1)
    later = timezone.now() + timedelta(days=2)
    assert tokens.token_authenticate(made.secret, now=later) is None
    other = tokens.token_create(user=_user(), name="other")
    tokens.token_revoke(user=_user(), prefix=other.token.prefix)
    assert tokens.token_authenticate(other.secret) is None
    third = tokens.token_create(user=_user(), name="third")
    _user().__class__.objects.filter(username="member").update(is_active=False)
    assert tokens.token_authenticate(third.secret) is None


def test_last_used_is_recorded_once_a_minute(people, django_assert_num_queries) -> None:
    made = tokens.token_create(user=_user(), name="ci")
    now = timezone.now()
    with django_assert_num_queries(2):  # lookup + mark used
        tokens.token_authenticate(made.secret, now=now)
    with django_assert_num_queries(1):  # lookup only
        tokens.token_authenticate(made.secret, now=now + timedelta(seconds=30))


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [("  ", None, "name"), ("x" * 101, None, "100"), ("ok", 0, "3650"), ("ok", 4000, "3650")],
)
def test_create_refuses_bad_input(people, name: str, days: int | None, message: str) -> None:
    with pytest.raises(AccountError, match=message):
        tokens.token_create(user=_user(), name=name, expires_in_days=days)


def test_revoke_only_your_own(people) -> None:
    made = tokens.token_create(user=_user("manager"), name="mine")
    with pytest.raises(AccountError):
        tokens.token_revoke(user=_user("member"), prefix=made.token.prefix)
    assert tokens.token_authenticate(made.secret) is not None


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_persona_manages_their_own_tokens(persona_client, persona: str) -> None:
    client = persona_client(persona)
    assert client.get("/account/tokens/").status_code == 200
    response = client.post(
        "/account/tokens/", {"name": "sync", "read_only": "on", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user__username=persona)
    assert token.read_only and token.expires_at is not None
    body = response.content.decode()
    assert "only time it is shown" in body
    assert response["Cache-Control"] == "no-store"
    # the secret is on the answer page and nowhere afterwards
    secret = body.split('spellcheck="false">')[1].split("</textarea>")[0]
    assert tokens.token_authenticate(secret) == token
    assert secret not in client.get("/account/tokens/").content.decode()


def test_page_lists_only_your_tokens_and_revokes(persona_client, people) -> None:
    theirs = tokens.token_create(user=_user("manager"), name="manager's")
    mine = tokens.token_create(user=_user("member"), name="member's")
    client = persona_client("member")
    body = client.get("/account/tokens/").content.decode()
    assert mine.token.prefix in body and theirs.token.prefix not in body
    # someone else's prefix: refused, nothing revoked
    client.post(f"/account/tokens/{theirs.token.prefix}/revoke/", follow=True)
    assert tokens.token_authenticate(theirs.secret) is not None
    response = client.post(f"/account/tokens/{mine.token.prefix}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    assert tokens.token_authenticate(mine.secret) is None


def test_page_shows_what_was_wrong(persona_client) -> None:
    response = persona_client("member").post("/account/tokens/", {"name": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, db) -> None:
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_account_page_links_to_tokens(persona_client) -> None:
    assert "/account/tokens/" in persona_client("member").get("/account/").content.decode()


# --- the command ----------------------------------------------------------------------------------


def test_command_creates_lists_and_revokes(people) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "token",
        "create",
        "--user",
        "admin",
        "--name",
        "fuzz",
        "--read-only",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    token = tokens.token_authenticate(secret)
    assert token is not None and token.read_only and token.user.username == "admin"
    assert "shown once" in err.getvalue()
    out = StringIO()
    call_command("token", "list", "--user", "admin", stdout=out)
    assert f"{token.prefix}\tfuzz\tread-only\tactive" in out.getvalue()
    call_command("token", "revoke", "--user", "admin", token.prefix, stdout=StringIO())
    assert tokens.token_authenticate(secret) is None


def test_command_says_what_was_wrong(people) -> None:
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("token", "create", "--user", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="3650"):
        call_command("token", "create", "--user", "admin", "--name", "x", "--expires-in-days", "0")


def test_only_admins_are_told_about_the_server_command(persona_client) -> None:
    assert (
        "ladders token create" in persona_client("admin").get("/account/tokens/").content.decode()
    )
    assert (
        "ladders token create"
        not in persona_client("member").get("/account/tokens/").content.decode()
    )
