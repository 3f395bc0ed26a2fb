"""Pages and CSV downloads for calibration, skill gaps and evidence coverage. Views call a
selector and render; who appears is decided by the report scope inside the selectors."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from ladders.accounts.permissions import is_admin

from .calibration import calibration_report, calibration_svg, signed, versus_self
from .evidence import EvidenceCoverage
from .evidence import evidence_coverage as coverage_of
from .gaps import gaps_svg
from .gaps import skill_gaps as gaps_of
from .scope import report_people, reports_required


def _safe(text: str) -> str:
    """Keep spreadsheets from running a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _csv(filename: str, header: list[str], rows: Iterable[Iterable[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


@reports_required
def calibration(request: HttpRequest) -> HttpResponse:
    report = calibration_report(user=request.user)
    rows = [
        (
            r,
            signed(r.mean_difference),
            signed(r.delta_vs_org),
            signed(r.others_mean),
            signed(r.distance),
        )
        for r in report.rows
    ]
    return render(
        request,
        "reports/calibration.html",
        {
            "report": report,
            "rows": rows,
            "org_mean": versus_self(report.org_mean_difference),
            "chart": mark_safe(calibration_svg(report)) if report.rows else "",
            "whole_org": is_admin(request.user),
        },
    )


@reports_required
def calibration_csv(request: HttpRequest) -> HttpResponse:
    report = calibration_report(user=request.user)
    header = [
        "manager",
        "email",
        "people_rated",
        "check_ins",
        "ratings",
        "mean_difference",
        "spread",
        "mean_rating",
        "compared_ratings",
        "delta_vs_org",
        "others_mean",
        "others_spread",
        "distance",
        "flagged",
    ]
    rows = (
        [
            _safe(r.manager.name),
            _safe(r.manager.email),
            r.people,
            r.check_ins,
            r.ratings,
            _number(r.mean_difference),
            _number(r.spread),
            _number(r.mean_rating),
            "" if r.compared is None else r.compared,
            _number(r.delta_vs_org),
            _number(r.others_mean),
            _number(r.others_spread),
            _number(r.distance),
            "yes" if r.flagged else "no",
        ]
        for r in report.rows
    )
    return _csv("ladders-calibration.csv", header, rows)


@reports_required
def skill_gaps(request: HttpRequest) -> HttpResponse:
    teams = gaps_of(user=request.user)
    return render(
        request,
        "reports/gaps.html",
        {
            "teams": [(t, mark_safe(gaps_svg(t)) if t.gaps else "") for t in teams],
            "whole_org": is_admin(request.user),
        },
    )


@reports_required
def skill_gaps_csv(request: HttpRequest) -> HttpResponse:
    header = ["team", "requirement", "skill", "milestone", "points", "missing", "of", "who"]
    rows = (
        [
            _safe(team.name),
            _safe(g.requirement.label),
            g.requirement.skill,
            g.requirement.milestone or "",
            g.requirement.points or "",
            len(g.missing),
            g.of,
            _safe("; ".join(p.name for p in g.missing)),
        ]
        for team in gaps_of(user=request.user)
        for g in team.gaps
    )
    return _csv("ladders-skill-gaps.csv", header, rows)


def _coverage(request: HttpRequest) -> EvidenceCoverage:
    people = report_people(request.user).select_related("team").order_by("name", "id")
    return coverage_of(viewer=request.user, people=people)


@reports_required
def evidence_coverage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/evidence.html",
        {"coverage": _coverage(request), "whole_org": is_admin(request.user)},
    )


@reports_required
def evidence_coverage_csv(request: HttpRequest) -> HttpResponse:
    coverage = _coverage(request)
    header = [
        "person",
        "email",
        "team",
        "attainments",
        "without_evidence",
        "only_old_evidence",
        "covered",
        "share_covered",
        "latest_evidence",
    ]
    rows = (
        [
            _safe(r.person.name),
            _safe(r.person.email),
            _safe(r.person.team.name) if r.person.team else "",
            r.attainments,
            r.without_evidence,
            r.only_old,
            r.covered,
            f"{r.share:.2f}",
            r.latest.isoformat() if r.latest else "",
        ]
        for r in coverage.rows
    )
    return _csv("ladders-evidence-coverage.csv", header, rows)
