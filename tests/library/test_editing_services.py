"""Drafts: always valid, started from the latest version, published as the next one."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ladders.audit.models import AuditAction, AuditEvent
from ladders.frameworks.errors import FrameworkInvalid
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.starter import load_starter
from ladders.library import drafts
from ladders.library.models import Draft, Framework, FrameworkVersion
from ladders.library.services import framework_publish

pytestmark = pytest.mark.django_db

STARTER = load_starter().framework  # parsed once: reading the YAML takes a while


@pytest.fixture
def editor() -> Any:
    return get_user_model().objects.create_user("ed", "ed@example.com", "pw")


@pytest.fixture
def framework() -> Framework:
    return framework_publish(document=STARTER).framework


def test_a_draft_starts_from_the_latest_published_version(
    framework: Framework, editor: Any
) -> None:
    data = STARTER.to_document()
    data["name"] = "Starter, second edition"
    second = framework_publish(document=framework_from_data(data))
    draft = drafts.draft_get_or_create(framework=framework, user=editor)
    assert draft.base_version == second
    assert draft.document["name"] == "Starter, second edition"
    assert drafts.draft_get_or_create(framework=framework, user=editor).pk == draft.pk


def test_draft_update_refuses_an_invalid_edit_and_keeps_the_old_draft(
    framework: Framework, editor: Any
) -> None:
    draft = drafts.draft_get_or_create(framework=framework, user=editor)
    before = copy.deepcopy(draft.document)
    broken = copy.deepcopy(before)
    broken["skills"][0]["name"] = ""
    broken["skills"][1]["milestones"][0]["points"] = -1
    with pytest.raises(FrameworkInvalid) as caught:
        drafts.draft_update(draft=draft, document=broken, user=editor)
    paths = {p.path for p in caught.value.problems}
    assert paths == {("skills", 0, "name"), ("skills", 1, "milestones", 0, "points")}
    assert Draft.objects.get(pk=draft.pk).document == before


def test_the_key_of_a_draft_cannot_change(framework: Framework, editor: Any) -> None:
    draft = drafts.draft_get_or_create(framework=framework, user=editor)
    renamed = {**draft.document, "key": "another-key"}
    with pytest.raises(FrameworkInvalid) as caught:
        drafts.draft_update(draft=draft, document=renamed, user=editor)
    assert caught.value.problems[0].path == ("key",)


def test_parts_are_added_moved_and_removed_by_their_keys(framework: Framework, editor: Any) -> None:
    added = drafts.draft_part_add(
        framework=framework,
        user=editor,
        address=("skills",),
        values={"name": "Incident command", "category": "delivery"},
    )
    assert added == ("skills", "incident-command")
    milestone = drafts.draft_part_add(
        framework=framework, user=editor, address=(*added, "milestones"), values={}
    )
    assert milestone == ("skills", "incident-command", "milestones", 1)
    drafts.draft_part_update(
        framework=framework,
        user=editor,
        address=milestone,
        values={"summary": "Runs a minor incident", "signals": ["Opens the channel"]},
    )
    drafts.draft_part_move(
        framework=framework, user=editor, address=("skills", "incident-command"), offset=-1
    )
    doc = drafts.draft_working(framework=framework).document
    assert [s.key for s in doc.skills][-2:] == ["incident-command", "ways-of-working"]
    assert doc.skill("incident-command").milestone(1).signals == ["Opens the channel"]  # type: ignore[union-attr]
    drafts.draft_part_remove(framework=framework, user=editor, address=added)
    assert drafts.draft_working(framework=framework).document.skill("incident-command") is None


def test_moving_a_milestone_keeps_the_numbers_and_moves_the_content(
    framework: Framework, editor: Any
) -> None:
    before = STARTER.skill("testing")
    assert before is not None
    drafts.draft_part_move(
        framework=framework, user=editor, address=("skills", "testing", "milestones", 2), offset=1
    )
    after = drafts.draft_working(framework=framework).document.skill("testing")
    assert after is not None
    assert [m.number for m in after.milestones] == [1, 2, 3, 4, 5]
    assert after.milestones[1].summary == before.milestones[2].summary
    assert after.milestones[2].summary == before.milestones[1].summary


def test_removing_a_skill_a_level_requires_is_refused_with_where(
    framework: Framework, editor: Any
) -> None:
    with pytest.raises(FrameworkInvalid) as caught:
        drafts.draft_part_remove(
            framework=framework, user=editor, address=("skills", "code-quality")
        )
    assert any("requires skill 'code-quality'" in p.message for p in caught.value.problems)
    # The refused first edit leaves no draft behind.
    assert not Draft.objects.exists()


def test_an_unknown_part_is_reported(framework: Framework, editor: Any) -> None:
    with pytest.raises(drafts.PartNotFound):
        drafts.draft_part_update(
            framework=framework, user=editor, address=("skills", "nope"), values={}
        )


def test_publish_creates_the_next_version_with_a_changelog_and_an_audit_event(
    framework: Framework, editor: Any
) -> None:
    drafts.draft_part_update(
        framework=framework,
        user=editor,
        address=("skills", "testing"),
        values={"name": "Testing and verification"},
    )
    draft = Draft.objects.get(framework=framework)
    changes = drafts.draft_changes(draft=draft)
    assert [c.subject for c in changes] == ["skill testing"]
    version = drafts.draft_publish(draft=draft, user=editor)
    assert version.number == 2 and version.published_by == editor
    assert "name: Testing and quality → Testing and verification" in version.changelog
    assert not Draft.objects.filter(framework=framework).exists()
    event = AuditEvent.objects.filter(action=AuditAction.FRAMEWORK_PUBLISH).first()
    assert event is not None
    assert event.actor == editor and event.target == framework.key
    assert event.data["version"] == 2


def test_publishing_an_unchanged_draft_makes_no_version(framework: Framework, editor: Any) -> None:
    draft = drafts.draft_get_or_create(framework=framework, user=editor)
    version = drafts.draft_publish(draft=draft, user=editor)
    assert version.number == 1 and FrameworkVersion.objects.count() == 1
    assert not Draft.objects.exists()


def test_discarding_the_only_draft_of_a_new_framework_removes_the_framework(
    editor: Any,
) -> None:
    draft = drafts.framework_install(document=STARTER, user=editor, source={"template": "starter"})
    assert drafts.draft_discard(draft=draft, user=editor) is False
    assert not Framework.objects.exists()


def test_install_refuses_a_key_in_use_unless_asked_to_replace_its_draft(
    framework: Framework, editor: Any
) -> None:
    document = STARTER
    with pytest.raises(drafts.KeyTaken):
        drafts.framework_install(document=document, user=editor, source={})
    draft = drafts.framework_install(document=document, user=editor, source={}, into_existing=True)
    assert draft.framework == framework and draft.base_version is not None
    event = AuditEvent.objects.get(action=AuditAction.FRAMEWORK_INSTALL)
    assert event.target == "ladders-starter" and event.data["into_existing"] is True


def test_install_refuses_keys_the_pages_use(editor: Any) -> None:
    data = STARTER.to_document()
    data["key"] = "install"
    with pytest.raises(drafts.KeyRefused):
        drafts.framework_install(document=framework_from_data(data), user=editor, source={})


def test_template_copies_take_the_new_key_and_name(editor: Any) -> None:
    framework_publish(document=STARTER, is_template=True)
    templates = drafts.template_list()
    # The stored copy of the shipped starter is not listed twice.
    assert [t.choice for t in templates] == [drafts.STARTER_CHOICE]
    draft = drafts.framework_install_template(
        choice="starter", key="acme", name="Acme engineering", user=editor
    )
    assert draft.framework.key == "acme" and draft.framework.name == "Acme engineering"
    assert draft.document["key"] == "acme" and not draft.framework.is_template


def test_stored_templates_are_offered(editor: Any) -> None:
    data = STARTER.to_document()
    data.update(key="house-style", name="House style")
    framework_publish(document=framework_from_data(data), is_template=True)
    framework_publish(document=STARTER)  # not a template
    choices = [t.choice for t in drafts.template_list()]
    assert choices == [drafts.STARTER_CHOICE, "framework:house-style"]
    draft = drafts.framework_install_template(
        choice="framework:house-style", key="ours", name="", user=editor
    )
    assert draft.document["name"] == "House style"
