"""How a framework gets into and out of the editor: installing it as a draft (upload, paste or
template, then a preview), the list of drafts, discarding a draft and publishing it.

Views parse a form, call a service in `drafts` and render. Every form posts normally and
redirects; an address that only takes a POST sends a GET back to the page its form is on.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ladders.accounts.permissions import editor_required
from ladders.frameworks import diff as framework_diff
from ladders.frameworks.errors import FrameworkInvalid
from ladders.frameworks.importers import ImportFailed, ImportResult, import_documents
from ladders.frameworks.loader import framework_from_data

from . import drafts
from .edit_views import confirm_page, framework_or_404, post_only, structure_context
from .forms import (
    InstallPasteForm,
    InstallSaveForm,
    InstallTemplateForm,
    InstallUploadForm,
    PublishForm,
)
from .models import Draft, Framework, FrameworkVersion

# ------------------------------------------------------------------ installing


@editor_required
@require_http_methods(["GET", "POST"])
def framework_install(request: HttpRequest) -> HttpResponse:
    templates = drafts.template_list()
    upload = InstallUploadForm(prefix="upload")
    paste = InstallPasteForm(prefix="paste")
    template = InstallTemplateForm(prefix="template", templates=templates)
    way = request.POST.get("way", "")
    if way == "upload":
        upload = InstallUploadForm(request.POST, request.FILES, prefix="upload")
        if upload.is_valid():
            response = _preview(request, upload, "file")
            if response is not None:
                return response
    elif way == "paste":
        paste = InstallPasteForm(request.POST, prefix="paste")
        if paste.is_valid():
            response = _preview(request, paste, "text")
            if response is not None:
                return response
    elif way == "template":
        template = InstallTemplateForm(request.POST, prefix="template", templates=templates)
        if template.is_valid():
            response = _install_template(request, template)
            if response is not None:
                return response
    context = {
        "upload": upload,
        "paste": paste,
        "template": template,
        "templates": templates,
        "way": way,
    }
    return render(request, "library/edit/install.html", context)


def _preview(
    request: HttpRequest, form: InstallUploadForm | InstallPasteForm, field: str
) -> HttpResponse | None:
    filename, text = form.source()
    options = form.cleaned_data
    try:
        result = import_documents(
            [(filename, text)], format_name=options["format"], key=options["key"] or None
        )
    except (ImportFailed, FrameworkInvalid) as exc:
        form.add_error(field, _import_error(exc))
        return None
    save = InstallSaveForm(
        initial={
            "text": text,
            "filename": filename,
            "format": options["format"],
            "key": result.framework.key,
        }
    )
    return _render_preview(request, result, save)


# The importer's advice is written for the command line ("name the format (one of: ...)");
# on this page the Format menu is how a format is named.
_NAME_THE_FORMAT = re.compile(r"(name the format|--format)\b[^;\n]*", re.IGNORECASE)


def _import_error(exc: ImportFailed | FrameworkInvalid) -> str:
    text = str(exc)
    if "could not tell what format" in text:
        return (
            "This could not be read as a framework: its format was not recognised. "
            "Choose the format in the Format menu, then preview again."
        )
    text = _NAME_THE_FORMAT.sub("choose the format in the Format menu", text)
    return f"This could not be read as a framework.\n{text}"


def _render_preview(
    request: HttpRequest, result: ImportResult, save: InstallSaveForm, status: int = 200
) -> HttpResponse:
    doc = result.framework
    key = save["key"].value() or doc.key
    report = result.report
    existing = Framework.objects.filter(key=key).first()
    context = {
        "doc": doc,
        "report": report,
        "sources": [
            (source, fmt, report.placed.get(source, 0), report.lines.get(source, 0))
            for source, fmt in report.formats.items()
        ],
        "save": save,
        "existing": existing,
        "existing_draft": drafts.draft_for_key(key=key) if existing else None,
        "findings": drafts.draft_findings(document=doc),
        "level_count": sum(len(t.levels) for t in doc.tracks),
        **structure_context(doc),
    }
    return render(request, "library/edit/install_preview.html", context, status=status)


@editor_required
@post_only(lambda: reverse("framework-install"))
def framework_install_save(request: HttpRequest) -> HttpResponse:
    save = InstallSaveForm(request.POST)
    save.is_valid()
    data = save.cleaned_data
    if "text" not in data or "filename" not in data or "format" not in data:
        messages.error(request, "The import to save was missing or too large; start again.")
        return redirect("framework-install")
    try:
        result = import_documents(
            [(data["filename"], data["text"])], format_name=data["format"], key=data.get("key")
        )
    except (ImportFailed, FrameworkInvalid) as exc:
        messages.error(request, _import_error(exc))
        return redirect("framework-install")
    if "key" not in data:
        return _render_preview(request, result, save, status=400)
    into_existing = bool(request.POST.get("into_existing"))
    replaced = drafts.draft_for_key(key=data["key"]) if into_existing else None
    try:
        draft = drafts.framework_install(
            document=result.framework,
            user=request.user,
            source={"file": data["filename"], "format": next(iter(result.report.formats.values()))},
            into_existing=into_existing,
        )
    except drafts.KeyTaken as exc:
        save.add_error(
            "key", f"{exc}. Save it as a draft of that framework, or choose another key."
        )
        return _render_preview(request, result, save, status=409)
    except drafts.KeyRefused as exc:
        save.add_error("key", str(exc))
        return _render_preview(request, result, save, status=400)
    except FrameworkInvalid as exc:
        document = result.framework.to_document()
        for problem in exc.problems:
            save.add_error(None, drafts.problem_text(document, problem))
        return _render_preview(request, result, save, status=400)
    messages.success(request, _installed(draft, replaced, into_existing))
    return redirect("framework-edit", key=draft.framework.key)


def _installed(draft: Draft, replaced: Draft | None, into_existing: bool) -> str:
    name = draft.document["name"]
    if replaced is not None:
        return (
            f"The draft of {replaced.framework.name} was replaced by the imported framework "
            f"'{name}'. Check it, then publish."
        )
    if into_existing:
        return f"The imported framework '{name}' is now the draft of {draft.framework.name}."
    return f"'{name}' is saved as a draft. Check it, then publish."


def _install_template(request: HttpRequest, form: InstallTemplateForm) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        draft = drafts.framework_install_template(
            choice=data["template"], key=data["key"], name=data["name"], user=request.user
        )
    except drafts.KeyTaken as exc:
        form.add_error("key", f"{exc}; choose another key.")
        return None
    except drafts.KeyRefused as exc:
        form.add_error("key", str(exc))
        return None
    except drafts.PartNotFound as exc:
        form.add_error("template", str(exc))
        return None
    except FrameworkInvalid as exc:
        for problem in exc.problems:
            field = problem.path[0] if problem.path[:1] in (("key",), ("name",)) else None
            form.add_error(str(field) if field else None, problem.message)
        return None
    messages.success(request, f"A copy of the template is saved as the draft '{data['key']}'.")
    return redirect("framework-edit", key=draft.framework.key)


@editor_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    return render(request, "library/edit/drafts.html", {"drafts": drafts.draft_list()})


# ------------------------------------------------------------------ discard and publish


@editor_required
@post_only(lambda key: reverse("framework-edit", kwargs={"key": key}))
def draft_discard(request: HttpRequest, key: str) -> HttpResponse:
    framework = framework_or_404(key)
    draft = Draft.objects.filter(framework=framework).first()
    if draft is None:
        messages.info(request, "There was no draft to discard.")
        return redirect("framework-edit", key=key)
    if request.POST.get("confirm") != "yes":
        return _confirm_discard(request, framework)
    if drafts.draft_discard(draft=draft, user=request.user):
        messages.success(request, "The draft is discarded; the published version is unchanged.")
        return redirect("framework-edit", key=key)
    messages.success(request, f"The draft of '{framework.name}' is discarded.")
    return redirect("framework-draft-list")


def _confirm_discard(request: HttpRequest, framework: Framework) -> HttpResponse:
    latest = framework.versions.order_by("-number").first()
    if latest is None:
        consequence = (
            "It was never published, so the framework goes with it: it leaves the library."
        )
    else:
        consequence = (
            f"Every change saved in it is lost. Version {latest.number} stays as it is, "
            "and the editor shows it again."
        )
    return confirm_page(
        request,
        framework=framework,
        question=f"Discard the draft of {framework.name}?",
        consequence=f"{consequence} This cannot be undone.",
        action=reverse("framework-draft-discard", kwargs={"key": framework.key}),
        fields=[],
        button="Discard the draft",
        cancel=reverse("framework-edit", kwargs={"key": framework.key}),
    )


@editor_required
@require_http_methods(["GET", "POST"])
def framework_publish(request: HttpRequest, key: str) -> HttpResponse:
    framework = framework_or_404(key)
    draft = Draft.objects.filter(framework=framework).select_related("framework").first()
    latest = framework.versions.order_by("-number").first()
    form, conflict = None, ""
    if request.method == "POST" and draft is not None:
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                version = drafts.draft_publish(
                    draft=draft,
                    user=request.user,
                    expected_revision=form.cleaned_data["revision"],
                    note=form.cleaned_data["note"],
                )
            except drafts.DraftChanged as exc:
                conflict = str(exc)
            else:
                return _published(request, framework, latest, version)
        elif "revision" in form.errors:
            conflict = str(drafts.DraftChanged())
        draft = Draft.objects.filter(framework=framework).select_related("framework").first()
    context: dict[str, Any] = {
        "framework": framework,
        "draft": draft,
        "latest": latest,
        "conflict": conflict,
    }
    if draft is not None:
        context |= _review(draft, latest, form, request.user)
    status = 409 if conflict else 400 if form is not None and form.errors else 200
    return render(request, "library/edit/publish.html", context, status=status)


def _published(
    request: HttpRequest,
    framework: Framework,
    latest: FrameworkVersion | None,
    version: FrameworkVersion,
) -> HttpResponse:
    if latest is not None and version.pk == latest.pk:
        messages.info(
            request, f"Nothing changed since version {latest.number}; the draft is closed."
        )
    else:
        messages.success(request, f"Version {version.number} of '{framework.name}' is published.")
    return redirect("framework-detail", key=framework.key)


def _review(
    draft: Draft, latest: FrameworkVersion | None, form: PublishForm | None, user: Any
) -> dict[str, Any]:
    """What the publish page shows about a draft, and the form carrying its revision."""
    changes = drafts.draft_changes(draft=draft)
    document = framework_from_data(draft.document, str(draft))
    revision = drafts.draft_revision(draft=draft)
    note = form["note"].value() if form is not None else ""
    publish = PublishForm(initial={"revision": revision, "note": note or ""})
    if form is not None and "note" in form.errors:
        publish = form
    return {
        "changes": changes,
        "changelog": framework_diff.render_changelog(changes),
        "groups": [
            (kind.value.title(), [c for c in changes if c.kind is kind])
            for kind in framework_diff.ChangeKind
        ],
        "findings": [
            (
                drafts.plain_message(draft.document, p.message),
                drafts.part_label(draft.document, p.path),
            )
            for p in drafts.draft_findings(document=document)
        ],
        "impact": drafts.draft_impact(draft=draft, user=user),
        "doc": document,
        "form": publish,
        "next_number": (latest.number + 1) if latest else 1,
    }
