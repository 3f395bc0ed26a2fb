"""The framework Health page: every finding, grouped by kind and then by skill, with counts.

Any member of the organisation may read it (it is about the framework, not about people); the
usage counts that involve observations are the viewer's own, through `observation_visible_q`,
and counts about people need MIN_GROUP people on the framework unless the viewer is an admin
(`ladders.reports.health`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ladders.accounts.permissions import member_required
from ladders.frameworks import health
from ladders.frameworks.health import Finding
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library.models import FrameworkVersion
from ladders.library.selectors import framework_document, framework_version_pick

from .health import framework_health as framework_health_findings

KIND_TITLES = {
    "structural": ("Structure", "What the document itself gets wrong or leaves out."),
    "writing": ("Writing", "Words that are vague, repeated, misspelt or too long."),
    "usage": ("Usage", "How the organisation uses the framework: people, levels and evidence."),
}
OTHER_GROUPS = {
    "tracks": "Tracks and levels",
    "scoring": "Scoring",
    "categories": "Categories",
}


@dataclass(frozen=True)
class Row:
    finding: Finding
    href: str


@dataclass(frozen=True)
class Group:
    title: str
    href: str
    rows: list[Row]


@dataclass(frozen=True)
class Section:
    kind: str
    title: str
    about: str
    groups: list[Group]

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def finding_href(doc: FrameworkDoc, key: str, finding: Finding, query: str = "") -> str:
    """Where a reader goes to fix a finding: the skill (at its milestone) or the track level."""
    loc = finding.location
    if len(loc) >= 2 and loc[0] == "skills" and isinstance(loc[1], int):
        skill = doc.skills[loc[1]]
        url = reverse("skill-detail", args=[key, skill.key]) + query
        if len(loc) >= 4 and loc[2] == "milestones" and isinstance(loc[3], int):
            url += f"#milestone-{skill.milestones[loc[3]].number}"
        return url
    if len(loc) >= 2 and loc[0] == "tracks" and isinstance(loc[1], int):
        url = reverse("track-detail", args=[key, doc.tracks[loc[1]].key]) + query
        if len(loc) >= 4 and loc[2] == "levels" and isinstance(loc[3], int):
            url += f"#level-{loc[3]}"
        return url
    anchor = {"scoring": "#scoring", "tracks": "#tracks", "skills": "#skills"}.get(
        str(loc[0]) if loc else "", ""
    )
    return reverse("framework-detail", args=[key]) + query + anchor


def _group_of(finding: Finding) -> str:
    if finding.skill:
        return f"skill:{finding.skill}"
    head = str(finding.location[0]) if finding.location else ""
    return head if head in OTHER_GROUPS else "framework"


def health_sections(
    doc: FrameworkDoc, key: str, findings: list[Finding], query: str = ""
) -> list[Section]:
    """Findings by kind; within a kind, by skill in document order, then the rest."""
    order = [f"skill:{s.key}" for s in doc.skills] + [*OTHER_GROUPS, "framework"]
    titles = {f"skill:{s.key}": s.name for s in doc.skills} | OTHER_GROUPS
    titles["framework"] = "The framework as a whole"
    sections = []
    for kind, (title, about) in KIND_TITLES.items():
        rows: dict[str, list[Row]] = {}
        for f in health.by_severity(x for x in findings if x.kind == kind):
            rows.setdefault(_group_of(f), []).append(Row(f, finding_href(doc, key, f, query)))
        groups = [
            Group(
                titles.get(name, name),
                reverse("skill-detail", args=[key, name[6:]]) + query
                if name.startswith("skill:") and name in titles
                else "",
                rows[name],
            )
            for name in [*order, *sorted(set(rows) - set(order))]
            if name in rows
        ]
        sections.append(Section(kind, title, about, groups))
    return sections


def _version(request: HttpRequest, key: str) -> tuple[FrameworkVersion | None, str]:
    raw = request.GET.get("version", "").strip()
    if not raw:
        return framework_version_pick(key=key), ""
    if not raw.isdigit() or int(raw) < 1:
        return None, f"“{raw}” is not a version number: use 1, 2, 3…"
    return framework_version_pick(key=key, number=int(raw)), ""


@member_required
def framework_health(request: HttpRequest, key: str) -> HttpResponse:
    version, problem = _version(request, key)
    if version is None:
        message = problem or f"There is no framework with the key “{key}”, or not that version."
        links = [("All frameworks", reverse("home"))]
        return render(
            request, "library/missing.html", {"message": message, "links": links}, status=404
        )
    doc = framework_document(version)
    framework = version.framework
    latest = int(getattr(version, "latest_number", version.number))
    query = "" if version.number == latest else f"?version={version.number}"
    findings = framework_health_findings(user=request.user, framework=framework, doc=doc)
    context = {
        "framework": framework,
        "version": version,
        "doc": doc,
        "vq": query,
        "is_latest": version.number == latest,
        "sections": health_sections(doc, key, findings, query),
        "counts": health.counts(findings),
        "severities": health.SEVERITIES,
        "summary": [
            (
                title,
                kind,
                [
                    sum(f.kind == kind and f.severity == s for f in findings)
                    for s in health.SEVERITIES
                ],
                sum(f.kind == kind for f in findings),
            )
            for kind, (title, _) in KIND_TITLES.items()
        ],
    }
    return render(request, "reports/health.html", context)
