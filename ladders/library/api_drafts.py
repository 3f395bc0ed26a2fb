"""Changing frameworks: installing (an import or a template copy, saved as a draft), the drafts,
replacing and discarding a draft, and publishing it. Framework editors and organisation admins
only, as the editor pages."""

from django.db.models import Max, QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from ladders.api.errors import ErrorOut, errors, not_found
from ladders.frameworks import diff as framework_diff
from ladders.frameworks.importers import import_documents
from ladders.frameworks.loader import framework_from_data

from . import drafts, selectors, services
from .api_common import (
    KEY_PATH,
    ListCursor,
    SafeCursor,
    editor_only,
    framework_or_404,
    problem_out,
)
from .api_schemas import (
    DraftImpactOut,
    DraftPositionsLostOut,
    DraftSkillRecordsLostOut,
    FrameworkDraftDiscardOut,
    FrameworkDraftIn,
    FrameworkDraftOut,
    FrameworkDraftSummaryOut,
    FrameworkImportIn,
    FrameworkImportOut,
    FrameworkPublishIn,
    FrameworkPublishOut,
    FrameworkTemplateIn,
    FrameworkTemplateOut,
    ImportSourceOut,
    ImportUnplacedOut,
)
from .models import Draft

router = Router()  # tagged "frameworks" by the router in api.py

Key = Path(..., description="The framework's key.", **KEY_PATH)


def _draft_out(draft: Draft, user: object) -> FrameworkDraftOut:
    """A draft as the publish page reviews it: its changes, lint findings and what it would
    leave behind in people's records."""
    document = framework_from_data(draft.document, str(draft))
    changes = drafts.draft_changes(draft=draft)
    if hasattr(draft, "latest_number"):  # read by `_draft_of` with what its review needs
        latest_number = draft.latest_number
    else:  # a draft just saved
        latest_number = draft.framework.versions.aggregate(n=Max("number"))["n"]
    impact = drafts.draft_impact(draft=draft, user=user)  # type: ignore[arg-type]
    return FrameworkDraftOut(
        key=draft.framework.key,
        name=draft.framework.name,
        base_version=draft.base_version.number if draft.base_version else None,
        latest_version=latest_number,
        updated_at=draft.updated_at,
        updated_by=selectors.user_label(draft.updated_by),
        revision=drafts.draft_revision(draft=draft),
        next_version=(latest_number or 0) + 1,
        document=draft.document,
        changes=[c.as_dict() for c in changes],  # type: ignore[misc]
        changelog=framework_diff.render_changelog(changes),
        findings=[problem_out(draft.document, p) for p in drafts.draft_findings(document=document)],
        impact=DraftImpactOut(
            tracks=[DraftPositionsLostOut(**vars(t)) for t in impact.tracks],
            levels=[DraftPositionsLostOut(**vars(lv)) for lv in impact.levels],
            skills=[DraftSkillRecordsLostOut(**vars(s)) for s in impact.skills],
        ),
    )


def _draft_of(key: str) -> Draft:
    """The draft of the framework `key` with what its review shows loaded in the same query."""
    draft = selectors.framework_draft_list().filter(framework__key=key).first()
    if draft is None:
        framework_or_404(key)
        raise not_found("draft of that framework")
    return draft


# ------------------------------------------------------------------ installing


@router.post(
    "/frameworks/install",
    response={
        200: FrameworkImportOut,
        201: FrameworkImportOut,
        400: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Import a framework",
    description="Read one or more documents in any format the install page reads (`format`: "
    "`auto` or an importer's name) into one framework, with the report of what was placed "
    "and left out, and its lint findings. With `dry_run=true` nothing is saved (200): the "
    "preview. Otherwise it is saved as the draft of a new framework (201); when the key is "
    "taken, 409, unless `into_existing` makes it that framework's draft. Problems in the "
    "documents are a 422 saying where.",
)
def framework_install(
    request: HttpRequest,
    payload: FrameworkImportIn,
    dry_run: bool = Query(False, description="Only preview: save nothing."),
) -> Status:
    editor_only(request)
    result = import_documents(
        [(d.filename, d.text) for d in payload.documents],
        format_name=payload.format,
        key=payload.key,
    )
    doc, report = result.framework, result.report
    existing = selectors.framework_get(key=doc.key)
    if not dry_run:
        drafts.framework_install(
            document=doc,
            user=request.user,
            source={
                "file": ", ".join(report.formats)[:500],
                "format": ", ".join(dict.fromkeys(report.formats.values())),
            },
            into_existing=payload.into_existing,
        )
    document = doc.to_document()
    answer = FrameworkImportOut(
        key=doc.key,
        name=doc.name,
        saved=not dry_run,
        existing=existing is not None,
        existing_draft=not dry_run or drafts.draft_for_key(key=doc.key) is not None,
        document=document,
        sources=[
            ImportSourceOut(
                filename=source,
                format=fmt,
                lines=report.lines.get(source, 0),
                placed=report.placed.get(source, 0),
            )
            for source, fmt in report.formats.items()
        ],
        unplaced=[ImportUnplacedOut(**u.as_dict()) for u in report.unplaced],  # type: ignore[arg-type]
        inferred=report.inferred,
        warnings=report.warnings,
        findings=[problem_out(document, p) for p in drafts.draft_findings(document=doc)],
    )
    return Status(200 if dry_run else 201, answer)


@router.get(
    "/frameworks/install/templates",
    response={200: list[FrameworkTemplateOut], **errors(403, 422)},
    summary="List templates",
    description="What a framework can be installed from: the starter that ships with Ladders, "
    "then every framework marked as a template.",
)
@paginate(ListCursor)
def template_list(request: HttpRequest) -> list[FrameworkTemplateOut]:
    editor_only(request)
    return [FrameworkTemplateOut(**vars(t)) for t in drafts.template_list()]


@router.post(
    "/frameworks/install/templates",
    response={201: FrameworkDraftOut, **errors(400, 403, 404, 409, 422)},
    summary="Install a copy of a template",
    description="Saves a copy of the template under a new key (and optionally a new name) as "
    "the draft of a new framework. 409 when the key is taken; 404 for no such template.",
)
def template_install(request: HttpRequest, payload: FrameworkTemplateIn) -> Status:
    editor_only(request)
    draft = drafts.framework_install_template(
        choice=payload.template, key=payload.key, name=payload.name, user=request.user
    )
    return Status(201, _draft_out(draft, request.user))


# ------------------------------------------------------------------ drafts


@router.get(
    "/frameworks/drafts",
    response={200: list[FrameworkDraftSummaryOut], **errors(403, 422)},
    summary="List drafts",
    description="Every framework's draft, by framework name.",
)
@paginate(SafeCursor, ordering=("framework_name", "id"))
def draft_list(request: HttpRequest) -> QuerySet[Draft]:
    editor_only(request)
    return selectors.framework_draft_list()


@router.get(
    "/frameworks/{key}/draft",
    response={200: FrameworkDraftOut, **errors(403, 404, 422)},
    summary="Get the draft",
    description="The draft's document and `revision`, with what publishing it would change, "
    "its lint findings and the people's records it would leave behind (counts only).",
)
def draft_get(request: HttpRequest, key: str = Key) -> FrameworkDraftOut:
    editor_only(request)
    return _draft_out(_draft_of(key), request.user)


@router.put(
    "/frameworks/{key}/draft",
    response={200: FrameworkDraftOut, **errors(403, 404, 409, 422)},
    summary="Replace the draft",
    description="Replace the whole draft with a `ladders/v1` document, starting a draft from "
    "the latest version if there is none. The document is validated as a whole: 422 lists "
    "every problem by its path, and nothing is saved. The key cannot change. With `revision`, "
    "409 if the draft changed since you read it.",
)
def draft_replace(
    request: HttpRequest, payload: FrameworkDraftIn, key: str = Key
) -> FrameworkDraftOut:
    editor_only(request)
    draft = services.draft_replace(
        framework=framework_or_404(key),
        document=payload.document,
        user=request.user,  # type: ignore[arg-type]
        expected_revision=payload.revision,
    )
    return _draft_out(draft, request.user)


@router.delete(
    "/frameworks/{key}/draft",
    response={200: FrameworkDraftDiscardOut, **errors(403, 404, 422)},
    summary="Discard the draft",
    description="Every change in the draft is lost; the published versions stay. A framework "
    "that was never published goes with its draft (`framework_kept` false).",
)
def draft_discard(request: HttpRequest, key: str = Key) -> FrameworkDraftDiscardOut:
    editor_only(request)
    draft = _draft_of(key)
    kept = drafts.draft_discard(draft=draft, user=request.user)
    return FrameworkDraftDiscardOut(key=key, framework_kept=kept)


@router.post(
    "/frameworks/{key}/publish",
    response={
        200: FrameworkPublishOut,
        201: FrameworkPublishOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Publish the draft",
    description="Publish the draft as the next version, with your release note at the top of "
    "its changelog (201). Send the `revision` you reviewed: 409 if the draft changed since. "
    "When the draft is the latest version unchanged, the draft is closed and that version "
    "comes back (200, `published` false).",
)
def draft_publish(request: HttpRequest, payload: FrameworkPublishIn, key: str = Key) -> Status:
    editor_only(request)
    draft = _draft_of(key)
    latest = draft.framework.versions.order_by("-number").first()
    version = drafts.draft_publish(
        draft=draft, user=request.user, expected_revision=payload.revision, note=payload.note
    )
    published = latest is None or version.pk != latest.pk
    return Status(
        201 if published else 200,
        FrameworkPublishOut(published=published, version=version),  # type: ignore[arg-type]
    )
