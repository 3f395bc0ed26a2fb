"""`ladders manage createadmin`: the first organisation admin of an installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from ladders.accounts.services import admin_create
from ladders.audit.models import AuditAction, AuditEvent
from ladders.org.models import Person, Role

pytestmark = pytest.mark.django_db

PASSWORD = "granite-orchard-beacon-19"


def _run(*args: str, **kwargs: Any) -> str:
    from io import StringIO

    out = StringIO()
    call_command("createadmin", *args, stdout=out, **kwargs)
    return out.getvalue()


def test_creates_an_admin_who_can_sign_in(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n")
    out = _run("--username", "ada", "--email", "ada@example.com", "--name", "Ada Lovelace",
               "--password-file", str(secret))  # fmt: skip
    assert "Ada Lovelace <ada@example.com> is an organisation admin" in out

    person = Person.objects.get(email="ada@example.com")
    assert person.role == Role.ADMIN and person.name == "Ada Lovelace"
    assert person.user is not None and person.user.is_staff and person.user.is_superuser
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGE)
    assert event.target == str(person.uuid) and event.data["role"] == "admin"

    client = Client()
    response = client.post("/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert "Organisation admin" in client.get("/account/").content.decode()


def test_password_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("LADDERS_ADMIN_PASSWORD", PASSWORD)
    _run("--username", "ada", "--email", "ada@example.com")
    user = get_user_model().objects.get(username="ada")
    assert user.check_password(PASSWORD) and user.person.name == "ada"


def test_existing_username_is_refused_and_nothing_changes(monkeypatch: Any) -> None:
    monkeypatch.setenv("LADDERS_ADMIN_PASSWORD", PASSWORD)
    _run("--username", "ada", "--email", "ada@example.com")
    with pytest.raises(CommandError, match="username") as caught:
        _run("--username", "Ada", "--email", "other@example.com")
    assert caught.value.returncode == 2
    assert get_user_model().objects.count() == 1 and Person.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_weak_password_is_refused(monkeypatch: Any) -> None:
    monkeypatch.setenv("LADDERS_ADMIN_PASSWORD", "password")
    with pytest.raises(CommandError, match="password: This password is too common"):
        _run("--username", "ada", "--email", "ada@example.com")
    assert not get_user_model().objects.exists() and not Person.objects.exists()


def test_no_password_source_is_a_clear_error(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.delenv("LADDERS_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password-file"):
        _run("--username", "ada", "--email", "ada@example.com")
    with pytest.raises(CommandError, match="cannot read"):
        _run("--username", "ada", "--email", "ada@example.com",
             "--password-file", str(tmp_path / "missing"))  # fmt: skip


def test_prompts_when_interactive(monkeypatch: Any) -> None:
    monkeypatch.delenv("LADDERS_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _run("--username", "ada", "--email", "ada@example.com")
    assert get_user_model().objects.get(username="ada").check_password(PASSWORD)


def test_a_person_without_an_account_is_linked_not_copied(db: None) -> None:
    existing = Person.objects.create(name="Ada L.", email="Ada@Example.com")
    person = admin_create(
        username="ada", email="ada@example.com", name="Ignored", password=PASSWORD
    )
    assert person.pk == existing.pk and person.role == Role.ADMIN
    assert AuditEvent.objects.get().data["previous_role"] == "member"
    with pytest.raises(ValidationError) as caught:
        admin_create(username="ada2", email="ADA@example.com", name="Ada", password=PASSWORD)
    assert "has an account" in caught.value.message_dict["email"][0]
