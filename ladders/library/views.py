"""Framework pages. Views parse, call a selector and render; rules live in the domain core."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ladders.accounts.permissions import member_required
from ladders.frameworks import scoring

from . import selectors


@member_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "library/home.html", {"frameworks": selectors.framework_list()})


@member_required
def framework_detail(request: HttpRequest, key: str) -> HttpResponse:
    framework = selectors.framework_get(key=key)
    version = selectors.framework_version_get(framework=framework) if framework else None
    if version is None:
        raise Http404("No such framework")
    doc = selectors.framework_document(version)
    skills_by_category = [
        (category, [s for s in doc.skills if s.category == category.key])
        for category in doc.categories
    ]
    milestone_rows = [
        (skill, [(m, scoring.milestone_points(doc, skill, m)) for m in skill.milestones])
        for skill in doc.skills
    ]
    return render(
        request,
        "library/framework_detail.html",
        {
            "framework": framework,
            "version": version,
            "doc": doc,
            "skills_by_category": skills_by_category,
            "milestone_rows": milestone_rows,
            "max_points": scoring.max_total_points(doc),
        },
    )
