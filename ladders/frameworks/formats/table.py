"""A framework as a CSV table: one row per summary, signal and example of every milestone."""

from __future__ import annotations

import csv
import io

from ..model import Framework
from ..scoring import milestone_points

COLUMNS = ["category", "skill_key", "skill", "milestone", "points", "kind", "text"]


def to_csv(fw: Framework) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for skill in fw.skills:
        category = fw.category(skill.category)
        for m in skill.milestones:
            base = [
                category.name if category else skill.category,
                skill.key,
                skill.name,
                m.number,
                milestone_points(fw, skill, m),
            ]
            rows = [("summary", m.summary)] if m.summary else []
            rows += [("signal", s) for s in m.signals]
            rows += [("example", e) for e in m.examples]
            for kind, text in rows:
                writer.writerow([*base, kind, _safe(text)])
    return out.getvalue()


def _safe(text: str) -> str:
    """Keep spreadsheets from running text as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
