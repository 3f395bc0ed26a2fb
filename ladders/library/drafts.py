"""Drafts and installs: how a framework changes in the browser before it is published.

A draft is the one working copy of a framework. Every change goes through `draft_update`, which
validates the whole document, so a draft is always valid and can be published at any moment.
Parts of a document are addressed by their stable identities rather than list positions:
`("skills", "testing", "milestones", 3)` or `("tracks", "ic", "levels", "IC3")`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from ladders.audit.models import AuditAction
from ladders.audit.services import audit_record
from ladders.frameworks import diff as framework_diff
from ladders.frameworks.errors import FrameworkInvalid, LaddersError, Path, Problem
from ladders.frameworks.importers.base import slugify, unique_key
from ladders.frameworks.lint import lint_framework
from ladders.frameworks.loader import LoadedFramework, SourceMap, framework_from_data
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.frameworks.starter import load_starter
from ladders.org.models import Position
from ladders.progress.models import Attainment, ObservationSkill
from ladders.progress.selectors import observation_list_visible

from .models import Draft, Framework, FrameworkVersion
from .selectors import framework_document
from .services import content_hash, framework_publish

User = AbstractBaseUser | AnonymousUser
Address = tuple[str | int, ...]
T = TypeVar("T")

# Keys whose framework pages would be hidden behind the library's own pages.
RESERVED_KEYS = frozenset({"install", "drafts"})
STARTER_CHOICE = "starter"
_TEMPLATE_PREFIX = "framework:"

# How an item of each list in a document is named in an address.
_IDENTITY = {
    "categories": "key",
    "skills": "key",
    "tracks": "key",
    "milestones": "number",
    "levels": "code",
}


class PartNotFound(LaddersError):
    """An address names a category, skill, milestone, track or level the document lacks."""


class KeyTaken(LaddersError):
    """Installing under a key that another framework already uses."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        super().__init__(
            f"the key '{framework.key}' is already used by the framework '{framework.name}'"
        )


class KeyRefused(LaddersError):
    """A key that cannot be used for a framework here."""


class DraftChanged(LaddersError):
    """The draft is no longer the one that was reviewed: someone saved to it meanwhile."""

    def __init__(self) -> None:
        super().__init__(
            "The draft changed since you opened this page: review the changes again, then publish."
        )


@dataclass
class DraftRefused(FrameworkInvalid):
    """An edit the draft refused, with the document it would have made, so that the places
    its problems name can be said in words ("skill 'testing', milestone 2")."""

    document: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ selectors


@dataclass(frozen=True)
class Working:
    """What the editor shows: the draft if there is one, else the latest published version."""

    framework: Framework
    document: FrameworkDoc
    draft: Draft | None
    latest: FrameworkVersion | None


def draft_working(*, framework: Framework) -> Working:
    draft = Draft.objects.filter(framework=framework).select_related("updated_by").first()
    latest = framework.versions.order_by("-number").first()
    if draft is not None:
        document = framework_from_data(draft.document, str(draft))
    elif latest is not None:
        document = framework_document(latest)
    else:
        document = _skeleton(framework)
    return Working(framework, document, draft, latest)


def draft_list() -> list[Draft]:
    return list(
        Draft.objects.select_related("framework", "updated_by", "base_version").order_by(
            "framework__name"
        )
    )


def draft_changes(*, draft: Draft) -> list[framework_diff.Change]:
    """What publishing the draft would change, compared with the latest published version."""
    latest = draft.framework.versions.order_by("-number").first()
    before = framework_document(latest) if latest else _skeleton(draft.framework)
    return framework_diff.diff(before, framework_from_data(draft.document, str(draft)))


def draft_findings(*, document: FrameworkDoc) -> list[Problem]:
    """Lint warnings of a document; they do not stop a publish."""
    return lint_framework(LoadedFramework(document, SourceMap(), document.key))


def draft_revision(*, draft: Draft) -> str:
    """A token for the exact content of the draft (the SHA-256 of its canonical JSON).

    The publish page sends it back, so what is published is what was reviewed."""
    return content_hash(draft.document)


@dataclass(frozen=True)
class PositionsLost:
    """A track, or a level of a track (`level` set), that open positions name but the draft
    no longer has."""

    track: str
    track_name: str
    level: str | None
    people: int


@dataclass(frozen=True)
class SkillRecordsLost:
    """A skill the draft no longer has, with how many records still name it."""

    skill: str
    skill_name: str
    attainments: int
    people: int
    observations: int


@dataclass(frozen=True)
class DraftImpact:
    """What publishing the draft leaves pointing at nothing. Counts only: no names of people
    and nothing of what was written about them."""

    tracks: list[PositionsLost]
    levels: list[PositionsLost]
    skills: list[SkillRecordsLost]

    def __bool__(self) -> bool:
        return bool(self.tracks or self.levels or self.skills)


def draft_impact(*, draft: Draft, user: AbstractBaseUser | AnonymousUser) -> DraftImpact:
    """Tracks, levels and skills missing from the draft that people's open positions, active
    certified milestones or observations still refer to. A fixed number of queries.

    Observations are counted only if `user` may see them: a private one never shows in a count.
    """
    framework, document = draft.framework, draft.document
    levels = {
        t["key"]: {lv["code"] for lv in t.get("levels", [])} for t in document.get("tracks", [])
    }
    skill_keys = [s["key"] for s in document.get("skills", [])]
    latest = framework.versions.order_by("-number").first()
    before = framework_document(latest) if latest else None
    names = _names(before)

    held = (
        Position.objects.filter(framework=framework, ended_on__isnull=True)
        .values("track_key", "level_code")
        .annotate(people=Count("person", distinct=True))
        .order_by("track_key", "level_code")
    )
    tracks: dict[str, int] = {}
    lost_levels: list[PositionsLost] = []
    for row in held:
        track, code, people = row["track_key"], row["level_code"], row["people"]
        if track not in levels:
            tracks[track] = tracks.get(track, 0) + people
        elif code not in levels[track]:
            name = names.get(("track", track), track)
            lost_levels.append(PositionsLost(track, name, code, people))
    lost_tracks = [PositionsLost(t, names.get(("track", t), t), None, n) for t, n in tracks.items()]

    certified = {
        row["skill_key"]: row
        for row in Attainment.objects.filter(framework=framework, revoked_at__isnull=True)
        .exclude(skill_key__in=skill_keys)
        .values("skill_key")
        .annotate(n=Count("id"), people=Count("person", distinct=True))
        .order_by()
    }
    observed = {
        row["skill_key"]: row["n"]
        for row in ObservationSkill.objects.filter(
            observation__framework=framework,
            observation__in=observation_list_visible(user=user),
        )
        .exclude(skill_key__in=skill_keys)
        .values("skill_key")
        .annotate(n=Count("observation", distinct=True))
        .order_by()
    }
    skills = [
        SkillRecordsLost(
            key,
            names.get(("skill", key), key),
            certified[key]["n"] if key in certified else 0,
            certified[key]["people"] if key in certified else 0,
            observed.get(key, 0),
        )
        for key in sorted(set(certified) | set(observed))
    ]
    return DraftImpact(lost_tracks, lost_levels, skills)


def _names(document: FrameworkDoc | None) -> dict[tuple[str, str], str]:
    if document is None:
        return {}
    found = {("track", t.key): t.name for t in document.tracks}
    return found | {("skill", s.key): s.name for s in document.skills}


@dataclass(frozen=True)
class Template:
    choice: str
    name: str
    description: str
    origin: str


@cache
def _starter() -> FrameworkDoc:
    return load_starter().framework


def template_list() -> list[Template]:
    """The starter that ships with Ladders, then every stored framework marked as a template.

    A stored template whose content is exactly the shipped starter is not listed twice.
    """
    starter = _starter()
    found = [Template(STARTER_CHOICE, starter.name, starter.description, "ships with Ladders")]
    starter_hash = content_hash(starter.to_document())
    latest = Framework.objects.filter(is_template=True).annotate(latest=Max("versions__number"))
    wanted = {f.pk: f.latest for f in latest if f.latest is not None}
    versions = FrameworkVersion.objects.filter(framework_id__in=wanted).select_related("framework")
    for version in sorted(versions, key=lambda v: v.framework.name.lower()):
        if wanted[version.framework_id] != version.number or version.content_hash == starter_hash:
            continue
        doc = framework_document(version)
        found.append(
            Template(
                _TEMPLATE_PREFIX + version.framework.key,
                doc.name,
                doc.description,
                f"{version.framework.key}, version {version.number}",
            )
        )
    return found


def template_document(*, choice: str) -> FrameworkDoc:
    if choice == STARTER_CHOICE:
        return _starter()
    if choice.startswith(_TEMPLATE_PREFIX):
        key = choice.removeprefix(_TEMPLATE_PREFIX)
        version = (
            FrameworkVersion.objects.filter(framework__key=key, framework__is_template=True)
            .order_by("-number")
            .first()
        )
        if version is not None:
            return framework_document(version)
    raise PartNotFound(f"there is no template '{choice}'")


def draft_for_key(*, key: str) -> Draft | None:
    """The draft of the framework with this key, if it has one."""
    return Draft.objects.filter(framework__key=key).select_related("framework").first()


def part_path(document: FrameworkDoc | dict[str, Any], address: Address) -> Path:
    """The document path (list positions) of an addressed part, for matching problems to it."""
    data = document.to_document() if isinstance(document, FrameworkDoc) else document
    return _resolve(data, address)[0]


# ------------------------------------------------------------------ services: drafts


def draft_get_or_create(*, framework: Framework, user: User) -> Draft:
    """The framework's draft, started from its latest published version when there is none."""
    latest = framework.versions.order_by("-number").first()
    document = framework_document(latest) if latest else _skeleton(framework)
    draft, _ = Draft.objects.get_or_create(
        framework=framework,
        defaults={
            "document": document.to_document(),
            "base_version": latest,
            "updated_by": _user(user),
        },
    )
    return draft


def draft_update(*, draft: Draft, document: dict[str, Any], user: User) -> Draft:
    """Replace the draft's document after validating all of it.

    Raises `FrameworkInvalid` with every problem (path and message); the draft is then unchanged.
    """
    validated = framework_from_data(document, str(draft))
    if validated.key != draft.framework.key:
        raise FrameworkInvalid(
            str(draft),
            [
                Problem(
                    f"the key of a draft cannot change (it is '{draft.framework.key}'); "
                    "install the document under a new key instead",
                    ("key",),
                    "key-changed",
                )
            ],
        )
    draft.document = validated.to_document()
    draft.updated_by = _user(user)
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def draft_discard(*, draft: Draft, user: User) -> bool:
    """Delete the draft. A framework that was only ever a draft goes with it.

    Returns whether the framework still exists.
    """
    framework = draft.framework
    draft.delete()
    if not framework.versions.exists():
        framework.delete()
        return False
    return True


@transaction.atomic
def draft_publish(
    *, draft: Draft, user: User, expected_revision: str | None = None, note: str = ""
) -> FrameworkVersion:
    """Publish the draft as the next version (or return the latest if nothing changed).

    With `expected_revision` (from `draft_revision`) the draft must still be exactly what was
    reviewed, else `DraftChanged`. `note` is the editor's release note, stored at the top of
    the version's changelog.
    """
    locked = (
        Draft.objects.select_for_update().select_related("framework").filter(pk=draft.pk).first()
    )
    if locked is None or (
        expected_revision is not None and draft_revision(draft=locked) != expected_revision
    ):
        raise DraftChanged()
    document = framework_from_data(locked.document, str(locked))
    version = framework_publish(document=document, published_by=_user(user), note=note)
    locked.delete()
    return version


def draft_part_update(
    *, framework: Framework, user: User, address: Address, values: dict[str, Any]
) -> Draft:
    """Set fields of one part (the framework itself is the empty address)."""

    def change(document: dict[str, Any]) -> None:
        _resolve(document, address)[1].update(values)

    return _draft_change(framework=framework, user=user, change=change)[0]


def draft_part_add(
    *, framework: Framework, user: User, address: Address, values: dict[str, Any]
) -> Address:
    """Append a part to the list at `address` (e.g. `("skills",)`); returns the new address.

    Keys left empty are made from the name; a new milestone takes the next number.
    """

    def change(document: dict[str, Any]) -> Address:
        parent = _resolve(document, address[:-1])[1] if address[:-1] else document
        items = parent.setdefault(str(address[-1]), [])
        identity = _IDENTITY[str(address[-1])]
        item = dict(values)
        if identity == "number":
            item["number"] = max((m["number"] for m in items), default=0) + 1
        elif identity == "key" and not item.get("key"):
            item["key"] = unique_key(slugify(str(item.get("name", ""))), {i["key"] for i in items})
        items.append(item)
        return (*address, item[identity])

    return _draft_change(framework=framework, user=user, change=change)[1]


def draft_part_remove(*, framework: Framework, user: User, address: Address) -> Draft:
    """Remove a part; refused (with the problems) if something still refers to it."""

    def change(document: dict[str, Any]) -> None:
        path, _ = _resolve(document, address)
        _container(document, path).pop(int(path[-1]))

    return _draft_change(framework=framework, user=user, change=change)[0]


def draft_part_move(*, framework: Framework, user: User, address: Address, offset: int) -> Draft:
    """Move a part up (-1) or down (+1) among its siblings; at either end nothing moves.

    Milestones keep their numbers: their content moves to the neighbouring number.
    """

    def change(document: dict[str, Any]) -> None:
        path, _ = _resolve(document, address)
        items, here = _container(document, path), int(path[-1])
        there = here + offset
        if not 0 <= there < len(items):
            return
        items[here], items[there] = items[there], items[here]
        if address[-2] == "milestones":
            items[here]["number"], items[there]["number"] = (
                items[there]["number"],
                items[here]["number"],
            )

    return _draft_change(framework=framework, user=user, change=change)[0]


@transaction.atomic
def _draft_change(
    *, framework: Framework, user: User, change: Callable[[dict[str, Any]], T]
) -> tuple[Draft, T]:
    """Apply `change` to a copy of the (locked) draft and store it if the result is valid."""
    draft = draft_get_or_create(framework=framework, user=user)
    draft = Draft.objects.select_for_update().select_related("framework").get(pk=draft.pk)
    document = copy.deepcopy(draft.document)
    result = change(document)
    try:
        return draft_update(draft=draft, document=document, user=user), result
    except FrameworkInvalid as exc:
        raise DraftRefused(exc.filename, exc.problems, document) from None


# ------------------------------------------------------------------ services: installing


@transaction.atomic
def framework_install(
    *,
    document: FrameworkDoc,
    user: User,
    source: dict[str, Any],
    into_existing: bool = False,
) -> Draft:
    """Save an imported document as a draft of a new framework, or with `into_existing` as the
    draft of the framework that has its key (replacing any draft it had).

    Raises `KeyTaken` when the key is used and `into_existing` is not set.
    """
    if document.key in RESERVED_KEYS:
        raise KeyRefused(
            f"'{document.key}' is a word the library's own pages use; choose another key"
        )
    existing = Framework.objects.select_for_update().filter(key=document.key).first()
    if existing is not None and not into_existing:
        raise KeyTaken(existing)
    if existing is not None:
        draft = draft_get_or_create(framework=existing, user=user)
        draft_update(draft=draft, document=document.to_document(), user=user)
    else:
        framework = Framework(key=document.key, name=document.name)
        framework.full_clean()
        try:
            with transaction.atomic():
                framework.save()
        except IntegrityError:
            raise KeyTaken(Framework.objects.get(key=document.key)) from None
        draft = Draft(framework=framework, document=document.to_document(), updated_by=_user(user))
        draft.full_clean()
        draft.save()
    audit_record(
        actor=user,
        action=AuditAction.FRAMEWORK_INSTALL,
        target=document.key,
        data={**source, "into_existing": existing is not None},
    )
    return draft


def framework_install_template(*, choice: str, key: str, name: str, user: User) -> Draft:
    """Install a copy of a template under a new key (and optionally a new name) as a draft."""
    data = template_document(choice=choice).to_document()
    data["key"] = key
    if name.strip():
        data["name"] = name.strip()
    document = framework_from_data(data, "template copy")
    return framework_install(document=document, user=user, source={"template": choice})


# ------------------------------------------------------------------ saying where, in words

# What one item of each list is called, and the field that names it.
_NOUNS = {
    "categories": ("category", "key"),
    "skills": ("skill", "key"),
    "tracks": ("track", "key"),
    "milestones": ("milestone", "number"),
    "levels": ("level", "code"),
    "titles": ("title", "name"),
}
# Mappings keyed by another part's key, as in a level's requirements.
_KEYED = {
    "milestones": "milestone of skill",
    "category_points": "points in category",
    "category_caps": "cap of category",
    "points": "points for milestone",
}
# A document path as `format_path` writes it, with at least one list position in it.
_PATH_TEXT = re.compile(
    r"\b(?:categories|skills|tracks|scoring)(?:\.[A-Za-z_][\w-]*)*\[\d+\]"
    r"(?:\[\d+\]|\.[A-Za-z_][\w-]*)*"
)
_PATH_PART = re.compile(r"\[(\d+)\]|\.?([A-Za-z_][\w-]*)")


def part_label(document: dict[str, Any], path: Path) -> str:
    """A document path in words: `tracks[0].levels[2].code` -> "track 'ic', level 'IC3', code"."""
    words: list[str] = []
    node: Any = document
    parts = list(path)
    while parts:
        name = parts.pop(0)
        if isinstance(name, int):
            words.append(f"line {name + 1}")
            node = node[name] if isinstance(node, list) and 0 <= name < len(node) else None
            continue
        items = node.get(name) if isinstance(node, dict) else None
        if name in _NOUNS and parts and isinstance(parts[0], int):
            index = int(parts.pop(0))
            noun, identity = _NOUNS[name]
            item = items[index] if isinstance(items, list) and 0 <= index < len(items) else None
            value = item.get(identity) if isinstance(item, dict) else None
            if value is None or value == "":
                words.append(f"{noun} {index + 1}")
            else:
                words.append(f"{noun} {value}" if identity == "number" else f"{noun} '{value}'")
            node = item
        elif name in _KEYED and parts and isinstance(parts[0], str):
            words.append(f"{_KEYED[name]} '{parts.pop(0)}'")
            node = None
        else:
            words.append(str(name).replace("_", " "))
            node = items
    return ", ".join(words)


def plain_message(document: dict[str, Any], message: str) -> str:
    """A problem's message with any document path in it (`skills[3].name`) said in words."""

    def words(found: re.Match[str]) -> str:
        path: Path = tuple(
            int(index) if index else name for index, name in _PATH_PART.findall(found.group(0))
        )
        return part_label(document, path)

    return _PATH_TEXT.sub(words, message)


def problem_text(document: dict[str, Any], problem: Problem) -> str:
    """A problem as a person reads it: where, in words, then what is wrong."""
    message = plain_message(document, problem.message)
    return f"{part_label(document, problem.path)}: {message}" if problem.path else message


# ------------------------------------------------------------------ helpers


def _skeleton(framework: Framework) -> FrameworkDoc:
    return framework_from_data(
        {"schema": "ladders/v1", "key": framework.key, "name": framework.name or framework.key}
    )


def _user(user: User) -> AbstractBaseUser | None:
    return user if isinstance(user, AbstractBaseUser) and user.is_authenticated else None


def _resolve(document: dict[str, Any], address: Address) -> tuple[Path, dict[str, Any]]:
    """The path and the mapping of the part at `address`; `PartNotFound` if there is none."""
    node: Any = document
    path: Path = ()
    parts = list(address)
    while parts:
        name = parts.pop(0)
        if name in _IDENTITY:
            if not parts:
                raise PartNotFound(f"an address must name an item of '{name}'")
            wanted, field = parts.pop(0), _IDENTITY[str(name)]
            items = node.get(name, []) if isinstance(node, dict) else []
            index = next((i for i, item in enumerate(items) if item.get(field) == wanted), None)
            if index is None:
                raise PartNotFound(f"no {field} '{wanted}' in {name}")
            node, path = items[index], (*path, name, index)
        else:
            node = node.setdefault(name, {}) if isinstance(node, dict) else None
            path = (*path, name)
        if not isinstance(node, dict):
            raise PartNotFound(f"nothing at {address}")
    return path, node


def _container(document: dict[str, Any], path: Path) -> list[Any]:
    node: Any = document
    for part in path[:-1]:
        node = node[part]
    if not isinstance(node, list):
        raise PartNotFound("only items of a list can be moved or removed")
    return node
