"""Rules across a whole document: unique keys and references that must resolve.

A document breaking these cannot be scored or stored, so the loader treats them as errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .errors import Path, Problem
from .model import Framework


def _duplicates(
    items: Iterable[tuple[str, Path]], what: str, owner: str, rule: str
) -> Iterator[Problem]:
    """A problem at every use of a value that must be unique, so each place shows it."""
    paths: dict[str, list[Path]] = {}
    for value, path in items:
        paths.setdefault(value, []).append(path)
    for value, used in paths.items():
        if len(used) > 1:
            for path in used:
                yield Problem(
                    f"{what} '{value}' is used by more than one {owner}; make it unique",
                    path,
                    rule,
                )


def integrity_problems(fw: Framework) -> list[Problem]:
    """Every broken uniqueness or reference rule in `fw`, in document order."""
    problems: list[Problem] = []
    problems += _duplicates(
        ((c.key, ("categories", i, "key")) for i, c in enumerate(fw.categories)),
        "category key",
        "category",
        "duplicate-key",
    )
    problems += _duplicates(
        ((s.key, ("skills", i, "key")) for i, s in enumerate(fw.skills)),
        "skill key",
        "skill",
        "duplicate-key",
    )
    problems += _duplicates(
        ((t.key, ("tracks", i, "key")) for i, t in enumerate(fw.tracks)),
        "track key",
        "track",
        "duplicate-key",
    )
    categories = {c.key for c in fw.categories}
    for i, skill in enumerate(fw.skills):
        if skill.category not in categories:
            problems.append(
                Problem(
                    f"skill '{skill.key}' names category '{skill.category}', which is not "
                    f"defined; add it under categories or use one of: {_listing(categories)}",
                    ("skills", i, "category"),
                    "unknown-category",
                )
            )
        problems += _duplicates(
            (
                (str(m.number), ("skills", i, "milestones", j, "number"))
                for j, m in enumerate(skill.milestones)
            ),
            "milestone number",
            f"milestone of skill '{skill.key}'",
            "duplicate-milestone",
        )
        numbers = [m.number for m in skill.milestones]
        if numbers != sorted(numbers) and len(set(numbers)) == len(numbers):
            problems.append(
                Problem(
                    f"milestones of skill '{skill.key}' are not in ascending order: {numbers}",
                    ("skills", i, "milestones"),
                    "milestone-order",
                )
            )
    skills = {s.key: s for s in fw.skills}
    for t, track in enumerate(fw.tracks):
        problems += _duplicates(
            ((lv.code, ("tracks", t, "levels", i, "code")) for i, lv in enumerate(track.levels)),
            "level code",
            f"level of track '{track.key}'",
            "duplicate-key",
        )
        for i, level in enumerate(track.levels):
            base: Path = ("tracks", t, "levels", i, "requirements")
            for skill_key, number in level.requirements.milestones.items():
                path = (*base, "milestones", skill_key)
                required = skills.get(skill_key)
                if required is None:
                    problems.append(
                        Problem(
                            f"level '{level.code}' requires skill '{skill_key}', which is not "
                            f"defined; known skills: {_listing(skills)}",
                            path,
                            "unknown-skill",
                        )
                    )
                elif required.milestone(number) is None:
                    have = [m.number for m in required.milestones]
                    problems.append(
                        Problem(
                            f"level '{level.code}' requires milestone {number} of skill "
                            f"'{skill_key}', which only has milestones {have}",
                            path,
                            "unknown-milestone",
                        )
                    )
            for cat in level.requirements.category_points:
                if cat not in categories:
                    problems.append(
                        Problem(
                            f"level '{level.code}' requires points in category '{cat}', which "
                            f"is not defined; known categories: {_listing(categories)}",
                            (*base, "category_points", cat),
                            "unknown-category",
                        )
                    )
    for cat in fw.scoring.category_caps:
        if cat not in categories:
            problems.append(
                Problem(
                    f"cap for category '{cat}', which is not defined; known categories: "
                    f"{_listing(categories)}",
                    ("scoring", "category_caps", cat),
                    "unknown-category",
                )
            )
    tracks = {t.key for t in fw.tracks}
    for i, title in enumerate(fw.scoring.titles):
        if title.track is not None and title.track not in tracks:
            problems.append(
                Problem(
                    f"title '{title.name}' names track '{title.track}', which is not defined; "
                    f"known tracks: {_listing(tracks)}",
                    ("scoring", "titles", i, "track"),
                    "unknown-track",
                )
            )
    return problems


def _listing(keys: Iterable[str]) -> str:
    names = sorted(keys)
    return ", ".join(names) if names else "(none)"
