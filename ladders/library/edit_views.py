"""Installing, editing and publishing frameworks in the browser.

Views parse a form, call a service in `drafts` and render. Every form posts normally and
redirects; with HTMX a save answers with the updated part instead (the same templates).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ladders.accounts.permissions import editor_required
from ladders.frameworks import scoring
from ladders.frameworks.errors import FrameworkInvalid
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework as FrameworkDoc

from . import drafts
from .forms import (
    AboutForm,
    AddForm,
    CategoryForm,
    MilestoneForm,
    PartForm,
    ScoringForm,
    SkillAddForm,
    SkillForm,
    attach_problems,
)
from .models import Framework

View = TypeVar("View", bound=Callable[..., HttpResponse])

MOVES = {"up": -1, "down": 1}


def _htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def framework_or_404(key: str) -> Framework:
    framework = Framework.objects.filter(key=key).first()
    if framework is None:
        raise Http404("No such framework")
    return framework


def _working(key: str) -> drafts.Working:
    return drafts.draft_working(framework=framework_or_404(key))


def post_only(back: Callable[..., str]) -> Callable[[View], View]:
    """For an address that only saves: a GET (a reload, a bookmark, the `next=` of a sign-in)
    goes to the page whose form posts here, rather than an empty "method not allowed"."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                return redirect(back(**kwargs))
            return view(request, **kwargs)

        return require_http_methods(["GET", "HEAD", "POST"])(wrapped)  # type: ignore[return-value]

    return decorator


def confirm_page(
    request: HttpRequest,
    *,
    framework: Framework,
    question: str,
    consequence: str,
    action: str,
    fields: list[tuple[str, str]],
    button: str,
    cancel: str,
) -> HttpResponse:
    """Asks before something that cannot be undone; its button posts again with `confirm`."""
    context = {
        "framework": framework,
        "question": question,
        "consequence": consequence,
        "action": action,
        "fields": fields,
        "button": button,
        "cancel": cancel,
    }
    return render(request, "library/edit/confirm.html", context)


def structure_context(doc: FrameworkDoc) -> dict[str, Any]:
    categories = {c.key: c.name for c in doc.categories}
    return {
        "skill_rows": [
            (skill, categories.get(skill.category, skill.category)) for skill in doc.skills
        ],
        "max_points": scoring.max_total_points(doc),
    }


# ------------------------------------------------------------------ the editor pages


def _refused(exc: FrameworkInvalid) -> dict[str, Any]:
    """The document an edit would have made, to say where its problems are in words."""
    return exc.document if isinstance(exc, drafts.DraftRefused) else {}


def _refusal(anchor: str, exc: FrameworkInvalid) -> dict[str, Any]:
    document = _refused(exc)
    return {"anchor": anchor, "problems": [drafts.problem_text(document, p) for p in exc.problems]}


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
        **structure_context(doc),
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
            path = drafts.part_path(working.document, address)
            attach_problems(form, exc.problems, path, _refused(exc))
        else:
            started = working.draft is None
            if started:
                messages.success(request, f"Saved {what} in a new draft.")
            if _htmx(request):
                response = part(framework_from_data(draft.document, str(draft)), None, True)
                if started:
                    # The status box above still says "no draft": reload the whole page so it
                    # shows the draft with its "Review and publish" and "Discard" buttons.
                    response["HX-Refresh"] = "true"
                return response
            if not started:
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
    what: str,
    goes_with: str = "",
) -> HttpResponse:
    """Remove or move a part; what refuses it is shown beside the part.

    A removal is asked about first (a page of its own without JavaScript; the browser's own
    question with it, which then sends `confirm` straight away)."""
    if action == "remove" and request.POST.get("confirm") != "yes":
        fields = [("action", "remove")]
        if request.POST.get("from"):
            fields.append(("from", request.POST["from"]))
        return confirm_page(
            request,
            framework=working.framework,
            question=f"Remove {what}?",
            consequence=f"{goes_with}This cannot be undone in the draft. The published "
            "version stays as it is until you publish.",
            action=request.path,
            fields=fields,
            button=f"Remove {what}",
            cancel=back,
        )
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
        messages.success(request, f"Removed {what} from the draft.")
        return redirect(after_remove)
    return redirect(back)


def _goes_with(count: int, noun: str) -> str:
    if not count:
        return ""
    return f"Its {count} {noun}{'s' if count != 1 else ''} go{'es' if count == 1 else ''} with it. "


def _edit_url(key: str, anchor: str = "") -> str:
    return reverse("framework-edit", kwargs={"key": key}) + (f"#{anchor}" if anchor else "")


@editor_required
@post_only(lambda key: _edit_url(key, "about"))
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
@post_only(lambda key: _edit_url(key, "scoring"))
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
                form,
                exc.problems,
                (*_list_path(working, address), _count(working, address)),
                _refused(exc),
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
@post_only(lambda key: _edit_url(key, "categories"))
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
@post_only(lambda key, category: _edit_url(key, f"category-{category}"))
def category_edit(request: HttpRequest, key: str, category: str) -> HttpResponse:
    working = _working(key)
    found = working.document.category(category)
    if found is None:
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
            what=f"the category {found.name}",
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
@post_only(lambda key: _edit_url(key, "skills"))
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
    found = working.document.skill(skill)
    if request.method == "GET" or found is None:
        return _skill_page(request, working, skill)
    address = ("skills", skill)
    action = request.POST.get("action", "save")
    if action != "save":
        on_overview = request.POST.get("from") == "overview"
        here = _edit_url(key, f"skill-{skill}") if on_overview else _skill_url(key, skill)
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
            back=here,
            after_remove=_edit_url(key, "skills"),
            what=f"the skill {found.name}",
            goes_with=_goes_with(len(found.milestones), "milestone"),
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
@post_only(lambda key, skill: _skill_url(key, skill, "milestones"))
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
@post_only(lambda key, skill, number: _skill_url(key, skill, f"milestone-{number}"))
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
            what=f"milestone {number} of {found.name}",
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
