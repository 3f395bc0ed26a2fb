"""Level distribution, time in level and promotion velocity, from position history.

Everything is computed in Python over plain rows (`PersonRef`, `Stay`, `TrackInfo`) so the
arithmetic is testable without a database; the two selectors at the bottom load those rows in a
fixed number of queries (the people in the caller's report scope, all their positions, the latest
document of each framework involved) whatever the size of the organisation.

A person's level is personal data: only people in `report_people(user)` are listed or counted.
The one exception is the usual time at a level in the time-in-level report: it is the median of
the whole organisation's completed stays (an aggregate of at least `MIN_COMPLETED` stays, or the
fixed fallback), so that the same person is past the usual time, or not, whoever is looking.

Dates: a position holds from `started_on` to `ended_on`, both days included (`position_set`
closes the old position the day before the new one starts), so a position counts on day D when
started_on <= D <= ended_on. Reading `ended_on` as exclusive would drop everyone promoted on the
first day of a quarter from that quarter's previous end count.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from ladders.accounts.permissions import User
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.org.models import Position
from ladders.progress.team_selectors import latest_documents

from .scope import report_people

MONTH_DAYS = 365.25 / 12
FALLBACK_MONTHS = 24  # the typical time when too few people have moved up from a level
MIN_COMPLETED = 3  # completed stays needed before their median counts as typical
QUARTERS = 4
NO_TEAM = "none"

TrackId = tuple[int, str]  # (framework id, track key)


# --- rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRef:
    slug: str
    name: str


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str
    team: TeamRef
    uuid: str = ""
    manager_name: str = ""


@dataclass(frozen=True)
class Stay:
    """One position: a person at one level of one track, between two dates (end included)."""

    person_id: int
    track: TrackId
    level_code: str
    started_on: date
    ended_on: date | None = None

    def holds_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)

    def days(self, today: date) -> int:
        # the same count as ladders.org.selectors.days_in_position
        end = self.ended_on + timedelta(days=1) if self.ended_on else today
        return max((end - self.started_on).days, 0)


@dataclass(frozen=True)
class TrackInfo:
    """A track as the latest framework document orders it; `levels` are (code, title) pairs,
    the document's levels first, then codes that positions hold but the document no longer has."""

    framework_id: int
    framework_key: str
    framework_name: str
    key: str
    name: str
    levels: tuple[tuple[str, str], ...]
    known: int  # how many of `levels` the document has: only those have an order

    @property
    def id(self) -> TrackId:
        return (self.framework_id, self.key)

    @property
    def slug(self) -> str:
        return f"{self.framework_key}:{self.key}"

    def index(self, code: str) -> int | None:
        return next((i for i, (c, _) in enumerate(self.levels[: self.known]) if c == code), None)

    def title(self, code: str) -> str:
        return next((t for c, t in self.levels if c == code), "")


def track_info(
    framework_id: int, framework_key: str, doc: FrameworkDoc | None, key: str, codes: Iterable[str]
) -> TrackInfo:
    """The track `key` of `doc`, with any of `codes` it lacks appended in sorted order."""
    track = doc.track(key) if doc is not None else None
    levels = [(lv.code, lv.title) for lv in track.levels] if track is not None else []
    known = len(levels)
    listed = {code for code, _ in levels}
    levels += [(code, "") for code in sorted(set(codes) - listed)]
    return TrackInfo(
        framework_id=framework_id,
        framework_key=framework_key,
        framework_name=doc.name if doc is not None else framework_key,
        key=key,
        name=track.name if track is not None else key,
        levels=tuple(levels),
        known=known,
    )


# --- pure computations ---------------------------------------------------------------------------


def quarter_ends(today: date, count: int = QUARTERS) -> list[date]:
    """The last `count` quarter ends before `today`, oldest first."""
    year, quarter = today.year, (today.month - 1) // 3
    ends: list[date] = []
    while len(ends) < count:
        quarter -= 1
        if quarter < 0:
            year, quarter = year - 1, 3
        month = 3 * quarter + 3
        ends.append(date(year, month, 31 if month in (3, 12) else 30))
    return ends[::-1]


def months(days: float) -> float:
    return round(days / MONTH_DAYS, 1)


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return float(statistics.median(values)) if values else None


def moves_up(stays: Iterable[Stay], tracks: dict[TrackId, TrackInfo]) -> list[Stay]:
    """Completed stays followed by the same person's next position on the same track at a higher
    level. A move to another track, a step down or a level the document no longer orders is
    not a move up, so it says nothing about how long a level usually takes."""
    by_person: dict[int, list[Stay]] = defaultdict(list)
    for stay in stays:
        by_person[stay.person_id].append(stay)
    found = []
    for own in by_person.values():
        own.sort(key=lambda s: s.started_on)
        for stay, after in itertools.pairwise(own):
            track = tracks.get(stay.track)
            if stay.ended_on is None or track is None or after.track != stay.track:
                continue
            before, next_index = track.index(stay.level_code), track.index(after.level_code)
            if before is not None and next_index is not None and next_index > before:
                found.append(stay)
    return found


def typical_days(completed: list[int]) -> tuple[float, bool]:
    """The usual time at a level: (days, whether it is the median of completed stays). With
    fewer than MIN_COMPLETED stays a median says little, so the fixed fallback applies."""
    if len(completed) >= MIN_COMPLETED:
        return float(statistics.median(completed)), True
    return FALLBACK_MONTHS * MONTH_DAYS, False


# --- level distribution --------------------------------------------------------------------------


@dataclass
class LevelRow:
    code: str
    title: str
    in_framework: bool
    by_team: list[int]  # now, in the order of TrackDistribution.teams
    quarters: list[int]  # totals at each quarter end

    @property
    def now(self) -> int:
        return sum(self.by_team)


@dataclass(frozen=True)
class TeamLevelRow:
    team: TeamRef
    code: str
    now: int
    quarters: tuple[int, ...]


@dataclass
class TrackDistribution:
    track: TrackInfo
    teams: list[TeamRef]
    levels: list[LevelRow]
    team_rows: list[TeamLevelRow]

    @property
    def now(self) -> int:
        return sum(level.now for level in self.levels)

    @property
    def quarter_totals(self) -> list[int]:
        return [sum(col) for col in zip(*(lv.quarters for lv in self.levels), strict=True)]


@dataclass
class LevelDistribution:
    today: date
    quarter_ends: list[date]
    tracks: list[TrackDistribution]
    team_options: list[TeamRef]
    track_options: list[TrackInfo]


def _sorted_teams(teams: Iterable[TeamRef]) -> list[TeamRef]:
    """Teams by name, "No team" last."""
    return sorted(set(teams), key=lambda t: (t.slug == NO_TEAM, t.name.lower(), t.slug))


def _track_options(tracks: dict[TrackId, TrackInfo], stays: Iterable[Stay]) -> list[TrackInfo]:
    used = {s.track for s in stays}
    return sorted(
        (t for tid, t in tracks.items() if tid in used),
        key=lambda t: (t.framework_name.lower(), t.framework_key, t.name.lower(), t.key),
    )


def distribution_from_rows(
    *,
    people: list[PersonRef],
    stays: list[Stay],
    tracks: dict[TrackId, TrackInfo],
    today: date,
    team: str = "",
    track: str = "",
) -> LevelDistribution:
    """Counts per team, track and level now and at the last quarter ends. `team` and `track`
    (slugs, empty for all) narrow the people and the tracks shown."""
    ends = quarter_ends(today)
    options = _track_options(tracks, stays)
    team_of = {p.id: p.team for p in people if not team or p.team.slug == team}
    stays = [s for s in stays if s.person_id in team_of]
    now = Counter(
        (team_of[s.person_id], s.track, s.level_code) for s in stays if s.ended_on is None
    )
    past = [
        Counter((team_of[s.person_id], s.track, s.level_code) for s in stays if s.holds_on(day))
        for day in ends
    ]
    shown = []
    for info in options:
        if track and info.slug != track:
            continue
        keys = [k for k in (now + sum(past, Counter())) if k[1] == info.id]
        if not keys:
            continue
        teams = _sorted_teams(k[0] for k in keys)
        rows = [
            LevelRow(
                code=code,
                title=title,
                in_framework=index < info.known,
                by_team=[now[(t, info.id, code)] for t in teams],
                quarters=[sum(c[k] for k in c if k[1:] == (info.id, code)) for c in past],
            )
            for index, (code, title) in enumerate(info.levels)
        ]
        rows = [r for i, r in enumerate(rows) if i < info.known or r.now or any(r.quarters)]
        team_rows = [
            TeamLevelRow(
                team=t,
                code=code,
                now=now[(t, info.id, code)],
                quarters=tuple(c[(t, info.id, code)] for c in past),
            )
            for t in teams
            for code in (r.code for r in rows)
        ]
        shown.append(TrackDistribution(info, teams, rows, team_rows))
    return LevelDistribution(today, ends, shown, _sorted_teams(p.team for p in people), options)


# --- time in level and promotion velocity --------------------------------------------------------


@dataclass(frozen=True)
class PersonInLevel:
    """Someone at a level now, and how their time there compares with the usual."""

    person: PersonRef
    track: TrackInfo
    code: str
    started_on: date
    days: int
    typical_days: float
    typical_is_median: bool

    @property
    def months(self) -> float:
        return months(self.days)

    @property
    def typical_months(self) -> float:
        return months(self.typical_days)

    @property
    def past_typical(self) -> bool:
        return self.days > self.typical_days

    @property
    def title(self) -> str:
        return self.track.title(self.code)


@dataclass
class LevelTime:
    code: str
    title: str
    people: list[PersonInLevel]  # at the level now, longest there first
    completed: list[int]  # days of the stays that ended with a move up
    typical_days: float
    typical_is_median: bool

    @property
    def median_now_months(self) -> float | None:
        value = median(p.days for p in self.people)
        return None if value is None else months(value)

    @property
    def median_completed_months(self) -> float | None:
        """Only once it is an aggregate of MIN_COMPLETED stays: the stays are the whole
        organisation's, and the median of one or two would give away someone's own time."""
        if len(self.completed) < MIN_COMPLETED:
            return None
        return months(statistics.median(self.completed))

    @property
    def typical_months(self) -> float:
        return months(self.typical_days)

    @property
    def past_count(self) -> int:
        return sum(1 for p in self.people if p.past_typical)


@dataclass
class TrackTime:
    track: TrackInfo
    levels: list[LevelTime]


@dataclass
class TimeInLevel:
    today: date
    tracks: list[TrackTime]
    past_typical: list[PersonInLevel]  # furthest past the usual time first
    team_options: list[TeamRef]
    track_options: list[TrackInfo]
    fallback_months: int = FALLBACK_MONTHS
    min_completed: int = MIN_COMPLETED

    @property
    def people(self) -> list[PersonInLevel]:
        return [p for t in self.tracks for lv in t.levels for p in lv.people]


def time_from_rows(
    *,
    people: list[PersonRef],
    stays: list[Stay],
    tracks: dict[TrackId, TrackInfo],
    today: date,
    team: str = "",
    track: str = "",
    history: list[Stay] | None = None,
) -> TimeInLevel:
    """Per track and level: who is there now and for how long, and how long the people who
    moved up from it had stayed. The people listed are those passed in (the caller's scope,
    narrowed by `team`); the usual time comes from `history`, the whole organisation's stays
    (`stays` when not given), and is not narrowed by `team` or by scope."""
    options = _track_options(tracks, stays)
    chosen = {p.id: p for p in people if not team or p.team.slug == team}
    completed: dict[tuple[TrackId, str], list[int]] = defaultdict(list)
    for stay in moves_up(stays if history is None else history, tracks):
        completed[(stay.track, stay.level_code)].append(stay.days(today))
    stays = [s for s in stays if s.person_id in chosen]
    current: dict[tuple[TrackId, str], list[Stay]] = defaultdict(list)
    for stay in stays:
        if stay.ended_on is None:
            current[(stay.track, stay.level_code)].append(stay)
    shown = []
    for info in options:
        if track and info.slug != track:
            continue
        levels = []
        for index, (code, title) in enumerate(info.levels):
            done = sorted(completed.get((info.id, code), []))
            here = current.get((info.id, code), [])
            if index >= info.known and not here and not done:
                continue
            usual, is_median = typical_days(done)
            holders = [
                PersonInLevel(
                    chosen[s.person_id], info, code, s.started_on, s.days(today), usual, is_median
                )
                for s in here
            ]
            holders.sort(key=lambda p: (-p.days, p.person.name))
            levels.append(LevelTime(code, title, holders, done, usual, is_median))
        if any(lv.people or lv.completed for lv in levels):
            shown.append(TrackTime(info, levels))
    past = [p for t in shown for lv in t.levels for p in lv.people if p.past_typical]
    past.sort(key=lambda p: (-(p.days - p.typical_days), p.person.name))
    return TimeInLevel(today, shown, past, _sorted_teams(p.team for p in people), options)


# --- loading -------------------------------------------------------------------------------------


@dataclass
class Rows:
    people: list[PersonRef]
    stays: list[Stay]  # of `people` only
    tracks: dict[TrackId, TrackInfo] = field(default_factory=dict)
    history: list[Stay] = field(default_factory=list)  # every active person's, with org=True


def scope_rows(*, user: User, org: bool = False) -> Rows:
    """The people in `user`'s report scope, all their positions and the tracks those are on:
    three queries plus the caller's scope, whatever the number of people. With `org`, the
    same positions query reads every active person's positions instead, for the usual time
    in a level; `stays` still holds only the people in scope."""
    scope = report_people(user)
    people = [
        PersonRef(
            id=p.pk,
            name=p.name,
            team=TeamRef(p.team.slug, p.team.name) if p.team else TeamRef(NO_TEAM, "No team"),
            uuid=str(p.uuid),
            manager_name=p.manager.name if p.manager else "",
        )
        for p in scope.select_related("team", "manager").order_by("name", "pk")
    ]
    everyone = Position.objects.filter(person__is_active=True)
    positions = list(
        (everyone if org else everyone.filter(person__in=scope.values("pk")))
        .select_related("framework")
        .order_by("person_id", "started_on", "pk")
    )
    docs = latest_documents(p.framework_id for p in positions)
    codes: dict[TrackId, set[str]] = defaultdict(set)
    keys: dict[int, str] = {}
    for p in positions:
        codes[(p.framework_id, p.track_key)].add(p.level_code)
        keys[p.framework_id] = p.framework.key
    tracks = {
        tid: track_info(tid[0], keys[tid[0]], docs.get(tid[0]), tid[1], found)
        for tid, found in codes.items()
    }
    history = [
        Stay(p.person_id, (p.framework_id, p.track_key), p.level_code, p.started_on, p.ended_on)
        for p in positions
    ]
    shown = {p.id for p in people}
    stays = [s for s in history if s.person_id in shown]
    return Rows(people, stays, tracks, history if org else [])


def level_distribution(
    *, user: User, team: str = "", track: str = "", today: date | None = None
) -> LevelDistribution:
    rows = scope_rows(user=user)
    return distribution_from_rows(
        people=rows.people,
        stays=rows.stays,
        tracks=rows.tracks,
        today=today or timezone.localdate(),
        team=team,
        track=track,
    )


def time_in_level(
    *, user: User, team: str = "", track: str = "", today: date | None = None
) -> TimeInLevel:
    rows = scope_rows(user=user, org=True)
    return time_from_rows(
        people=rows.people,
        stays=rows.stays,
        tracks=rows.tracks,
        today=today or timezone.localdate(),
        team=team,
        track=track,
        history=rows.history,
    )
