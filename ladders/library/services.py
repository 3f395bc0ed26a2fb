"""Writes to the framework library."""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ladders.audit.models import AuditAction
from ladders.audit.services import audit_record
from ladders.frameworks import diff as framework_diff
from ladders.frameworks.errors import LaddersError
from ladders.frameworks.model import Framework as FrameworkDoc

from .models import Draft, Framework, FrameworkVersion
from .selectors import framework_document

RESERVED_KEYS = frozenset({"install", "drafts"})


def content_hash(document: dict[str, object]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def framework_publish(
    *,
    document: FrameworkDoc,
    published_by: AbstractBaseUser | None = None,
    is_template: bool = False,
    note: str = "",
) -> FrameworkVersion:
    """Store `document` as the next version of its framework, unless it is unchanged.

    Publishing the same content again returns the latest version rather than a copy.
    """
    if document.key in RESERVED_KEYS:
        raise LaddersError(
            f"'{document.key}' cannot be a framework key: it names a page; choose another key"
        )
    data = document.to_document()
    digest = content_hash(data)
    framework, created = Framework.objects.select_for_update().get_or_create(
        key=document.key, defaults={"name": document.name, "is_template": is_template}
    )
    latest = framework.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    changelog = ""
    if latest is not None:
        changes = framework_diff.diff(framework_document(latest), document)
        changelog = framework_diff.render_changelog(changes)
    if note.strip():
        # the editor's own words first, then the changes as computed
        changelog = f"{note.strip()}\n\n{changelog}".strip()
    if not created and framework.name != document.name:
        framework.name = document.name
        framework.save(update_fields=["name"])
    version = FrameworkVersion(
        framework=framework,
        number=(latest.number + 1) if latest else 1,
        document=data,
        content_hash=digest,
        changelog=changelog,
        published_by=published_by,
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=published_by,
        action=AuditAction.FRAMEWORK_PUBLISH,
        target=framework.key,
        data={"version": version.number, "content_hash": digest},
    )
    return version


@transaction.atomic
def draft_replace(
    *,
    framework: Framework,
    document: dict[str, object],
    user: AbstractBaseUser,
    expected_revision: str | None = None,
) -> Draft:
    """Replace the whole draft of `framework` with `document` (starting a draft from the latest
    version when there is none), as one validated edit.

    With `expected_revision` the draft must still be the one the caller read (`draft_revision`),
    else `DraftChanged`. Raises `FrameworkInvalid` with every problem; nothing is then saved,
    not even a draft started for this edit.
    """
    from . import drafts  # drafts builds on this module

    draft = drafts.draft_get_or_create(framework=framework, user=user)
    draft = Draft.objects.select_for_update().select_related("framework").get(pk=draft.pk)
    if expected_revision is not None and drafts.draft_revision(draft=draft) != expected_revision:
        raise drafts.DraftChanged()
    return drafts.draft_update(draft=draft, document=dict(document), user=user)
