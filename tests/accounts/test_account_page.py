"""The account page: who you are here, and the way to change your password."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.org.models import Person, Team

pytestmark = pytest.mark.django_db


def test_member_sees_name_role_team_and_manager(
    persona_client: Callable[[str], Client], people: dict[str, Person | None]
) -> None:
    member = people["member"]
    assert member is not None
    member.team = Team.objects.create(slug="platform", name="Platform")
    member.save()
    html = persona_client("member").get("/account/").content.decode()
    for text in ["Member", "member@example.com", "Platform", "Manager", "Change your password"]:
        assert text in html
    manager = people["manager"]
    assert manager is not None
    assert f'href="/people/{manager.uuid}/"' in html


def test_manager_sees_their_reports(
    persona_client: Callable[[str], Client], people: dict[str, Person | None]
) -> None:
    html = persona_client("manager").get("/account/").content.decode()
    assert "People who report to you" in html and "Member" in html


def test_outsider_is_told_their_sign_in_is_not_linked(
    persona_client: Callable[[str], Client],
) -> None:
    html = persona_client("outsider").get("/account/").content.decode()
    assert "not linked to anyone in the organisation" in html
    assert "outsider" in html and "Change your password" in html


def test_query_count_does_not_grow_with_reports(
    persona_client: Callable[[str], Client], people: dict[str, Person | None]
) -> None:
    manager = people["manager"]
    assert manager is not None
    team = Team.objects.create(slug="t", name="T")

    def add_reports(n: int, start: int) -> None:
        Person.objects.bulk_create(
            Person(name=f"R{i}", email=f"r{i}@example.com", manager=manager, team=team)
            for i in range(start, start + n)
        )

    client = persona_client("manager")
    add_reports(3, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/account/").status_code == 200
    add_reports(9, 3)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/account/")
    assert "R11" in response.content.decode()
    assert len(large) == len(small)
    # session, user, person (for the navigation), the account's person, reports
    assert len(small) <= 5
