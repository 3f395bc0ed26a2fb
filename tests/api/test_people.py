"""The people endpoints: who may list, see and change people, what each sees, and the errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.audit.models import AuditEvent
from ladders.org.models import Person, Role, Team

PERSONAS = ["admin", "editor", "manager", "member", "outsider"]


def err(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]


def make_people(
    n: int, team: Team | None = None, manager: Person | None = None, start: int = 0
) -> None:
    for i in range(start, start + n):
        Person.objects.create(
            name=f"Zed {i:03}", email=f"zed{i}@example.com", team=team, manager=manager
        )


# --- list ------------------------------------------------------------------------------------


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
def test_list_persona_matrix(api_client, persona: str, status: int) -> None:
    response = api_client(persona).get("people")
    assert response.status_code == status
    if status == 200:
        # the four persona people, by name
        assert [p["name"] for p in response.json()["results"]] == [
            "Admin",
            "Editor",
            "Manager",
            "Member",
        ]
    else:
        assert err(response)["code"] in {"forbidden", "unauthenticated"}


def test_list_shows_emails_only_to_self_chain_and_admins(api_client) -> None:
    def emails(persona: str) -> dict[str, str | None]:
        results = api_client(persona).get("people").json()["results"]
        return {p["name"]: p["email"] for p in results}

    assert emails("admin") == {
        "Admin": "admin@example.com",
        "Editor": "editor@example.com",
        "Manager": "manager@example.com",
        "Member": "member@example.com",
    }
    # the manager sees their own and their report's; the member only their own
    assert emails("manager") == {
        "Admin": None,
        "Editor": None,
        "Manager": "manager@example.com",
        "Member": "member@example.com",
    }
    assert emails("member") == {
        "Admin": None,
        "Editor": None,
        "Manager": None,
        "Member": "member@example.com",
    }


def test_list_filters(api_client, people) -> None:
    team = Team.objects.create(name="Platform", slug="platform")
    Person.objects.filter(name__in=["Editor", "Member"]).update(team=team)
    Person.objects.create(name="Gone", email="gone@example.com", is_active=False)
    client = api_client("admin")

    def names(**params: Any) -> list[str]:
        response = client.get("people", **params)
        assert response.status_code == 200, response.json()
        return [p["name"] for p in response.json()["results"]]

    assert names(team="platform") == ["Editor", "Member"]
    assert names(team="nowhere") == []
    assert names(manager=str(people["manager"].uuid)) == ["Member"]
    assert names(role="editor") == ["Editor"]
    assert names(active="false") == ["Gone"]
    assert names(search="MEM") == ["Member"]
    assert names(search="editor@example") == ["Editor"]


def test_search_by_email_does_not_reveal_hidden_emails(api_client) -> None:
    Person.objects.create(name="Quiet", email="secret-word@example.com")
    # the admin may see the address, so finds it; a member may not, so does not
    assert [
        p["name"] for p in api_client("admin").get("people", search="secret-word").json()["results"]
    ] == ["Quiet"]
    assert api_client("member").get("people", search="secret-word").json()["results"] == []


def test_list_bad_filters_are_422(api_client) -> None:
    client = api_client("admin")
    response = client.get("people", role="boss")
    assert response.status_code == 422
    assert "query.role" in err(response)["fields"]
    assert client.get("people", manager="not-a-uuid").status_code == 422
    assert client.get("people", search="a\x00b").status_code == 422
    assert client.get("people", cursor="%%%").status_code == 422


def test_list_pages_with_a_cursor(api_client, people) -> None:
    make_people(5)
    client = api_client("member")
    first = client.get("people", page_size=4).json()
    assert [p["name"] for p in first["results"]] == ["Admin", "Editor", "Manager", "Member"]
    second = client.get(local(first["next"])).json()
    assert [p["name"] for p in second["results"]] == [f"Zed {i:03}" for i in range(4)]
    third = client.get(local(second["next"])).json()
    assert [p["name"] for p in third["results"]] == ["Zed 004"]
    assert third["next"] is None


def local(url: str) -> str:
    """The path and query of a `next` link, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _count(client, path: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_flat(api_client, people) -> None:
    """3 people or 30 (all with a current position): the same number of queries."""
    from datetime import date

    from ladders.frameworks.starter import load_starter
    from ladders.library.services import framework_publish
    from tests.org.conftest import make_position

    framework = framework_publish(document=load_starter().framework).framework
    client = api_client("manager")
    make_people(3, manager=people["manager"])
    for p in Person.objects.all():
        make_position(p, framework, "engineer", "IC2", date(2025, 1, 1))
    client.get("me")  # the token's first use is recorded once; count the calls after it
    small = _count(client, "people", page_size=200)
    make_people(27, manager=people["manager"], start=3)
    for p in Person.objects.filter(positions__isnull=True):
        make_position(p, framework, "engineer", "IC2", date(2025, 1, 1))
    large = _count(client, "people", page_size=200)
    assert small == large <= 10
    results = client.get("people", page_size=200).json()["results"]
    assert len(results) == 34
    assert results[0]["position"]["level"] == "IC2"


# --- one person ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "email"),
    [
        ("admin", 200, "member@example.com"),
        ("editor", 200, None),
        ("manager", 200, "member@example.com"),
        ("member", 200, "member@example.com"),
        ("outsider", 403, None),
        ("anonymous", 401, None),
    ],
)
def test_get_persona_matrix(api_client, people, persona: str, status: int, email) -> None:
    response = api_client(persona).get(f"people/{people['member'].uuid}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["email"] == email
        assert body["manager"] == {"uuid": str(people["manager"].uuid), "name": "Manager"}
        assert body["chain"] == [{"uuid": str(people["manager"].uuid), "name": "Manager"}]


def test_get_shows_reports_tree(api_client, people) -> None:
    below = Person.objects.create(name="Under", email="under@example.com", manager=people["member"])
    body = api_client("member").get(f"people/{people['manager'].uuid}").json()
    assert [(r["name"], r["depth"], r["manager"]) for r in body["reports"]] == [
        ("Member", 1, str(people["manager"].uuid)),
        ("Under", 2, str(people["member"].uuid)),
    ]
    assert below.uuid


def test_get_unknown_is_404_and_bad_uuid_422(api_client) -> None:
    client = api_client("member")
    response = client.get("people/0b5e4a52-3c1f-4c0e-9a55-1d2a7b9f6e10")
    assert response.status_code == 404
    assert err(response)["code"] == "not_found"
    assert client.get("people/nope").status_code == 422


# --- create ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
def test_create_persona_matrix(api_client, persona: str) -> None:
    response = api_client(persona).post("people", {"name": "Aiko", "email": "aiko@example.com"})
    expected = {"admin": 201, "anonymous": 401}.get(persona, 403)
    assert response.status_code == expected
    assert Person.objects.filter(email="aiko@example.com").exists() == (expected == 201)


def test_create_with_team_manager_and_role(api_client, people) -> None:
    Team.objects.create(name="Platform", slug="platform")
    response = api_client("admin").post(
        "people",
        {
            "name": "  Aiko   Brennan ",
            "email": "Aiko@Example.com",
            "team": "platform",
            "manager": str(people["manager"].uuid),
            "role": "editor",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Aiko Brennan"
    assert body["email"] == "aiko@example.com"
    assert body["team"] == {"slug": "platform", "name": "Platform"}
    assert body["role"] == "editor"
    assert body["chain"] == [{"uuid": str(people["manager"].uuid), "name": "Manager"}]
    # a role other than member is audited
    assert AuditEvent.objects.filter(action="person.role", target="aiko@example.com").count() == 1


def test_create_errors(api_client) -> None:
    client = api_client("admin")
    taken = client.post("people", {"name": "Again", "email": "MEMBER@example.com"})
    assert taken.status_code == 409
    assert "body.email" in err(taken)["fields"]
    assert client.post("people", {"name": "X", "email": "not an email"}).status_code == 400
    missing = client.post("people", {"name": "X"})
    assert missing.status_code == 422
    assert "body.email" in err(missing)["fields"]
    assert client.post("people", {"name": "X", "email": "x@e.com", "team": "no"}).status_code == 422
    unknown_manager = {"name": "X", "email": "x@e.com", "manager": str(Person().uuid)}
    assert client.post("people", unknown_manager).status_code == 422
    assert client.post("people", {"name": "x" * 201, "email": "x@e.com"}).status_code == 422
    assert client.post("people", {"name": "a\x00", "email": "x@e.com"}).status_code == 422
    assert client.post("people", {"name": "   ", "email": "x@e.com"}).status_code == 400
    assert Person.objects.count() == 4


def test_writes_refused_to_read_only_token(api_client, people) -> None:
    client = api_client("admin", read_only=True)
    uuid = people["member"].uuid
    for response in (
        client.post("people", {"name": "Aiko", "email": "aiko@example.com"}),
        client.patch(f"people/{uuid}", {"name": "New"}),
        client.put(f"people/{uuid}/manager", {"manager": None}),
        client.put(f"people/{uuid}/role", {"role": "editor"}),
        client.post("people/import", {"csv": "name,email\nA,a@example.com\n"}),
    ):
        assert response.status_code == 403
        assert err(response)["code"] == "read_only_token"
    member = Person.objects.get(pk=people["member"].pk)
    assert (member.name, member.manager_id, member.role) == (
        "Member",
        people["manager"].pk,
        "member",
    )


# --- update, manager, role -------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
def test_update_persona_matrix(api_client, people, persona: str) -> None:
    response = api_client(persona).patch(f"people/{people['member'].uuid}", {"name": "Renamed"})
    expected = {"admin": 200, "anonymous": 401}.get(persona, 403)
    assert response.status_code == expected
    assert Person.objects.get(pk=people["member"].pk).name == (
        "Renamed" if expected == 200 else "Member"
    )


def test_update_keeps_unsent_fields_and_clears_team(api_client, people) -> None:
    team = Team.objects.create(name="Platform", slug="platform")
    Person.objects.filter(pk=people["member"].pk).update(team=team)
    client = api_client("admin")
    url = f"people/{people['member'].uuid}"
    body = client.patch(url, {"email": "m2@example.com"}).json()
    assert (body["name"], body["email"], body["team"]["slug"]) == (
        "Member",
        "m2@example.com",
        "platform",
    )
    body = client.patch(url, {"team": None}).json()
    assert body["team"] is None
    assert client.patch(url, {"email": "admin@example.com"}).status_code == 409
    assert client.patch(url, {"name": None}).status_code == 422
    assert client.patch(url, {"team": "nowhere"}).status_code == 422
    assert client.patch(f"people/{Person().uuid}", {"name": "X"}).status_code == 404


def test_set_manager(api_client, people) -> None:
    client = api_client("admin")
    url = f"people/{people['member'].uuid}/manager"
    body = client.put(url, {"manager": str(people["editor"].uuid)}).json()
    assert body["manager"]["name"] == "Editor"
    assert AuditEvent.objects.filter(action="person.manager").count() == 1
    body = client.put(url, {"manager": None}).json()
    assert body["manager"] is None
    # a loop is refused: the editor cannot report to someone below them
    client.put(url, {"manager": str(people["editor"].uuid)})
    loop = client.put(
        f"people/{people['editor'].uuid}/manager", {"manager": str(people["member"].uuid)}
    )
    assert loop.status_code == 400
    assert "loop" in err(loop)["message"]
    assert client.put(url, {"manager": str(Person().uuid)}).status_code == 422
    assert api_client("manager").put(url, {"manager": None}).status_code == 403


def test_set_role(api_client, people) -> None:
    client = api_client("admin")
    body = client.put(f"people/{people['member'].uuid}/role", {"role": "editor"}).json()
    assert body["role"] == "editor"
    assert Person.objects.get(pk=people["member"].pk).role == Role.EDITOR
    last = client.put(f"people/{people['admin'].uuid}/role", {"role": "member"})
    assert last.status_code == 400
    assert "last organisation admin" in err(last)["message"]
    assert client.put(f"people/{people['member'].uuid}/role", {"role": "king"}).status_code == 422
    assert (
        api_client("editor")
        .put(f"people/{people['member'].uuid}/role", {"role": "admin"})
        .status_code
        == 403
    )


# --- import ----------------------------------------------------------------------------------


def test_import_adds_and_updates(api_client) -> None:
    csv = (
        "name,email,team,manager_email\n"
        "Aiko Brennan,aiko@example.com,Platform,manager@example.com\n"
        "Member Renamed,member@example.com,Platform,manager@example.com\n"
    )
    response = api_client("admin").post("people/import", {"csv": csv})
    assert response.status_code == 200, response.json()
    body = response.json()
    # 2 rows: Aiko is new, Member changes name and team; one new team; Aiko's line is new
    assert (body["rows"], body["created"], body["updated"], body["teams_created"]) == (2, 1, 1, 1)
    assert body["managers_changed"] == 1
    assert Person.objects.get(email="aiko@example.com").team.name == "Platform"


def test_import_is_all_or_nothing(api_client) -> None:
    csv = "name,email\nAiko,aiko@example.com\n,nobody@example.com\nBo,not-an-email\n"
    response = api_client("admin").post("people/import", {"csv": csv})
    assert response.status_code == 422
    error = err(response)
    assert error["code"] == "import_invalid"
    assert set(error["fields"]) == {"row 3", "row 4"}
    assert not Person.objects.filter(email="aiko@example.com").exists()


def test_import_errors_and_permissions(api_client) -> None:
    client = api_client("admin")
    assert client.post("people/import", {"csv": "   "}).status_code == 422
    assert client.post("people/import", {}).status_code == 422
    bad_framework = client.post("people/import", {"csv": "name,email\n", "framework": "nope"})
    assert "body.framework" in err(bad_framework)["fields"]
    for persona in ("editor", "manager", "member", "outsider"):
        assert api_client(persona).post("people/import", {"csv": "name,email\n"}).status_code == 403
    assert api_client("anonymous").post("people/import", {"csv": "x"}).status_code == 401


def test_a_cursor_holding_a_nul_is_422_not_a_server_error(api_client) -> None:
    """PostgreSQL cannot compare text with NUL in it: such a cursor is refused up front."""
    import base64

    cursor = base64.b64encode(b"p=a%00b").decode()
    for path in ("people", "teams"):
        response = api_client("admin").get(path, cursor=cursor)
        assert response.status_code == 422
        assert "query.cursor" in err(response)["fields"]
