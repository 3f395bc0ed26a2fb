"""Reading frameworks: the list, one framework at a version, its versions, the changes between
two versions, search and export. Any member of the organisation may read, as in the pages."""

import io
import zipfile
from datetime import date

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router
from ninja.pagination import paginate

from ladders.accounts.permissions import is_editor
from ladders.api.errors import ApiError, ErrorOut, errors, not_found
from ladders.frameworks import diff as framework_diff
from ladders.frameworks import scoring, search
from ladders.frameworks.formats import document as document_format
from ladders.frameworks.formats import markdown, table
from ladders.frameworks.formats.html import render_site
from ladders.frameworks.model import Framework as FrameworkDoc

from . import selectors
from .api_common import KEY_PATH, SafeCursor, member_only
from .api_schemas import (
    MAX_NUMBER,
    ExportFormat,
    FrameworkChangeOut,
    FrameworkDetailOut,
    FrameworkDiffOut,
    FrameworkOut,
    FrameworkSearchOut,
    FrameworkVersionDetailOut,
    FrameworkVersionOut,
    SearchHitOut,
    SearchLevelOut,
    SearchPartOut,
    SearchSkillOut,
    Text,
)
from .models import Draft, Framework, FrameworkVersion

router = Router()  # tagged "frameworks" by the router in api.py

Key = Path(..., description="The framework's key.", **KEY_PATH)
VersionQuery = Query(
    None, ge=1, le=MAX_NUMBER, description="A version number; the latest when left out."
)
NameQuery = Query(None, max_length=200, description="Part of the name or key.")
TemplateQuery = Query(None, description="Only templates (true) or only the others (false).")
SinceQuery = Query(None, description="Published on or after this day.")
UntilQuery = Query(None, description="Published on or before this day.")
FromQuery = Query(None, alias="from", ge=1, le=MAX_NUMBER, description="The older version.")
ToQuery = Query(None, ge=1, le=MAX_NUMBER, description="The newer version.")
SearchQuery = Query(..., max_length=search.MAX_QUERY_LENGTH, description="Words to find.")
FormatQuery = Query(..., description="yaml, json, markdown (or md), csv or html.")


def _published(key: str) -> Framework:
    """A framework with at least one published version: the pages show no other."""
    framework = selectors.framework_list().filter(key=key).first()
    if framework is None:
        raise not_found("framework")
    return framework


def _pick(key: str, number: int | None) -> FrameworkVersion:
    """The version asked for (the latest by default), as the pages pick it."""
    version = selectors.framework_version_pick(key=key, number=number)
    if version is None:
        raise not_found("framework" if number is None else "version of that framework")
    return version


def _version_detail(version: FrameworkVersion) -> FrameworkVersionDetailOut:
    return FrameworkVersionDetailOut.model_validate(version)


# ------------------------------------------------------------------ frameworks


@router.get(
    "/frameworks",
    response={200: list[FrameworkOut], **errors(403, 422)},
    summary="List frameworks",
    description="Published frameworks by name. `q` finds a word in the name or key.",
)
@paginate(SafeCursor, ordering=("name", "key"))
def framework_list(
    request: HttpRequest,
    q: Text | None = NameQuery,
    template: bool | None = TemplateQuery,
) -> QuerySet[Framework]:
    member_only(request)
    frameworks = selectors.framework_list()
    if q and q.strip():
        frameworks = frameworks.filter(Q(name__icontains=q.strip()) | Q(key__icontains=q.strip()))
    if template is not None:
        frameworks = frameworks.filter(is_template=template)
    return frameworks


@router.get(
    "/frameworks/{key}",
    response={200: FrameworkDetailOut, **errors(403, 404, 422)},
    summary="Get a framework",
    description="A framework with one version (the latest unless `version` names another) and "
    "its stored document.",
)
def framework_get(
    request: HttpRequest, key: str = Key, version: int | None = VersionQuery
) -> FrameworkDetailOut:
    member_only(request)
    picked = _pick(key, version)
    doc = selectors.framework_document(picked)
    framework = picked.framework
    can_edit = is_editor(request.user)
    return FrameworkDetailOut(
        key=framework.key,
        name=framework.name,
        description=doc.description,
        is_template=framework.is_template,
        created_at=framework.created_at,
        latest_version=int(getattr(picked, "latest_number", picked.number)),
        categories=len(doc.categories),
        skills=len(doc.skills),
        tracks=len(doc.tracks),
        levels=sum(len(t.levels) for t in doc.tracks),
        scoring_mode=doc.scoring.mode,
        max_points=scoring.max_total_points(doc),
        can_edit=can_edit,
        has_draft=Draft.objects.filter(framework=framework).exists() if can_edit else None,
        version=picked,  # type: ignore[arg-type]  # read by the schema's resolvers
    )


# ------------------------------------------------------------------ versions


@router.get(
    "/frameworks/{key}/versions",
    response={200: list[FrameworkVersionOut], **errors(403, 404, 422)},
    summary="List the versions of a framework",
    description="Newest first, each with its release note, changelog, date and publisher. "
    "`since` and `until` keep versions published on or between those days.",
)
@paginate(SafeCursor, ordering=("-number",))
def version_list(
    request: HttpRequest,
    key: str = Key,
    since: date | None = SinceQuery,
    until: date | None = UntilQuery,
) -> QuerySet[FrameworkVersion]:
    member_only(request)
    versions = selectors.framework_version_list(framework=_published(key))
    if since is not None:
        versions = versions.filter(published_at__date__gte=since)
    if until is not None:
        versions = versions.filter(published_at__date__lte=until)
    return versions


@router.get(
    "/frameworks/{key}/versions/{number}",
    response={200: FrameworkVersionDetailOut, **errors(403, 404, 422)},
    summary="Get a version",
    description="One published version with its stored `ladders/v1` document.",
)
def version_get(
    request: HttpRequest,
    key: str = Key,
    number: int = Path(..., ge=1, le=MAX_NUMBER, description="The version number."),
) -> FrameworkVersionDetailOut:
    member_only(request)
    return _version_detail(_pick(key, number))


@router.get(
    "/frameworks/{key}/diff",
    response={200: FrameworkDiffOut, **errors(403, 404, 422)},
    summary="Changes between two versions",
    description="What changed from version `from` to version `to` (by default the latest "
    "against the one before it), as structured changes and as a Markdown changelog.",
)
def version_diff(
    request: HttpRequest,
    key: str = Key,
    from_: int | None = FromQuery,
    to: int | None = ToQuery,
) -> FrameworkDiffOut:
    member_only(request)
    framework = _published(key)
    numbers = list(framework.versions.order_by("-number").values_list("number", flat=True))
    # as the page: by default the latest against the one before it
    old = from_ or (numbers[1] if len(numbers) > 1 else numbers[0])
    new = to or numbers[0]
    missing = [n for n in (old, new) if n not in numbers]
    if missing:
        listed = ", ".join(str(n) for n in sorted(numbers))
        raise ApiError(
            404,
            "not_found",
            f"There is no version {missing[0]}. The published versions are {listed}.",
        )
    docs = selectors.framework_version_documents(framework=framework, numbers=[old, new])
    changes = framework_diff.diff(docs[old], docs[new])
    return FrameworkDiffOut(
        key=framework.key,
        from_version=old,
        to_version=new,
        summary=framework_diff.summary(changes),
        changes=[FrameworkChangeOut(**c.as_dict()) for c in changes],
        changelog=framework_diff.render_changelog(changes),
    )


# ------------------------------------------------------------------ search


def _hits(hits: list[search.Hit]) -> list[SearchHitOut]:
    return [
        SearchHitOut(
            label=h.label,
            milestone=h.milestone,
            text="".join(p.text for p in h.parts),
            parts=[SearchPartOut(text=p.text, marked=p.marked) for p in h.parts],
        )
        for h in hits
    ]


@router.get(
    "/frameworks/{key}/search",
    response={200: FrameworkSearchOut, **errors(403, 404, 422)},
    summary="Search a framework",
    description="Skills and levels whose text holds every word of `q`, with the matching "
    "texts cut into parts so a client can mark the words.",
)
def framework_search(
    request: HttpRequest,
    key: str = Key,
    q: str = SearchQuery,
    version: int | None = VersionQuery,
) -> FrameworkSearchOut:
    member_only(request)
    picked = _pick(key, version)
    found = search.search(selectors.framework_document(picked), q)
    return FrameworkSearchOut(
        key=picked.framework.key,
        version=picked.number,
        query=found.query,
        words=list(found.words),
        hint=found.hint,
        skills=[
            SearchSkillOut(
                key=r.skill.key, name=r.skill.name, category=r.skill.category, hits=_hits(r.hits)
            )
            for r in found.skills
        ],
        levels=[
            SearchLevelOut(
                track=r.track.key,
                track_name=r.track.name,
                index=r.index,
                code=r.level.code,
                title=r.level.title,
                hits=_hits(r.hits),
            )
            for r in found.levels
        ],
    )


# ------------------------------------------------------------------ export


def _zip_site(doc: FrameworkDoc, folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in sorted(render_site(doc).items()):
            archive.writestr(f"{folder}/{path}", text)
    return out.getvalue()


# format: (content type, file extension, writer)
_WRITERS = {
    "yaml": ("application/yaml; charset=utf-8", "yaml", document_format.to_yaml),
    "json": ("application/json; charset=utf-8", "json", document_format.to_json),
    "markdown": ("text/markdown; charset=utf-8", "md", markdown.to_markdown),
    "md": ("text/markdown; charset=utf-8", "md", markdown.to_markdown),
    "csv": ("text/csv; charset=utf-8", "csv", table.to_csv),
}
_EXPORT_TYPES = {
    "application/json": {"schema": {"type": "object"}},
    "application/yaml": {"schema": {"type": "object"}},  # the same document, as YAML
    "text/markdown": {"schema": {"type": "string"}},
    "text/csv": {"schema": {"type": "string"}},
    "application/zip": {"schema": {"type": "string", "format": "binary"}},
}


@router.get(
    "/frameworks/{key}/export",
    response={403: ErrorOut, **errors(404, 422)},
    summary="Export a version",
    description="A version as a file to download: `yaml` or `json` (the `ladders/v1` "
    "document), `markdown` (or `md`), `csv` (one row per milestone text) or `html` (the static "
    "site, zipped: one folder with index.html, a page per skill and track, and level "
    "comparisons).",
    openapi_extra={
        "responses": {"200": {"description": "The file.", "content": _EXPORT_TYPES}},
    },
)
def framework_export(
    request: HttpRequest,
    key: str = Key,
    format: ExportFormat = FormatQuery,
    version: int | None = VersionQuery,
) -> HttpResponse:
    member_only(request)
    picked = _pick(key, version)
    doc = selectors.framework_document(picked)
    name = f"{picked.framework.key}-v{picked.number}"
    if format == "html":
        response = HttpResponse(_zip_site(doc, name), content_type="application/zip")
        extension = "zip"
    else:
        content_type, extension, write = _WRITERS[format]
        response = HttpResponse(write(doc), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
