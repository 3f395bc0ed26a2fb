"""Who may open each accounts page and use each action: one row per URL, one column per persona."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ladders.accounts.services import invitation_create
from ladders.org.models import Person
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

EVERYONE_SIGNED_IN = dict.fromkeys(PERSONAS, 200)

# Pages behind sign-in: anonymous visitors are sent to /login/.
PRIVATE_PAGES = {
    "/account/": EVERYONE_SIGNED_IN,
    "/password_change/": EVERYONE_SIGNED_IN,
    "/password_change/done/": EVERYONE_SIGNED_IN,
}

# Pages anyone may open, signed in or not.
PUBLIC_PAGES = [
    "/login/",
    "/password_reset/",
    "/password_reset/done/",
    "/reset/done/",
    "/reset/MQ/not-a-token/",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", list(PRIVATE_PAGES))
def test_private_page_permissions(
    url: str, persona: str, persona_client: Callable[[str], Client]
) -> None:
    assert persona_client(persona).get(url).status_code == PRIVATE_PAGES[url][persona]


@pytest.mark.parametrize("url", list(PRIVATE_PAGES))
def test_anonymous_visitors_are_sent_to_sign_in(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_without_signing_in(url: str) -> None:
    assert Client().get(url).status_code == 200


def test_invitation_page_is_public_and_open_to_every_persona(
    newcomer: Person, persona_client: Callable[[str], Client], people: dict[str, Person | None]
) -> None:
    _, link = invitation_create(person=newcomer, created_by=None)
    path = urlsplit(link).path
    assert Client().get(path).status_code == 200
    for persona in PERSONAS:
        assert persona_client(persona).get(path).status_code == 200


INVITE = {"admin": 302, "editor": 403, "manager": 403, "member": 403, "outsider": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_admins_may_invite(
    persona: str, persona_client: Callable[[str], Client], newcomer: Person
) -> None:
    response = persona_client(persona).post(f"/people/{newcomer.uuid}/invite/")
    assert response.status_code == INVITE[persona]
    if persona == "admin":
        assert response["Location"] == f"/people/{newcomer.uuid}/"
        assert newcomer.invitations.count() == 1
    else:
        assert newcomer.invitations.count() == 0


def test_anonymous_invite_is_sent_to_sign_in(newcomer: Person) -> None:
    response = Client().post(f"/people/{newcomer.uuid}/invite/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert newcomer.invitations.count() == 0


def test_inviting_needs_a_post(persona_client: Callable[[str], Client], newcomer: Person) -> None:
    assert persona_client("admin").get(f"/people/{newcomer.uuid}/invite/").status_code == 405
    assert persona_client("member").get(f"/people/{newcomer.uuid}/invite/").status_code == 403


def test_inviting_an_unknown_person_is_404(persona_client: Callable[[str], Client]) -> None:
    url = "/people/00000000-0000-0000-0000-000000000000/invite/"
    assert persona_client("admin").post(url).status_code == 404
