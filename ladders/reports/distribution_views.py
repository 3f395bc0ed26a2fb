"""Pages and CSV downloads for level distribution and time in level. Views parse the filters,
call a selector from `distribution` and render; who appears is decided by the report scope."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from ladders.accounts.permissions import is_admin

from . import distribution as dist
from . import distribution_charts as drawing
from .scope import reports_required


def _filters(request: HttpRequest) -> tuple[str, str]:
    return request.GET.get("team", "").strip(), request.GET.get("track", "").strip()


def _check(
    team: str, track: str, teams: Iterable[dist.TeamRef], tracks: Iterable[dist.TrackInfo]
) -> None:
    """An unknown filter is a broken link, not an empty report."""
    if team and team not in {t.slug for t in teams}:
        raise Http404(f"No team {team!r} among the people in your reports")
    if track and track not in {t.slug for t in tracks}:
        raise Http404(f"No track {track!r} among the people in your reports")


def _safe(text: str) -> str:
    """Keep spreadsheets from running a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(filename: str, header: list[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _context(request: HttpRequest, team: str, track: str) -> dict[str, object]:
    return {
        "team": team,
        "track": track,
        "query": request.GET.urlencode(),
        "whole_org": is_admin(request.user),
    }


@reports_required
def level_distribution(request: HttpRequest) -> HttpResponse:
    team, track = _filters(request)
    report = dist.level_distribution(user=request.user, team=team, track=track)
    _check(team, track, report.team_options, report.track_options)
    colours = drawing.team_colours(report.team_options)
    charts = [(td, mark_safe(drawing.distribution_svg(td, colours))) for td in report.tracks]
    context = _context(request, team, track) | {"report": report, "charts": charts}
    return render(request, "reports/levels.html", context)


@reports_required
def level_distribution_csv(request: HttpRequest) -> HttpResponse:
    team, track = _filters(request)
    report = dist.level_distribution(user=request.user, team=team, track=track)
    _check(team, track, report.team_options, report.track_options)
    header = ["team", "track", "level", "now"] + [d.isoformat() for d in report.quarter_ends]
    rows = (
        [_safe(r.team.name), td.track.key, r.code, r.now, *r.quarters]
        for td in report.tracks
        for r in td.team_rows
    )
    return _csv("ladders-level-distribution.csv", header, rows)


@reports_required
def time_in_level(request: HttpRequest) -> HttpResponse:
    team, track = _filters(request)
    report = dist.time_in_level(user=request.user, team=team, track=track)
    _check(team, track, report.team_options, report.track_options)
    charts = [(tt, mark_safe(drawing.time_svg(tt))) for tt in report.tracks]
    context = _context(request, team, track) | {"report": report, "charts": charts}
    return render(request, "reports/time_in_level.html", context)


@reports_required
def time_in_level_csv(request: HttpRequest) -> HttpResponse:
    team, track = _filters(request)
    report = dist.time_in_level(user=request.user, team=team, track=track)
    _check(team, track, report.team_options, report.track_options)
    header = [
        "person",
        "team",
        "track",
        "level",
        "started_on",
        "months_in_level",
        "usual_months",
        "rule",
        "past_typical",
    ]
    rows = (
        [
            _safe(p.person.name),
            _safe(p.person.team.name),
            p.track.key,
            p.code,
            p.started_on.isoformat(),
            p.months,
            p.typical_months,
            "median of moves up" if p.typical_is_median else f"{dist.FALLBACK_MONTHS}-month rule",
            "yes" if p.past_typical else "no",
        ]
        for p in report.people
    )
    return _csv("ladders-time-in-level.csv", header, rows)
