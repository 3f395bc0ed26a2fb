"""Invitations end to end: an admin invites, the email carries the link, the person sets a password."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from ladders.accounts.errors import AccountError, InvitationInvalid, InvitationProblem
from ladders.accounts.models import Invitation
from ladders.accounts.selectors import invitation_pending, token_hash
from ladders.accounts.services import invitation_accept, invitation_create
from ladders.audit.models import AuditAction, AuditEvent
from ladders.org.models import Person

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "violet-harbour-lantern-42"


def _path(url: str) -> str:
    return urlsplit(url).path


def _accept(client: Client, path: str, **fields: str) -> Any:
    data = {"username": "nia", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    return client.post(path, data | fields)


def test_invitation_from_person_page_to_signed_in(
    persona_client: Callable[[str], Client],
    newcomer: Person,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.SITE_URL = "https://ladders.example.org"
    admin = persona_client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/people/{newcomer.uuid}/invite/", follow=True)

    # The admin sees the link, in case email is not set up.
    [email] = mail.outbox
    [link] = re.findall(r"https://ladders\.example\.org/invitations/[\w-]+/", email.body)
    assert link in response.content.decode()
    assert email.to == ["nia@example.com"]
    assert "Nia Newcomer" in email.body and "Admin has invited you" in email.body

    # The person opens the link, sees their name and sets a password.
    visitor = Client()
    page = visitor.get(_path(link))
    assert page.status_code == 200 and "Nia Newcomer" in page.content.decode()
    response = _accept(visitor, _path(link))
    assert response.status_code == 302 and response["Location"] == "/"
    assert visitor.get("/account/").context["user"].username == "nia"

    newcomer.refresh_from_db()
    assert newcomer.user is not None and newcomer.user.email == "nia@example.com"

    # They can sign in later with what they chose.
    again = Client()
    signed_in = again.post("/login/", {"username": "nia", "password": GOOD_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"

    # The link works once.
    reused = Client().get(_path(link))
    assert reused.status_code == 410 and "used already" in reused.content.decode()
    reposted = _accept(Client(), _path(link), username="nia2")
    assert reposted.status_code == 410
    assert not get_user_model().objects.filter(username="nia2").exists()


def test_expired_invitation_is_refused(newcomer: Person) -> None:
    _, link = invitation_create(person=newcomer, created_by=None)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(_path(link))
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert _accept(Client(), _path(link)).status_code == 410
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_unknown_token_is_404_with_advice(db: None) -> None:
    response = Client().get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "ask an organisation admin" in response.content.decode()


def test_a_new_invitation_replaces_the_old_one(newcomer: Person) -> None:
    _, old_link = invitation_create(person=newcomer, created_by=None)
    _, new_link = invitation_create(person=newcomer, created_by=None)
    old = Client().get(_path(old_link))
    assert old.status_code == 410 and "newer invitation" in old.content.decode()
    assert Client().get(_path(new_link)).status_code == 200
    assert newcomer.invitations.filter(superseded_at__isnull=True).count() == 1


def test_only_the_hash_of_the_token_is_stored(newcomer: Person) -> None:
    invitation, link = invitation_create(person=newcomer, created_by=None)
    token = _path(link).rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 43  # 32 random bytes
    assert invitation.token_hash == token_hash(token) != token
    assert not Invitation.objects.filter(token_hash__contains=token).exists()


def test_invitation_lasts_fourteen_days_and_is_audited(
    newcomer: Person, people: dict[str, Person | None]
) -> None:
    admin = people["admin"]
    assert admin is not None
    invitation, _ = invitation_create(person=newcomer, created_by=admin.user)
    lifetime = invitation.expires_at - invitation.created_at
    assert timedelta(days=14) - timedelta(seconds=5) < lifetime <= timedelta(days=14)
    event = AuditEvent.objects.get(action=AuditAction.INVITATION)
    assert event.target == str(newcomer.uuid) and event.actor_name == "admin"
    assert invitation_pending(person=newcomer) == invitation


def test_someone_with_an_account_is_not_invited(
    persona_client: Callable[[str], Client], people: dict[str, Person | None]
) -> None:
    member = people["member"]
    assert member is not None
    with pytest.raises(AccountError, match="already has an account"):
        invitation_create(person=member, created_by=None)
    response = persona_client("admin").post(f"/people/{member.uuid}/invite/", follow=True)
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_inactive_person_is_not_invited(newcomer: Person) -> None:
    newcomer.is_active = False
    newcomer.save()
    with pytest.raises(AccountError, match="inactive"):
        invitation_create(person=newcomer, created_by=None)


def test_weak_password_and_mismatch_are_shown_beside_the_fields(newcomer: Person) -> None:
    _, link = invitation_create(person=newcomer, created_by=None)
    weak = _accept(Client(), _path(link), password="12345678", password_again="12345678")
    assert weak.status_code == 200
    assert "password" in weak.context["form"].errors
    assert "This password is entirely numeric." in weak.content.decode()
    differ = _accept(Client(), _path(link), password_again="something-else-entirely")
    assert "password_again" in differ.context["form"].errors
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_taken_username_is_refused_whatever_its_case(
    newcomer: Person, people: dict[str, Person | None]
) -> None:
    _, link = invitation_create(person=newcomer, created_by=None)
    response = _accept(Client(), _path(link), username="MEMBER")
    assert "is taken" in str(response.context["form"].errors["username"])
    with pytest.raises(ValidationError) as caught:
        invitation_accept(token=_path(link).split("/")[-2], username="member", password="x")
    assert set(caught.value.message_dict) == {"username", "password"}  # every problem at once


def test_service_refuses_used_tokens(newcomer: Person) -> None:
    _, link = invitation_create(person=newcomer, created_by=None)
    token = _path(link).split("/")[-2]
    invitation_accept(token=token, username="nia", password=GOOD_PASSWORD)
    with pytest.raises(InvitationInvalid) as caught:
        invitation_accept(token=token, username="nia-again", password=GOOD_PASSWORD)
    assert caught.value.problem == InvitationProblem.USED
    with pytest.raises(InvitationInvalid) as unknown:
        invitation_accept(token="nonsense", username="x", password=GOOD_PASSWORD)
    assert unknown.value.problem == InvitationProblem.UNKNOWN


def test_email_failure_keeps_the_invitation(
    newcomer: Person, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr("ladders.accounts.services.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, link = invitation_create(person=newcomer, created_by=None)
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert Client().get(_path(link)).status_code == 200


def test_without_site_url_the_link_uses_the_address_the_admin_is_on(
    persona_client: Any, people: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    from ladders.org.models import Person

    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["ladders.internal"]
    newcomer = Person.objects.create(name="Newcomer", email="new@example.com")
    client = persona_client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/people/{newcomer.uuid}/invite/", HTTP_HOST="ladders.internal:8040")
    assert "http://ladders.internal:8040/invitations/" in mail.outbox[-1].body
