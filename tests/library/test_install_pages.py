"""Installing a framework in the browser: upload, paste or template; preview; save as a draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ladders.audit.models import AuditAction, AuditEvent
from ladders.frameworks.importers import import_documents
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.starter import load_starter
from ladders.library.models import Draft, Framework
from ladders.library.services import framework_publish
from tests.conftest import PERSONAS
from tests.frameworks.conftest import FIXTURES

pytestmark = pytest.mark.django_db

STARTER = load_starter().framework  # parsed once: reading the YAML takes a while

EDITORS = {"admin", "editor"}
INSTALL = "/frameworks/install/"
SAVE = "/frameworks/install/save/"
ROLE_LADDER = (FIXTURES / "importers" / "role-ladder.txt").read_text()


def paste(text: str, fmt: str = "auto", key: str = "") -> dict[str, str]:
    return {"way": "paste", "paste-text": text, "paste-format": fmt, "paste-key": key}


def save_data(text: str, key: str, fmt: str = "auto", **extra: str) -> dict[str, str]:
    return {"text": text, "filename": "pasted text", "format": fmt, "key": key, **extra}


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize("persona", PERSONAS)
def test_install_page_is_for_editors_and_admins(
    persona: str, persona_client: Callable[[str], Client]
) -> None:
    status = persona_client(persona).get(INSTALL).status_code
    assert status == (200 if persona in EDITORS else 403)


POSTS: dict[str, tuple[str, dict[str, str], int]] = {
    "preview": (INSTALL, paste(ROLE_LADDER), 200),
    "save": (SAVE, save_data(ROLE_LADDER, "mobile"), 302),
    "template": (
        INSTALL,
        {"way": "template", "template-template": "starter", "template-key": "ours"},
        302,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(POSTS))
def test_install_actions_are_for_editors_and_admins(
    action: str, persona: str, persona_client: Callable[[str], Client]
) -> None:
    url, data, allowed = POSTS[action]
    response = persona_client(persona).post(url, data)
    assert response.status_code == (allowed if persona in EDITORS else 403)
    if persona not in EDITORS:
        assert not Framework.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize("url", [INSTALL, SAVE])
def test_anonymous_visitors_are_sent_to_sign_in(url: str) -> None:
    for response in (Client().get(url), Client().post(url, save_data("x", "y"))):
        assert response.status_code == 302 and response["Location"].startswith("/login/")


# ------------------------------------------------------------------ preview


def test_pasted_text_is_previewed_with_its_structure_and_every_unplaced_line(
    persona_client: Callable[[str], Client],
) -> None:
    response = persona_client("editor").post(INSTALL, paste(ROLE_LADDER))
    assert response.status_code == 200
    page = soup(response)
    text = page.get_text(" ", strip=True)
    assert "Preview: Mobile Engineer" in text
    assert "4 skills" in text and "4 levels" in text
    assert "read as role-ladder" in text and "41 of 43 non-blank lines placed" in text
    assert "each topic became a skill" in text
    rows = [
        [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in page.select("table.unplaced tbody tr")
    ]
    assert rows == [["1", "Skip to content", "page chrome"], ["2", "On this page", "page chrome"]]
    # Nothing is stored by a preview: the text travels back with the save form.
    assert not Framework.objects.exists()
    assert page.select_one("input[name=text]")["value"] == ROLE_LADDER  # type: ignore[index]


def test_preview_lists_skills_with_milestone_counts_and_first_signals(
    persona_client: Callable[[str], Client],
) -> None:
    html = persona_client("admin").post(INSTALL, paste(ROLE_LADDER)).content.decode()
    expected = import_documents([("pasted text", ROLE_LADDER)]).framework
    for skill in expected.skills:
        assert skill.name in html
        first = next(m.signals[0] for m in skill.milestones if m.signals)
        assert first in html
    for level in expected.tracks[0].levels:
        assert f"<td>{level.code}</td>" in html


def test_an_uploaded_file_is_previewed(persona_client: Callable[[str], Client]) -> None:
    upload = SimpleUploadedFile("ladder.txt", ROLE_LADDER.encode(), content_type="text/plain")
    response = persona_client("admin").post(
        INSTALL, {"way": "upload", "upload-file": upload, "upload-format": "auto"}
    )
    assert response.status_code == 200
    assert "ladder.txt" in response.content.decode()
    assert soup(response).select_one("input[name=filename]")["value"] == "ladder.txt"  # type: ignore[index]


def test_an_upload_that_is_not_text_is_refused_in_place(
    persona_client: Callable[[str], Client],
) -> None:
    upload = SimpleUploadedFile("ladder.txt", b"\xff\xfe\x00bad", content_type="text/plain")
    response = persona_client("admin").post(
        INSTALL, {"way": "upload", "upload-file": upload, "upload-format": "auto"}
    )
    assert response.status_code == 200
    assert "The file is not UTF-8 text" in response.content.decode()


def test_a_bad_paste_shows_the_error_with_its_line_number(
    persona_client: Callable[[str], Client],
) -> None:
    text = "schema: ladders/v1\nkey: broken\nname: Broken\nskills: [unclosed\n"
    response = persona_client("editor").post(INSTALL, paste(text, fmt="ladders"))
    assert response.status_code == 200
    field = soup(response).select_one("#paste .has-error")
    assert field is not None
    error = field.select_one(".errorlist").get_text()  # type: ignore[union-attr]
    assert "pasted text:5:1" in error and "expected ',' or ']'" in error
    # What was pasted is still there to fix.
    assert "skills: [unclosed" in field.select_one("textarea").get_text()  # type: ignore[union-attr]


def test_text_of_no_known_format_says_so_in_place(
    persona_client: Callable[[str], Client],
) -> None:
    response = persona_client("editor").post(INSTALL, paste("hello\nworld\n"))
    assert response.status_code == 200
    field = soup(response).select_one("#paste .has-error")
    assert field is not None
    error = field.select_one(".errorlist").get_text()  # type: ignore[union-attr]
    assert "format was not recognised" in error
    assert "Choose the format in the Format menu" in error
    # Advice written for the command line is not repeated on the page.
    assert "--format" not in error and "name the format" not in error


def test_the_format_list_offers_every_importer(persona_client: Callable[[str], Client]) -> None:
    page = soup(persona_client("editor").get(INSTALL))
    options = [o["value"] for o in page.select("select[name=paste-format] option")]
    assert options[0] == "auto" and "role-ladder" in options and "snowflake" in options


# ------------------------------------------------------------------ saving


def test_saving_creates_the_framework_and_its_draft_and_audits_it(
    persona_client: Callable[[str], Client],
) -> None:
    response = persona_client("editor").post(SAVE, save_data(ROLE_LADDER, "mobile-ladder"))
    assert response.status_code == 302
    assert response["Location"] == "/frameworks/mobile-ladder/edit/"
    framework = Framework.objects.get(key="mobile-ladder")
    assert framework.name == "Mobile Engineer" and not framework.versions.exists()
    assert Draft.objects.get(framework=framework).document["key"] == "mobile-ladder"
    event = AuditEvent.objects.get(action=AuditAction.FRAMEWORK_INSTALL)
    assert event.target == "mobile-ladder" and event.actor_name == "editor"
    assert event.data == {"file": "pasted text", "format": "role-ladder", "into_existing": False}


def test_a_taken_key_offers_saving_into_that_framework_or_another_key(
    persona_client: Callable[[str], Client],
) -> None:
    framework_publish(document=STARTER)
    client = persona_client("admin")
    response = client.post(SAVE, save_data(ROLE_LADDER, "ladders-starter"))
    assert response.status_code == 409
    page = soup(response)
    key_field = page.select_one("#save .has-error")
    assert key_field is not None and "already used" in key_field.get_text()
    assert page.select_one("button[name=into_existing]") is not None
    assert not Draft.objects.exists()

    response = client.post(SAVE, save_data(ROLE_LADDER, "ladders-starter", into_existing="1"))
    assert response.status_code == 302
    draft = Draft.objects.get(framework__key="ladders-starter")
    assert draft.document["name"] == "Mobile Engineer"
    assert draft.framework.versions.count() == 1  # published versions stay as they were


def test_a_reserved_or_malformed_key_is_refused_next_to_the_key(
    persona_client: Callable[[str], Client],
) -> None:
    client = persona_client("admin")
    for key, message in [("install", "choose another key"), ("Not A Key", "lowercase letters")]:
        response = client.post(SAVE, save_data(ROLE_LADDER, key))
        assert response.status_code == 400
        field = soup(response).select_one("#save .has-error")
        assert field is not None and message in field.get_text()
    assert not Framework.objects.exists()


def test_a_lost_pending_import_sends_back_to_the_install_page(
    persona_client: Callable[[str], Client],
) -> None:
    response = persona_client("admin").post(SAVE, {"key": "x"}, follow=True)
    assert "The import to save was missing" in response.content.decode()


# ------------------------------------------------------------------ templates


def test_template_install_copies_the_starter_under_the_new_key(
    persona_client: Callable[[str], Client],
) -> None:
    response = persona_client("editor").post(
        INSTALL,
        {
            "way": "template",
            "template-template": "starter",
            "template-key": "acme",
            "template-name": "Acme engineering",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/frameworks/acme/edit/"
    draft = Draft.objects.get(framework__key="acme")
    assert draft.document["name"] == "Acme engineering"
    assert (
        AuditEvent.objects.get(action=AuditAction.FRAMEWORK_INSTALL).data["template"] == "starter"
    )


def test_template_install_under_a_taken_key_is_refused_in_place(
    persona_client: Callable[[str], Client],
) -> None:
    framework_publish(document=STARTER, is_template=True)
    response = persona_client("editor").post(
        INSTALL,
        {"way": "template", "template-template": "starter", "template-key": "ladders-starter"},
    )
    assert response.status_code == 200
    assert "already used by the framework" in response.content.decode()
    assert not Draft.objects.exists()


def test_stored_templates_are_listed_on_the_install_page(
    persona_client: Callable[[str], Client],
) -> None:
    data = STARTER.to_document()
    data.update(key="house-style", name="House style")
    framework_publish(document=framework_from_data(data), is_template=True)
    page = soup(persona_client("editor").get(INSTALL))
    choices = [i["value"] for i in page.select("input[name=template-template]")]
    assert choices == ["starter", "framework:house-style"]


# ------------------------------------------------------------------ replacing a draft


def test_replacing_an_existing_draft_is_said_plainly_before_and_after(
    persona_client: Callable[[str], Client],
) -> None:
    framework_publish(document=STARTER)
    client = persona_client("admin")
    client.post("/frameworks/ladders-starter/edit/about/", {"about-name": "Work in progress"})
    preview = soup(client.post(INSTALL, paste(ROLE_LADDER, key="ladders-starter")))
    notice = preview.select_one("#save .notice")
    assert notice is not None and "replaces that draft" in notice.get_text()
    button = preview.select_one("button[name=into_existing]")
    assert button is not None
    assert button.get_text() == "Replace the draft of Ladders starter framework"

    response = client.post(
        SAVE, save_data(ROLE_LADDER, "ladders-starter", into_existing="1"), follow=True
    )
    assert (
        "The draft of Ladders starter framework was replaced by the imported framework "
        "&#x27;Mobile Engineer&#x27;." in response.content.decode()
    )
    assert Draft.objects.get().document["name"] == "Mobile Engineer"


def test_saving_into_a_framework_without_a_draft_says_whose_draft_it_is(
    persona_client: Callable[[str], Client],
) -> None:
    framework_publish(document=STARTER)
    client = persona_client("admin")
    preview = soup(client.post(INSTALL, paste(ROLE_LADDER, key="ladders-starter")))
    button = preview.select_one("button[name=into_existing]")
    assert button is not None
    assert button.get_text() == "Save as a draft of Ladders starter framework"
    response = client.post(
        SAVE, save_data(ROLE_LADDER, "ladders-starter", into_existing="1"), follow=True
    )
    page = response.content.decode()
    assert "is now the draft of Ladders starter framework" in page and "replaced" not in page
