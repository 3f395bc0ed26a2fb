"""Skill gaps: for each team, the requirements of their next level that people still miss.

A person counts when they have an open position whose track has a level above the one they
hold. Their next level's requirements are checked by `ladders.frameworks.scoring.readiness`
against their active certified milestones (the same map the progress page scores). A level's
total-points requirement and the scoring threshold for its code are one requirement here: the
larger of the two, as `Readiness.points_missing` counts it. Four queries plus the scope,
however many people; no observation is read.
"""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from ladders.frameworks import scoring
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.org.models import Person, Position, Team
from ladders.progress.team_selectors import latest_documents, milestones_by_person, open_positions

from .scope import report_people

User = AbstractBaseUser | AnonymousUser
NO_TEAM = "No team"

RequirementKey = tuple[int, str, str, int]  # framework id, kind, skill or category key, required


@dataclass(frozen=True)
class Requirement:
    kind: str  # scoring.RequirementKind value
    key: str  # skill or category key; empty for total points
    required: int
    label: str

    @property
    def skill(self) -> str:
        return self.key if self.kind == scoring.RequirementKind.MILESTONE else ""

    @property
    def milestone(self) -> int | None:
        return self.required if self.kind == scoring.RequirementKind.MILESTONE else None

    @property
    def points(self) -> int | None:
        return None if self.kind == scoring.RequirementKind.MILESTONE else self.required


@dataclass
class RequirementGap:
    requirement: Requirement
    of: int = 0  # people whose next level asks for it
    missing: list[Person] = field(default_factory=list)  # of those, who do not meet it yet

    @property
    def share(self) -> float:
        return len(self.missing) / self.of if self.of else 0.0


@dataclass
class TeamGaps:
    team: Team | None
    counted: int = 0  # people with a next level
    at_top: int = 0
    without_position: int = 0
    gaps: list[RequirementGap] = field(default_factory=list)  # missed by someone, most first

    @property
    def name(self) -> str:
        return self.team.name if self.team else NO_TEAM


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key reading runs of digits as numbers, so "12 points" comes before "110 points"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in re.split(r"(\d+)", text)
        if part
    )


def gaps_in_order(gaps: Iterable[RequirementGap]) -> list[RequirementGap]:
    """Most people missing first, then the larger share of those asked, then the requirement
    in natural order."""
    return sorted(gaps, key=lambda g: (-len(g.missing), -g.share, natural_key(g.requirement.label)))


def _requirements(readiness: scoring.Readiness) -> list[tuple[Requirement, bool]]:
    """Each requirement of the level and whether it is met, with the total points folded into
    one (the level's min_points or its scoring threshold, whichever is higher)."""
    found = []
    for r in readiness.results:
        if r.kind is not scoring.RequirementKind.MIN_POINTS:
            found.append((Requirement(r.kind.value, r.key, r.required, r.label), r.met))
    needed = [r.required for r in readiness.results if r.kind is scoring.RequirementKind.MIN_POINTS]
    if readiness.threshold_points is not None:
        needed.append(readiness.threshold_points)
    if needed and max(needed) > 0:
        total = max(needed)
        requirement = Requirement(
            scoring.RequirementKind.MIN_POINTS.value, "", total, f"{total} points in total"
        )
        found.append((requirement, readiness.points >= total))
    return found


def _next_readiness(
    doc: FrameworkDoc, position: Position, reached: dict[str, int]
) -> scoring.Readiness | None:
    """Readiness for the level after the position's (None at the top of the track)."""
    track = doc.track(position.track_key)
    if track is None:
        return None
    level = track.level(position.level_code)
    if level is None:  # the position's level is not on the track: measure from what is reached
        return scoring.score(doc, reached, track.key).next
    target = scoring.next_level(track, level)
    return scoring.readiness(doc, track, target, reached) if target is not None else None


def skill_gaps(*, user: User) -> list[TeamGaps]:
    """One entry per team of the people `user` may see (teams by name, no team last)."""
    people = list(report_people(user).select_related("team").order_by("name", "id"))
    positions = open_positions(p.pk for p in people)
    docs = latest_documents(p.framework_id for p in positions.values())
    milestones = milestones_by_person(positions, docs)
    teams: dict[int | None, TeamGaps] = {}
    gaps: dict[int | None, dict[RequirementKey, RequirementGap]] = defaultdict(dict)
    for person in people:
        entry = teams.setdefault(person.team_id, TeamGaps(person.team))
        position = positions.get(person.pk)
        doc = docs.get(position.framework_id) if position else None
        if position is None or doc is None:
            entry.without_position += 1
            continue
        readiness = _next_readiness(doc, position, milestones[person.pk])
        if readiness is None:
            entry.at_top += 1
            continue
        entry.counted += 1
        for requirement, met in _requirements(readiness):
            key = (position.framework_id, requirement.kind, requirement.key, requirement.required)
            gap = gaps[person.team_id].setdefault(key, RequirementGap(requirement))
            gap.of += 1
            if not met:
                gap.missing.append(person)
    for team_id, entry in teams.items():
        entry.gaps = gaps_in_order(g for g in gaps[team_id].values() if g.missing)
    return sorted(teams.values(), key=lambda t: (t.team is None, t.name.lower()))


# --- chart ---------------------------------------------------------------------------------------

LABEL_CHARS = 34  # characters per label line; longer labels wrap rather than being cut


def gaps_svg(team: TeamGaps, *, limit: int = 10) -> str:
    """Horizontal bars, one per requirement (most missed first, the first `limit` of them): the
    bar's length is the share of the people asked for it who miss it, labelled with the counts.
    Long labels wrap onto more lines, and the row grows to hold them."""
    shown = team.gaps[:limit]
    left, width, line, head = 240, 290, 15, 0
    slug = team.team.slug if team.team else "no-team"
    title = f"{team.name}: next-level requirements people still miss"
    if len(team.gaps) > limit:
        title += f" (top {limit} of {len(team.gaps)})"
        head = 18
    labels = [textwrap.wrap(g.requirement.label, LABEL_CHARS) or [""] for g in shown]
    rows = [max(24, 9 + line * len(lines)) for lines in labels]
    height = head + 26 + sum(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gaps-chart" viewBox="0 0 640 {height}" '
        f'width="640" height="{height}" role="img" aria-labelledby="gaps-title-{slug}">'
        f'<title id="gaps-title-{slug}">{escape(title)}</title>'
    ]
    if head:
        parts.append(
            f'<text class="gaps-top" x="8" y="13" font-size="12" fill="#57606a">'
            f"Top {limit} of {len(team.gaps)} requirements; the table lists them all.</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{head + 4}" x2="{left}" y2="{height - 18}" stroke="#57606a"/>'
        f'<text x="{left + width}" y="{height - 4}" font-size="11" text-anchor="end" '
        f'fill="#57606a">everyone asked</text>'
        f'<text x="{left}" y="{height - 4}" font-size="11" fill="#57606a">nobody</text>'
    )
    y = head + 6
    for gap, lines, room in zip(shown, labels, rows, strict=True):
        middle = y + room / 2 - 2
        first = middle - line * (len(lines) - 1) / 2 + 4
        text = "".join(
            f'<tspan x="{left - 8}" y="{first + line * i:.1f}">{escape(part)}</tspan>'
            for i, part in enumerate(lines)
        )
        bar = max(2.0, gap.share * width)
        parts.append(
            f'<g class="gap-bar" data-missing="{len(gap.missing)}" data-of="{gap.of}">'
            f"<title>{escape(gap.requirement.label)}: {len(gap.missing)} of {gap.of} miss it"
            f'</title><text font-size="12" text-anchor="end" fill="#24292f">{text}</text>'
            f'<rect x="{left}" y="{middle - 8:.1f}" width="{width}" height="16" fill="none" '
            f'stroke="#d0d7de"/><rect x="{left}" y="{middle - 8:.1f}" width="{bar:.1f}" '
            f'height="16" fill="#bf8700"/><text x="{left + width + 8}" y="{middle + 4:.1f}" '
            f'font-size="12" fill="#24292f">{len(gap.missing)} of {gap.of}</text></g>'
        )
        y += room
    parts.append("</svg>")
    return "".join(parts)
