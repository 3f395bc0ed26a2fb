"""End to end in headless Chromium: an admin installs a pasted role ladder, edits and publishes
it; then a member compares two of its levels."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from ladders.frameworks.importers import import_documents
from ladders.library.models import Draft, FrameworkVersion
from tests.frameworks.conftest import SHARED

pytestmark = [pytest.mark.browser, pytest.mark.shared]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SEED = SHARED / "seeds" / "003_cd91de3958217e17.txt"
T = TypeVar("T")


def query(read: Callable[[], T]) -> T:
    """Run a database read in a thread of its own.

    Playwright's sync API keeps an event loop running in the test's thread; Django refuses
    database calls there, and a connection opened in that context would outlive the test."""

    def run() -> T:
        try:
            return read()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def shot(page: Page, tmp_path: Path, name: str) -> None:
    """A full-page screenshot in the test's folder; also in LADDERS_SCREENSHOTS, if set."""
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if folder := os.environ.get("LADDERS_SCREENSHOTS"):
        shutil.copy(path, Path(folder) / f"ladders-browser-{name}.png")


def sign_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def test_install_edit_publish_and_compare_levels(
    live_server: Any,
    transactional_db: None,
    people: Any,
    browser: Browser,
    tmp_path: Path,
) -> None:
    if not SEED.exists():
        pytest.skip(f"the seed documents are not beside the repository ({SEED})")
    text = SEED.read_text()
    expected = import_documents([("pasted text", text)]).framework
    key, track = expected.key, expected.tracks[0].key
    base = live_server.url

    # An admin pastes the ladder and previews what the importer recovered.
    page = sign_in(browser, base, "admin")
    page.goto(f"{base}/frameworks/install/")
    shot(page, tmp_path, "1-install")
    page.fill("#id_paste-text", text)
    page.locator("#paste").get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    summary = page.locator("p.summary").inner_text()
    assert "5 skills" in summary and "6 levels" in summary
    assert "role-ladder" in page.locator("#report").inner_text()
    shot(page, tmp_path, "2-preview")

    # Saved as a draft, it opens in the editor; nothing is published yet.
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_url(f"**/frameworks/{key}/edit/")
    assert "is saved as a draft" in page.locator(".messages").inner_text()
    assert not query(FrameworkVersion.objects.exists)
    shot(page, tmp_path, "3-editor")

    # One milestone is edited in place: HTMX swaps the part, the page does not reload.
    page.get_by_role("link", name="Mastery", exact=True).click()
    page.wait_for_url("**/edit/skills/mastery/")
    page.evaluate("window.notReloaded = true")
    part = page.locator("#milestone-4")
    part.locator("textarea[name=milestone-4-summary]").fill("Improves the code other teams rely on")
    part.get_by_role("button", name="Save milestone 4").click()
    page.locator("#milestone-4 .saved").wait_for()
    assert page.evaluate("window.notReloaded") is True
    draft = query(lambda: Draft.objects.get(framework__key=key))
    assert draft.document["skills"][0]["milestones"][3]["summary"].startswith("Improves the code")
    shot(page, tmp_path, "4-skill-htmx")

    # Publishing shows what will change, then makes version 1.
    page.get_by_role("link", name="Review and publish").click()
    page.wait_for_url(f"**/frameworks/{key}/publish/")
    assert "Added (" in page.locator("#changes").inner_text()
    shot(page, tmp_path, "5-publish")
    page.get_by_role("button", name="Publish version 1").click()
    page.wait_for_url(f"**/frameworks/{key}/")
    assert query(lambda: FrameworkVersion.objects.get(framework__key=key).number) == 1
    shot(page, tmp_path, "6-published")
    page.context.close()

    # A member compares L3 with L4 and sees what L4 asks for that L3 does not.
    page = sign_in(browser, base, "member")
    page.goto(f"{base}/frameworks/{key}/tracks/{track}/compare/?from=L3&to=L4")
    assert page.locator("h1").inner_text().strip() == "L3 → L4"
    table = page.locator("table.compare").inner_text()
    assert "milestone 3 → 4" in table
    new_signal = expected.skill("impact").milestone(4).signals[0]  # type: ignore[union-attr]
    assert new_signal in table
    assert "Improves the code other teams rely on" in table  # the edit made before publishing
    shot(page, tmp_path, "7-compare")
    page.context.close()


def test_the_browser_asks_before_a_removal_and_the_first_save_shows_the_draft(
    live_server: Any,
    transactional_db: None,
    people: Any,
    browser: Browser,
    tmp_path: Path,
) -> None:
    from ladders.frameworks.starter import load_starter
    from ladders.library.services import framework_publish

    query(lambda: framework_publish(document=load_starter().framework))
    base = f"{live_server.url}/frameworks/ladders-starter/edit"
    page = sign_in(browser, live_server.url, "editor")

    # The first save of a published framework starts a draft: the page reloads to show it.
    page.goto(f"{base}/")
    assert page.locator(".draft-status").get_by_role("link", name="Review and publish").count() == 0
    page.fill("#id_about-name", "Our ladder")
    page.locator("#about").get_by_role("button", name="Save").click()
    page.locator(".draft-status").get_by_role("link", name="Review and publish").wait_for()
    assert "in a new draft" in page.locator(".messages").inner_text()

    # Remove asks first; saying no changes nothing.
    page.goto(f"{base}/skills/reliability/")
    questions: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Remove the skill Operations and reliability").click()
    page.wait_for_timeout(300)
    assert questions == [
        "Remove the skill Operations and reliability? This cannot be undone in the draft."
    ]
    assert page.url.endswith("/skills/reliability/")
    assert query(lambda: Draft.objects.get().document)["skills"][3]["key"] == "reliability"

    # Saying yes removes it at once: the confirmation page is not shown as well.
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="Remove the skill Operations and reliability").click()
    page.wait_for_url(f"{base}/#skills")
    assert "Removed the skill Operations and reliability" in page.locator(".messages").inner_text()
    keys = [s["key"] for s in query(lambda: Draft.objects.get().document)["skills"]]
    assert "reliability" not in keys
    shot(page, tmp_path, "8-removed")
    page.context.close()
