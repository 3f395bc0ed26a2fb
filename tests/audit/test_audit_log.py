from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.audit.models import AuditAction, AuditEvent
from ladders.audit.services import audit_record
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

EXPECTED = {"admin": 200, "editor": 403, "manager": 403, "member": 403, "outsider": 403}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", ["/audit/", "/audit.csv"])
def test_only_admins_see_the_audit_log(
    url: str, persona: str, persona_client: Callable[[str], Client]
) -> None:
    assert persona_client(persona).get(url).status_code == EXPECTED[persona]


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    assert Client().get("/audit/")["Location"].startswith("/login/")


def test_the_log_lists_and_filters_events(persona_client: Callable[[str], Client]) -> None:
    audit_record(
        actor=None, action=AuditAction.FRAMEWORK_PUBLISH, target="starter", data={"version": 2}
    )
    audit_record(
        actor=None, action=AuditAction.ATTAINMENT_REVOKE, target="aiko", data={"reason": "x"}
    )
    client = persona_client("admin")
    page = client.get("/audit/").content.decode()
    assert "<td>Framework published</td>" in page and "<td>Milestone revoked</td>" in page
    only = client.get("/audit/?action=attainment.revoke").content.decode()
    assert "<td>Milestone revoked</td>" in only and "<td>Framework published</td>" not in only
    assert "Nothing recorded" in client.get("/audit/?action=nonsense").content.decode()


def test_csv_export_is_complete_and_safe_for_spreadsheets(
    persona_client: Callable[[str], Client],
) -> None:
    audit_record(
        actor=None, action=AuditAction.ROLE_CHANGE, target="=cmd()", data={"role": "admin"}
    )
    response = persona_client("admin").get("/audit.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["time", "actor", "action", "target", "data"]
    assert rows[1][1:4] == ["system", "person.role", "'=cmd()"]
    assert len(rows) == 1 + AuditEvent.objects.count()


def test_query_count_does_not_grow_with_events(persona_client: Callable[[str], Client]) -> None:
    client = persona_client("admin")
    for i in range(3):
        audit_record(actor=None, action=AuditAction.PEOPLE_IMPORT, target=f"t{i}")
    with CaptureQueriesContext(connection) as small:
        client.get("/audit/")
    for i in range(30):
        audit_record(actor=None, action=AuditAction.PEOPLE_IMPORT, target=f"u{i}")
    with CaptureQueriesContext(connection) as large:
        client.get("/audit/")
    assert len(large) == len(small)


def test_events_cannot_be_changed_or_deleted() -> None:
    event = audit_record(actor=None, action=AuditAction.INVITATION, target="x")
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
