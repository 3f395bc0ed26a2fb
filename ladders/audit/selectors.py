from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditAction, AuditEvent


def audit_event_list(*, action: str = "") -> QuerySet[AuditEvent]:
    """Newest first, optionally one kind of action; unknown actions give nothing, not everything."""
    events = AuditEvent.objects.order_by("-created_at", "-id")
    if action:
        events = events.filter(action=action if action in AuditAction.values else "-")
    return events
