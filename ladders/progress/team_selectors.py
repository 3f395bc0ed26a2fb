"""Reads behind the manager's dashboard and the team heatmap.

Both pages cover many people at once, so everything is fetched in a fixed number of queries:
the people, their open positions, the latest published version of each framework involved,
their active certified milestones and (for the dashboard) their check-ins, one query each.
Points, levels and readiness all come from `ladders.frameworks.scoring`. Neither page reads
observations, so private ones can never leak through them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, OuterRef, Subquery

from ladders.checkins.models import CheckIn
from ladders.frameworks import scoring
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.frameworks.model import Level, Skill, Track
from ladders.library import models as library
from ladders.library.selectors import framework_document
from ladders.org.models import Person, Position, Team

from .attainments import milestones_in
from .models import Attainment

CHECKIN_GAP = timedelta(days=183)  # "no check-in in 6 months"


# --- shared batch reads --------------------------------------------------------------------------


def open_positions(person_ids: Iterable[int]) -> dict[int, Position]:
    """The open position of each person, by person id: one query."""
    rows = Position.objects.filter(person_id__in=list(person_ids), ended_on__isnull=True)
    return {p.person_id: p for p in rows.select_related("framework")}


def latest_documents(framework_ids: Iterable[int]) -> dict[int, FrameworkDoc]:
    """The latest published document of each framework, by framework id: one query."""
    ids = set(framework_ids)
    if not ids:
        return {}
    newest = (
        library.FrameworkVersion.objects.filter(framework=OuterRef("framework"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = library.FrameworkVersion.objects.filter(
        framework_id__in=ids, number=Subquery(newest)
    )
    return {v.framework_id: framework_document(v) for v in versions}


def milestones_by_person(
    positions: dict[int, Position], docs: dict[int, FrameworkDoc]
) -> dict[int, dict[str, int]]:
    """Each person's highest active certified milestone per skill, in the framework of their
    open position (what `person_milestones` gives for one person), limited to what the latest
    document knows: one query for everyone."""
    found: dict[int, dict[str, int]] = {pid: {} for pid in positions}
    if not positions:
        return found
    rows = (
        Attainment.objects.filter(person_id__in=list(positions), revoked_at__isnull=True)
        .values("person_id", "framework_id", "skill_key")
        .annotate(top=Max("milestone"))
        .order_by()
    )
    for row in rows:
        position = positions[row["person_id"]]
        if row["framework_id"] == position.framework_id:
            found[row["person_id"]][row["skill_key"]] = row["top"]
    return {
        pid: milestones_in(docs[p.framework_id], found[pid]) if p.framework_id in docs else {}
        for pid, p in positions.items()
    }


def _track_and_level(doc: FrameworkDoc, position: Position) -> tuple[Track | None, Level | None]:
    track = doc.track(position.track_key)
    return track, (track.level(position.level_code) if track else None)


# --- manager's dashboard -------------------------------------------------------------------------


@dataclass
class ReportRow:
    """One person below the manager, as the dashboard shows them."""

    person: Person
    position: Position | None = None
    track: Track | None = None
    level: Level | None = None
    points: int | None = None
    readiness: scoring.Readiness | None = None
    at_top: bool = False
    last_checkin: CheckIn | None = None
    waiting: list[CheckIn] = field(default_factory=list)
    overdue: bool = False

    @property
    def readiness_text(self) -> str:
        r = self.readiness
        if r is None:
            return ""
        met, total = len(r.met), len(r.results)
        text = f"{met} of {total} requirement{'s' if total != 1 else ''} met"
        if r.points_missing:
            text += f", {r.points_missing} point{'s' if r.points_missing != 1 else ''} missing"
        return text


def report_rows(
    *, ids: Iterable[int], waiting: Iterable[CheckIn] = (), today: date | None = None
) -> list[ReportRow]:
    """The dashboard rows for the people with these ids, ordered by name: four queries plus one
    for the documents, however many people there are. `waiting` are the check-ins that wait for
    the manager (from `checkin_reminders`)."""
    ids = list(ids)
    if not ids:
        return []
    today = today or date.today()
    people = list(Person.objects.filter(pk__in=ids).select_related("team").order_by("name", "id"))
    positions = open_positions(ids)
    docs = latest_documents(p.framework_id for p in positions.values())
    milestones = milestones_by_person(positions, docs)
    latest: dict[int, CheckIn] = {}
    for check_in in (
        CheckIn.objects.filter(person_id__in=ids).defer("snapshot").order_by("-as_of", "-id")
    ):
        latest.setdefault(check_in.person_id, check_in)
    pending: dict[int, list[CheckIn]] = {}
    for check_in in waiting:
        pending.setdefault(check_in.person_id, []).append(check_in)

    rows = []
    for person in people:
        row = ReportRow(person, last_checkin=latest.get(person.pk))
        row.waiting = pending.get(person.pk, [])
        row.overdue = row.last_checkin is None or row.last_checkin.as_of < today - CHECKIN_GAP
        position = positions.get(person.pk)
        doc = docs.get(position.framework_id) if position else None
        if position is not None and doc is not None:
            row.position = position
            reached = milestones[person.pk]
            row.track, row.level = _track_and_level(doc, position)
            track_key = row.track.key if row.track else None
            result = scoring.score(doc, reached, track_key)
            row.points = result.points
            if row.track is not None and row.level is not None:
                # the level after the one the position holds
                target = scoring.next_level(row.track, row.level)
                if target is None:
                    row.at_top = True
                else:
                    row.readiness = scoring.readiness(doc, row.track, target, reached)
            elif row.track is not None:
                # the position's level is not on the track: measure from what is reached
                row.readiness = result.next
                row.at_top = result.next is None
        rows.append(row)
    return rows


# --- team heatmap --------------------------------------------------------------------------------


class CellState:
    MET = "met"
    ABOVE = "above"
    BELOW = "below"
    NOT_REQUIRED = "not-required"


CELL_LABELS = {
    CellState.ABOVE: "Above what the level asks",
    CellState.MET: "Meets what the level asks",
    CellState.BELOW: "Below what the level asks",
    CellState.NOT_REQUIRED: "Not required at this level",
}


@dataclass(frozen=True)
class Cell:
    milestone: int
    required: int | None
    state: str

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state]


@dataclass
class HeatmapRow:
    person: Person
    position: Position
    track: Track | None
    level: Level | None
    cells: list[Cell]


@dataclass
class Heatmap:
    """One table: the people whose open position is on one framework, by its skills."""

    framework: library.Framework
    doc: FrameworkDoc
    skills: list[Skill]
    rows: list[HeatmapRow]


@dataclass
class TeamHeatmap:
    tables: list[Heatmap]
    without_position: list[Person]


def cell_for(milestone: int, required: int | None) -> Cell:
    if not required:
        return Cell(milestone, None, CellState.NOT_REQUIRED)
    if milestone > required:
        return Cell(milestone, required, CellState.ABOVE)
    if milestone == required:
        return Cell(milestone, required, CellState.MET)
    return Cell(milestone, required, CellState.BELOW)


def team_heatmap(*, team: Team, visible: set[int] | None = None) -> TeamHeatmap:
    """Active members × skills, one table per framework of their open positions (the framework
    most members are on first): four queries however many members there are.

    `visible` limits the rows to those people (a person's certified milestones are theirs, their
    chain's and admins' to see); None shows everyone."""
    members = list(team.members.filter(is_active=True).order_by("name", "id"))
    if visible is not None:
        members = [m for m in members if m.pk in visible]
    positions = open_positions(m.pk for m in members)
    docs = latest_documents(p.framework_id for p in positions.values())
    milestones = milestones_by_person(positions, docs)
    counts = Counter(
        positions[m.pk].framework_id
        for m in members
        if m.pk in positions and positions[m.pk].framework_id in docs
    )
    tables: dict[int, Heatmap] = {}
    for framework_id, _ in sorted(
        counts.items(), key=lambda item: (-item[1], docs[item[0]].name, item[0])
    ):
        position = next(p for p in positions.values() if p.framework_id == framework_id)
        doc = docs[framework_id]
        tables[framework_id] = Heatmap(position.framework, doc, list(doc.skills), [])
    without: list[Person] = []
    for member in members:
        position = positions.get(member.pk)
        if position is None or position.framework_id not in tables:
            without.append(member)
            continue
        table = tables[position.framework_id]
        track, level = _track_and_level(table.doc, position)
        required = level.requirements.milestones if level is not None else {}
        reached = milestones[member.pk]
        cells = [cell_for(reached.get(s.key, 0), required.get(s.key)) for s in table.skills]
        table.rows.append(HeatmapRow(member, position, track, level, cells))
    return TeamHeatmap(list(tables.values()), without)
