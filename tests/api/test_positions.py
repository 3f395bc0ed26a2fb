"""A person's positions: the history, newest first, and setting a new one as the page does."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ladders.audit.models import AuditEvent
from ladders.frameworks.starter import load_starter
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position
from tests.org.conftest import make_position


def err(response: Any) -> dict[str, Any]:
    return response.json()["error"]


@pytest.fixture
def starter(people) -> Framework:
    return framework_publish(document=load_starter().framework).framework


@pytest.fixture
def member(people, starter) -> Person:
    person = people["member"]
    make_position(person, starter, "engineer", "IC1", date(2024, 1, 1), date(2024, 12, 31))
    make_position(person, starter, "engineer", "IC2", date(2025, 1, 1))
    return person


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
def test_history_persona_matrix(api_client, member, persona: str, status: int) -> None:
    response = api_client(persona).get(f"people/{member.uuid}/positions")
    assert response.status_code == status
    if status == 200:
        rows = response.json()["results"]
        assert [(r["level"], r["current"]) for r in rows] == [("IC2", True), ("IC1", False)]
        # 2024 is a leap year: 1 Jan to 31 Dec inclusive is 366 days
        assert rows[1]["days"] == 366
        assert rows[1]["ended_on"] == "2024-12-31"
        assert rows[0]["days"] == (timezone.localdate() - date(2025, 1, 1)).days
        assert rows[0]["track_name"] == "Engineer"
        assert rows[0]["framework"] == "ladders-starter"


def test_history_unknown_person(api_client, people) -> None:
    assert api_client("member").get(f"people/{Person().uuid}/positions").status_code == 404
    assert api_client("member").get("people/x/positions").status_code == 422


def test_history_queries_flat(api_client, member, starter) -> None:
    client = api_client("member")
    client.get("me")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"people/{member.uuid}/positions", page_size=200).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    Position.objects.filter(person=member).delete()
    for i in range(30):
        start = date(2000, 1, 1) + timedelta(days=30 * i)
        make_position(member, starter, "engineer", "IC1", start, start + timedelta(days=29))
    large = count()
    assert small == large <= 8
    assert len(client.get(f"people/{member.uuid}/positions", page_size=200).json()["results"]) == 30


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
def test_set_persona_matrix(api_client, member, persona: str, status: int) -> None:
    body = {
        "framework": "ladders-starter",
        "track": "engineer",
        "level": "IC3",
        "started_on": "2026-01-01",
    }
    response = api_client(persona).post(f"people/{member.uuid}/positions", body)
    assert response.status_code == status
    open_level = Position.objects.get(person=member, ended_on=None).level_code
    assert open_level == ("IC3" if status == 201 else "IC2")


def test_set_ends_the_open_position(api_client, member) -> None:
    response = api_client("admin").post(
        f"people/{member.uuid}/positions",
        {
            "framework": "ladders-starter",
            "track": "engineer",
            "level": "IC3",
            "started_on": "2026-01-01",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["level"], body["started_on"], body["current"]) == ("IC3", "2026-01-01", True)
    ended = Position.objects.get(person=member, level_code="IC2")
    assert ended.ended_on == date(2025, 12, 31)
    assert AuditEvent.objects.filter(action="person.position").count() == 1


def test_set_errors(api_client, member) -> None:
    client = api_client("admin")
    url = f"people/{member.uuid}/positions"
    base = {"framework": "ladders-starter", "track": "engineer", "level": "IC3"}
    unknown = client.post(url, {**base, "framework": "nope"})
    assert unknown.status_code == 422 and "body.framework" in err(unknown)["fields"]
    assert client.post(url, {**base, "level": "IC99"}).status_code == 400
    assert client.post(url, {**base, "track": "nope"}).status_code == 400
    assert client.post(url, {**base, "started_on": "9999-12-31"}).status_code == 400
    before = client.post(url, {**base, "started_on": "0001-01-01"})
    assert before.status_code == 400 and "cannot start before" in err(before)["message"]
    assert client.post(url, {**base, "started_on": "not a date"}).status_code == 422
    assert client.post(url, {"track": "engineer"}).status_code == 422
    assert client.post(f"people/{Person().uuid}/positions", base).status_code == 404
    assert api_client("admin", read_only=True).post(url, base).status_code == 403
    assert Position.objects.filter(person=member).count() == 2
