"""Calibration: how each manager's check-in ratings compare with the self-ratings they answer
and with the other managers' ratings of the same skills at the same levels.

A manager rating is credited to the person who gave it (ratings recorded before Ladders kept
that go to the rated person's manager as the reporting line stands today). Only check-ins whose
manager rating was submitted count (manager done or agreed), and only people still active. The
comparison population is the whole organisation; the rows are the managers the viewer may see
(themselves and the managers below them; everyone for an admin).

Privacy. A manager knows their own figures, so an aggregate over themselves and two colleagues
gives the colleagues' figures away. For anyone but an admin, a figure built from managers the
viewer cannot see (the others' mean and spread, the distance from them, the comparison with
other managers' ratings, the organisation's mean and rating count) is shown only when at least
`MIN_OTHERS` such managers take part in it; otherwise it is None and the page says why. Flags
stay: a yes/no against a hidden band does not give the band away.

Outlier rule. A manager takes part once they have `MIN_RATINGS` paired ratings. Each one is
compared with the OTHER taking-part managers, not with a mean that includes themselves: with
only three managers a plain z-score can never pass 1.5 (its ceiling is the square root of n-1),
and one unusual manager would widen the very band that judges them. The spread of the others'
means has a floor (`MIN_SPREAD`) so that two near-identical colleagues do not make a small
difference look extreme. Everything is read in three queries plus the scope.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html import escape

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from ladders.checkins.models import CheckInRating, CheckInState, RaterRole
from ladders.org.models import Person, Position

from .scope import report_people_ids

User = AbstractBaseUser | AnonymousUser

MIN_RATINGS = 5  # paired ratings before a manager takes part in the outlier check
MIN_MANAGERS = 3  # taking-part managers before anyone can be flagged (each vs at least 2 others)
THRESHOLD = 1.5  # spreads away from the others' mean
MIN_SPREAD = 0.25  # of a milestone: the smallest spread a manager is judged against
MIN_OTHERS = 5  # unseen managers behind a figure before a non-admin may see it
COUNTED_STATES = (CheckInState.MANAGER_DONE, CheckInState.AGREED)

LevelKey = tuple[int, str, str, str]  # framework id, skill key, track key, level code


@dataclass
class _Tally:
    """What one manager's ratings add up to, before any comparison."""

    differences: list[int] = field(default_factory=list)
    ratings: list[tuple[LevelKey | None, int]] = field(default_factory=list)
    people: set[int] = field(default_factory=set)
    check_ins: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class ManagerCalibration:
    manager: Person
    people: int  # people rated
    check_ins: int
    ratings: int  # skills rated by both the manager and the person
    mean_difference: float | None  # mean of (manager - self) milestones; > 0 lenient
    spread: float | None  # standard deviation of those differences
    mean_rating: float | None  # mean of the manager's milestones
    compared: int | None  # manager ratings another manager also gave at the same skill and level
    delta_vs_org: float | None  # mean of (rating - other managers' mean there)
    taking_part: bool  # enough ratings for the outlier check
    others_mean: float | None = None
    others_spread: float | None = None  # after the floor
    distance: float | None = None  # (mean_difference - others_mean) / others_spread
    flagged: bool = False
    comparison_hidden: bool = False  # others' figures withheld from this viewer (MIN_OTHERS)
    delta_hidden: bool = False  # compared and delta_vs_org withheld from this viewer

    @property
    def leaning(self) -> str:
        if self.mean_difference is None:
            return ""
        if self.mean_difference > 0:
            return "lenient"
        return "severe" if self.mean_difference < 0 else "in line"

    @property
    def band(self) -> tuple[float, float] | None:
        """The range of mean differences that would not be flagged."""
        if self.others_mean is None or self.others_spread is None:
            return None
        reach = THRESHOLD * self.others_spread
        return self.others_mean - reach, self.others_mean + reach


@dataclass(frozen=True)
class CalibrationReport:
    rows: list[ManagerCalibration]  # the managers the viewer may see
    org_mean_difference: float | None  # over every paired rating in the organisation
    org_ratings: int | None  # None when withheld, like org_mean_difference
    org_managers: int  # managers with at least one paired rating
    taking_part: int  # managers with at least MIN_RATINGS paired ratings
    min_ratings: int = MIN_RATINGS
    min_managers: int = MIN_MANAGERS
    threshold: float = THRESHOLD
    min_spread: float = MIN_SPREAD
    min_others: int = MIN_OTHERS
    org_hidden: bool = False  # the organisation's mean and rating count withheld
    comparison_hidden: bool = False  # other managers' mean, spread and distance withheld

    @property
    def flagged(self) -> list[ManagerCalibration]:
        return [r for r in self.rows if r.flagged]


def versus_self(value: float | None) -> str:
    """How far a mean difference lies from the self-rating, in words: "0.14 milestones below"."""
    if value is None:
        return "–"
    size = f"{abs(value):.2f}"
    if size == "0.00":
        return "the same as the self-rating"
    unit = "milestone" if size == "1.00" else "milestones"
    return f"{size} {unit} {'above' if value > 0 else 'below'} the self-rating"


def signed(value: float | None) -> str:
    """+0.67 / -1.00 / 0.00; a dash when there is nothing to show."""
    if value is None:
        return "–"
    text = f"{value:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


def _level_at(
    positions: list[tuple[int, str, str, date, date | None]], framework_id: int, when: date
) -> tuple[str, str] | None:
    """The (track, level) a person held on `when` in the check-in's framework."""
    for pos_framework, track, level, started, ended in positions:
        if started <= when and (ended is None or ended >= when) and pos_framework == framework_id:
            return track, level
    return None


def _tallies() -> dict[int, _Tally]:
    """Every submitted self/manager rating pair in the organisation, by manager id: two queries
    (the ratings with their check-ins and people, then the positions of the people rated)."""
    rows = CheckInRating.objects.filter(
        rater_role__in=[RaterRole.SELF, RaterRole.MANAGER],
        check_in__state__in=COUNTED_STATES,
        check_in__person__is_active=True,
    ).values_list(
        "check_in_id",
        "check_in__person_id",
        "check_in__person__manager_id",
        "rated_by_id",
        "check_in__framework_id",
        "check_in__as_of",
        "skill_key",
        "rater_role",
        "milestone",
    )
    pairs: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    context: dict[int, tuple[int, int | None, int, date]] = {}
    raters: dict[int, int] = {}  # check-in -> who gave its manager rating, where recorded
    for check_in, person, manager, rated_by, framework, as_of, skill, role, milestone in rows:
        pairs[(check_in, skill)][role] = milestone
        context[check_in] = (person, manager, framework, as_of)
        if role == RaterRole.MANAGER and rated_by is not None:
            raters[check_in] = rated_by
    held: dict[int, list[tuple[int, str, str, date, date | None]]] = defaultdict(list)
    subjects = {person for person, _, _, _ in context.values()}
    for person, *position in Position.objects.filter(person_id__in=subjects).values_list(
        "person_id", "framework_id", "track_key", "level_code", "started_on", "ended_on"
    ):
        held[person].append(tuple(position))  # type: ignore[arg-type]
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for (check_in, skill), by_role in sorted(pairs.items()):
        if RaterRole.MANAGER not in by_role:
            continue
        person, current_manager, framework, as_of = context[check_in]
        # the manager who gave the rating; ratings from before that was kept go to today's manager
        manager = raters.get(check_in, current_manager)
        if manager is None:
            continue
        tally = tallies[manager]
        level = _level_at(held[person], framework, as_of)
        key = (framework, skill, *level) if level is not None else None
        tally.ratings.append((key, by_role[RaterRole.MANAGER]))
        if RaterRole.SELF in by_role:
            tally.differences.append(by_role[RaterRole.MANAGER] - by_role[RaterRole.SELF])
            tally.people.add(person)
            tally.check_ins.add(check_in)
    return {m: t for m, t in tallies.items() if t.differences}


def _deltas(tallies: dict[int, _Tally]) -> dict[int, tuple[int, float | None, set[int]]]:
    """Per manager: how many of their ratings another manager also gave at the same skill and
    level, the mean of (their rating - the other managers' mean rating there), and who those
    other managers are."""
    totals: dict[LevelKey, list[int]] = defaultdict(lambda: [0, 0])
    raters: dict[LevelKey, set[int]] = defaultdict(set)
    for manager, tally in tallies.items():
        for key, milestone in tally.ratings:
            if key is not None:
                totals[key][0] += milestone
                totals[key][1] += 1
                raters[key].add(manager)
    found: dict[int, tuple[int, float | None, set[int]]] = {}
    for manager, tally in tallies.items():
        own: dict[LevelKey, list[int]] = defaultdict(lambda: [0, 0])
        for key, milestone in tally.ratings:
            if key is not None:
                own[key][0] += milestone
                own[key][1] += 1
        gaps = []
        behind: set[int] = set()
        for key, milestone in tally.ratings:
            if key is None:
                continue
            others = totals[key][1] - own[key][1]
            if others:
                gaps.append(milestone - (totals[key][0] - own[key][0]) / others)
                behind |= raters[key] - {manager}
        found[manager] = (len(gaps), statistics.fmean(gaps) if gaps else None, behind)
    return found


def _outliers(means: dict[int, float]) -> dict[int, tuple[float, float, float]]:
    """Each taking-part manager's (others' mean, others' spread, distance)."""
    if len(means) < MIN_MANAGERS:
        return {}
    found = {}
    for manager, mean in means.items():
        others = [m for other, m in means.items() if other != manager]
        centre = statistics.fmean(others)
        spread = max(statistics.stdev(others), MIN_SPREAD)
        found[manager] = (centre, spread, (mean - centre) / spread)
    return found


def calibration_report(*, user: User) -> CalibrationReport:
    """The calibration of the managers `user` may see, against the whole organisation."""
    ids = report_people_ids(user)
    tallies = _tallies()
    deltas = _deltas(tallies)
    means = {m: statistics.fmean(t.differences) for m, t in tallies.items()}
    taking_part = {m: v for m, v in means.items() if len(tallies[m].differences) >= MIN_RATINGS}
    outliers = _outliers(taking_part)
    visible = [m for m in tallies if ids is None or m in ids]
    managers = Person.objects.filter(pk__in=visible).select_related("team").in_bulk()

    def enough(behind: Iterable[int]) -> bool:
        """May the viewer see a figure built from these managers? (see Privacy above)"""
        return ids is None or len(set(behind) - ids) >= MIN_OTHERS

    hide_comparison = not enough(taking_part)
    hide_org = not enough(tallies)
    rows = []
    for manager_id in visible:
        tally = tallies[manager_id]
        centre, spread, distance = outliers.get(manager_id, (None, None, None))
        flagged = distance is not None and abs(distance) > THRESHOLD
        if hide_comparison:
            centre = spread = distance = None
        compared, delta, behind = deltas[manager_id]
        hide_delta = bool(compared) and not enough(behind)
        rows.append(
            ManagerCalibration(
                manager=managers[manager_id],
                people=len(tally.people),
                check_ins=len(tally.check_ins),
                ratings=len(tally.differences),
                mean_difference=means[manager_id],
                spread=statistics.pstdev(tally.differences),
                mean_rating=statistics.fmean(m for _, m in tally.ratings),
                compared=None if hide_delta else compared,
                delta_vs_org=None if hide_delta else delta,
                taking_part=manager_id in taking_part,
                others_mean=centre,
                others_spread=spread,
                distance=distance,
                flagged=flagged,
                comparison_hidden=hide_comparison and manager_id in outliers,
                delta_hidden=hide_delta,
            )
        )
    rows.sort(key=lambda r: (-abs(r.mean_difference or 0), r.manager.name, r.manager.pk))
    pooled = [d for t in tallies.values() for d in t.differences]
    return CalibrationReport(
        rows=rows,
        org_mean_difference=statistics.fmean(pooled) if pooled and not hide_org else None,
        org_ratings=None if hide_org else len(pooled),
        org_managers=len(tallies),
        taking_part=len(taking_part),
        org_hidden=hide_org,
        comparison_hidden=hide_comparison,
    )


# --- chart ---------------------------------------------------------------------------------------


def _x(value: float, low: float, high: float, left: float, width: float) -> float:
    return left + (value - low) / (high - low) * width


def calibration_svg(report: CalibrationReport) -> str:
    """One line per manager: their mean difference as a dot, their own spread as a whisker and,
    behind it, the band of the other managers (mean ± 1.5 spreads) outside which they are
    flagged. A solid line marks agreement with the self-rating, a dashed one the org mean."""
    rows = report.rows
    values = [0.0]
    for r in rows:
        values += [r.mean_difference or 0.0]
        values += [(r.mean_difference or 0.0) + s for s in (-(r.spread or 0), r.spread or 0)]
        values += list(r.band or ())
    low = min(-2.0, float(int(min(values) - 0.999)))
    high = max(2.0, float(int(max(values) + 0.999)))
    left, width, line, top = 170.0, 420.0, 30, 34
    height = top + line * max(1, len(rows)) + 46
    title = "Calibration: mean difference between manager and self-ratings, per manager"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="calibration-chart" '
        f'viewBox="0 0 720 {height}" width="720" height="{height}" role="img" '
        f'aria-labelledby="calibration-title">'
        f'<title id="calibration-title">{escape(title)}</title>'
    ]
    bottom = top + line * max(1, len(rows))
    tick = low
    while tick <= high:
        x = _x(tick, low, high, left, width)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#d0d7de" '
            f'stroke-width="{1.5 if tick == 0 else 0.5}"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" '
            f'fill="#24292f">{signed(tick) if tick else "0"}</text>'
        )
        tick += 0.5 if high - low <= 4 else 1.0
    if report.org_mean_difference is not None:
        x = _x(report.org_mean_difference, low, high, left, width)
        parts.append(
            f'<line class="org-mean" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="#57606a" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{top - 12}" font-size="11" text-anchor="middle" '
            f'fill="#57606a">org mean {signed(report.org_mean_difference)}</text>'
        )
    for index, r in enumerate(rows):
        y = top + line * index + line / 2
        mean = r.mean_difference or 0.0
        state = "flagged" if r.flagged else ("judged" if r.taking_part else "too few")
        parts.append(
            f'<g class="calibration-row" data-manager="{escape(r.manager.name)}" '
            f'data-state="{state}"><title>{escape(r.manager.name)}: mean difference '
            f"{signed(mean)} over {r.ratings} ratings ({state})</title>"
            f'<text x="{left - 10}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#24292f">{escape(r.manager.name)}</text>'
        )
        if r.band is not None:
            x1 = _x(r.band[0], low, high, left, width)
            x2 = _x(r.band[1], low, high, left, width)
            parts.append(
                f'<rect class="band" x="{x1:.1f}" y="{y - 9:.1f}" width="{x2 - x1:.1f}" '
                f'height="18" fill="#ddf4ff" stroke="#54aeff" stroke-width="0.5"/>'
            )
        xa = _x(mean - (r.spread or 0), low, high, left, width)
        xb = _x(mean + (r.spread or 0), low, high, left, width)
        parts.append(
            f'<line x1="{xa:.1f}" y1="{y:.1f}" x2="{xb:.1f}" y2="{y:.1f}" stroke="#24292f"/>'
        )
        colour = "#cf222e" if r.flagged else "#0969da"
        fill = colour if r.taking_part else "#ffffff"
        x = _x(mean, low, high, left, width)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{fill}" stroke="{colour}" '
            f'stroke-width="2"/><text x="{left + width + 10}" y="{y + 4:.1f}" font-size="12" '
            f'fill="{colour}">{signed(mean)}{" flagged" if r.flagged else ""}</text></g>'
        )
    parts.append(
        f'<text x="{left}" y="{bottom + 34}" font-size="11" fill="#57606a">'
        "← manager rates lower than the person (severe) · higher (lenient) →</text></svg>"
    )
    return "".join(parts)
