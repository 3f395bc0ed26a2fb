"""Importers: the career frameworks found in the wild, turned into `ladders/v1`.

One module per format, each exposing `IMPORTER`. `import_documents` detects formats, imports each
input, merges them into one framework (the same skill from two files becomes one skill) and
returns the framework with a report of what was placed, inferred and left out.
"""

from __future__ import annotations

import importlib
from functools import cache

from .base import (
    MAX_IMPORT_BYTES,
    Importer,
    ImportFailed,
    ImportReport,
    ImportResult,
)
from .merge import merge_results

__all__ = [
    "ImportFailed",
    "ImportReport",
    "ImportResult",
    "Importer",
    "detect_format",
    "import_documents",
    "importers",
]

# Most specific first: detection breaks ties in this order.
_MODULES = [
    "native",
    "snowflake",
    "monzo",
    "seed_milestones",
    "seed_skill",
    "seed_role_ladder",
    "seed_career_map",
    "generic",
]


@cache
def importers() -> dict[str, Importer]:
    found: dict[str, Importer] = {}
    for module in _MODULES:
        importer: Importer = importlib.import_module(f"{__name__}.{module}").IMPORTER
        found[importer.name] = importer
    return found


def detect_format(text: str, filename: str) -> Importer:
    """The importer most confident it can read `text`; ties go to the more specific format."""
    best, score = None, 0.0
    for importer in importers().values():
        confidence = importer.detect(text, filename)
        if confidence > score:
            best, score = importer, confidence
    if best is None:
        raise ImportFailed(
            "could not tell what format this is; name the format "
            f"(one of: {', '.join(importers())})",
            source=filename,
        )
    return best


def import_documents(
    inputs: list[tuple[str, str]], *, format_name: str = "auto", key: str | None = None
) -> ImportResult:
    """Import (filename, text) inputs into one framework with one report."""
    if not inputs:
        raise ImportFailed("nothing to import: give at least one file")
    available = importers()
    if format_name != "auto" and format_name not in available:
        raise ImportFailed(
            f"unknown format '{format_name}'; use auto or one of: {', '.join(available)}"
        )
    results = []
    for filename, text in inputs:
        if len(text.encode("utf-8", errors="ignore")) > MAX_IMPORT_BYTES:
            raise ImportFailed(
                f"larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB; split it first",
                source=filename,
            )
        importer = (
            available[format_name] if format_name != "auto" else detect_format(text, filename)
        )
        results.append(importer.parse(text, filename))
    return merge_results(results, key=key)
