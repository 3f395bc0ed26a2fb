"""Problems a user can cause, reported with where they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

PathPart = str | int
Path = tuple[PathPart, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


def format_path(path: Path) -> str:
    """`("skills", 3, "milestones", 2, "summary")` -> `skills[3].milestones[2].summary`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One finding about a document. `line` and `column` are 1-based; 0 when unknown."""

    message: str
    path: Path = ()
    rule: str = "invalid"
    severity: Severity = Severity.ERROR
    line: int = 0
    column: int = 0

    def located(self, line: int, column: int) -> Problem:
        return Problem(self.message, self.path, self.rule, self.severity, line, column)

    def render(self, filename: str) -> str:
        where = f"{filename}:{self.line}:{self.column}" if self.line else filename
        text = f"{where}: {self.severity.value}: {self.message} [{self.rule}]"
        return f"{text} ({format_path(self.path)})" if self.path else text

    def as_dict(self, filename: str) -> dict[str, object]:
        return {
            "file": filename,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "rule": self.rule,
            "path": format_path(self.path),
            "message": self.message,
        }


class LaddersError(Exception):
    """Base of every error a user can cause; its message is meant to be shown as it is."""


@dataclass
class FrameworkInvalid(LaddersError):
    """A framework document failed to load; `problems` lists every reason at once."""

    filename: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.render(self.filename) for p in self.problems)


class ScoringError(LaddersError):
    """A scoring question that cannot be answered, such as an unknown skill or track."""
