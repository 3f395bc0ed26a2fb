"""The observation pages: who may see and do what, and what they see."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ladders.org.models import Person
from ladders.progress import services
from ladders.progress.models import Observation, ObservationRevision, Visibility
from ladders.progress.selectors import skill_usage
from tests.conftest import PERSONAS

from .test_observations_helpers import publish_starter, visible_text, write

pytestmark = pytest.mark.django_db

People = dict[str, Person | None]
Clients = Callable[[str], Client]
SECRET = "Quietly struggled with the incident review"


def _member(people: People) -> Person:
    member = people["member"]
    assert member is not None
    return member


def _manager(people: People) -> Person:
    manager = people["manager"]
    assert manager is not None
    return manager


LIST_STATUS = {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_and_form_are_for_everyone_in_the_organisation(
    persona: str, people: People, persona_client: Clients
) -> None:
    publish_starter()
    member = _member(people)
    client = persona_client(persona)
    for url in (f"/people/{member.uuid}/observations/", f"/people/{member.uuid}/observations/new/"):
        assert client.get(url).status_code == LIST_STATUS[persona], url


EDIT_STATUS = {"admin": 403, "editor": 403, "manager": 200, "member": 403, "outsider": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_author_may_edit_or_delete(
    persona: str, people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    observation = write(framework, author=_manager(people), subject=_member(people))
    client = persona_client(persona)
    for action in ("edit", "delete"):
        url = f"/observations/{observation.uuid}/{action}/"
        assert client.get(url).status_code == EDIT_STATUS[persona], url


def test_anonymous_visitors_are_sent_to_sign_in(people: People) -> None:
    member = _member(people)
    response = Client().get(f"/people/{member.uuid}/observations/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_list_shows_rendered_markdown_skills_author_and_badge(
    people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    member = _member(people)
    write(framework, author=_manager(people), subject=member, text="Shipped **it** <b>raw</b>")
    markup = persona_client("member").get(f"/people/{member.uuid}/observations/").content.decode()
    assert "<strong>it</strong>" in markup
    assert "<b>raw</b>" not in markup
    text = visible_text(markup)
    assert "Manager on 1 May 2024" in text
    assert "Code quality · milestone 2" in text or "milestone 2" in text
    assert "Shared" in text


def test_newest_observation_comes_first(people: People, persona_client: Clients) -> None:
    framework = publish_starter()
    member, manager = _member(people), _manager(people)
    write(framework, author=manager, subject=member, text="older one")
    write(
        framework,
        author=manager,
        subject=member,
        text="newer one",
        observed_on=datetime.date(2024, 6, 1),
    )
    text = visible_text(
        persona_client("member").get(f"/people/{member.uuid}/observations/").content.decode()
    )
    assert text.index("newer one") < text.index("older one")


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("admin", True), ("editor", False), ("manager", True), ("member", True)],
)
def test_a_private_observation_is_shown_only_to_subject_author_chain_and_admins(
    persona: str, sees: bool, people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    editor = people["editor"]
    assert editor is not None
    # the manager writes privately about the member: the editor is a peer and must not see it
    write(
        framework,
        author=_manager(people),
        subject=_member(people),
        text=SECRET,
        visibility=Visibility.PRIVATE,
    )
    markup = persona_client(persona).get(f"/people/{_member(people).uuid}/observations/")
    assert (SECRET in markup.content.decode()) is sees


def test_a_private_observation_is_not_counted_for_a_peer_nor_found_by_search(
    people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    write(
        framework,
        author=_manager(people),
        subject=_member(people),
        text=SECRET,
        visibility=Visibility.PRIVATE,
        skills=[("testing", 1)],
    )
    editor = persona_client("editor")
    user = editor.get("/").wsgi_request.user
    assert skill_usage(user=user, framework=framework, skill_key="testing").observations == 0
    manager_user = persona_client("manager").get("/").wsgi_request.user
    assert (
        skill_usage(user=manager_user, framework=framework, skill_key="testing").observations == 1
    )
    search = editor.get("/frameworks/ladders-starter/search/?q=struggled+incident")
    assert SECRET not in search.content.decode()


def test_writing_through_the_form(people: People, persona_client: Clients) -> None:
    publish_starter()
    member = _member(people)
    client = persona_client("manager")
    response = client.post(
        f"/people/{member.uuid}/observations/new/",
        {
            "text": "Paired on the flaky tests",
            "observed_on": "2024-05-02",
            "link": "",
            "visibility": "shared",
            "skill_testing": "3",
            "skill_code-quality": "any",
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.author == _manager(people) and observation.subject == member
    picks = sorted((s.skill_key, s.milestone) for s in observation.skills.all())
    assert picks == [("code-quality", None), ("testing", 3)]


def test_form_errors_are_shown_in_place(people: People, persona_client: Clients) -> None:
    publish_starter()
    member = _member(people)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = persona_client("manager").post(
        f"/people/{member.uuid}/observations/new/",
        {"text": "Too early", "observed_on": tomorrow.isoformat(), "visibility": "shared"},
    )
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "at least one skill" in text and "in the future" in text
    assert not Observation.objects.exists()


def test_edit_and_delete_keep_a_visible_history(people: People, persona_client: Clients) -> None:
    framework = publish_starter()
    member = _member(people)
    observation = write(framework, author=_manager(people), subject=member, text="draft wording")
    client = persona_client("manager")
    response = client.post(
        f"/observations/{observation.uuid}/edit/",
        {
            "text": "better wording",
            "observed_on": "2024-05-01",
            "visibility": "shared",
            "skill_testing": "1",
        },
    )
    assert response.status_code == 302
    text = visible_text(
        persona_client("editor").get(f"/people/{member.uuid}/observations/").content.decode()
    )
    assert "better wording" in text and "draft wording" in text and "Edited 1 time" in text
    assert client.post(f"/observations/{observation.uuid}/delete/").status_code == 302
    text = visible_text(
        persona_client("member").get(f"/people/{member.uuid}/observations/").content.decode()
    )
    assert "better wording" not in text
    assert ObservationRevision.objects.count() == 2
    assert client.get(f"/observations/{observation.uuid}/edit/").status_code == 404


def test_the_list_costs_the_same_number_of_queries_for_more_observations(
    people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    member, manager = _member(people), _manager(people)
    client = persona_client("member")
    url = f"/people/{member.uuid}/observations/"

    def add(n: int) -> None:
        for i in range(n):
            o = write(framework, author=manager, subject=member, text=f"note {i}")
            write(framework, author=member, subject=member, skills=[("testing", 1)])
            if i % 2:
                services.observation_update(
                    observation=o,
                    editor=manager,
                    text="changed",
                    observed_on=o.observed_on,
                    skills=[("testing", 2), ("code-quality", None)],
                    visibility=Visibility.PRIVATE,
                )

    def count() -> int:
        client.get(url)  # warm the framework document cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(2)
    few = count()
    add(4)
    assert count() == few


def test_an_earlier_private_version_stays_private_after_sharing(
    people: Any, persona_client: Any
) -> None:
    from ladders.frameworks.starter import load_starter
    from ladders.library.services import framework_publish

    version = framework_publish(document=load_starter().framework)
    member = people["member"]
    observation = services.observation_create(
        author=member, subject=member, framework=version.framework, text="SECRETPRIVATE",
        observed_on=datetime.date.today(), skills=[("code-quality", None)],
        visibility=Visibility.PRIVATE,
    )  # fmt: skip
    services.observation_update(
        observation=observation, editor=member, text="now public",
        observed_on=datetime.date.today(), skills=[("code-quality", None)],
        visibility=Visibility.SHARED,
    )  # fmt: skip
    url = f"/people/{member.uuid}/observations/"
    assert "SECRETPRIVATE" not in persona_client("editor").get(url).content.decode()
    assert "SECRETPRIVATE" in persona_client("manager").get(url).content.decode()
    assert "SECRETPRIVATE" in persona_client("member").get(url).content.decode()
