"""Installing, editing and publishing frameworks in the browser.

Views parse a form, call a service in `drafts` and render. Every form posts normally and
redirects; with HTMX a save answers with the updated part instead (the same templates).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ladders.accounts.permissions import editor_required
from ladders.frameworks import diff as framework_diff
from ladders.frameworks import scoring
from ladders.frameworks.errors import FrameworkInvalid, format_path
from ladders.frameworks.importers import ImportFailed, ImportResult, import_documents
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework as FrameworkDoc

from . import drafts
from .forms import (
    AboutForm,
    AddForm,
    CategoryForm,
    InstallPasteForm,
    InstallSaveForm,
    InstallTemplateForm,
    InstallUploadForm,
    LevelAddForm,
    LevelForm,
    MilestoneForm,
    PartForm,
    ScoringForm,
    SkillAddForm,
    SkillForm,
    TrackForm,
    attach_problems,
)
from .models import Draft, Framework

MOVES = {"up": -1, "down": 1}


def _htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def _framework(key: str) -> Framework:
    framework = Framework.objects.filter(key=key).first()
    if framework is None:
        raise Http404("No such framework")
    return framework


def _working(key: str) -> drafts.Working:
    return drafts.draft_working(framework=_framework(key))


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


def _import_error(exc: ImportFailed | FrameworkInvalid) -> str:
    return f"This could not be read as a framework.\n{exc}"


def _render_preview(
    request: HttpRequest, result: ImportResult, save: InstallSaveForm, status: int = 200
) -> HttpResponse:
    doc = result.framework
    key = save["key"].value() or doc.key
    report = result.report
    context = {
        "doc": doc,
        "report": report,
        "sources": [
            (source, fmt, report.placed.get(source, 0), report.lines.get(source, 0))
            for source, fmt in report.formats.items()
        ],
        "save": save,
        "existing": Framework.objects.filter(key=key).first(),
        "findings": drafts.draft_findings(document=doc),
        "level_count": sum(len(t.levels) for t in doc.tracks),
        **_structure(doc),
    }
    return render(request, "library/edit/install_preview.html", context, status=status)


def _structure(doc: FrameworkDoc) -> dict[str, Any]:
    categories = {c.key: c.name for c in doc.categories}
    return {
        "skill_rows": [
            (skill, categories.get(skill.category, skill.category)) for skill in doc.skills
        ],
        "max_points": scoring.max_total_points(doc),
    }


@editor_required
@require_POST
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
    try:
        draft = drafts.framework_install(
            document=result.framework,
            user=request.user,
            source={"file": data["filename"], "format": next(iter(result.report.formats.values()))},
            into_existing=bool(request.POST.get("into_existing")),
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
        for problem in exc.problems:
            save.add_error(None, f"{format_path(problem.path)}: {problem.message}")
        return _render_preview(request, result, save, status=400)
    messages.success(
        request, f"'{draft.framework.name}' is saved as a draft. Check it, then publish."
    )
    return redirect("framework-edit", key=draft.framework.key)


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


# ------------------------------------------------------------------ the editor pages


def _refusal(anchor: str, exc: FrameworkInvalid | None) -> dict[str, Any] | None:
    if exc is None:
        return None
    problems = [
        f"{format_path(p.path)}: {p.message}" if p.path else p.message for p in exc.problems
    ]
    return {"anchor": anchor, "problems": problems}


def _editor_page(
    request: HttpRequest,
    working: drafts.Working,
    bound: dict[str, PartForm] | None = None,
    refusal: dict[str, Any] | None = None,
) -> HttpResponse:
    doc, bound = working.document, bound or {}
    in_use: dict[str, int] = {}
    for skill in doc.skills:
        in_use[skill.category] = in_use.get(skill.category, 0) + 1
    categories = [
        (
            c,
            bound.get(f"category:{c.key}")
            or CategoryForm(
                initial={"name": c.name, "description": c.description}, prefix=f"category-{c.key}"
            ),
            in_use.get(c.key, 0),
        )
        for c in doc.categories
    ]
    context = {
        **_page_context(working),
        "about": bound.get("about") or AboutForm.of(doc, prefix="about"),
        "categories": categories,
        "category_add": bound.get("category-add") or AddForm(prefix="category-add"),
        "skill_add": bound.get("skill-add") or SkillAddForm(prefix="skill-add", doc=doc),
        "track_add": bound.get("track-add") or AddForm(prefix="track-add"),
        "scoring": bound.get("scoring") or ScoringForm.of(doc.scoring, prefix="scoring"),
        "refusal": refusal,
        **_structure(doc),
    }
    return render(request, "library/edit/editor.html", context)


def _page_context(working: drafts.Working) -> dict[str, Any]:
    return {"working": working, "framework": working.framework, "doc": working.document}


@editor_required
@require_GET
def framework_edit(request: HttpRequest, key: str) -> HttpResponse:
    return _editor_page(request, _working(key))


def _save_part(
    request: HttpRequest,
    working: drafts.Working,
    *,
    address: drafts.Address,
    form: PartForm,
    part: Callable[[FrameworkDoc, PartForm | None, bool], HttpResponse],
    page: Callable[[PartForm], HttpResponse],
    back: str,
    what: str,
) -> HttpResponse:
    """Save one part through the draft; on problems show them beside their fields."""
    if form.is_valid():
        try:
            draft = drafts.draft_part_update(
                framework=working.framework,
                user=request.user,
                address=address,
                values=form.values(),
            )
        except FrameworkInvalid as exc:
            attach_problems(form, exc.problems, drafts.part_path(working.document, address))
        else:
            if _htmx(request):
                return part(framework_from_data(draft.document, str(draft)), None, True)
            messages.success(request, f"Saved {what} in the draft.")
            return redirect(back)
    if _htmx(request):
        return part(working.document, form, False)
    return page(form)


def _change_part(
    request: HttpRequest,
    working: drafts.Working,
    *,
    address: drafts.Address,
    action: str,
    page: Callable[[dict[str, Any] | None], HttpResponse],
    anchor: str,
    back: str,
    after_remove: str,
) -> HttpResponse:
    """Remove or move a part; what refuses it is shown beside the part."""
    try:
        if action == "remove":
            drafts.draft_part_remove(
                framework=working.framework, user=request.user, address=address
            )
        elif action in MOVES:
            drafts.draft_part_move(
                framework=working.framework,
                user=request.user,
                address=address,
                offset=MOVES[action],
            )
        else:
            return page({"anchor": anchor, "problems": [f"unknown action '{action}'"]})
    except FrameworkInvalid as exc:
        return page(_refusal(anchor, exc))
    if action == "remove":
        messages.success(request, "Removed from the draft.")
        return redirect(after_remove)
    return redirect(back)


def _edit_url(key: str, anchor: str = "") -> str:
    return reverse("framework-edit", kwargs={"key": key}) + (f"#{anchor}" if anchor else "")


@editor_required
@require_POST
def about_edit(request: HttpRequest, key: str) -> HttpResponse:
    working = _working(key)
    return _save_part(
        request,
        working,
        address=(),
        form=AboutForm(request.POST, prefix="about"),
        part=lambda doc, form, saved: _render_part(
            request,
            "library/edit/_about.html",
            working,
            about=form or AboutForm.of(doc, prefix="about"),
            saved=saved,
        ),
        page=lambda form: _editor_page(request, working, {"about": form}),
        back=_edit_url(key, "about"),
        what="the name and description",
    )


def _render_part(
    request: HttpRequest, template: str, working: drafts.Working, **context: Any
) -> HttpResponse:
    return render(request, template, {**_page_context(working), **context})


@editor_required
@require_POST
def scoring_edit(request: HttpRequest, key: str) -> HttpResponse:
    working = _working(key)
    return _save_part(
        request,
        working,
        address=("scoring",),
        form=ScoringForm(request.POST, prefix="scoring"),
        part=lambda doc, form, saved: _render_part(
            request,
            "library/edit/_scoring.html",
            working,
            scoring=form or ScoringForm.of(doc.scoring, prefix="scoring"),
            saved=saved,
        ),
        page=lambda form: _editor_page(request, working, {"scoring": form}),
        back=_edit_url(key, "scoring"),
        what="the scoring",
    )


def _add_part(
    request: HttpRequest,
    working: drafts.Working,
    *,
    address: drafts.Address,
    form: PartForm,
    page: Callable[[PartForm], HttpResponse],
    then: Callable[[drafts.Address], str],
) -> HttpResponse:
    if form.is_valid():
        try:
            added = drafts.draft_part_add(
                framework=working.framework,
                user=request.user,
                address=address,
                values=form.values(),
            )
        except FrameworkInvalid as exc:
            # The new item is the last of its list in the document that was refused.
            attach_problems(
                form, exc.problems, (*_list_path(working, address), _count(working, address))
            )
        else:
            messages.success(request, "Added to the draft.")
            return redirect(then(added))
    return page(form)


def _list_path(working: drafts.Working, address: drafts.Address) -> tuple[str | int, ...]:
    if len(address) == 1:
        return address
    return (*drafts.part_path(working.document, address[:-1]), address[-1])


def _count(working: drafts.Working, address: drafts.Address) -> int:
    data: Any = working.document.to_document()
    for part in _list_path(working, address):
        data = data[part] if isinstance(data, list) or part in data else []
    return len(data)


@editor_required
@require_POST
def category_add(request: HttpRequest, key: str) -> HttpResponse:
    working = _working(key)
    return _add_part(
        request,
        working,
        address=("categories",),
        form=AddForm(request.POST, prefix="category-add"),
        page=lambda form: _editor_page(request, working, {"category-add": form}),
        then=lambda added: _edit_url(key, f"category-{added[-1]}"),
    )


@editor_required
@require_POST
def category_edit(request: HttpRequest, key: str, category: str) -> HttpResponse:
    working = _working(key)
    if working.document.category(category) is None:
        raise Http404("No such category")
    address = ("categories", category)
    action = request.POST.get("action", "save")
    anchor = f"category-{category}"
    if action != "save":
        return _change_part(
            request,
            working,
            address=address,
            action=action,
            page=lambda refusal: _editor_page(request, working, refusal=refusal),
            anchor=anchor,
            back=_edit_url(key, anchor),
            after_remove=_edit_url(key, "categories"),
        )
    prefix = f"category-{category}"

    def part(doc: FrameworkDoc, form: PartForm | None, saved: bool) -> HttpResponse:
        c = doc.category(category)
        assert c is not None
        form = form or CategoryForm(
            initial={"name": c.name, "description": c.description}, prefix=prefix
        )
        in_use = sum(1 for s in doc.skills if s.category == category)
        return _render_part(
            request,
            "library/edit/_category.html",
            working,
            category=c,
            form=form,
            in_use=in_use,
            saved=saved,
        )

    return _save_part(
        request,
        working,
        address=address,
        form=CategoryForm(request.POST, prefix=prefix),
        part=part,
        page=lambda form: _editor_page(request, working, {f"category:{category}": form}),
        back=_edit_url(key, anchor),
        what="the category",
    )


# ------------------------------------------------------------------ skills and milestones


@editor_required
@require_POST
def skill_add(request: HttpRequest, key: str) -> HttpResponse:
    working = _working(key)
    return _add_part(
        request,
        working,
        address=("skills",),
        form=SkillAddForm(request.POST, prefix="skill-add", doc=working.document),
        page=lambda form: _editor_page(request, working, {"skill-add": form}),
        then=lambda added: reverse("framework-edit-skill", kwargs={"key": key, "skill": added[-1]}),
    )


def _skill_page(
    request: HttpRequest,
    working: drafts.Working,
    skill_key: str,
    bound: dict[str, PartForm] | None = None,
    refusal: dict[str, Any] | None = None,
) -> HttpResponse:
    doc, bound = working.document, bound or {}
    skill = doc.skill(skill_key)
    if skill is None:
        raise Http404("No such skill")
    milestones = [
        _milestone_context(doc, skill, m, bound.get(f"milestone:{m.number}"))
        for m in skill.milestones
    ]
    context = {
        **_page_context(working),
        "skill": skill,
        "form": bound.get("skill") or SkillForm.of(doc, skill, prefix="skill"),
        "milestones": milestones,
        "refusal": refusal,
    }
    return render(request, "library/edit/skill.html", context)


def _milestone_context(
    doc: FrameworkDoc, skill: Any, milestone: Any, form: PartForm | None
) -> dict[str, Any]:
    return {
        "milestone": milestone,
        "form": form or MilestoneForm.of(milestone, prefix=f"milestone-{milestone.number}"),
        "points": scoring.milestone_points(doc, skill, milestone),
    }


@editor_required
@require_http_methods(["GET", "POST"])
def skill_edit(request: HttpRequest, key: str, skill: str) -> HttpResponse:
    working = _working(key)
    if request.method == "GET" or working.document.skill(skill) is None:
        return _skill_page(request, working, skill)
    address = ("skills", skill)
    action = request.POST.get("action", "save")
    if action != "save":
        on_overview = request.POST.get("from") == "overview"
        return _change_part(
            request,
            working,
            address=address,
            action=action,
            page=lambda refusal: (
                _editor_page(request, working, refusal=refusal)
                if on_overview
                else _skill_page(request, working, skill, refusal=refusal)
            ),
            anchor=f"skill-{skill}",
            back=_edit_url(key, f"skill-{skill}"),
            after_remove=_edit_url(key, "skills"),
        )

    def part(doc: FrameworkDoc, form: PartForm | None, saved: bool) -> HttpResponse:
        s = doc.skill(skill)
        assert s is not None
        return _render_part(
            request,
            "library/edit/_skill_form.html",
            working,
            skill=s,
            form=form or SkillForm.of(doc, s, prefix="skill"),
            saved=saved,
        )

    return _save_part(
        request,
        working,
        address=address,
        form=SkillForm(request.POST, prefix="skill", doc=working.document),
        part=part,
        page=lambda form: _skill_page(request, working, skill, {"skill": form}),
        back=reverse("framework-edit-skill", kwargs={"key": key, "skill": skill}),
        what="the skill",
    )


def _skill_url(key: str, skill: str, anchor: str = "") -> str:
    url = reverse("framework-edit-skill", kwargs={"key": key, "skill": skill})
    return url + (f"#{anchor}" if anchor else "")


@editor_required
@require_POST
def milestone_add(request: HttpRequest, key: str, skill: str) -> HttpResponse:
    working = _working(key)
    if working.document.skill(skill) is None:
        raise Http404("No such skill")
    try:
        added = drafts.draft_part_add(
            framework=working.framework,
            user=request.user,
            address=("skills", skill, "milestones"),
            values={},
        )
    except FrameworkInvalid as exc:
        return _skill_page(request, working, skill, refusal=_refusal("milestones", exc))
    messages.success(request, f"Added milestone {added[-1]}: describe it below.")
    return redirect(_skill_url(key, skill, f"milestone-{added[-1]}"))


@editor_required
@require_POST
def milestone_edit(request: HttpRequest, key: str, skill: str, number: int) -> HttpResponse:
    working = _working(key)
    found = working.document.skill(skill)
    if found is None or found.milestone(number) is None:
        raise Http404("No such milestone")
    address = ("skills", skill, "milestones", number)
    action = request.POST.get("action", "save")
    anchor = f"milestone-{number}"
    if action != "save":
        return _change_part(
            request,
            working,
            address=address,
            action=action,
            page=lambda refusal: _skill_page(request, working, skill, refusal=refusal),
            anchor=anchor,
            back=_skill_url(key, skill, f"milestone-{number + MOVES.get(action, 0)}"),
            after_remove=_skill_url(key, skill, "milestones"),
        )

    def part(doc: FrameworkDoc, form: PartForm | None, saved: bool) -> HttpResponse:
        s = doc.skill(skill)
        assert s is not None
        m = s.milestone(number)
        context = _milestone_context(doc, s, m, form)
        return _render_part(
            request, "library/edit/_milestone.html", working, skill=s, saved=saved, **context
        )

    return _save_part(
        request,
        working,
        address=address,
        form=MilestoneForm(request.POST, prefix=f"milestone-{number}"),
        part=part,
        page=lambda form: _skill_page(request, working, skill, {f"milestone:{number}": form}),
        back=_skill_url(key, skill, anchor),
        what=f"milestone {number}",
    )


# ------------------------------------------------------------------ tracks and levels


@editor_required
@require_POST
def track_add(request: HttpRequest, key: str) -> HttpResponse:
    working = _working(key)
    return _add_part(
        request,
        working,
        address=("tracks",),
        form=AddForm(request.POST, prefix="track-add"),
        page=lambda form: _editor_page(request, working, {"track-add": form}),
        then=lambda added: reverse("framework-edit-track", kwargs={"key": key, "track": added[-1]}),
    )


def level_prefix(code: str) -> str:
    return f"level-{slugify(code) or 'x'}"


def _track_page(
    request: HttpRequest,
    working: drafts.Working,
    track_key: str,
    bound: dict[str, PartForm] | None = None,
    refusal: dict[str, Any] | None = None,
) -> HttpResponse:
    doc, bound = working.document, bound or {}
    track = doc.track(track_key)
    if track is None:
        raise Http404("No such track")
    levels = [
        {
            "level": level,
            "form": bound.get(f"level:{level.code}")
            or LevelForm.of(doc, level, prefix=level_prefix(level.code)),
        }
        for level in track.levels
    ]
    context = {
        **_page_context(working),
        "track": track,
        "form": bound.get("track")
        or TrackForm(
            initial={"name": track.name, "description": track.description}, prefix="track"
        ),
        "levels": levels,
        "level_add": bound.get("level-add") or LevelAddForm(prefix="level-add"),
        "refusal": refusal,
    }
    return render(request, "library/edit/track.html", context)


def _track_url(key: str, track: str, anchor: str = "") -> str:
    url = reverse("framework-edit-track", kwargs={"key": key, "track": track})
    return url + (f"#{anchor}" if anchor else "")


@editor_required
@require_http_methods(["GET", "POST"])
def track_edit(request: HttpRequest, key: str, track: str) -> HttpResponse:
    working = _working(key)
    if request.method == "GET" or working.document.track(track) is None:
        return _track_page(request, working, track)
    address = ("tracks", track)
    action = request.POST.get("action", "save")
    if action != "save":
        return _change_part(
            request,
            working,
            address=address,
            action=action,
            page=lambda refusal: _editor_page(request, working, refusal=refusal),
            anchor=f"track-{track}",
            back=_edit_url(key, f"track-{track}"),
            after_remove=_edit_url(key, "tracks"),
        )

    def part(doc: FrameworkDoc, form: PartForm | None, saved: bool) -> HttpResponse:
        t = doc.track(track)
        assert t is not None
        initial = {"name": t.name, "description": t.description}
        return _render_part(
            request,
            "library/edit/_track_form.html",
            working,
            track=t,
            form=form or TrackForm(initial=initial, prefix="track"),
            saved=saved,
        )

    return _save_part(
        request,
        working,
        address=address,
        form=TrackForm(request.POST, prefix="track"),
        part=part,
        page=lambda form: _track_page(request, working, track, {"track": form}),
        back=_track_url(key, track),
        what="the track",
    )


@editor_required
@require_POST
def level_add(request: HttpRequest, key: str, track: str) -> HttpResponse:
    working = _working(key)
    if working.document.track(track) is None:
        raise Http404("No such track")
    return _add_part(
        request,
        working,
        address=("tracks", track, "levels"),
        form=LevelAddForm(request.POST, prefix="level-add"),
        page=lambda form: _track_page(request, working, track, {"level-add": form}),
        then=lambda added: _track_url(key, track, level_prefix(str(added[-1]))),
    )


@editor_required
@require_POST
def level_edit(request: HttpRequest, key: str, track: str, code: str) -> HttpResponse:
    working = _working(key)
    found = working.document.track(track)
    if found is None or found.level(code) is None:
        raise Http404("No such level")
    address = ("tracks", track, "levels", code)
    action = request.POST.get("action", "save")
    anchor = level_prefix(code)
    if action != "save":
        return _change_part(
            request,
            working,
            address=address,
            action=action,
            page=lambda refusal: _track_page(request, working, track, refusal=refusal),
            anchor=anchor,
            back=_track_url(key, track, anchor),
            after_remove=_track_url(key, track, "levels"),
        )
    path = drafts.part_path(working.document, address)

    def part(doc: FrameworkDoc, form: PartForm | None, saved: bool) -> HttpResponse:
        t = doc.track(track)
        assert t is not None
        level = t.levels[int(path[-1])]
        form = form or LevelForm.of(doc, level, prefix=level_prefix(level.code))
        return _render_part(
            request,
            "library/edit/_level.html",
            working,
            track=t,
            level=level,
            form=form,
            saved=saved,
        )

    form = LevelForm(request.POST, prefix=anchor, doc=working.document)
    new_code = request.POST.get(f"{anchor}-code", code).strip() or code
    return _save_part(
        request,
        working,
        address=address,
        form=form,
        part=part,
        page=lambda form: _track_page(request, working, track, {f"level:{code}": form}),
        back=_track_url(key, track, level_prefix(new_code)),
        what=f"level {new_code}",
    )


# ------------------------------------------------------------------ discard and publish


@editor_required
@require_POST
def draft_discard(request: HttpRequest, key: str) -> HttpResponse:
    framework = _framework(key)
    draft = Draft.objects.filter(framework=framework).first()
    if draft is None:
        messages.info(request, "There was no draft to discard.")
        return redirect("framework-edit", key=key)
    if drafts.draft_discard(draft=draft, user=request.user):
        messages.success(request, "The draft is discarded; the published version is unchanged.")
        return redirect("framework-edit", key=key)
    messages.success(request, f"The draft of '{framework.name}' is discarded.")
    return redirect("framework-draft-list")


@editor_required
@require_http_methods(["GET", "POST"])
def framework_publish(request: HttpRequest, key: str) -> HttpResponse:
    framework = _framework(key)
    draft = Draft.objects.filter(framework=framework).select_related("framework").first()
    latest = framework.versions.order_by("-number").first()
    if request.method == "POST" and draft is not None:
        version = drafts.draft_publish(draft=draft, user=request.user)
        if latest is not None and version.pk == latest.pk:
            messages.info(
                request, f"Nothing changed since version {latest.number}; the draft is closed."
            )
        else:
            messages.success(
                request, f"Version {version.number} of '{framework.name}' is published."
            )
        return redirect("framework-detail", key=key)
    context: dict[str, Any] = {"framework": framework, "draft": draft, "latest": latest}
    if draft is not None:
        changes = drafts.draft_changes(draft=draft)
        document = framework_from_data(draft.document, str(draft))
        context |= {
            "changes": changes,
            "changelog": framework_diff.render_changelog(changes),
            "groups": [
                (kind.value.title(), [c for c in changes if c.kind is kind])
                for kind in framework_diff.ChangeKind
            ],
            "findings": [
                (p.message, format_path(p.path)) for p in drafts.draft_findings(document=document)
            ],
            "doc": document,
            "next_number": (latest.number + 1) if latest else 1,
        }
    return render(request, "library/edit/publish.html", context)
