"""Several imported documents become one framework: the same skill from two files is one skill.

Skills, categories and tracks are matched by key. A skill's milestones are matched by number:
the first summary wins, signals and examples are joined without repeats, and points come from
whichever file gives them.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import FrameworkInvalid, format_path
from ..lint import RULES
from ..loader import framework_from_data
from ..model import DEFAULT_POINTS
from .base import ImportFailed, ImportReport, ImportResult, slugify


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _join(first: list[str], second: list[str]) -> list[str]:
    seen = {_norm(t) for t in first}
    out = list(first)
    for item in second:
        if _norm(item) not in seen:
            seen.add(_norm(item))
            out.append(item)
    return out


def _longer_text(a: str, b: str) -> str:
    if not a or _norm(b).startswith(_norm(a)) or _norm(a) in _norm(b):
        return b or a
    if not b or _norm(b) in _norm(a):
        return a
    return f"{a}\n\n{b}"


def _merge_milestone(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = dict(a)
    merged["summary"] = a.get("summary") or b.get("summary", "")
    merged["signals"] = _join(a.get("signals", []), b.get("signals", []))
    merged["examples"] = _join(a.get("examples", []), b.get("examples", []))
    if a.get("points") is None and b.get("points") is not None:
        merged["points"] = b["points"]
    return merged


def _merge_skill(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = dict(a)
    merged["description"] = _longer_text(a.get("description", ""), b.get("description", ""))
    by_number = {m["number"]: m for m in a.get("milestones", [])}
    for milestone in b.get("milestones", []):
        n = milestone["number"]
        by_number[n] = _merge_milestone(by_number[n], milestone) if n in by_number else milestone
    merged["milestones"] = [by_number[n] for n in sorted(by_number)]
    return merged


def _is_default(points: dict[str, int] | None) -> bool:
    return not points or {int(k): v for k, v in points.items()} == DEFAULT_POINTS


def _by_key(items: list[dict[str, Any]], key: str = "key") -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


def _merge_documents(docs: list[dict[str, Any]], report: ImportReport) -> dict[str, Any]:
    merged = dict(docs[0])
    categories = _by_key(list(merged.get("categories", [])))
    skills = _by_key(list(merged.get("skills", [])))
    tracks = _by_key(list(merged.get("tracks", [])))
    scoring = dict(merged.get("scoring", {}))
    for doc in docs[1:]:
        for category in doc.get("categories", []):
            categories.setdefault(category["key"], category)
        for skill in doc.get("skills", []):
            if skill["key"] in skills:
                skills[skill["key"]] = _merge_skill(skills[skill["key"]], skill)
                report.inferred.append(f"skill '{skill['key']}' is in several files: merged")
            else:
                skills[skill["key"]] = skill
        for track in doc.get("tracks", []):
            if track["key"] in tracks:
                known = {lv["code"] for lv in tracks[track["key"]].get("levels", [])}
                extra = [lv for lv in track.get("levels", []) if lv["code"] not in known]
                tracks[track["key"]] = {
                    **tracks[track["key"]],
                    "levels": [*tracks[track["key"]].get("levels", []), *extra],
                }
                report.inferred.append(f"track '{track['key']}' is in several files: merged")
            else:
                tracks[track["key"]] = track
        other = doc.get("scoring", {})
        if other.get("mode") == "cumulative":
            scoring["mode"] = "cumulative"
        for part in ("levels", "titles"):
            if other.get(part) and not scoring.get(part):
                scoring[part] = other[part]
        points = other.get("points")
        if points and _is_default(scoring.get("points")) and not _is_default(points):
            scoring["points"] = points  # a table a file gave beats the default one
    merged["categories"] = list(categories.values())
    merged["skills"] = list(skills.values())
    merged["tracks"] = list(tracks.values())
    merged["scoring"] = scoring
    return merged


def merge_results(results: list[ImportResult], *, key: str | None = None) -> ImportResult:
    """One framework and one report from the results of importing each input."""
    report = ImportReport()
    for result in results:
        report.merge(result.report)
    docs = [r.framework.to_document() for r in results]
    data = _merge_documents(docs, report) if len(docs) > 1 else dict(docs[0])
    if key is not None:
        if slugify(key) != key:
            raise ImportFailed(f"--key '{key}' is not a slug; try '{slugify(key)}'")
        data["key"] = key
    try:
        framework = framework_from_data(data, "<imported>")
    except FrameworkInvalid as exc:
        raise ImportFailed(f"the imported framework does not validate:\n{exc}") from None
    for rule in RULES:
        for problem in rule(framework):
            report.warnings.append(f"{problem.message} ({format_path(problem.path)})")
    return ImportResult(framework, report)
