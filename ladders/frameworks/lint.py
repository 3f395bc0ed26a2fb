"""Structural rules for a framework that loaded: things a reviewer would send back.

The loader already refused what cannot be used at all (bad shape, unknown references). These rules
find what can be used but is probably wrong: empty milestones, thresholds or levels nobody can
reach, the same text in two places, title ranges that overlap or leave gaps.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import pairwise

from . import scoring
from .errors import FrameworkInvalid, Problem, Severity
from .loader import LoadedFramework, load_file
from .model import Framework, Title

Rule = Callable[[Framework], Iterator[Problem]]


def _warning(message: str, path: tuple[str | int, ...], rule: str) -> Problem:
    return Problem(message, path, rule, Severity.WARNING)


def empty_milestones(fw: Framework) -> Iterator[Problem]:
    for i, skill in enumerate(fw.skills):
        if not skill.milestones:
            yield _warning(f"skill '{skill.key}' has no milestones", ("skills", i), "empty-skill")
        for j, m in enumerate(skill.milestones):
            if not m.summary and not m.signals and not m.examples:
                yield _warning(
                    f"milestone {m.number} of skill '{skill.key}' is empty: give it a summary "
                    "and the signals that show it",
                    ("skills", i, "milestones", j),
                    "empty-milestone",
                )


def _normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def duplicate_text(fw: Framework) -> Iterator[Problem]:
    """The same sentence in two milestones of a skill reads as two steps that are really one.

    Across skills a shared sentence is fine: two skills may well ask for the same behaviour.
    """
    for i, skill in enumerate(fw.skills):
        seen: dict[str, str] = {}
        for j, m in enumerate(skill.milestones):
            where = f"{skill.key} milestone {m.number}"
            entries: list[tuple[str, str, tuple[str | int, ...]]] = [("summary", m.summary, ())]
            entries += [("signal", s, ("signals", k)) for k, s in enumerate(m.signals)]
            entries += [("example", e, ("examples", k)) for k, e in enumerate(m.examples)]
            for what, text, sub in entries:
                key = _normalise(text)
                if len(key) < 12:
                    continue
                if key in seen and seen[key] != where:
                    path = ("skills", i, "milestones", j, *(sub or ("summary",)))
                    yield _warning(
                        f'{what} repeats text from {seen[key]}: "{text[:60]}"',
                        path,
                        "duplicate-text",
                    )
                else:
                    seen.setdefault(key, where)


def unreachable(fw: Framework) -> Iterator[Problem]:
    best = scoring.max_total_points(fw)
    for i, threshold in enumerate(fw.scoring.levels):
        if threshold.min_points > best:
            yield _warning(
                f"threshold for '{threshold.code}' needs {threshold.min_points} points but the "
                f"most anyone can reach is {best}",
                ("scoring", "levels", i, "min_points"),
                "unreachable-threshold",
            )
    ordered = [t.min_points for t in fw.scoring.levels]
    if ordered != sorted(ordered) or len(set(ordered)) != len(ordered):
        yield _warning(
            "thresholds should be listed with strictly increasing min_points",
            ("scoring", "levels"),
            "threshold-order",
        )
    for t, track in enumerate(fw.tracks):
        for i, level in enumerate(track.levels):
            req = level.requirements
            if req.min_points is not None and req.min_points > best:
                yield _warning(
                    f"level '{level.code}' needs {req.min_points} points but the most anyone "
                    f"can reach is {best}",
                    ("tracks", t, "levels", i, "requirements", "min_points"),
                    "unreachable-level",
                )
            reachable = scoring.max_category_points(fw)
            for cat, needed in req.category_points.items():
                if needed > reachable.get(cat, 0):
                    yield _warning(
                        f"level '{level.code}' needs {needed} points in '{cat}' but the most "
                        f"anyone can reach there is {reachable.get(cat, 0)}",
                        ("tracks", t, "levels", i, "requirements", "category_points", cat),
                        "unreachable-level",
                    )


def _title_groups(fw: Framework) -> dict[str | None, list[tuple[int, Title]]]:
    groups: dict[str | None, list[tuple[int, Title]]] = {}
    for i, title in enumerate(fw.scoring.titles):
        groups.setdefault(title.track, []).append((i, title))
    return groups


def title_ranges(fw: Framework) -> Iterator[Problem]:
    """Within one track, title ranges should tile the points without gaps or overlaps.

    Titles with identical ranges are alternatives (Snowflake's Senior Engineer and Group Lead)
    and are not an overlap.
    """
    for track, titles in _title_groups(fw).items():
        ranges = sorted({(t.min_points, t.max_points) for _, t in titles}, key=lambda r: r[0])
        scope = f" in track '{track}'" if track else ""
        by_range = {(t.min_points, t.max_points): (i, t) for i, t in titles}
        for (lo_a, hi_a), (lo_b, hi_b) in pairwise(ranges):
            i, title = by_range[(lo_b, hi_b)]
            _, before = by_range[(lo_a, hi_a)]
            path = ("scoring", "titles", i, "min_points")
            if hi_a is None or lo_b <= hi_a:
                yield _warning(
                    f"title '{title.name}' ({_span(lo_b, hi_b)}) overlaps '{before.name}' "
                    f"({_span(lo_a, hi_a)}){scope}",
                    path,
                    "title-overlap",
                )
            elif lo_b > hi_a + 1:
                yield _warning(
                    f"no title{scope} covers {_span(hi_a + 1, lo_b - 1)} points, between "
                    f"'{before.name}' and '{title.name}'",
                    path,
                    "title-gap",
                )


def _span(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}–{high}"


def missing_points(fw: Framework) -> Iterator[Problem]:
    for i, skill in enumerate(fw.skills):
        for j, m in enumerate(skill.milestones):
            if m.points is None and m.number not in fw.scoring.points:
                yield _warning(
                    f"milestone {m.number} of skill '{skill.key}' is worth no points: the scoring "
                    "table has no entry for it; add one under scoring.points or give the "
                    "milestone its own points",
                    ("skills", i, "milestones", j, "number"),
                    "no-points",
                )


def track_rules(fw: Framework) -> Iterator[Problem]:
    for t, track in enumerate(fw.tracks):
        if not track.levels:
            yield _warning(f"track '{track.key}' has no levels", ("tracks", t), "empty-track")
    used = {c for s in fw.skills for c in [s.category]}
    for i, cat in enumerate(fw.categories):
        if cat.key not in used:
            yield _warning(
                f"category '{cat.key}' has no skills", ("categories", i), "empty-category"
            )


RULES: list[Rule] = [
    empty_milestones,
    missing_points,
    duplicate_text,
    unreachable,
    title_ranges,
    track_rules,
]


def lint_framework(loaded: LoadedFramework) -> list[Problem]:
    """Every structural finding of a loaded framework, located in its file."""
    problems = [p for rule in RULES for p in rule(loaded.framework)]
    located = [p.located(*loaded.source.locate(p.path)) for p in problems]
    return sorted(located, key=lambda p: (p.line, p.column))


def lint_file(path: str) -> list[Problem]:
    """Validation errors if the file does not load, else the structural findings."""
    try:
        loaded = load_file(path)
    except FrameworkInvalid as exc:
        return exc.problems
    return lint_framework(loaded)
