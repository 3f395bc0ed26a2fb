"""Reads from the framework library."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.model import Framework as FrameworkDoc

from .models import Framework, FrameworkVersion

_CACHE_SIZE = 64
_documents: dict[str, FrameworkDoc] = {}


def framework_document(version: FrameworkVersion) -> FrameworkDoc:
    """The validated document of a version, parsed once per process per content hash.

    Versions are immutable, so the hash identifies the content and the cache never goes stale.
    """
    document = _documents.get(version.content_hash)
    if document is None:
        document = framework_from_data(version.document, f"{version} ({version.content_hash[:12]})")
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
