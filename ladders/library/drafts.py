"""Drafts and installs: how a framework changes in the browser before it is published.

A draft is the one working copy of a framework. Every change goes through `draft_update`, which
validates the whole document, so a draft is always valid and can be published at any moment.
Parts of a document are addressed by their stable identities rather than list positions:
`("skills", "testing", "milestones", 3)` or `("tracks", "ic", "levels", "IC3")`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Max

from ladders.audit.models import AuditAction
from ladders.audit.services import audit_record
from ladders.frameworks import diff as framework_diff
from ladders.frameworks.errors import FrameworkInvalid, LaddersError, Path, Problem
from ladders.frameworks.importers.base import slugify, unique_key
from ladders.frameworks.lint import lint_framework
from ladders.frameworks.loader import LoadedFramework, SourceMap, framework_from_data
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.frameworks.starter import load_starter

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
def draft_publish(*, draft: Draft, user: User) -> FrameworkVersion:
    """Publish the draft as the next version (or return the latest if nothing changed)."""
    locked = Draft.objects.select_for_update().select_related("framework").get(pk=draft.pk)
    document = framework_from_data(locked.document, str(locked))
    version = framework_publish(document=document, published_by=_user(user))
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
    return draft_update(draft=draft, document=document, user=user), result


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
