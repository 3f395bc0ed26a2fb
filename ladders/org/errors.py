"""Problems with the organisation a user can cause: bad reporting lines, roles, positions, files."""

from __future__ import annotations

from ladders.frameworks.errors import LaddersError


class OrgError(LaddersError):
    """A refused change to people, teams or positions; the message says what and where."""


class PeopleImportInvalid(OrgError):
    """A people file with at least one bad row; `errors` lists every one, row by row."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))
