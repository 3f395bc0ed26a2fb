from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta) -> int:
    """Whole minutes in a duration, rounded up: the lockout page says "15 minutes"."""
    return -(-int(value.total_seconds()) // 60)
