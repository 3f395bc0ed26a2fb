"""Edges of sessions: HTMX after signing out, forms with a stale security token, navigation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_htmx_request_without_a_session_is_sent_to_sign_in_as_a_whole_page() -> None:
    response = Client().post(
        "/frameworks/ladders-starter/edit/about/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/frameworks/ladders-starter/edit/?x=1",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/?next=/frameworks/ladders-starter/edit/%3Fx%3D1"


def test_plain_request_without_a_session_is_redirected() -> None:
    response = Client().get("/people/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/people/"


def test_a_stale_form_gets_a_friendly_page(people: object) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "member", "password": "pw"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Please try again" in page and "Nothing was changed" in page
    assert "DEBUG" not in page


@pytest.mark.parametrize(
    ("persona", "shown"), [("editor", True), ("admin", True), ("member", False)]
)
def test_install_and_drafts_in_the_navigation_for_editors(
    persona: str, shown: bool, persona_client: Callable[[str], Client]
) -> None:
    page = persona_client(persona).get("/").content.decode()
    assert ('href="/frameworks/install/">Install</a>' in page) is shown
    assert ('href="/frameworks/drafts/">Drafts</a>' in page) is shown
