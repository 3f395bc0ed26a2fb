"""The draft editor's tracks and levels: add a track, edit it with its levels, add and change
levels. The framework-wide parts (about, scoring, categories, skills, milestones) are in
edit_views.py, whose helpers these views share."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from ladders.accounts.permissions import editor_required
from ladders.frameworks.model import Framework as FrameworkDoc

from . import drafts
from .edit_views import (
    _add_part,
    _change_part,
    _edit_url,
    _editor_page,
    _goes_with,
    _page_context,
    _render_part,
    _save_part,
    _working,
    post_only,
)
from .forms import (
    AddForm,
    LevelAddForm,
    LevelForm,
    PartForm,
    TrackForm,
)

# ------------------------------------------------------------------ tracks and levels


@editor_required
@post_only(lambda key: _edit_url(key, "tracks"))
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
    found = working.document.track(track)
    if request.method == "GET" or found is None:
        return _track_page(request, working, track)
    address = ("tracks", track)
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
                else _track_page(request, working, track, refusal=refusal)
            ),
            anchor=f"track-{track}",
            back=_edit_url(key, f"track-{track}") if on_overview else _track_url(key, track),
            after_remove=_edit_url(key, "tracks"),
            what=f"the track {found.name}",
            goes_with=_goes_with(len(found.levels), "level"),
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
@post_only(lambda key, track: _track_url(key, track, "levels"))
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
@post_only(lambda key, track, code: _track_url(key, track, level_prefix(code)))
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
            what=f"level {code} of {found.name}",
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
