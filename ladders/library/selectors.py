"""Reads from the framework library."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Max, OuterRef, QuerySet, Subquery

from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework as FrameworkDoc

from .models import Draft, Framework, FrameworkVersion

_CACHE_SIZE = 64
_documents: dict[str, FrameworkDoc] = {}


def framework_document(version: FrameworkVersion) -> FrameworkDoc:
    """The validated document of a version, parsed once per process per content hash.

    Versions are immutable, so the hash identifies the content and the cache never goes stale.
    """
    document = _documents.get(version.content_hash)
    if document is None:
        # named without str(version), which would load the framework: a cache miss costs no query
        label = f"version {version.number} ({version.content_hash[:12]})"
        document = framework_from_data(version.document, label)
        if len(_documents) >= _CACHE_SIZE:
            _documents.clear()
        _documents[version.content_hash] = document
    return document


def framework_list() -> QuerySet[Framework]:
    """Frameworks with the number of their latest version as `latest_number`."""
    return (
        Framework.objects.annotate(latest_number=Max("versions__number"))
        .filter(latest_number__isnull=False)
        .order_by("name")
    )


def framework_get(*, key: str) -> Framework | None:
    return Framework.objects.filter(key=key).first()


def framework_version_get(
    *, framework: Framework, number: int | None = None
) -> FrameworkVersion | None:
    """The given version of a framework, or its latest when `number` is None."""
    versions = framework.versions.all()
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()


def framework_version_pick(*, key: str, number: int | None = None) -> FrameworkVersion | None:
    """A version of the framework `key` (its latest when `number` is None) in one query, with
    its framework and publisher loaded and the framework's latest number as `latest_number`."""
    latest = (
        FrameworkVersion.objects.filter(framework=OuterRef("framework"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = (
        FrameworkVersion.objects.filter(framework__key=key)
        .select_related("framework", "published_by__person")
        .annotate(latest_number=Subquery(latest))
    )
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()


def framework_version_history(*, key: str) -> list[FrameworkVersion]:
    """Every published version of the framework `key`, newest first, without their documents."""
    return list(
        FrameworkVersion.objects.filter(framework__key=key)
        .select_related("framework", "published_by__person")
        .defer("document")
        .order_by("-number")
    )


def framework_version_documents(
    *, framework: Framework, numbers: Iterable[int]
) -> dict[int, FrameworkDoc]:
    """The validated documents of some versions of `framework`, by number, in one query.
    Numbers that do not exist are left out."""
    versions = FrameworkVersion.objects.filter(framework=framework, number__in=set(numbers))
    return {v.number: framework_document(v) for v in versions}


def version_publisher(version: FrameworkVersion) -> str:
    """Who published a version: their name in the organisation, else their account name."""
    user = version.published_by
    if user is None:
        return ""
    try:
        return str(user.person.name)  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
        return str(full_name or user.get_username())


@dataclass(frozen=True)
class ChangelogSection:
    title: str  # Added, Renamed, Changed or Removed
    subjects: list[str]


def changelog_note(changelog: str) -> str:
    """The editor's release note: what a stored changelog says before its first section."""
    note = changelog.split("\n## ", 1)[0] if not changelog.startswith("## ") else ""
    return "" if note.strip() == "No changes." else note.strip()


def changelog_sections(changelog: str) -> list[ChangelogSection]:
    """The sections of a stored changelog (as `frameworks.diff.render_changelog` writes it) with
    the subject of each change, leaving out the details."""
    sections: list[ChangelogSection] = []
    for line in changelog.splitlines():
        if line.startswith("## "):
            sections.append(ChangelogSection(line[3:].strip(), []))
        elif line.startswith("- ") and sections:
            sections[-1].subjects.append(line[2:].strip())
    return sections


# --- for the API ---------------------------------------------------------------------------------


def user_label(user: object | None) -> str:
    """A user as people know them: their name in the organisation, else their account name.
    Expects `person` to be loaded with the user (select_related) to stay one query."""
    if user is None:
        return ""
    try:
        return str(user.person.name)  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
        return str(full_name or user.get_username())  # type: ignore[attr-defined]


def framework_version_list(*, framework: Framework) -> QuerySet[FrameworkVersion]:
    """The published versions of a framework with their publishers, without their documents
    (a list of versions never needs them)."""
    return (
        FrameworkVersion.objects.filter(framework=framework)
        .select_related("framework", "published_by__person")
        .defer("document")
    )


def framework_draft_list() -> QuerySet[Draft]:
    """Every draft with its framework, base version, latest published number
    (`latest_number`) and the framework's name as `framework_name` to order by."""
    return Draft.objects.select_related("framework", "base_version", "updated_by__person").annotate(
        framework_name=F("framework__name"),
        latest_number=Max("framework__versions__number"),
    )
