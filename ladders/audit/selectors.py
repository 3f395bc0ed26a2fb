from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditAction, AuditEvent


def audit_event_list(*, action: str = "") -> QuerySet[AuditEvent]:
    """Newest first, optionally one kind of action; unknown actions give nothing, not everything."""
    events = AuditEvent.objects.order_by("-created_at", "-id")
    if action:
        events = events.filter(action=action if action in AuditAction.values else "-")
    return events


def audit_event_search(
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events filtered for the API, newest first: `actor` is a username and `target` what was
    acted on (both any case); `since` and `until` are days, both included, in local time."""
    events = audit_event_list(action=action)
    if actor:
        events = events.filter(actor_name__iexact=actor)
    if target:
        events = events.filter(target__iexact=target)
    # The first and last days of the calendar have no day before or after to compare with in
    # every time zone: there the bound excludes nothing anyway.
    if since is not None and since > date.min + timedelta(days=1):
        events = events.filter(created_at__gte=_day_start(since))
    if until is not None and until < date.max - timedelta(days=1):
        events = events.filter(created_at__lt=_day_start(until + timedelta(days=1)))
    return events


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
