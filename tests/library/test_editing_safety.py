"""The editor's safety rails: removals and discarding ask first, addresses that only save send a
GET back to their page, the status box follows the first save, and problems are worded for
people rather than as document paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from ladders.frameworks.errors import Problem
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.starter import load_starter
from ladders.library import drafts
from ladders.library.forms import LevelForm, attach_problems
from ladders.library.models import Draft, FrameworkVersion
from ladders.library.services import framework_publish
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

STARTER = load_starter().framework  # parsed once: reading the YAML takes a while
EDITORS = {"admin", "editor"}
S = "/frameworks/ladders-starter"
E = f"{S}/edit"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def starter() -> FrameworkVersion:
    return framework_publish(document=STARTER)


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def draft_doc() -> Any:
    return framework_from_data(Draft.objects.get().document)


# ------------------------------------------------------------------ asking before removing

# (address, what the question names, whether the removal then goes through)
REMOVALS = {
    "skill": (f"{E}/skills/reliability/", "the skill Operations and reliability", True),
    "milestone": (f"{E}/skills/reliability/milestones/5/", "milestone 5 of Operations", True),
    "track": (f"{E}/tracks/manager/", "the track Engineering manager", False),
    "level": (f"{E}/tracks/manager/levels/M4/", "level M4 of Engineering manager", True),
    "category": (f"{E}/categories/organisation/", "the category Organisation", False),
}


@pytest.mark.parametrize("part", list(REMOVALS))
def test_remove_without_confirmation_asks_on_a_page_of_its_own(
    part: str, persona_client: Callable[[str], Client], starter: Any
) -> None:
    url, what, _ = REMOVALS[part]
    response = persona_client("editor").post(url, {"action": "remove"})
    assert response.status_code == 200
    page = soup(response)
    question = page.select_one("h1")
    assert question is not None and question.get_text().startswith(f"Remove {what}")
    assert "This cannot be undone in the draft." in page.get_text()
    form = page.select_one("form.actions")
    assert form is not None and form["action"] == url
    sent = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert sent["action"] == "remove" and sent["confirm"] == "yes"
    assert form.select_one("button.danger").get_text().startswith("Remove")  # type: ignore[union-attr]
    cancel = page.find("a", string="Cancel")
    assert cancel is not None and cancel["href"].startswith(E)  # type: ignore[index]
    assert not Draft.objects.exists()  # nothing happened yet


@pytest.mark.parametrize("part", list(REMOVALS))
def test_a_confirmed_removal_goes_through_or_is_refused_in_place(
    part: str, persona_client: Callable[[str], Client], starter: Any
) -> None:
    url, _, allowed = REMOVALS[part]
    response = persona_client("editor").post(url, {"action": "remove", "confirm": "yes"})
    if allowed:
        assert response.status_code == 302
        assert Draft.objects.exists()
    else:
        assert response.status_code == 200
        assert soup(response).select_one(".refusal") is not None
        assert not Draft.objects.exists()


def test_a_confirmed_removal_from_the_overview_says_what_went(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").post(
        f"{E}/skills/reliability/",
        {"action": "remove", "from": "overview", "confirm": "yes"},
        follow=True,
    )
    assert "Removed the skill Operations and reliability from the draft." in (
        response.content.decode()
    )
    assert draft_doc().skill("reliability") is None


def test_the_overview_keeps_where_the_removal_was_asked_from(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").post(
        f"{E}/skills/reliability/", {"action": "remove", "from": "overview"}
    )
    page = soup(response)
    assert page.select_one("input[name=from]")["value"] == "overview"  # type: ignore[index]
    assert page.find("a", string="Cancel")["href"] == f"{E}/#skill-reliability"  # type: ignore[index]


def test_moves_do_not_ask(persona_client: Callable[[str], Client], starter: Any) -> None:
    response = persona_client("editor").post(f"{E}/skills/testing/", {"action": "up"})
    assert response.status_code == 302


def test_discard_asks_first(persona_client: Callable[[str], Client], starter: Any) -> None:
    client = persona_client("editor")
    client.post(f"{E}/about/", {"about-name": "Changed"})
    response = client.post(f"{E}/discard/")
    assert response.status_code == 200
    text = soup(response).get_text(" ")
    assert "Discard the draft of Ladders starter framework?" in text
    assert "Version 1 stays as it is" in text and "This cannot be undone." in text
    assert Draft.objects.exists()
    response = client.post(f"{E}/discard/", {"confirm": "yes"})
    assert response.status_code == 302 and not Draft.objects.exists()


def test_discarding_a_framework_never_published_warns_that_it_goes_too(
    persona_client: Callable[[str], Client],
) -> None:
    client = persona_client("editor")
    client.post(
        "/frameworks/install/",
        {"way": "template", "template-template": "starter", "template-key": "fresh"},
    )
    text = soup(client.post("/frameworks/fresh/edit/discard/")).get_text(" ")
    assert "never published, so the framework goes with it" in text


def test_with_javascript_the_browser_asks_instead(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    client = persona_client("editor")
    client.post(f"{E}/about/", {"about-name": "Changed"})
    page = soup(client.get(f"{E}/"))
    script = " ".join(s.get_text() for s in page.select("script:not([src])"))
    assert "data-confirm" in script and "confirm" in script
    removes = page.select("button[value=remove]")
    assert removes and all(b.get("data-confirm") for b in removes)
    discard = page.select_one(f"form[action='{E}/discard/'] button")
    assert discard is not None and discard["data-confirm"].startswith("Discard the draft")  # type: ignore[union-attr]
    for url in (f"{E}/skills/testing/", f"{E}/tracks/engineer/"):
        page = soup(client.get(url))
        assert all(b.get("data-confirm") for b in page.select("button[value=remove]"))


# ------------------------------------------------------------------ GET on addresses that only save

GETS = {
    f"{E}/about/": f"{E}/#about",
    f"{E}/scoring/": f"{E}/#scoring",
    f"{E}/categories/": f"{E}/#categories",
    f"{E}/categories/craft/": f"{E}/#category-craft",
    f"{E}/skills/": f"{E}/#skills",
    f"{E}/skills/testing/milestones/": f"{E}/skills/testing/#milestones",
    f"{E}/skills/testing/milestones/2/": f"{E}/skills/testing/#milestone-2",
    f"{E}/tracks/": f"{E}/#tracks",
    f"{E}/tracks/engineer/levels/": f"{E}/tracks/engineer/#levels",
    f"{E}/tracks/engineer/levels/IC2/": f"{E}/tracks/engineer/#level-ic2",
    f"{E}/discard/": f"{E}/",
    "/frameworks/install/save/": "/frameworks/install/",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", list(GETS))
def test_a_get_on_an_address_that_only_saves_goes_to_its_page(
    url: str, persona: str, persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client(persona).get(url)
    if persona in EDITORS:
        assert response.status_code == 302 and response["Location"] == GETS[url]
    else:
        assert response.status_code == 403
    assert not Draft.objects.exists()


@pytest.mark.parametrize("url", list(GETS))
def test_signing_in_with_next_on_such_an_address_lands_on_its_page(
    url: str, people: Any, starter: Any
) -> None:
    client = Client()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    response = client.post(
        response["Location"], {"username": "editor", "password": "pw"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == GETS[url]


# ------------------------------------------------------------------ the first save starts a draft


def test_the_first_htmx_save_reloads_the_page_to_show_the_new_draft(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    client = persona_client("editor")
    first = client.post(f"{E}/about/", {"about-name": "Ours"}, **HTMX)
    assert first.status_code == 200 and first["HX-Refresh"] == "true"
    # After the reload the status box shows the draft and its buttons, and what happened.
    page = soup(client.get(f"{E}/"))
    status = page.select_one(".draft-status")
    assert status is not None
    assert status.find("a", string="Review and publish") is not None
    assert status.find("button", string="Discard the draft") is not None
    assert "Saved the name and description in a new draft." in page.get_text()
    second = client.post(f"{E}/about/", {"about-name": "Ours again"}, **HTMX)
    assert second.status_code == 200 and "HX-Refresh" not in second


def test_a_refused_first_save_does_not_reload(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").post(f"{E}/about/", {"about-name": ""}, **HTMX)
    assert "HX-Refresh" not in response and not Draft.objects.exists()


# ------------------------------------------------------------------ problems in words


def _level_form() -> LevelForm:
    level = STARTER.track("engineer").level("IC2")  # type: ignore[union-attr]
    data = {f"level-ic2-{k}": v for k, v in {"code": "IC4", "expectations": ""}.items()}
    form = LevelForm(data, prefix="level-ic2", doc=STARTER)
    assert level is not None and form.is_valid(), form.errors
    return form


@pytest.mark.parametrize(
    "message",
    [
        "level code 'IC4' is used by more than one level of track 'engineer'; make it unique",
        "level code 'IC4' is already used by another level of track 'engineer'",
    ],
)
def test_a_duplicate_reported_at_the_other_level_lands_on_this_code_field(message: str) -> None:
    form = _level_form()
    document = STARTER.to_document()
    other = ("tracks", 0, "levels", 3, "code")  # IC4, the level whose code this one repeats
    attach_problems(
        form, [Problem(message, other, "duplicate-key")], ("tracks", 0, "levels", 1), document
    )
    assert form.errors["code"] == [message]
    assert not form.non_field_errors()


def test_path_text_in_a_message_is_said_in_words() -> None:
    form = _level_form()
    document = STARTER.to_document()
    problems = [
        Problem("clashes with tracks[0].levels[3].code", ("scoring", "levels", 3, "code")),
        Problem("first used at tracks[0].levels[1].code", ("tracks", 0, "levels", 3, "code")),
    ]
    attach_problems(form, problems, ("tracks", 0, "levels", 1), document)
    above = " ".join(form.non_field_errors())
    assert above == "scoring, level 'IC4', code: clashes with track 'engineer', level 'IC4', code"
    assert form.errors["code"] == ["first used at track 'engineer', level 'IC2', code"]


def test_a_refusal_lists_where_in_words(
    persona_client: Callable[[str], Client], starter: Any
) -> None:
    response = persona_client("editor").post(
        f"{E}/skills/code-quality/", {"action": "remove", "confirm": "yes"}
    )
    refusal = soup(response).select_one(".refusal")
    assert refusal is not None
    text = refusal.get_text(" ")
    assert "track 'engineer', level 'IC1', requirements, milestone of skill 'code-quality'" in text
    assert "[" not in text


def test_part_label_names_parts_by_their_keys() -> None:
    document = STARTER.to_document()
    assert drafts.part_label(document, ("skills", 2, "milestones", 1, "points")) == (
        "skill 'testing', milestone 2, points"
    )
    assert drafts.part_label(document, ("scoring", "titles", 0, "max_points")) == (
        "scoring, title 'Engineer I', max points"
    )
    assert drafts.part_label(document, ("skills", 99, "name")) == "skill 100, name"
    assert drafts.plain_message(document, "see categories[0].key.") == (
        "see category 'craft', key."
    )
