"""What every importer shares: the report of what was placed, slugs, and the importer contract.

An importer turns one document into a `ladders/v1` framework and an `ImportReport`. The report
accounts for every non-blank input line: either some part of the framework came from it, or it is
listed as unplaced with its line number and why. Nothing is dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import LaddersError
from ..model import Framework

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportFailed(LaddersError):
    """The input cannot be turned into a framework; the message says where and why."""

    def __init__(self, message: str, *, source: str = "", line: int = 0) -> None:
        self.source = source
        self.line = line
        where = f"{source}:{line}: " if source and line else f"{source}: " if source else ""
        super().__init__(f"{where}{message}")


@dataclass(frozen=True)
class UnplacedLine:
    source: str
    line: int
    text: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "line": self.line, "text": self.text, "reason": self.reason}


@dataclass
class ImportReport:
    """What an import did with its input, for a person deciding whether to trust it."""

    formats: dict[str, str] = field(default_factory=dict)  # source -> detected format name
    lines: dict[str, int] = field(default_factory=dict)  # source -> non-blank lines read
    placed: dict[str, int] = field(default_factory=dict)  # source -> non-blank lines placed
    unplaced: list[UnplacedLine] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def merge(self, other: ImportReport) -> None:
        self.formats.update(other.formats)
        self.lines.update(other.lines)
        self.placed.update(other.placed)
        self.unplaced += other.unplaced
        self.inferred += other.inferred
        self.warnings += other.warnings

    def as_dict(self) -> dict[str, object]:
        return {
            "formats": self.formats,
            "lines": self.lines,
            "placed": self.placed,
            "unplaced": [u.as_dict() for u in self.unplaced],
            "inferred": self.inferred,
            "warnings": self.warnings,
        }

    def render(self) -> str:
        out = []
        for source, fmt in self.formats.items():
            read, placed = self.lines.get(source, 0), self.placed.get(source, 0)
            out.append(f"{source}: read as {fmt}; {placed} of {read} non-blank lines placed")
        out += [f"inferred: {item}" for item in self.inferred]
        out += [f"warning: {item}" for item in self.warnings]
        out += [f"unplaced: {u.source}:{u.line}: {u.text} ({u.reason})" for u in self.unplaced]
        return "\n".join(out)


class LineTracker:
    """Remembers which lines of one input were used, to list the rest as unplaced."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = text.splitlines()
        self._placed: set[int] = set()
        self._reasons: dict[int, str] = {}

    def place(self, *numbers: int) -> None:
        """Mark 1-based line numbers as placed in the framework."""
        self._placed.update(numbers)

    def skip(self, number: int, reason: str) -> None:
        """Mark a line as deliberately not placed, with the reason shown in the report."""
        self._reasons[number] = reason

    def nonblank(self) -> Iterable[tuple[int, str]]:
        for number, text in enumerate(self.lines, start=1):
            if text.strip():
                yield number, text

    def report(self, format_name: str) -> ImportReport:
        unplaced = [
            UnplacedLine(
                self.source,
                number,
                text.strip(),
                self._reasons.get(number, "not recognised as part of a framework"),
            )
            for number, text in self.nonblank()
            if number not in self._placed
        ]
        read = sum(1 for _ in self.nonblank())
        return ImportReport(
            formats={self.source: format_name},
            lines={self.source: read},
            placed={self.source: read - len(unplaced)},
            unplaced=unplaced,
        )


@dataclass
class ImportResult:
    framework: Framework
    report: ImportReport


class Importer(Protocol):
    """One input format. `detect` says how sure it is (0 to 1) that it can read `text`."""

    name: str
    label: str

    def detect(self, text: str, filename: str) -> float: ...

    def parse(self, text: str, filename: str) -> ImportResult: ...


def slugify(text: str, fallback: str = "item") -> str:
    """A stable key from a name: 'Communication & Feedback' -> 'communication-feedback'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
    return slug or fallback


def unique_key(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free; the result is added to `taken`."""
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key = base[: 64 - len(suffix)].rstrip("-") + suffix
        n += 1
    taken.add(key)
    return key


def document(*, key: str, name: str, description: str = "", **parts: Any) -> dict[str, Any]:
    """A `ladders/v1` document skeleton with the given parts (categories, skills, ...)."""
    return {
        "schema": "ladders/v1",
        "key": key,
        "name": name[:200] or key,
        "description": description,
        **parts,
    }
