"""The audit log endpoint: admins only, newest first, filtered by action, actor, target, days."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ladders.audit.models import AuditAction, AuditEvent
from ladders.audit.services import audit_record


def record(action: AuditAction, target: str, actor: str | None, day: tuple[int, int, int]) -> None:
    user = get_user_model().objects.get(username=actor) if actor else None
    event = audit_record(actor=user, action=action, target=target)
    when = timezone.make_aware(datetime(*day, 12, 0))
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)  # the queryset, not save()


@pytest.fixture
def events(people) -> None:
    record(AuditAction.ROLE_CHANGE, "member@example.com", "admin", (2026, 3, 1))
    record(AuditAction.MANAGER_CHANGE, "member@example.com", "admin", (2026, 3, 2))
    record(AuditAction.FRAMEWORK_PUBLISH, "starter", "editor", (2026, 3, 3))
    record(AuditAction.PEOPLE_IMPORT, "people", None, (2026, 3, 4))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("editor", 403),
        ("manager", 403),
        ("member", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_persona_matrix(api_client, events, persona: str, status: int) -> None:
    response = api_client(persona).get("audit")
    assert response.status_code == status
    if status == 200:
        rows = response.json()["results"]
        # newest first
        assert [(r["action"], r["actor"]) for r in rows] == [
            ("people.import", "system"),
            ("framework.publish", "editor"),
            ("person.manager", "admin"),
            ("person.role", "admin"),
        ]
        assert rows[0]["action_label"] == "People imported"


def test_filters(api_client, events) -> None:
    client = api_client("admin")

    def targets(**params: Any) -> list[str]:
        response = client.get("audit", **params)
        assert response.status_code == 200, response.json()
        return [r["action"] for r in response.json()["results"]]

    assert targets(action="person.role") == ["person.role"]
    assert targets(actor="ADMIN") == ["person.manager", "person.role"]
    assert targets(target="Member@Example.com") == ["person.manager", "person.role"]
    # both days included
    assert targets(since="2026-03-02", until="2026-03-03") == [
        "framework.publish",
        "person.manager",
    ]
    assert targets(since="0001-01-01", until="9999-12-31") == [
        "people.import",
        "framework.publish",
        "person.manager",
        "person.role",
    ]
    assert targets(until="2026-02-28") == []


def test_bad_filters_are_422(api_client, events) -> None:
    client = api_client("admin")
    bad_action = client.get("audit", action="person.fired")
    assert bad_action.status_code == 422
    assert "query.action" in bad_action.json()["error"]["fields"]
    assert client.get("audit", since="yesterday").status_code == 422
    assert client.get("audit", actor="a\x00").status_code == 422
    assert client.get("audit", cursor="!!!").status_code == 422


def test_pages_newest_first(api_client, events) -> None:
    from urllib.parse import urlsplit

    client = api_client("admin")
    first = client.get("audit", page_size=3).json()
    assert len(first["results"]) == 3
    parts = urlsplit(first["next"])
    second = client.get(f"{parts.path}?{parts.query}").json()
    assert [r["action"] for r in second["results"]] == ["person.role"]
    assert second["next"] is None


def test_queries_flat(api_client, events) -> None:
    client = api_client("admin")
    client.get("me")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("audit", page_size=200).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(30):
        record(AuditAction.ROLE_CHANGE, f"p{i}@example.com", "admin", (2026, 4, 1))
    large = count()
    assert small == large <= 5
    assert len(client.get("audit", page_size=200).json()["results"]) == 34
