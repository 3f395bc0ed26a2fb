"""The promotion packet of a person: a printable page and a Markdown download.

Visible to exactly those who see the person's progress page (the person, anyone above them in
the chain, admins): 404 for an unknown person, 403 for anyone else, as on that page. The target
level comes from `?track=<key>&level=<code>`; without them, the next level of the person's track.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from ladders.accounts.permissions import can_view_person
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.org.models import Person

from . import packet as packets
from .packet import Packet, PacketError
from .packet_markdown import packet_markdown


def _person(request: HttpRequest, uuid: UUID) -> Person:
    person = Person.objects.select_related("manager", "team").filter(uuid=uuid).first()
    if person is None:
        raise Http404("No such person")
    if not can_view_person(request.user, person):
        raise PermissionDenied
    return person


def _target(request: HttpRequest) -> tuple[str | None, str | None]:
    return (
        request.GET.get("track", "").strip() or None,
        request.GET.get("level", "").strip() or None,
    )


def _choices(doc: FrameworkDoc | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """(track name, [(level code, label)]) for the level picker."""
    if doc is None:
        return []
    return [
        (t.name, [(lv.code, f"{lv.code} {lv.title}".strip()) for lv in t.levels])
        for t in doc.tracks
    ]


def _form_context(doc: FrameworkDoc | None, track: str | None, level: str | None) -> dict[str, Any]:
    return {
        "tracks": [(t.key, t.name) for t in doc.tracks] if doc else [],
        "levels": _choices(doc),
        "chosen_track": track,
        "chosen_level": level,
    }


def _packet(request: HttpRequest, person: Person) -> Packet:
    track, level = _target(request)
    return packets.promotion_packet(
        person=person, viewer=request.user, track_key=track, level_code=level
    )


def promotion_packet(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person(request, uuid)
    try:
        packet = _packet(request, person)
    except PacketError as exc:
        track, level = _target(request)
        context = {"person": person, "error": str(exc), **_form_context(exc.doc, track, level)}
        return render(request, "reports/packet_choose.html", context, status=exc.status)
    context = {
        "person": person,
        "packet": packet,
        **_form_context(packet.doc, packet.track.key, packet.level.code),
    }
    return render(request, "reports/packet.html", context)


def promotion_packet_markdown(request: HttpRequest, uuid: UUID) -> HttpResponse:
    person = _person(request, uuid)
    try:
        packet = _packet(request, person)
    except PacketError as exc:
        # a choice is needed either way: the download has no form to offer, so it refuses
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(packet_markdown(packet), content_type="text/markdown; charset=utf-8")
    name = slugify(f"packet {person.name} {packet.level.code}") or "packet"
    response["Content-Disposition"] = f'attachment; filename="{name}.md"'
    return response
