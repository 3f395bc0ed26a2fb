"""Writing, editing and deleting observations: the rules in the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ladders.org.models import Person
from ladders.progress import services
from ladders.progress.markdown import render_markdown
from ladders.progress.models import Observation, ObservationRevision, RevisionAction, Visibility

from .test_observations_helpers import publish_starter, write

pytestmark = pytest.mark.django_db

People = dict[str, Person | None]


def _pair(people: People) -> tuple[Person, Person]:
    manager, member = people["manager"], people["member"]
    assert manager and member
    return manager, member


def test_anyone_can_write_about_anyone_including_themselves(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    about_member = write(framework, author=manager, subject=member)
    about_self = write(framework, author=member, subject=member, skills=[("testing", None)])
    assert about_member.skills.get().milestone == 2
    assert about_self.skills.get().milestone is None


def test_unknown_skill_keys_are_named_with_the_ones_that_exist(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    with pytest.raises(ValidationError) as error:
        write(framework, author=manager, subject=member, skills=[("juggling", None)])
    message = " ".join(error.value.messages)
    assert "'juggling'" in message and "code-quality" in message
    assert not Observation.objects.exists()


def test_a_milestone_must_exist_for_its_skill(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    with pytest.raises(ValidationError, match="no milestone 9; its milestones are 1, 2, 3, 4, 5"):
        write(framework, author=manager, subject=member, skills=[("testing", 9)])


def test_the_date_cannot_be_in_the_future(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="in the future"):
        write(framework, author=manager, subject=member, observed_on=tomorrow)


def test_at_least_one_skill_and_some_text(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    with pytest.raises(ValidationError, match="at least one skill"):
        write(framework, author=manager, subject=member, skills=[])
    with pytest.raises(ValidationError, match="text is empty"):
        write(framework, author=manager, subject=member, text="   ")


def test_editing_keeps_what_it_said_before(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    observation = write(framework, author=manager, subject=member, text="first words")
    services.observation_update(
        observation=observation,
        editor=manager,
        text="second words",
        observed_on=observation.observed_on,
        skills=[("testing", 3)],
        visibility=Visibility.PRIVATE,
    )
    observation.refresh_from_db()
    assert observation.text == "second words"
    assert [s.skill_key for s in observation.skills.all()] == ["testing"]
    revision = ObservationRevision.objects.get()
    assert revision.action == RevisionAction.EDITED
    assert revision.text == "first words"
    assert revision.visibility == Visibility.SHARED
    assert revision.skills == [["code-quality", 2]]


def test_only_the_author_edits_or_deletes(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    observation = write(framework, author=manager, subject=member)
    with pytest.raises(PermissionDenied):
        services.observation_delete(observation=observation, editor=member)
    with pytest.raises(PermissionDenied):
        services.observation_update(
            observation=observation,
            editor=member,
            text="mine now",
            observed_on=observation.observed_on,
            skills=[("testing", None)],
            visibility=Visibility.SHARED,
        )


def test_deleting_is_soft_and_keeps_the_history(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    observation = write(framework, author=manager, subject=member, text="gone soon")
    services.observation_delete(observation=observation, editor=manager)
    observation.refresh_from_db()
    assert observation.deleted_at is not None
    assert ObservationRevision.objects.get().action == RevisionAction.DELETED
    with pytest.raises(ValidationError, match="deleted"):
        services.observation_delete(observation=observation, editor=manager)


def test_markdown_is_rendered_without_running_anything() -> None:
    out = render_markdown(
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.com)"
    )
    assert "<strong>bold</strong>" in out
    assert "<script>" not in out
    assert 'href="javascript' not in out
    assert '<a href="https://example.com" rel="nofollow noopener">ok</a>' in out


def test_every_problem_is_reported_at_once(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        write(framework, author=manager, subject=member, text="", skills=[], observed_on=tomorrow)
    assert set(error.value.message_dict) == {"text", "skills", "observed_on"}


def test_an_edit_that_changes_nothing_keeps_no_revision(people: People) -> None:
    framework = publish_starter()
    manager, member = _pair(people)
    observation = write(framework, author=manager, subject=member, text="same")
    services.observation_update(
        observation=observation,
        editor=manager,
        text="same",
        observed_on=observation.observed_on,
        skills=[("code-quality", 2)],
        visibility=observation.visibility,
    )
    assert not ObservationRevision.objects.exists()


def test_markdown_images_become_links_so_nothing_loads_from_elsewhere() -> None:
    html = render_markdown("See ![the graph](https://tracker.example/p.gif) and **this**")
    assert "<img" not in html
    assert '<a href="https://tracker.example/p.gif" rel="nofollow noopener">the graph</a>' in html
    assert "<strong>this</strong>" in html
