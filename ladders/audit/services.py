from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import AuditAction, AuditEvent


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    target: str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; call it inside the transaction of the action it records."""
    user = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        actor=user,
        actor_name=user.get_username() if user is not None else "system",
        action=action,
        target=target[:200],
        data=data or {},
    )
    event.full_clean()
    event.save()
    return event
