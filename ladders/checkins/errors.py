"""Problems with check-ins a user can cause; the message says what was wrong and what to do."""

from __future__ import annotations

from ladders.frameworks.errors import LaddersError


class CheckInError(LaddersError):
    """A refused check-in change (bad state, unknown skill, missing rating)."""


class CheckInDenied(CheckInError):
    """The actor may not make this change; shown as a 403."""


class CheckInLocked(CheckInError):
    """The check-in was agreed: it never changes again."""
