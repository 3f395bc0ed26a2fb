"""Signing in and out, the lockout after repeated wrong passwords, password change and reset."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from ladders.org.models import Person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "copper-meadow-falcon-77"


def _sign_in(client: Client, password: str, username: str = "member") -> Any:
    return client.post("/login/", {"username": username, "password": password})


def test_sign_in_and_out(people: dict[str, Person | None]) -> None:
    client = Client()
    page = client.get("/login/").content.decode()
    assert "Forgot your password?" in page and 'action="/login/"' in page
    response = _sign_in(client, "pw")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/account/").status_code == 200
    out = client.post("/logout/")
    assert out.status_code == 302 and out["Location"] == "/login/"
    assert client.get("/account/").status_code == 302


def test_sign_in_returns_to_the_page_asked_for(people: dict[str, Person | None]) -> None:
    client = Client()
    response = client.post(
        "/login/?next=/account/", {"username": "member", "password": "pw", "next": "/account/"}
    )
    assert response["Location"] == "/account/"


def test_wrong_password_is_shown_on_the_form(people: dict[str, Person | None]) -> None:
    response = _sign_in(Client(), "nope")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert response.context["form"].non_field_errors()


def test_repeated_wrong_passwords_lock_sign_in(people: dict[str, Person | None]) -> None:
    client = Client()
    for _ in range(4):
        response = _sign_in(client, "wrong")
        assert response.status_code == 200 and "Too many" not in response.content.decode()
    _sign_in(client, "wrong")  # the fifth failure reaches the limit
    sixth = _sign_in(client, "wrong")
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert "Too many sign-in attempts" in page and "15 minutes" in page

    # Even the right password is refused now, from any client at the same address.
    refused = _sign_in(Client(), "pw")
    assert refused.status_code == 429
    assert Client().get("/account/").status_code == 302

    # Another account from the same address is not affected.
    assert _sign_in(Client(), "pw", username="manager").status_code == 302

    # An admin lifting the lockout (`ladders manage axes_reset_username member`) lets them in.
    axes_reset(username="member")
    assert _sign_in(Client(), "pw").status_code == 302


def test_password_reset_email_links_back_to_this_site(people: dict[str, Person | None]) -> None:
    client = Client()
    page = client.get("/password_reset/")
    assert page.status_code == 200 and "Email me a link" in page.content.decode()
    response = client.post("/password_reset/", {"email": "member@example.com"})
    assert response.status_code == 302 and response["Location"] == "/password_reset/done/"
    [email] = mail.outbox
    assert email.to == ["member@example.com"]
    assert email.subject == "Choose a new Ladders password"
    [link] = re.findall(r"http://testserver/reset/[\w-]+/[\w-]+/", email.body)
    assert '"member"' in email.body

    secure = Client().post("/password_reset/", {"email": "member@example.com"}, secure=True)
    assert secure.status_code == 302
    assert "https://testserver/reset/" in mail.outbox[1].body

    # Following the link lets them choose a new password and sign in with it.
    form = client.get(urlsplit(link).path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == "/reset/done/"
    assert _sign_in(Client(), NEW_PASSWORD).status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(db: None) -> None:
    response = Client().post("/password_reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == "/password_reset/done/"
    assert mail.outbox == []


def test_resetting_the_password_lifts_the_lockout(people: dict[str, Person | None]) -> None:
    for _ in range(6):
        _sign_in(Client(), "wrong")
    assert _sign_in(Client(), "pw").status_code == 429

    client = Client()
    client.post("/password_reset/", {"email": "member@example.com"})
    [link] = re.findall(r"http://testserver(/reset/[\w-]+/[\w-]+/)", mail.outbox[0].body)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert _sign_in(Client(), NEW_PASSWORD).status_code == 302


def test_a_used_reset_link_says_so(people: dict[str, Person | None]) -> None:
    response = Client().get("/reset/MQ/set-password/")
    assert response.status_code == 200
    assert "This reset link does not work" in response.content.decode()


def test_password_change(persona_client: Callable[[str], Client]) -> None:
    client = persona_client("member")
    weak = client.post(
        "/password_change/",
        {"old_password": "pw", "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200 and "new_password2" in weak.context["form"].errors
    response = client.post(
        "/password_change/",
        {"old_password": "pw", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/password_change/done/"
    assert "Password changed" in client.get("/password_change/done/").content.decode()
    assert get_user_model().objects.get(username="member").check_password(NEW_PASSWORD)
