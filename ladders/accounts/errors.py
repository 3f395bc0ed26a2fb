"""Problems with accounts a user can cause: refused invitations and links that no longer work."""

from __future__ import annotations

from enum import StrEnum

from ladders.frameworks.errors import LaddersError


class AccountError(LaddersError):
    """A refused account action; the message says what was wrong and what to do instead."""


class InvitationProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    INACTIVE = "inactive"


class InvitationInvalid(AccountError):
    """An invitation link that cannot be accepted; `problem` says why."""

    def __init__(self, problem: InvitationProblem, message: str) -> None:
        self.problem = problem
        super().__init__(message)

    @property
    def status(self) -> int:
        """404 for a link we never issued, 410 (gone) for one that worked once."""
        return 404 if self.problem == InvitationProblem.UNKNOWN else 410
