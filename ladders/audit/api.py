"""The audit log in the REST API: organisation admins only, newest first, as on the audit page."""

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ladders.accounts.permissions import is_admin
from ladders.api.errors import errors, forbidden
from ladders.api.pagination import Cursor
from ladders.api.schemas import example
from ladders.org.api import query_text

from .models import AuditAction
from .selectors import audit_event_search

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    model_config = example(
        uuid="3e8f1a2b-6c7d-4e5f-8a9b-0c1d2e3f4a5b",
        created_at="2026-11-22T09:00:00Z",
        actor="admin",
        action="person.role",
        action_label="Role changed",
        target="aiko@example.com",
        data={"from": "member", "to": "editor"},
    )
    uuid: UUID
    created_at: datetime
    actor: str = Field(description="The username of who did it, or 'system'.")
    action: AuditAction
    action_label: str
    target: str = Field(description="What it was done to: an email, a framework key...")
    data: dict[str, Any] = Field(description="The details, which depend on the action.")

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_name)

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return str(obj.get_action_display())


@router.get(
    "/audit",
    response={200: list[AuditEventOut], **errors(403, 422)},
    summary="The audit log, newest first",
)
@paginate(Cursor, ordering=("-created_at", "-id"))
def audit_list(
    request: HttpRequest,
    action: Annotated[AuditAction | None, Query()] = None,
    actor: str = Query("", max_length=200, description="A username, any case."),
    target: str = Query("", max_length=200, description="An email or key, any case."),
    since: Annotated[date | None, Query(description="From this day on (local time).")] = None,
    until: Annotated[date | None, Query(description="Up to and including this day.")] = None,
) -> Any:
    if not is_admin(request.user):
        raise forbidden("Only organisation admins see the audit log.")
    return audit_event_search(
        action=action.value if action else "",
        actor=query_text("actor", actor),
        target=query_text("target", target),
        since=since,
        until=until,
    )
