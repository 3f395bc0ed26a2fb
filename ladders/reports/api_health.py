"""GET /frameworks/{key}/health: the findings of the framework Health page, as JSON.

Who may call is what the page allows: any member of the organisation; an outsider gets 403.
Usage counts that involve observations are the caller's own (only observations they may see);
counts about people need MIN_GROUP people on the framework unless the caller is an admin.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from ladders.api.errors import errors, not_found
from ladders.api.schemas import example
from ladders.frameworks import health
from ladders.library.api_common import KEY_PATH, member_only
from ladders.library.api_schemas import MAX_NUMBER
from ladders.library.selectors import framework_document, framework_version_pick

from .health import MIN_GROUP, framework_health

router = Router(tags=["reports"])

KindName = Literal["structural", "writing", "usage"]
SeverityName = Literal["error", "warning", "info"]


class FindingOut(Schema):
    model_config = example(
        kind="writing",
        rule="vague-signal",
        severity="warning",
        path="skills.code-quality.milestones[2].signals[0]",
        text="Writes beautiful code",
        message='this signal praises ("beautiful") but names no behaviour anyone could '
        "observe: say what the person does and what comes of it",
        skill="code-quality",
    )
    kind: KindName = Field(description="structural, writing or usage.")
    rule: str = Field(description="The id of the rule that found it.")
    severity: SeverityName = Field(
        description="error: cannot work as written; warning: probably wrong; info: worth a look."
    )
    path: str = Field(
        description="Where in the framework file: skills, tracks and categories by key, "
        "everything else by zero-based position (`milestones[4]` is the fifth milestone)."
    )
    text: str = Field(description="The text the finding is about; empty when it is structure.")
    message: str = Field(
        description="What is wrong and why, in plain words, naming skills, categories, tracks "
        "and levels by name."
    )
    skill: str = Field(description="The key of the skill it concerns; empty if none.")


class HealthCountsOut(Schema):
    model_config = example(structural=3, writing=2, usage=9, error=0, warning=4, info=10, total=14)
    structural: int
    writing: int
    usage: int
    error: int
    warning: int
    info: int
    total: int


class HealthOut(Schema):
    model_config = example(
        framework="ladders-starter",
        version=1,
        counts={
            "structural": 1,
            "writing": 0,
            "usage": 1,
            "error": 0,
            "warning": 0,
            "info": 2,
            "total": 2,
        },
        findings=[
            {
                "kind": "structural",
                "rule": "unused-skill",
                "severity": "info",
                "path": "skills.reliability",
                "text": "Operations and reliability",
                "message": "no level of any track requires a milestone of Operations and "
                "reliability; it only counts towards readiness through the points levels ask for "
                "in the Delivery category and in total",
                "skill": "reliability",
            },
            {
                "kind": "usage",
                "rule": "level-unheld",
                "severity": "info",
                "path": "tracks.engineer.levels[5]",
                "text": "IC6 Principal Engineer",
                "message": "nobody holds level IC6 of the Engineer track",
                "skill": "",
            },
        ],
    )
    framework: str = Field(description="The framework's key.")
    version: int = Field(description="The version whose document was checked.")
    counts: HealthCountsOut = Field(description="Findings by kind and severity (after filters).")
    findings: list[FindingOut] = Field(description="Structural, then writing, then usage.")


Key = Path(..., description="The framework's key.", **KEY_PATH)
VersionQuery = Query(
    None, ge=1, le=MAX_NUMBER, description="A version number; the latest when left out."
)
KindQuery = Query(None, description="Only findings of this kind.")
SkillQuery = Query(None, description="Only findings about this skill (its key).", **KEY_PATH)


@router.get(
    "/frameworks/{key}/health",
    response={200: HealthOut, **errors(403, 404, 422)},
    summary="Framework health",
    description="Every finding about a framework: structure and writing of the document (the "
    "latest version unless `version` names another) and usage by the organisation. "
    "Observation counts include only observations the caller may see. On a framework with "
    f"fewer than {MIN_GROUP} people, callers other than organisation admins get no findings "
    "about milestones reached or levels held, only a `too-few-people` note. `kind` and `skill` "
    "narrow the findings; 404 when the framework, version or skill does not exist.",
)
def framework_health_get(
    request: HttpRequest,
    key: str = Key,
    version: int | None = VersionQuery,
    kind: KindName | None = KindQuery,
    skill: str | None = SkillQuery,
) -> HealthOut:
    member_only(request)
    picked = framework_version_pick(key=key, number=version)
    if picked is None:
        raise not_found("framework" if version is None else "version of that framework")
    doc = framework_document(picked)
    if skill is not None and doc.skill(skill) is None:
        raise not_found("skill in that version of the framework")
    findings = framework_health(user=request.user, framework=picked.framework, doc=doc)
    kept = [
        f
        for f in findings
        if (kind is None or f.kind == kind) and (skill is None or f.skill == skill)
    ]
    return HealthOut(
        framework=picked.framework.key,
        version=picked.number,
        counts=HealthCountsOut(**health.counts(kept)),
        findings=[FindingOut(**f.as_dict()) for f in kept],
    )
