"""Differences between two versions of a framework, as a changelog a person can read.

Skills, tracks and categories are matched by key. A key that disappears while a new key appears
with nearly the same milestones is reported as a renamed key, not as a removal and an addition.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import StrEnum

from .model import Framework, Level, Milestone, Skill, Track

RENAME_SIMILARITY = 0.8


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    area: str  # framework, category, skill, milestone, track, level, scoring
    subject: str  # e.g. "skill servers", "level ic/IC3"
    details: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "area": self.area,
            "subject": self.subject,
            "details": self.details,
        }


def _field_changes(old: object, new: object, fields: list[str]) -> list[str]:
    details = []
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            details.append(f"{name}: {_short(before)} → {_short(after)}")
    return details


def _short(value: object, limit: int = 80) -> str:
    text = "(empty)" if value in ("", None, [], {}) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _list_changes(name: str, before: list[str], after: list[str]) -> list[str]:
    details = [f"{name} added: {item}" for item in after if item not in before]
    details += [f"{name} removed: {item}" for item in before if item not in after]
    if not details and before != after:
        details.append(f"{name} reordered")
    return details


def _milestone_changes(skill_key: str, old: Skill, new: Skill) -> list[Change]:
    changes = []
    before = {m.number: m for m in old.milestones}
    after = {m.number: m for m in new.milestones}
    for number in sorted(before.keys() | after.keys()):
        subject = f"milestone {skill_key}/{number}"
        a, b = before.get(number), after.get(number)
        if a is None and b is not None:
            changes.append(Change(ChangeKind.ADDED, "milestone", subject, [_short(b.summary)]))
        elif b is None and a is not None:
            changes.append(Change(ChangeKind.REMOVED, "milestone", subject, [_short(a.summary)]))
        elif a is not None and b is not None and a != b:
            changes.append(
                Change(ChangeKind.CHANGED, "milestone", subject, _milestone_details(a, b))
            )
    return changes


def _milestone_details(a: Milestone, b: Milestone) -> list[str]:
    details = _field_changes(a, b, ["summary", "points"])
    details += _list_changes("signal", a.signals, b.signals)
    details += _list_changes("example", a.examples, b.examples)
    return details


def _skill_text(skill: Skill) -> str:
    return "\n".join(m.summary for m in skill.milestones) or skill.name


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _match_renamed_keys(
    removed: dict[str, Skill], added: dict[str, Skill]
) -> list[tuple[Skill, Skill]]:
    pairs = []
    for old in list(removed.values()):
        best = max(
            added.values(),
            key=lambda new: _similar(_skill_text(old), _skill_text(new)),
            default=None,
        )
        if best and _similar(_skill_text(old), _skill_text(best)) >= RENAME_SIMILARITY:
            pairs.append((old, best))
            del removed[old.key]
            del added[best.key]
    return pairs


def _skill_changes(old: Framework, new: Framework) -> tuple[list[Change], dict[str, str]]:
    changes: list[Change] = []
    before = {s.key: s for s in old.skills}
    after = {s.key: s for s in new.skills}
    removed = {k: s for k, s in before.items() if k not in after}
    added = {k: s for k, s in after.items() if k not in before}
    renamed = _match_renamed_keys(removed, added)
    for key in after:
        if key in before:
            changes += _compare_skill(before[key], after[key])
    for a, b in renamed:
        details = [f"key: {a.key} → {b.key}"]
        if a.name != b.name:
            details.append(f"name: {a.name} → {b.name}")
        changes.append(Change(ChangeKind.RENAMED, "skill", f"skill {a.key}", details))
        changes += _compare_skill(a, b, report_name=False)
    for s in added.values():
        changes.append(
            Change(
                ChangeKind.ADDED,
                "skill",
                f"skill {s.key}",
                [f"{s.name} ({len(s.milestones)} milestones)"],
            )
        )
    for s in removed.values():
        changes.append(Change(ChangeKind.REMOVED, "skill", f"skill {s.key}", [s.name]))
    return changes, {a.key: b.key for a, b in renamed}


def _compare_skill(a: Skill, b: Skill, report_name: bool = True) -> list[Change]:
    changes: list[Change] = []
    if report_name and a.name != b.name:
        changes.append(
            Change(ChangeKind.RENAMED, "skill", f"skill {b.key}", [f"name: {a.name} → {b.name}"])
        )
    details = _field_changes(a, b, ["category", "description"])
    if details:
        changes.append(Change(ChangeKind.CHANGED, "skill", f"skill {b.key}", details))
    return changes + _milestone_changes(b.key, a, b)


def _level_details(a: Level, b: Level, renames: dict[str, str]) -> list[str]:
    details = _field_changes(a, b, ["title", "summary", "experience", "responsibility"])
    if a.expectations != b.expectations:
        before = [f"{g.topic}: {i}" if g.topic else i for g in a.expectations for i in g.items]
        after = [f"{g.topic}: {i}" if g.topic else i for g in b.expectations for i in g.items]
        details += _list_changes("expectation", before, after)
    ra, rb = a.requirements, b.requirements
    # a renamed skill key was reported once, with the skill; compare requirements by new key
    required = {renames.get(k, k): n for k, n in ra.milestones.items()}
    for skill in sorted(required.keys() | rb.milestones.keys()):
        x, y = required.get(skill), rb.milestones.get(skill)
        if x != y:
            details.append(f"requires {skill}: {_req(x)} → {_req(y)}")
    if ra.min_points != rb.min_points:
        details.append(f"requires points: {_req(ra.min_points)} → {_req(rb.min_points)}")
    for cat in sorted(ra.category_points.keys() | rb.category_points.keys()):
        x, y = ra.category_points.get(cat), rb.category_points.get(cat)
        if x != y:
            details.append(f"requires {cat} points: {_req(x)} → {_req(y)}")
    return details


def _req(value: int | None) -> str:
    return "none" if value is None else str(value)


def _track_changes(old: Framework, new: Framework, renames: dict[str, str]) -> list[Change]:
    changes: list[Change] = []
    before = {t.key: t for t in old.tracks}
    after = {t.key: t for t in new.tracks}
    for key, track in after.items():
        if key not in before:
            changes.append(
                Change(
                    ChangeKind.ADDED,
                    "track",
                    f"track {key}",
                    [f"{track.name} ({len(track.levels)} levels)"],
                )
            )
            continue
        changes += _compare_track(before[key], track, renames)
    for key, track in before.items():
        if key not in after:
            changes.append(Change(ChangeKind.REMOVED, "track", f"track {key}", [track.name]))
    return changes


def _compare_track(a: Track, b: Track, renames: dict[str, str]) -> list[Change]:
    changes: list[Change] = []
    details = _field_changes(a, b, ["name", "description"])
    codes_a, codes_b = [lv.code for lv in a.levels], [lv.code for lv in b.levels]
    common = [c for c in codes_b if c in codes_a]
    if [c for c in codes_a if c in common] != common:
        details.append(f"level order: {', '.join(codes_a)} → {', '.join(codes_b)}")
    if details:
        changes.append(Change(ChangeKind.CHANGED, "track", f"track {b.key}", details))
    for level in b.levels:
        previous = a.level(level.code)
        subject = f"level {b.key}/{level.code}"
        if previous is None:
            changes.append(
                Change(ChangeKind.ADDED, "level", subject, [_short(level.title or level.summary)])
            )
        elif previous != level:
            details = _level_details(previous, level, renames)
            if details:
                changes.append(Change(ChangeKind.CHANGED, "level", subject, details))
    for level in a.levels:
        if b.level(level.code) is None:
            changes.append(
                Change(
                    ChangeKind.REMOVED,
                    "level",
                    f"level {b.key}/{level.code}",
                    [_short(level.title)],
                )
            )
    return changes


def _category_changes(old: Framework, new: Framework) -> list[Change]:
    changes: list[Change] = []
    before = {c.key: c for c in old.categories}
    after = {c.key: c for c in new.categories}
    for key, cat in after.items():
        if key not in before:
            changes.append(Change(ChangeKind.ADDED, "category", f"category {key}", [cat.name]))
        elif before[key] != cat:
            changes.append(
                Change(
                    ChangeKind.CHANGED,
                    "category",
                    f"category {key}",
                    _field_changes(before[key], cat, ["name", "description"]),
                )
            )
    for key, cat in before.items():
        if key not in after:
            changes.append(Change(ChangeKind.REMOVED, "category", f"category {key}", [cat.name]))
    return changes


def _scoring_changes(old: Framework, new: Framework) -> list[Change]:
    a, b = old.scoring, new.scoring
    if a == b:
        return []
    details = []
    if a.mode != b.mode:
        details.append(f"mode: {a.mode} → {b.mode}")
    if a.points != b.points:
        details.append(f"points: {_table(a.points)} → {_table(b.points)}")
    if a.levels != b.levels:
        details.append(
            "thresholds: "
            + _short(", ".join(f"{t.min_points}→{t.code}" for t in a.levels), 200)
            + " ⇒ "
            + _short(", ".join(f"{t.min_points}→{t.code}" for t in b.levels), 200)
        )
    titles_a = {(t.name, t.track): t for t in a.titles}
    titles_b = {(t.name, t.track): t for t in b.titles}
    for key, t in titles_b.items():
        if key not in titles_a:
            details.append(f"title added: {t.name} ({_range(t.min_points, t.max_points)})")
        elif titles_a[key] != t:
            before = _range(titles_a[key].min_points, titles_a[key].max_points)
            details.append(f"title {t.name}: {before} → {_range(t.min_points, t.max_points)}")
    for key, t in titles_a.items():
        if key not in titles_b:
            details.append(f"title removed: {t.name}")
    if a.category_caps != b.category_caps:
        details.append(f"category caps: {a.category_caps or 'none'} → {b.category_caps or 'none'}")
    return [Change(ChangeKind.CHANGED, "scoring", "scoring", details)]


def _table(points: dict[int, int]) -> str:
    return "/".join(str(points[k]) for k in sorted(points))


def _range(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else f"{low}+"


def diff(old: Framework, new: Framework) -> list[Change]:
    """Every change from `old` to `new`, framework fields first, then categories, skills,
    tracks and scoring."""
    changes: list[Change] = []
    details = _field_changes(old, new, ["key", "name", "description"])
    if details:
        changes.append(Change(ChangeKind.CHANGED, "framework", "framework", details))
    changes += _category_changes(old, new)
    skill_changes, renames = _skill_changes(old, new)
    changes += skill_changes
    changes += _track_changes(old, new, renames)
    changes += _scoring_changes(old, new)
    return changes


_SECTION_TITLES = {
    ChangeKind.ADDED: "Added",
    ChangeKind.REMOVED: "Removed",
    ChangeKind.RENAMED: "Renamed",
    ChangeKind.CHANGED: "Changed",
}


def render_changelog(changes: list[Change]) -> str:
    """A Markdown changelog grouped as Added / Renamed / Changed / Removed."""
    if not changes:
        return "No changes."
    lines: list[str] = []
    for kind in (ChangeKind.ADDED, ChangeKind.RENAMED, ChangeKind.CHANGED, ChangeKind.REMOVED):
        group = [c for c in changes if c.kind is kind]
        if not group:
            continue
        if lines:
            lines.append("")
        lines.append(f"## {_SECTION_TITLES[kind]}")
        for change in group:
            lines.append(f"- {change.subject[0].upper()}{change.subject[1:]}")
            lines.extend(f"  - {detail}" for detail in change.details)
    return "\n".join(lines)


def summary(changes: list[Change]) -> dict[str, int]:
    counts = {kind.value: 0 for kind in ChangeKind}
    for change in changes:
        counts[change.kind.value] += 1
    return counts
