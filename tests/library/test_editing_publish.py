"""Publishing a draft: what it breaks in people's records, exactly what was reviewed, and the
editor's release note."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.frameworks.starter import load_starter
from ladders.library import drafts
from ladders.library.models import Draft, Framework, FrameworkVersion
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position
from ladders.progress.models import Attainment, Observation, ObservationSkill

pytestmark = pytest.mark.django_db

STARTER = load_starter().framework  # parsed once: reading the YAML takes a while
S = "/frameworks/ladders-starter"
TODAY = datetime.date(2025, 1, 6)
SECRET = "a private note about how the sprint went"


@pytest.fixture
def starter() -> FrameworkVersion:
    return framework_publish(document=STARTER)


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def revision_on(response: Any) -> str:
    field = soup(response).select_one("form input[name=revision]")
    assert field is not None, "the publish form carries no revision"
    return str(field["value"])


def smaller_starter() -> dict[str, Any]:
    """The starter without the manager track, the skill 'reliability', and with level IC6
    renamed IC7: everything that people's records can still point at."""
    data = STARTER.to_document()
    data["tracks"] = [t for t in data["tracks"] if t["key"] != "manager"]
    data["scoring"]["titles"] = [
        t for t in data["scoring"]["titles"] if t.get("track") != "manager"
    ]
    data["skills"] = [s for s in data["skills"] if s["key"] != "reliability"]
    for level in data["tracks"][0]["levels"]:
        if level["code"] == "IC6":
            level["code"] = "IC7"
    for threshold in data["scoring"]["levels"]:
        if threshold["code"] == "IC6":
            threshold["code"] = "IC7"
    return data


def draft_of(framework: Framework, document: dict[str, Any]) -> Draft:
    user = get_user_model().objects.first()
    draft = drafts.draft_get_or_create(framework=framework, user=user)
    return drafts.draft_update(draft=draft, document=document, user=user)


def people_with_records(version: FrameworkVersion, count: int, start: int = 0) -> None:
    """`count` people, spread over a removed track, a renamed level and a kept level, each
    with a certified milestone and an observation of the removed skill."""
    certifier = Person.objects.get(name="Manager")
    places = [("manager", "M2"), ("engineer", "IC6"), ("engineer", "IC3")]
    for i in range(start, start + count):
        person = Person.objects.create(name=f"Person {i}", email=f"p{i}@example.com")
        track, level = places[i % 3]
        Position.objects.create(
            person=person,
            framework=version.framework,
            version=version,
            track_key=track,
            level_code=level,
            started_on=TODAY,
        )
        Attainment.objects.create(
            person=person,
            framework=version.framework,
            skill_key="reliability",
            milestone=1,
            certified_by=certifier,
        )
        observation = Observation.objects.create(
            subject=person,
            author=certifier,
            framework=version.framework,
            text=SECRET,
            observed_on=TODAY,
        )
        ObservationSkill.objects.create(observation=observation, skill_key="reliability")


# ------------------------------------------------------------------ what publishing breaks


def test_draft_impact_counts_what_people_hold_that_the_draft_drops(
    people: Any, starter: FrameworkVersion
) -> None:
    people_with_records(starter, 6)
    # Records that are over do not count: an ended position, a revoked milestone.
    ended = Position.objects.filter(track_key="manager").first()
    assert ended is not None
    ended.ended_on = TODAY
    ended.save()
    revoked = Attainment.objects.first()
    assert revoked is not None
    revoked.revoked_at = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
    revoked.save()
    draft = draft_of(starter.framework, smaller_starter())
    impact = drafts.draft_impact(draft=draft, user=people["admin"].user)
    assert [(t.track, t.track_name, t.people) for t in impact.tracks] == [
        ("manager", "Engineering manager", 1)
    ]
    assert [(lv.track, lv.level, lv.people) for lv in impact.levels] == [("engineer", "IC6", 2)]
    assert [(s.skill, s.attainments, s.people, s.observations) for s in impact.skills] == [
        ("reliability", 5, 5, 6)
    ]
    # the observations are private: an editor outside the chain does not get them counted
    for_editor = drafts.draft_impact(draft=draft, user=people["editor"].user)
    assert [s.observations for s in for_editor.skills] == [0]


def test_an_unchanged_draft_breaks_nothing(people: Any, starter: FrameworkVersion) -> None:
    people_with_records(starter, 3)
    impact = drafts.draft_impact(
        draft=draft_of(starter.framework, STARTER.to_document()), user=people["admin"].user
    )
    assert not impact


def test_publish_page_warns_above_the_button_with_counts_only(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    people_with_records(starter, 3)
    draft_of(starter.framework, smaller_starter())
    response = persona_client("editor").get(f"{S}/publish/")
    page = soup(response)
    block = page.select_one("#impact")
    assert block is not None
    text = " ".join(block.get_text(" ").split())
    assert "Things to check: people's records" in text
    assert (
        "The track Engineering manager manager is removed: 1 person holds a position on it." in text
    )
    assert "The level IC6 of Engineer is not in the draft (removed, or its code changed)" in text
    assert "1 person holds it" in text
    # the three observations are private and the editor is outside the chain: not counted
    assert "3 certified milestones of 3 people refer to it." in text
    assert "observations" not in text
    admin_page = soup(persona_client("admin").get(f"{S}/publish/")).select_one("#impact")
    assert admin_page is not None
    assert "certified milestones of 3 people and 3 observations refer to it" in " ".join(
        admin_page.get_text(" ").split()
    )
    # The warning comes before the button, which says what pressing it means.
    html = response.content.decode()
    assert html.index('id="impact"') < html.index('class="card publish"')
    assert "Publish version 2 anyway" in page.select_one("form.publish").get_text()  # type: ignore[union-attr]
    # Counts only: no names of people, nothing of what was written about them.
    assert SECRET not in html and "Person 0" not in html


def test_publish_page_says_so_when_nobody_is_affected(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    client = persona_client("editor")
    client.post(f"{S}/edit/about/", {"about-name": "Ours"})
    page = soup(client.get(f"{S}/publish/"))
    assert "No one's position, certified milestones or observations refer" in page.get_text()
    assert page.select_one("form.publish button").get_text() == "Publish version 2"  # type: ignore[union-attr]


def test_publishing_is_still_allowed(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    people_with_records(starter, 3)
    draft_of(starter.framework, smaller_starter())
    client = persona_client("editor")
    response = client.post(f"{S}/publish/", {"revision": revision_on(client.get(f"{S}/publish/"))})
    assert response.status_code == 302
    assert FrameworkVersion.objects.filter(number=2).exists()
    assert Position.objects.filter(track_key="manager").count() == 1  # records are kept


def test_publish_page_query_count_does_not_grow_with_records(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    draft_of(starter.framework, smaller_starter())
    client = persona_client("editor")
    counts = []
    for start, count in ((0, 3), (3, 9)):
        people_with_records(starter, count, start)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{S}/publish/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_draft_impact_query_count_is_flat(people: Any, starter: FrameworkVersion) -> None:
    draft = draft_of(starter.framework, smaller_starter())
    drafts.draft_impact(draft=draft, user=people["admin"].user)  # the viewer's person is cached
    counts = []
    for start, count in ((0, 3), (3, 9)):
        people_with_records(starter, count, start)
        with CaptureQueriesContext(connection) as queries:
            drafts.draft_impact(draft=draft, user=people["admin"].user)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ------------------------------------------------------------------ publish what was reviewed


def test_publish_refuses_a_draft_that_changed_since_the_review(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    reviewer, other = persona_client("editor"), persona_client("admin")
    reviewer.post(f"{S}/edit/about/", {"about-name": "Reviewed name"})
    reviewed = revision_on(reviewer.get(f"{S}/publish/"))
    other.post(f"{S}/edit/about/", {"about-name": "Changed behind the reviewer's back"})

    response = reviewer.post(f"{S}/publish/", {"revision": reviewed, "note": "My note"})
    assert response.status_code == 409
    alert = soup(response).select_one("#conflict")
    assert alert is not None
    assert "The draft changed since you opened this page: review the changes again" in (
        alert.get_text()
    )
    assert not FrameworkVersion.objects.filter(number=2).exists()
    # The page now shows the draft as it is, with its new revision; the note is kept.
    assert "Changed behind the reviewer" in response.content.decode()
    assert revision_on(response) != reviewed
    assert soup(response).select_one("textarea[name=note]").get_text().strip() == "My note"  # type: ignore[union-attr]

    response = reviewer.post(f"{S}/publish/", {"revision": revision_on(response)})
    assert response.status_code == 302
    assert FrameworkVersion.objects.get(number=2).document["name"].startswith("Changed")


def test_publish_without_a_revision_is_refused(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    client = persona_client("editor")
    client.post(f"{S}/edit/about/", {"about-name": "Ours"})
    response = client.post(f"{S}/publish/", {})
    assert response.status_code == 409
    assert "review the changes again" in response.content.decode()
    assert Draft.objects.exists() and FrameworkVersion.objects.count() == 1


def test_draft_publish_checks_the_expected_revision(people: Any, starter: Any) -> None:
    user = get_user_model().objects.get(username="editor")
    draft = draft_of(starter.framework, smaller_starter())
    with pytest.raises(drafts.DraftChanged):
        drafts.draft_publish(draft=draft, user=user, expected_revision="0" * 64)
    assert Draft.objects.exists()
    revision = drafts.draft_revision(draft=draft)
    version = drafts.draft_publish(draft=draft, user=user, expected_revision=revision)
    assert version.number == 2


# ------------------------------------------------------------------ the release note


def test_the_release_note_heads_the_changelog(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    client = persona_client("editor")
    client.post(f"{S}/edit/about/", {"about-name": "Our framework"})
    page = client.get(f"{S}/publish/")
    note = soup(page).select_one("textarea[name=note]")
    assert note is not None
    label = soup(page).select_one(f"label[for={note['id']}]")
    assert label is not None and "Release note" in label.get_text()
    response = client.post(
        f"{S}/publish/",
        {"revision": revision_on(page), "note": "  Renamed after the March review.  "},
    )
    assert response.status_code == 302
    changelog = FrameworkVersion.objects.get(number=2).changelog
    assert changelog.startswith("Renamed after the March review.\n\n")
    assert "Our framework" in changelog


def test_a_release_note_that_is_too_long_is_refused_in_place(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    client = persona_client("editor")
    client.post(f"{S}/edit/about/", {"about-name": "Ours"})
    revision = revision_on(client.get(f"{S}/publish/"))
    response = client.post(f"{S}/publish/", {"revision": revision, "note": "x" * 4001})
    assert response.status_code == 400
    field = soup(response).select_one("form.publish .has-error")
    assert field is not None and "at most 4000 characters" in field.get_text()
    assert FrameworkVersion.objects.count() == 1
