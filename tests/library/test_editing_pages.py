"""The framework editor: one small form per part, saved to the draft, with or without HTMX."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.forms import Form
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.audit.models import AuditAction, AuditEvent
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.starter import load_starter
from ladders.library import drafts
from ladders.library.forms import LevelForm, MilestoneForm, ScoringForm
from ladders.library.models import Draft, Framework, FrameworkVersion
from ladders.library.services import framework_publish
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

STARTER = load_starter().framework  # parsed once: reading the YAML takes a while

EDITORS = {"admin", "editor"}
S = "/frameworks/ladders-starter"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def starter() -> FrameworkVersion:
    return framework_publish(document=STARTER)


def form_data(form: Form) -> dict[str, Any]:
    """What a browser would post for an unchanged form."""
    data = {}
    for field in form:
        value = field.field.prepare_value(field.value())
        data[field.html_name] = "" if value is None else value
    return data


def level_data(level: str = "IC2", track: str = "engineer", **changes: Any) -> dict[str, Any]:
    doc = STARTER
    found = doc.track(track).level(level)  # type: ignore[union-attr]
    prefix = f"level-{level.lower()}"
    data = form_data(LevelForm.of(doc, found, prefix=prefix))  # type: ignore[arg-type]
    data.update({f"{prefix}-{k}": v for k, v in changes.items()})
    return data


def milestone_data(skill: str = "testing", number: int = 1, **changes: Any) -> dict[str, Any]:
    m = STARTER.skill(skill).milestone(number)  # type: ignore[union-attr]
    data = form_data(MilestoneForm.of(m, prefix=f"milestone-{number}"))  # type: ignore[arg-type]
    data.update({f"milestone-{number}-{k}": v for k, v in changes.items()})
    return data


def scoring_data(**changes: Any) -> dict[str, Any]:
    data = form_data(ScoringForm.of(STARTER.scoring, prefix="scoring"))
    data.update({f"scoring-{k}": v for k, v in changes.items()})
    return data


def draft_doc() -> Any:
    return framework_from_data(Draft.objects.get().document)


def revision_on(page: str) -> str:
    """The revision of the draft that the publish page was showing."""
    field = BeautifulSoup(page, "html.parser").select_one("input[name=revision]")
    assert field is not None
    return str(field["value"])


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def field_errors(response: Any, field_id: str) -> str:
    """The errors shown in the group of the field with this id."""
    widget = soup(response).find(id=field_id)
    assert widget is not None, f"no field {field_id}"
    group = widget.find_parent(class_="field")
    assert group is not None
    errors = group.select_one(".errorlist")
    return errors.get_text(" ") if errors else ""


# ------------------------------------------------------------------ permissions

PAGES = {
    f"{S}/edit/": 200,
    f"{S}/edit/skills/testing/": 200,
    f"{S}/edit/tracks/engineer/": 200,
    f"{S}/publish/": 200,
    "/frameworks/drafts/": 200,
    "/frameworks/no-such-framework/edit/": 404,
    f"{S}/edit/skills/no-such-skill/": 404,
    f"{S}/edit/tracks/no-such-track/": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", list(PAGES))
def test_editor_pages_are_for_editors_and_admins(
    url: str, persona: str, persona_client: Callable[[str], Client], starter: Any
) -> None:
    status = persona_client(persona).get(url).status_code
    assert status == (PAGES[url] if persona in EDITORS else 403)


def _posts() -> dict[str, tuple[str, Callable[[], dict[str, Any]], int]]:
    return {
        "about": (f"{S}/edit/about/", lambda: {"about-name": "Ours"}, 302),
        "category add": (f"{S}/edit/categories/", lambda: {"category-add-name": "Security"}, 302),
        "category save": (
            f"{S}/edit/categories/craft/",
            lambda: {"category-craft-name": "Craft", "category-craft-description": "x"},
            302,
        ),
        "category move": (f"{S}/edit/categories/craft/", lambda: {"action": "down"}, 302),
        "skill add": (
            f"{S}/edit/skills/",
            lambda: {"skill-add-name": "Security", "skill-add-category": "craft"},
            302,
        ),
        "skill save": (
            f"{S}/edit/skills/testing/",
            lambda: {"skill-name": "Tests", "skill-category": "craft"},
            302,
        ),
        "skill move": (f"{S}/edit/skills/testing/", lambda: {"action": "up"}, 302),
        "milestone add": (f"{S}/edit/skills/testing/milestones/", dict, 302),
        "milestone save": (f"{S}/edit/skills/testing/milestones/1/", milestone_data, 302),
        "milestone move": (
            f"{S}/edit/skills/testing/milestones/1/",
            lambda: {"action": "down"},
            302,
        ),
        "track add": (f"{S}/edit/tracks/", lambda: {"track-add-name": "Staff plus"}, 302),
        "track save": (f"{S}/edit/tracks/engineer/", lambda: {"track-name": "Engineers"}, 302),
        "level add": (f"{S}/edit/tracks/engineer/levels/", lambda: {"level-add-code": "IC7"}, 302),
        "level save": (f"{S}/edit/tracks/engineer/levels/IC2/", level_data, 302),
        "level move": (f"{S}/edit/tracks/engineer/levels/IC2/", lambda: {"action": "up"}, 302),
        "scoring": (f"{S}/edit/scoring/", scoring_data, 302),
        "discard": (f"{S}/edit/discard/", lambda: {"confirm": "yes"}, 302),
        "publish": (f"{S}/publish/", dict, 200),
    }


POSTS = _posts()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(POSTS))
def test_every_edit_is_for_editors_and_admins(
    action: str, persona: str, persona_client: Callable[[str], Client], starter: Any
) -> None:
    url, data, allowed = POSTS[action]
    response = persona_client(persona).post(url, data())
    if persona in EDITORS:
        assert response.status_code == allowed, response.content.decode()[:2000]
    else:
        assert response.status_code == 403
        assert not Draft.objects.exists()


@pytest.mark.parametrize("action", list(POSTS))
def test_anonymous_edits_are_sent_to_sign_in(action: str, starter: Any) -> None:
    url, data, _ = POSTS[action]
    response = Client().post(url, data())
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# ------------------------------------------------------------------ editing without JavaScript


def test_a_saved_part_goes_to_the_draft_never_to_the_published_version(
    persona_client: Callable[[str], Client], starter: FrameworkVersion
) -> None:
    client = persona_client("editor")
    response = client.post(
        f"{S}/edit/skills/testing/",
        {"skill-name": "Testing and checks", "skill-category": "delivery"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{S}/edit/skills/testing/"
    page = client.get(response["Location"]).content.decode()
    assert "Saved the skill in a new draft." in page and "Testing and checks" in page
    skill = draft_doc().skill("testing")
    assert (skill.name, skill.category) == ("Testing and checks", "delivery")
    starter.refresh_from_db()
    assert starter.document == STARTER.to_document()


def test_milestone_lists_are_typed_one_item_per_line(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    data = milestone_data(
        signals="Writes a failing test first\n\n  Keeps tests fast  \n", examples="", points="2"
    )
    persona_client("admin").post(f"{S}/edit/skills/testing/milestones/1/", data)
    milestone = draft_doc().skill("testing").milestone(1)
    assert milestone.signals == ["Writes a failing test first", "Keeps tests fast"]
    assert milestone.examples == [] and milestone.points == 2


def test_level_fields_expectations_and_requirements_are_saved(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    data = level_data(
        title="Engineer 2",
        expectations="# Delivery\n- Ships a feature alone\n# Team\nReviews within a day",
        min_points="20",
        **{"req_system-design": "1", "req_testing": "", "cat_craft": "5"},
    )
    response = persona_client("editor").post(f"{S}/edit/tracks/engineer/levels/IC2/", data)
    assert response.status_code == 302 and response["Location"].endswith("#level-ic2")
    level = draft_doc().track("engineer").level("IC2")
    assert level.title == "Engineer 2"
    assert [(g.topic, g.items) for g in level.expectations] == [
        ("Delivery", ["Ships a feature alone"]),
        ("Team", ["Reviews within a day"]),
    ]
    req = level.requirements
    assert req.min_points == 20 and req.category_points == {"craft": 5}
    assert req.milestones == {
        "code-quality": 2,
        "system-design": 1,
        "communication": 2,
        "project-delivery": 1,
    }


def test_levels_are_reordered_and_added(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    client = persona_client("editor")
    client.post(f"{S}/edit/tracks/engineer/levels/IC2/", {"action": "up"})
    response = client.post(
        f"{S}/edit/tracks/engineer/levels/", {"level-add-code": "IC7", "level-add-title": "Fellow"}
    )
    assert response["Location"].endswith("/edit/tracks/engineer/#level-ic7")
    codes = [lv.code for lv in draft_doc().track("engineer").levels]
    assert codes == ["IC2", "IC1", "IC3", "IC4", "IC5", "IC6", "IC7"]


def test_scoring_is_edited_as_lines(persona_client: Callable[[str], Client], starter: Any) -> None:
    data = scoring_data(
        mode="cumulative",
        points="1: 2\n2: 4\n3: 8\n4: 16\n5: 32",
        thresholds="0: IC1\n50: IC2",
        titles="Engineer | 0 | 49 | engineer\nSenior | 50",
        category_caps="craft: 40",
    )
    persona_client("editor").post(f"{S}/edit/scoring/", data)
    scoring = draft_doc().scoring
    assert scoring.mode == "cumulative" and scoring.points == {1: 2, 2: 4, 3: 8, 4: 16, 5: 32}
    assert [(t.min_points, t.code) for t in scoring.levels] == [(0, "IC1"), (50, "IC2")]
    assert [(t.name, t.min_points, t.max_points, t.track) for t in scoring.titles] == [
        ("Engineer", 0, 49, "engineer"),
        ("Senior", 50, None, None),
    ]
    assert scoring.category_caps == {"craft": 40}


def test_a_new_skill_opens_its_own_page(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    client = persona_client("editor")
    response = client.post(
        f"{S}/edit/skills/", {"skill-add-name": "Security", "skill-add-category": "craft"}
    )
    assert response["Location"] == f"{S}/edit/skills/security/"
    response = client.post(f"{S}/edit/skills/security/milestones/")
    assert response["Location"] == f"{S}/edit/skills/security/#milestone-1"
    assert [m.number for m in draft_doc().skill("security").milestones] == [1]


def test_adding_a_duplicate_key_is_refused_next_to_the_key(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").post(
        f"{S}/edit/categories/", {"category-add-name": "Craft again", "category-add-key": "craft"}
    )
    assert response.status_code == 200
    errors = field_errors(response, "id_category-add-key")
    assert "category key 'craft'" in errors and "[" not in errors
    # Both uses of the key are reported; next to the field it is said once.
    assert errors.count("category key 'craft'") == 1
    assert not Draft.objects.exists()


def test_a_refused_removal_is_shown_beside_the_part_and_changes_nothing(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").post(
        f"{S}/edit/skills/code-quality/", {"action": "remove", "from": "overview", "confirm": "yes"}
    )
    assert response.status_code == 200
    row = soup(response).find(id="skill-code-quality")
    assert row is not None
    refusal = row.select_one(".refusal")
    assert refusal is not None and "requires skill 'code-quality'" in refusal.get_text()
    assert not Draft.objects.exists()


def test_errors_from_the_whole_document_land_on_the_field_they_are_about(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    client = persona_client("editor")
    response = client.post(f"{S}/edit/tracks/engineer/levels/IC2/", level_data(code="IC3"))
    assert response.status_code == 200
    errors = field_errors(response, "id_level-ic2-code")
    assert "level code 'IC3'" in errors and "track 'engineer'" in errors
    assert "tracks[" not in response.content.decode()
    response = client.post(
        f"{S}/edit/scoring/", scoring_data(titles="Engineer | 0 | 10\nLead | 20 | 10")
    )
    assert "line 2: max_points (10) is below min_points (20)" in field_errors(
        response, "id_scoring-titles"
    )
    response = client.post(f"{S}/edit/scoring/", scoring_data(points="1: 1\nthree: 3"))
    assert "line 2: 'three: 3' is not of the form" in field_errors(response, "id_scoring-points")
    assert not Draft.objects.exists()


# ------------------------------------------------------------------ HTMX


def test_htmx_save_answers_with_the_updated_part(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").post(
        f"{S}/edit/skills/testing/milestones/2/",
        milestone_data(number=2, summary="Tests what matters"),
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card part milestone" id="milestone-2">')
    assert "Saved in the draft." in html and "Tests what matters" in html
    assert "<html" not in html
    assert draft_doc().skill("testing").milestone(2).summary == "Tests what matters"


def test_htmx_save_with_problems_answers_with_the_part_and_its_errors(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").post(
        f"{S}/edit/tracks/engineer/levels/IC2/", level_data(code="IC3"), **HTMX
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="card part level"')
    assert "level code 'IC3'" in field_errors(response, "id_level-ic2-code")
    assert "tracks[" not in response.content.decode()
    assert "Saved in the draft." not in response.content.decode()


def test_the_editor_page_loads_htmx_and_marks_parts_for_it(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    page = soup(persona_client("editor").get(f"{S}/edit/"))
    assert page.select_one("script[src*='htmx']") is not None
    form = page.select_one("#about form")
    assert form is not None
    assert form["hx-post"] == form["action"] == f"{S}/edit/about/"
    assert form["hx-swap"] == "outerHTML"


# ------------------------------------------------------------------ discard and publish


def test_publish_page_shows_the_changelog_and_findings_then_publishes(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    client = persona_client("editor")
    client.post(f"{S}/edit/skills/testing/milestones/", {})  # an empty milestone 6: a finding
    client.post(f"{S}/edit/about/", {"about-name": "Our framework"})
    page = client.get(f"{S}/publish/").content.decode()
    assert "Publish version 2" in page
    assert (
        "milestone testing/6" in page and "name: Ladders starter framework → Our framework" in page
    )
    assert "milestone 6 of skill &#x27;testing&#x27; is empty" in page
    response = client.post(f"{S}/publish/", {"revision": revision_on(page)})
    assert response.status_code == 302 and response["Location"] == f"{S}/"
    version = FrameworkVersion.objects.get(number=2)
    assert "Our framework" in version.changelog and version.published_by.username == "editor"
    assert AuditEvent.objects.filter(
        action=AuditAction.FRAMEWORK_PUBLISH, target="ladders-starter"
    ).exists()
    assert not Draft.objects.exists()
    assert Framework.objects.get().name == "Our framework"


def test_publish_without_a_draft_says_there_is_nothing_to_publish(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").get(f"{S}/publish/")
    assert "There is no draft to publish." in response.content.decode()


def test_discard_throws_the_draft_away(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    client = persona_client("editor")
    client.post(f"{S}/edit/about/", {"about-name": "Changed"})
    response = client.post(f"{S}/edit/discard/", {"confirm": "yes"}, follow=True)
    assert "The draft is discarded" in response.content.decode()
    assert not Draft.objects.exists() and Framework.objects.get().name != "Changed"


def test_drafts_are_listed(persona_client: Callable[[str], Client], starter: Any) -> None:
    client = persona_client("editor")
    client.post(f"{S}/edit/about/", {"about-name": "Changed"})
    page = client.get("/frameworks/drafts/").content.decode()
    assert f'href="{S}/edit/"' in page and "version 1" in page


# ------------------------------------------------------------------ query counts


def _framework_with(skills: int, key: str = "sized") -> Framework:
    data = {
        "schema": "ladders/v1",
        "key": key,
        "name": key.title(),
        "categories": [{"key": "c", "name": "C"}],
        "skills": [
            {
                "key": f"s{i}",
                "name": f"S{i}",
                "category": "c",
                "milestones": [{"number": n, "summary": f"Step {n}"} for n in (1, 2, 3)],
            }
            for i in range(skills)
        ],
        "tracks": [
            {
                "key": "t",
                "name": "T",
                "levels": [
                    {"code": f"L{n}", "requirements": {"milestones": {"s0": n}}} for n in (1, 2, 3)
                ],
            }
        ],
    }
    framework = framework_publish(document=framework_from_data(data)).framework
    drafts.draft_get_or_create(framework=framework, user=get_user_model().objects.first())
    return framework


@pytest.mark.parametrize("page", ["edit/", "edit/tracks/t/", "edit/skills/s0/", "publish/"])
def test_editor_query_count_does_not_grow_with_skills(
    page: str, persona_client: Callable[[str], Client]
) -> None:
    client = persona_client("editor")
    counts = []
    for skills in (4, 12):
        key = f"sized-{skills}"
        _framework_with(skills, key)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/frameworks/{key}/{page}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_drafts_list_query_count_does_not_grow_with_drafts(
    persona_client: Callable[[str], Client],
) -> None:
    client = persona_client("editor")
    counts = []
    for start, end in ((0, 2), (2, 8)):
        for n in range(start, end):
            _framework_with(1, f"draft-{n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/frameworks/drafts/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
