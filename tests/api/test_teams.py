"""The team endpoints: list, one team with its members, and adding a team."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.org.models import Person, Team


def err(response: Any) -> dict[str, Any]:
    return response.json()["error"]


@pytest.fixture
def platform(people) -> Team:
    team = Team.objects.create(name="Platform", slug="platform")
    Team.objects.create(name="Mobile", slug="mobile")
    Person.objects.filter(name__in=["Manager", "Member"]).update(team=team)
    Person.objects.create(name="Gone", email="gone@example.com", team=team, is_active=False)
    return team


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("editor", 200),
        ("manager", 200),
        ("member", 200),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_list_and_get_persona_matrix(api_client, platform, persona: str, status: int) -> None:
    client = api_client(persona)
    listed = client.get("teams")
    got = client.get("teams/platform")
    assert (listed.status_code, got.status_code) == (status, status)
    if status == 200:
        # by name; the member count leaves out the person who has left
        assert listed.json()["results"] == [
            {"slug": "mobile", "name": "Mobile", "member_count": 0},
            {"slug": "platform", "name": "Platform", "member_count": 2},
        ]
        body = got.json()
        assert body["member_count"] == 2
        assert [m["name"] for m in body["members"]] == ["Manager", "Member"]


def test_get_hides_emails_as_the_people_list_does(api_client, platform) -> None:
    members = api_client("member").get("teams/platform").json()["members"]
    assert {m["name"]: m["email"] for m in members} == {
        "Manager": None,
        "Member": "member@example.com",
    }


def test_get_unknown_and_bad_slug(api_client, platform) -> None:
    client = api_client("member")
    assert client.get("teams/nowhere").status_code == 404
    assert err(client.get("teams/nowhere"))["code"] == "not_found"
    assert client.get("teams/b%20ad").status_code == 422


def test_search(api_client, platform) -> None:
    results = api_client("member").get("teams", search="plat").json()["results"]
    assert [t["slug"] for t in results] == ["platform"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("editor", 403),
        ("manager", 403),
        ("member", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_create_persona_matrix(api_client, people, persona: str, status: int) -> None:
    response = api_client(persona).post("teams", {"name": "  Data   Science "})
    assert response.status_code == status
    if status == 201:
        assert response.json() == {
            "slug": "data-science",
            "name": "Data Science",
            "member_count": 0,
        }
    assert Team.objects.filter(name="Data Science").exists() == (status == 201)


def test_create_errors(api_client, platform) -> None:
    client = api_client("admin")
    taken = client.post("teams", {"name": "PLATFORM"})
    assert taken.status_code == 409
    assert "body.name" in err(taken)["fields"]
    assert client.post("teams", {"name": "   "}).status_code == 400
    assert client.post("teams", {}).status_code == 422
    assert client.post("teams", {"name": "x" * 201}).status_code == 422
    assert api_client("admin", read_only=True).post("teams", {"name": "New"}).status_code == 403
    assert Team.objects.count() == 2


def test_queries_flat(api_client, platform) -> None:
    client = api_client("member")
    client.get("me")

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    small = (count("teams"), count("teams/platform"))
    for i in range(28):
        Person.objects.create(name=f"P{i:02}", email=f"p{i}@example.com", team=platform)
        Team.objects.create(name=f"Team {i:02}", slug=f"team-{i:02}")
    large = (count("teams"), count("teams/platform"))
    assert small == large
    assert large[0] <= 6 and large[1] <= 10
    assert api_client("member").get("teams/platform").json()["member_count"] == 30
