"""Scoring: milestones to points, points to level codes and titles, and readiness for a level.

Pure functions of (framework, milestone map). A milestone map says, per skill key, the highest
milestone reached (0 or absent: not started). Every page, API and export scores through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import ScoringError
from .model import Framework, Level, Milestone, Skill, Title, Track

MilestoneMap = Mapping[str, int]


def milestone_points(fw: Framework, skill: Skill, milestone: Milestone) -> int:
    """What reaching this one milestone adds: its own `points`, else the scoring table's."""
    del skill  # part of the signature so a per-skill table can come later without churn
    if milestone.points is not None:
        return milestone.points
    return fw.scoring.points.get(milestone.number, 0)


def skill_points(fw: Framework, skill: Skill, reached: int) -> int:
    """Points of `skill` at milestone `reached`, in the framework's scoring mode.

    With sparse milestones, reaching a number the skill does not define counts as reaching the
    highest defined milestone below it.
    """
    attained = [m for m in skill.milestones if m.number <= reached]
    if not attained:
        return 0
    if fw.scoring.mode == "cumulative":
        return sum(milestone_points(fw, skill, m) for m in attained)
    return milestone_points(fw, skill, attained[-1])


def skill_max_points(fw: Framework, skill: Skill) -> int:
    """The most a skill can be worth (not always its top milestone, if points fall)."""
    return max((skill_points(fw, skill, m.number) for m in skill.milestones), default=0)


def _checked(fw: Framework, milestones: MilestoneMap) -> dict[str, int]:
    unknown = sorted(k for k in milestones if fw.skill(k) is None)
    if unknown:
        known = ", ".join(s.key for s in fw.skills) or "(none)"
        raise ScoringError(f"unknown skill {', '.join(map(repr, unknown))}; known skills: {known}")
    bad = sorted(k for k, v in milestones.items() if v < 0)
    if bad:
        raise ScoringError(f"milestone of {', '.join(bad)} is negative; use 0 for not started")
    for key, number in milestones.items():
        top = fw.skill(key).max_milestone  # type: ignore[union-attr]
        if number > top:
            raise ScoringError(
                f"skill '{key}' has milestones up to {top}; milestone {number} does not exist"
            )
    return dict(milestones)


def category_points(fw: Framework, milestones: MilestoneMap) -> dict[str, int]:
    """Points per category key, after the category caps."""
    reached = _checked(fw, milestones)
    totals = {c.key: 0 for c in fw.categories}
    for skill in fw.skills:
        totals[skill.category] = totals.get(skill.category, 0) + skill_points(
            fw, skill, reached.get(skill.key, 0)
        )
    caps = fw.scoring.category_caps
    return {key: min(value, caps[key]) if key in caps else value for key, value in totals.items()}


def total_points(fw: Framework, milestones: MilestoneMap) -> int:
    return sum(category_points(fw, milestones).values())


def max_category_points(fw: Framework) -> dict[str, int]:
    """The most points each category can reach, after its cap."""
    best = {c.key: 0 for c in fw.categories}
    for skill in fw.skills:
        best[skill.category] = best.get(skill.category, 0) + skill_max_points(fw, skill)
    caps = fw.scoring.category_caps
    return {key: min(value, caps[key]) if key in caps else value for key, value in best.items()}


def max_total_points(fw: Framework) -> int:
    """The most points any milestone map can reach."""
    return sum(max_category_points(fw).values())


def level_for_points(fw: Framework, points: int) -> str | None:
    """The code of the highest threshold at or below `points` (Snowflake's pointsToLevels)."""
    code = None
    for threshold in sorted(fw.scoring.levels, key=lambda t: t.min_points):
        if points >= threshold.min_points:
            code = threshold.code
    return code


def eligible_titles(fw: Framework, points: int, track: str | None = None) -> list[Title]:
    """Titles whose range covers `points`; with a track, only that track's and shared titles."""
    return [
        t
        for t in fw.scoring.titles
        if t.covers(points) and (track is None or t.track is None or t.track == track)
    ]


class RequirementKind(StrEnum):
    MILESTONE = "milestone"
    MIN_POINTS = "min_points"
    CATEGORY_POINTS = "category_points"


@dataclass(frozen=True)
class RequirementResult:
    """One requirement of a level, checked: what it asks, what the person has, and the gap."""

    kind: RequirementKind
    key: str  # skill or category key; empty for min_points
    required: int
    actual: int
    label: str

    @property
    def met(self) -> bool:
        return self.actual >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.actual)


def requirement_results(
    fw: Framework, level: Level, milestones: MilestoneMap
) -> list[RequirementResult]:
    reached = _checked(fw, milestones)
    req = level.requirements
    results: list[RequirementResult] = []
    for skill_key, number in req.milestones.items():
        skill = fw.skill(skill_key)
        name = skill.name if skill else skill_key
        results.append(
            RequirementResult(
                RequirementKind.MILESTONE,
                skill_key,
                number,
                reached.get(skill_key, 0),
                f"{name} at milestone {number}",
            )
        )
    if req.min_points is not None:
        results.append(
            RequirementResult(
                RequirementKind.MIN_POINTS,
                "",
                req.min_points,
                total_points(fw, reached),
                f"{req.min_points} points in total",
            )
        )
    if req.category_points:
        per_category = category_points(fw, reached)
        for cat_key, needed in req.category_points.items():
            cat = fw.category(cat_key)
            name = cat.name if cat else cat_key
            results.append(
                RequirementResult(
                    RequirementKind.CATEGORY_POINTS,
                    cat_key,
                    needed,
                    per_category.get(cat_key, 0),
                    f"{needed} points in {name}",
                )
            )
    return results


def level_met(fw: Framework, level: Level, milestones: MilestoneMap) -> bool:
    return all(r.met for r in requirement_results(fw, level, milestones))


@dataclass(frozen=True)
class Readiness:
    """How far a milestone map is from a target level of a track."""

    track: Track
    level: Level
    results: list[RequirementResult] = field(default_factory=list)
    points: int = 0
    threshold_points: int | None = None  # the scoring threshold for this level code, if any

    @property
    def met(self) -> list[RequirementResult]:
        return [r for r in self.results if r.met]

    @property
    def unmet(self) -> list[RequirementResult]:
        return [r for r in self.results if not r.met]

    @property
    def ready(self) -> bool:
        return not self.unmet and self.points_missing == 0

    @property
    def points_missing(self) -> int:
        """Points still needed for the level's total: its min_points or its scoring threshold."""
        needed = [r.required for r in self.results if r.kind is RequirementKind.MIN_POINTS]
        if self.threshold_points is not None:
            needed.append(self.threshold_points)
        return max([0, *(n - self.points for n in needed)])

    def as_dict(self) -> dict[str, object]:
        return {
            "track": self.track.key,
            "level": self.level.code,
            "ready": self.ready,
            "points": self.points,
            "points_missing": self.points_missing,
            "requirements": [
                {
                    "kind": r.kind.value,
                    "key": r.key,
                    "label": r.label,
                    "required": r.required,
                    "actual": r.actual,
                    "met": r.met,
                    "missing": r.missing,
                }
                for r in self.results
            ],
        }


def get_track(fw: Framework, track_key: str | None) -> Track:
    """The named track, or the first one when no key is given."""
    if track_key is None:
        if not fw.tracks:
            raise ScoringError("the framework has no tracks")
        return fw.tracks[0]
    track = fw.track(track_key)
    if track is None:
        known = ", ".join(t.key for t in fw.tracks) or "(none)"
        raise ScoringError(f"unknown track '{track_key}'; known tracks: {known}")
    return track


def readiness(fw: Framework, track: Track, level: Level, milestones: MilestoneMap) -> Readiness:
    thresholds = [t.min_points for t in fw.scoring.levels if t.code == level.code]
    return Readiness(
        track=track,
        level=level,
        results=requirement_results(fw, level, milestones),
        points=total_points(fw, milestones),
        threshold_points=min(thresholds) if thresholds else None,
    )


def track_level(fw: Framework, track: Track, milestones: MilestoneMap) -> Level | None:
    """The highest level of `track` reached by climbing from the bottom while requirements hold.

    Levels are a ladder: one whose requirements are met above an unmet one does not count.
    """
    current = None
    for level in track.levels:
        if not readiness(fw, track, level, milestones).ready:
            break
        current = level
    return current


def next_level(track: Track, current: Level | None) -> Level | None:
    if current is None:
        return track.levels[0] if track.levels else None
    index = track.level_index(current.code)
    if index is None or index + 1 >= len(track.levels):
        return None
    return track.levels[index + 1]


@dataclass(frozen=True)
class Score:
    """Everything `ladders score` reports for one milestone map."""

    points: int
    skill_points: dict[str, int]
    category_points: dict[str, int]
    level_code: str | None
    titles: list[Title]
    track: Track | None
    track_level: Level | None
    next: Readiness | None


def score(fw: Framework, milestones: MilestoneMap, track_key: str | None = None) -> Score:
    reached = _checked(fw, milestones)
    points = total_points(fw, reached)
    track = get_track(fw, track_key) if (track_key or fw.tracks) else None
    current = track_level(fw, track, reached) if track else None
    upcoming = next_level(track, current) if track else None
    return Score(
        points=points,
        skill_points={s.key: skill_points(fw, s, reached.get(s.key, 0)) for s in fw.skills},
        category_points=category_points(fw, reached),
        level_code=level_for_points(fw, points),
        titles=eligible_titles(fw, points, track.key if track else None),
        track=track,
        track_level=current,
        next=readiness(fw, track, upcoming, reached) if track and upcoming else None,
    )
