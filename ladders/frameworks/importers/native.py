"""A `ladders/v1` file (YAML or JSON) imports as itself: every line is the framework."""

from __future__ import annotations

from ..errors import FrameworkInvalid
from ..loader import load_text
from .base import ImportFailed, ImportResult, LineTracker


class NativeImporter:
    name = "ladders"
    label = "Ladders framework file (ladders/v1, YAML or JSON)"

    def detect(self, text: str, filename: str) -> float:
        head = text[:2000]
        return 1.0 if "ladders/v1" in head and "schema" in head else 0.0

    def parse(self, text: str, filename: str) -> ImportResult:
        try:
            loaded = load_text(text, filename)
        except FrameworkInvalid as exc:
            raise ImportFailed(f"not a valid ladders/v1 file:\n{exc}") from None
        tracker = LineTracker(text, filename)
        tracker.place(*(n for n, _ in tracker.nonblank()))
        return ImportResult(loaded.framework, tracker.report(self.name))


IMPORTER = NativeImporter()
