"""Personas shared by every test that needs people: admin, editor, manager, member, outsider.

Roles beyond Django's staff flag arrive with the organisation; until then editor, manager and
member are signed-in users without staff rights, and the outsider is not signed in.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

PERSONAS = ["admin", "editor", "manager", "member", "outsider"]


@pytest.fixture
def persona_client(db: None) -> object:
    def make(persona: str) -> Client:
        client = Client()
        if persona == "outsider":
            return client
        users = get_user_model().objects
        user: AbstractBaseUser
        if persona == "admin":
            user = users.create_superuser(persona, f"{persona}@example.com", "pw")
        else:
            user = users.create_user(persona, f"{persona}@example.com", "pw")
        client.force_login(user)
        return client

    return make
