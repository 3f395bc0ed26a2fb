"""Framework pages. Views parse, call a selector or the domain core, and render.

Every page reads one published version: the latest, or the one `?version=N` names. Documents come
from `selectors.framework_document`, which validates each version once per process.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ladders.accounts.permissions import is_editor, member_required
from ladders.frameworks import compare, health, scoring, search
from ladders.frameworks import diff as framework_diff
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.frameworks.model import Level, Milestone, Skill, Track
from ladders.reports.health import MIN_GROUP, framework_health, framework_usage_counts
from ladders.reports.health_views import finding_href

from . import selectors
from .models import Framework, FrameworkVersion


class Missing(Exception):
    """What the address names does not exist: shown as a 404 page saying what and where to go."""

    def __init__(self, message: str, links: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.links = links or []


def _helpful_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Missing as exc:
            context = {"message": exc.message, "links": exc.links}
            return render(request, "library/missing.html", context, status=404)

    return wrapped


@dataclass(frozen=True)
class Page:
    """The version a page shows, and how its links keep showing that version."""

    framework: Framework
    version: FrameworkVersion
    doc: FrameworkDoc
    latest_number: int

    @property
    def is_latest(self) -> bool:
        return self.version.number == self.latest_number

    @property
    def query(self) -> str:
        """What links append to stay on this version ("" for the latest)."""
        return "" if self.is_latest else f"?version={self.version.number}"

    def url(self, name: str, *args: str, fragment: str = "") -> str:
        anchor = f"#{fragment}" if fragment else ""
        return reverse(name, args=[self.framework.key, *args]) + self.query + anchor

    def context(self, **extra: object) -> dict[str, object]:
        return {
            "framework": self.framework,
            "version": self.version,
            "doc": self.doc,
            "page": self,
            "vq": self.query,
            **extra,
        }


def _number(raw: str | None, what: str) -> int | None:
    """A version number from the query string; None when not given."""
    if raw is None or raw.strip() == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"{what} “{raw}” is not a version number: use 1, 2, 3…")
    return number


def _page(request: HttpRequest, key: str) -> Page:
    try:
        number = _number(request.GET.get("version"), "Version")
    except ValueError as exc:
        back = [("The latest version", reverse("framework-detail", args=[key]))]
        raise Missing(str(exc), back) from None
    version = selectors.framework_version_pick(key=key, number=number)
    if version is None:
        framework = selectors.framework_get(key=key)
        if framework is None or number is None:
            raise Missing(
                f"There is no framework with the key “{key}”.",
                [("All frameworks", reverse("home"))],
            )
        raise Missing(
            f"{framework.name} has no version {number}.",
            [
                ("The latest version", reverse("framework-detail", args=[key])),
                ("Every version", reverse("framework-versions", args=[key])),
            ],
        )
    latest = int(getattr(version, "latest_number", version.number))
    return Page(version.framework, version, selectors.framework_document(version), latest)


def _did_you_mean(
    word: str, choices: dict[str, str], page: Page, name: str
) -> list[tuple[str, str]]:
    """Links to the places whose keys look like `word`, then back to the framework."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    links = [(f"Did you mean {choices[k]}?", page.url(name, k)) for k in close]
    return [*links, (f"{page.doc.name} overview", page.url("framework-detail"))]


# --- home and overview -------------------------------------------------------------------------


@member_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/home.html",
        {"frameworks": selectors.framework_list(), "can_edit": is_editor(request.user)},
    )


def _points_table(doc: FrameworkDoc) -> list[tuple[int, int, int]]:
    """(milestone, points it gives, what a skill at it is worth) for the scoring table."""
    numbers = sorted(doc.scoring.points)
    table_skill = Skill(
        key="table",
        name="table",
        category="table",
        milestones=[Milestone(number=n) for n in numbers],
    )
    return [
        (
            m.number,
            scoring.milestone_points(doc, table_skill, m),
            scoring.skill_points(doc, table_skill, m.number),
        )
        for m in table_skill.milestones
    ]


def _level_links(page: Page, code: str) -> list[tuple[Track, str]]:
    return [
        (track, page.url("track-detail", track.key, fragment=f"level-{i}"))
        for track in page.doc.tracks
        for i, level in enumerate(track.levels)
        if level.code == code
    ]


def _track_name(doc: FrameworkDoc, key: str | None) -> str:
    track = doc.track(key) if key else None
    return track.name if track else ""


def _title_range(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}–{high}"


@member_required
@_helpful_404
def framework_detail(request: HttpRequest, key: str) -> HttpResponse:
    page = _page(request, key)
    doc = page.doc
    categories = [
        (category, [s for s in doc.skills if s.category == category.key])
        for category in doc.categories
    ]
    titles = [
        (
            title,
            _title_range(title.min_points, title.max_points),
            _track_name(doc, title.track),
        )
        for title in doc.scoring.titles
    ]
    thresholds = [
        (t, _level_links(page, t.code))
        for t in sorted(doc.scoring.levels, key=lambda t: t.min_points)
    ]
    caps = [
        (doc.category(k).name if doc.category(k) else k, v)  # type: ignore[union-attr]
        for k, v in doc.scoring.category_caps.items()
    ]
    context = page.context(
        categories=categories,
        points_table=_points_table(doc),
        overridden=any(m.points is not None for s in doc.skills for m in s.milestones),
        max_points=scoring.max_total_points(doc),
        thresholds=thresholds,
        titles=titles,
        caps=caps,
        can_edit=is_editor(request.user),
        publisher=selectors.version_publisher(page.version),
    )
    return render(request, "library/framework_detail.html", context)


# --- skills ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    points: int  # what reaching it adds (cumulative) or is worth (highest)
    total: int  # what the skill is worth at this milestone
    attained: int  # people on the framework whose highest certified milestone is this or above


@member_required
@_helpful_404
def skill_detail(request: HttpRequest, key: str, skill_key: str) -> HttpResponse:
    page = _page(request, key)
    doc = page.doc
    index = next((i for i, s in enumerate(doc.skills) if s.key == skill_key), None)
    if index is None:
        raise Missing(
            f"{doc.name} (version {page.version.number}) has no skill “{skill_key}”.",
            _did_you_mean(skill_key, {s.key: s.name for s in doc.skills}, page, "skill-detail"),
        )
    skill = doc.skills[index]
    counts = framework_usage_counts(user=request.user, framework=page.framework)
    # the same "reached it or above" count the usage findings quote, so the two never disagree
    milestones = [
        MilestoneRow(
            m,
            scoring.milestone_points(doc, skill, m),
            scoring.skill_points(doc, skill, m.number),
            counts.reached_count(skill.key, m.number),
        )
        for m in sorted(skill.milestones, key=lambda m: m.number)
    ]
    required_by = [
        (track, rows)
        for track in doc.tracks
        if (
            rows := [
                (i, level, number, skill.milestone(number) is not None)
                for i, level in enumerate(track.levels)
                if (number := level.requirements.milestones.get(skill.key)) is not None
            ]
        )
    ]
    findings = health.for_skill(
        framework_health(user=request.user, framework=page.framework, doc=doc, counts=counts),
        skill.key,
    )
    checks = []
    for kind, title in (("structural", "Structure"), ("writing", "Writing"), ("usage", "Usage")):
        mine = health.by_severity(f for f in findings if f.kind == kind)
        rows = [(f, finding_href(doc, key, f, page.query)) for f in mine]
        # structural notes (info) are not problems, so "no structural problem" still holds
        troubled = any(f.severity != "info" for f in mine) if kind == "structural" else bool(mine)
        checks.append((kind, title, rows, troubled))
    context = page.context(
        skill=skill,
        category=doc.category(skill.category),
        milestones=milestones,
        max_points=scoring.skill_max_points(doc, skill),
        required_by=required_by,
        observations=counts.observations.get(skill.key, 0),
        people=counts.people,
        # fewer than MIN_GROUP people and not an admin: no table, only the note (no number)
        withheld=counts.withheld,
        min_group=MIN_GROUP,
        checks=checks,
        findings=len(findings),
        previous=doc.skills[index - 1] if index > 0 else None,
        next=doc.skills[index + 1] if index + 1 < len(doc.skills) else None,
    )
    return render(request, "library/skill_detail.html", context)


# --- tracks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRow:
    index: int
    level: Level
    previous: Level | None
    expectations: list[tuple[str, list[str]]]
    requirements: list[compare.Requirement]


def _track(page: Page, track_key: str) -> Track:
    track = page.doc.track(track_key)
    if track is None:
        raise Missing(
            f"{page.doc.name} (version {page.version.number}) has no track “{track_key}”.",
            _did_you_mean(
                track_key, {t.key: t.name for t in page.doc.tracks}, page, "track-detail"
            ),
        )
    return track


@member_required
@_helpful_404
def track_detail(request: HttpRequest, key: str, track_key: str) -> HttpResponse:
    page = _page(request, key)
    track = _track(page, track_key)
    levels = [
        LevelRow(
            i,
            level,
            track.levels[i - 1] if i else None,
            compare.grouped_expectations(level),
            compare.level_requirements(page.doc, level),
        )
        for i, level in enumerate(track.levels)
    ]
    context = page.context(
        track=track,
        levels=levels,
        lower_code=track.levels[0].code if track.levels else "",
        higher_code=track.levels[1].code if len(track.levels) > 1 else "",
    )
    return render(request, "library/track_detail.html", context)


class _BadPair(ValueError):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _compare_pair(track: Track, raw_from: str | None, raw_to: str | None) -> tuple[int, int]:
    """Indexes (lower, higher) of the two levels named by `from` and `to`, in either order; the
    first two levels when neither is given."""
    if not raw_from and not raw_to:
        return 0, 1
    codes = ", ".join(lv.code for lv in track.levels)
    found = []
    for what, raw in (("from", raw_from), ("to", raw_to)):
        if not raw:
            raise _BadPair(f"Choose a level to compare {what}.", 400)
        index = track.level_index(raw.strip())
        if index is None:
            raise _BadPair(f"{track.name} has no level “{raw}”. Its levels are {codes}.", 404)
        found.append(index)
    if found[0] == found[1]:
        raise _BadPair("Choose two different levels to compare.", 400)
    return min(found), max(found)


def _milestones_gained(doc: FrameworkDoc, row: compare.RequirementRow) -> list[Milestone]:
    """The milestones a rising skill requirement newly asks for, so a reader sees what they say."""
    skill = doc.skill(row.key) if row.kind == "milestone" else None
    if skill is None or row.higher is None or row.state == "removed":
        return []
    below = row.lower or 0
    return [m for m in skill.milestones if below < m.number <= row.higher]


@member_required
@_helpful_404
def track_compare(request: HttpRequest, key: str, track_key: str) -> HttpResponse:
    page = _page(request, key)
    track = _track(page, track_key)
    raw_from, raw_to = request.GET.get("from"), request.GET.get("to")
    context = page.context(
        track=track, lower_code=raw_from or "", higher_code=raw_to or "", comparison=None
    )
    if len(track.levels) < 2:
        context["error"] = f"{track.name} has fewer than two levels: there is nothing to compare."
        return render(request, "library/track_compare.html", context)
    try:
        i, j = _compare_pair(track, raw_from, raw_to)
    except _BadPair as exc:
        codes = [lv.code for lv in track.levels]
        context.update(
            error=str(exc),
            lower_code=raw_from if raw_from in codes else codes[0],
            higher_code=raw_to if raw_to in codes and raw_to != raw_from else codes[1],
        )
        return render(request, "library/track_compare.html", context, status=exc.status)
    lower, higher = track.levels[i], track.levels[j]
    comparison = compare.compare_levels(page.doc, lower, higher)
    context.update(
        comparison=comparison,
        requirements=[(r, _milestones_gained(page.doc, r)) for r in comparison.requirements],
        lower_index=i,
        higher_index=j,
        lower_code=lower.code,
        higher_code=higher.code,
        swapped=bool(raw_from and raw_from.strip() == higher.code),
        previous_pair=(track.levels[i - 1], track.levels[j - 1]) if i > 0 else None,
        next_pair=(track.levels[i + 1], track.levels[j + 1]) if j + 1 < len(track.levels) else None,
    )
    return render(request, "library/track_compare.html", context)


# --- search ------------------------------------------------------------------------------------


@member_required
@_helpful_404
def framework_search(request: HttpRequest, key: str) -> HttpResponse:
    page = _page(request, key)
    query = request.GET.get("q", "")
    results = search.search(page.doc, query) if query.strip() else None
    context = page.context(query=query, results=results, min_length=search.MIN_QUERY_LENGTH)
    return render(request, "library/search.html", context)


# --- versions and diffs ------------------------------------------------------------------------


def _history(key: str) -> list[FrameworkVersion]:
    versions = selectors.framework_version_history(key=key)
    if not versions:
        raise Missing(
            f"There is no framework with the key “{key}”.", [("All frameworks", reverse("home"))]
        )
    return versions


@member_required
@_helpful_404
def framework_versions(request: HttpRequest, key: str) -> HttpResponse:
    versions = _history(key)
    rows = [
        (
            v,
            selectors.version_publisher(v),
            selectors.changelog_sections(v.changelog),
            versions[i + 1].number if i + 1 < len(versions) else None,
            selectors.changelog_note(v.changelog),
        )
        for i, v in enumerate(versions)
    ]
    context = {
        "framework": versions[0].framework,
        "rows": rows,
        "numbers": [v.number for v in versions],
        "from_number": versions[1].number if len(versions) > 1 else versions[0].number,
        "to_number": versions[0].number,
    }
    return render(request, "library/versions.html", context)


@dataclass(frozen=True)
class ChangeView:
    change: framework_diff.Change
    label: str
    href: str


def _renamed_to(change: framework_diff.Change, ref: str) -> str:
    """The key a renamed skill has now (its detail reads "key: old → new")."""
    for detail in change.details:
        if detail.startswith("key: ") and " → " in detail:
            return detail.split(" → ", 1)[1]
    return ref


def _change_view(
    change: framework_diff.Change, old: FrameworkDoc, new: FrameworkDoc, key: str, query: str
) -> ChangeView:
    """A change with a readable label and, when the thing still exists, a link to it."""
    _, _, ref = change.subject.partition(" ")
    head, _, tail = ref.partition("/")  # milestone skill/number, level track/code

    def url(name: str, *args: str, fragment: str = "") -> str:
        return reverse(name, args=[key, *args]) + query + fragment

    if change.area == "skill":
        now = _renamed_to(change, ref)
        skill = old.skill(ref) or new.skill(now)
        label = f"Skill {skill.name}" if skill else change.subject
        return ChangeView(change, label, url("skill-detail", now) if new.skill(now) else "")
    if change.area == "milestone":
        skill = new.skill(head) or old.skill(head)
        label = f"Milestone {tail} of {skill.name if skill else head}"
        href = url("skill-detail", head, fragment=f"#milestone-{tail}") if new.skill(head) else ""
        return ChangeView(change, label, href)
    if change.area in ("track", "level"):
        track_key = ref if change.area == "track" else head
        track = new.track(track_key) or old.track(track_key)
        name = track.name if track else track_key
        label = f"Track {name}" if change.area == "track" else f"Level {tail} of {name}"
        current = new.track(track_key)
        if current is None:
            return ChangeView(change, label, "")
        index = current.level_index(tail) if change.area == "level" else None
        fragment = f"#level-{index}" if index is not None else ""
        return ChangeView(change, label, url("track-detail", track_key, fragment=fragment))
    if change.area == "category":
        category = new.category(ref) or old.category(ref)
        label = f"Category {category.name}" if category else change.subject
        href = url("framework-detail", fragment=f"#category-{ref}") if new.category(ref) else ""
        return ChangeView(change, label, href)
    return ChangeView(change, change.subject[:1].upper() + change.subject[1:], "")


def _diff_numbers(request: HttpRequest, numbers: list[int]) -> tuple[int, int]:
    """The two version numbers to compare; by default the latest against the one before it."""
    default_to = numbers[0]
    default_from = numbers[1] if len(numbers) > 1 else numbers[0]
    old = _number(request.GET.get("from"), "From") or default_from
    new = _number(request.GET.get("to"), "To") or default_to
    listed = ", ".join(str(n) for n in sorted(numbers))
    for number in (old, new):
        if number not in numbers:
            raise ValueError(f"There is no version {number}. The published versions are {listed}.")
    return old, new


@member_required
@_helpful_404
def framework_diff_view(request: HttpRequest, key: str) -> HttpResponse:
    versions = _history(key)
    framework = versions[0].framework
    numbers = [v.number for v in versions]
    context: dict[str, object] = {
        "framework": framework,
        "numbers": numbers,
        "from_number": request.GET.get("from", ""),
        "to_number": request.GET.get("to", ""),
        "groups": [],
    }
    try:
        old_number, new_number = _diff_numbers(request, numbers)
    except ValueError as exc:
        context["error"] = str(exc)
        return render(request, "library/diff.html", context, status=404)
    docs = selectors.framework_version_documents(
        framework=framework, numbers=[old_number, new_number]
    )
    old, new = docs[old_number], docs[new_number]
    changes = framework_diff.diff(old, new)
    query = "" if new_number == numbers[0] else f"?version={new_number}"
    views = [_change_view(c, old, new, key, query) for c in changes]
    kinds = [
        (framework_diff.ChangeKind.ADDED, "Added"),
        (framework_diff.ChangeKind.RENAMED, "Renamed"),
        (framework_diff.ChangeKind.CHANGED, "Changed"),
        (framework_diff.ChangeKind.REMOVED, "Removed"),
    ]
    context.update(
        from_number=old_number,
        to_number=new_number,
        changes=changes,
        groups=[(title, [v for v in views if v.change.kind is kind]) for kind, title in kinds],
        from_version=next(v for v in versions if v.number == old_number),
        to_version=next(v for v in versions if v.number == new_number),
    )
    return render(request, "library/diff.html", context)
