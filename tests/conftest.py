"""Personas shared by every test: admin, editor, manager, member and outsider.

- admin: an organisation admin (a person with the admin role; not a Django superuser)
- editor: a framework editor
- manager: a member with a report (the member)
- member: a member who reports to the manager
- outsider: a signed-in account with no person in the organisation
Anonymous visitors are tested separately: every page but sign-in sends them to sign in.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ladders.org.models import Person, Role

PERSONAS = ["admin", "editor", "manager", "member", "outsider"]


@pytest.fixture
def people(db: None) -> dict[str, Person | None]:
    """One person per persona (the outsider has an account but no person)."""
    users = get_user_model().objects
    made: dict[str, Person | None] = {}
    roles = {"admin": Role.ADMIN, "editor": Role.EDITOR}
    for name in ["admin", "editor", "manager", "member"]:
        user = users.create_user(name, f"{name}@example.com", "pw")
        made[name] = Person.objects.create(
            name=name.title(),
            email=f"{name}@example.com",
            user=user,
            role=roles.get(name, Role.MEMBER),
        )
    member, manager = made["member"], made["manager"]
    assert member is not None and manager is not None
    member.manager = manager
    member.save()
    users.create_user("outsider", "outsider@example.com", "pw")
    made["outsider"] = None
    return made


@pytest.fixture
def persona_client(people: dict[str, Person | None]) -> Callable[[str], Client]:
    def make(persona: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(username=persona))
        return client

    return make


class ApiClient:
    """Calls /api/v1/ with a persona's personal access token (or none, for `anonymous`)."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def _url(self, path: str) -> str:
        return path if path.startswith("/api/") else "/api/v1/" + path.lstrip("/")

    def get(self, path: str, **params: object):  # type: ignore[no-untyped-def]
        return self.client.get(self._url(path), params, headers=self.headers)

    def _send(self, method: str, path: str, body: object = None):  # type: ignore[no-untyped-def]
        import json

        data = json.dumps(body) if body is not None else ""
        send = getattr(self.client, method)
        return send(self._url(path), data, content_type="application/json", headers=self.headers)

    def post(self, path: str, body: object = None):  # type: ignore[no-untyped-def]
        return self._send("post", path, body)

    def put(self, path: str, body: object = None):  # type: ignore[no-untyped-def]
        return self._send("put", path, body)

    def patch(self, path: str, body: object = None):  # type: ignore[no-untyped-def]
        return self._send("patch", path, body)

    def delete(self, path: str, body: object = None):  # type: ignore[no-untyped-def]
        return self._send("delete", path, body)


@pytest.fixture
def api_client(people: dict[str, Person | None]) -> Callable[..., ApiClient]:
    """`api_client("manager")` calls the API with a fresh token of that persona;
    `api_client("anonymous")` sends none; `read_only=True` makes a read-only token."""
    from ladders.accounts.tokens import token_create

    def make(persona: str, read_only: bool = False) -> ApiClient:
        if persona == "anonymous":
            return ApiClient(None)
        user = get_user_model().objects.get(username=persona)
        return ApiClient(token_create(user=user, name="tests", read_only=read_only).secret)

    return make
