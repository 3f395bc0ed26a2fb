"""End to end in headless Chromium: a member writes a self-observation and asks a peer for
feedback, the peer answers from their inbox, the member and their manager go through a check-in,
the manager certifies the agreed milestones, and the member's progress page shows the result."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from ladders.frameworks import scoring
from ladders.frameworks.starter import load_starter
from ladders.library.services import framework_publish
from ladders.org.models import Person
from ladders.org.services import person_create, position_set
from ladders.progress.models import Attainment, Observation, Visibility

pytestmark = [pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
T = TypeVar("T")
AGREED = {"code-quality": 1, "testing": 1}  # the two milestones certified


def query(read: Callable[[], T]) -> T:
    """Run a database call in a thread of its own: Playwright's sync API keeps an event loop
    in the test's thread, where Django refuses database calls."""

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
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if folder := os.environ.get("LADDERS_SCREENSHOTS"):
        shutil.copy(path, Path(folder) / f"ladders-progress-{name}.png")


def sign_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def _setup() -> dict[str, Person]:
    framework = framework_publish(document=load_starter().framework).framework
    users = get_user_model().objects
    made: dict[str, Person] = {}
    for name in ["manager", "member", "peer"]:
        person = person_create(
            name=name.title(),
            email=f"{name}@example.com",
            manager=made.get("manager") if name == "member" else None,
            actor=None,
        )
        person.user = users.create_user(name, f"{name}@example.com", "pw")
        person.save()
        position_set(
            person=person,
            framework=framework,
            track_key="engineer",
            level_code="IC1",
            started_on=date(2025, 1, 1),
            actor=None,
        )
        made[name] = person
    return made


def _filled_bands(page: Page) -> int:
    return page.locator("svg.snowflake path.band.filled").count()


def test_observe_ask_check_in_certify_and_see_progress(
    live_server: Any, transactional_db: None, browser: Browser, tmp_path: Path
) -> None:
    made = query(_setup)
    member, peer = made["member"], made["peer"]
    base = live_server.url
    doc = load_starter().framework
    before = scoring.score(doc, {}, "engineer")
    after = scoring.score(doc, AGREED, "engineer")
    assert before.next is not None and after.next is not None
    newly_met = [
        b.label
        for b, a in zip(before.next.results, after.next.results, strict=True)
        if not b.met and a.met
    ]
    assert newly_met, "the chosen milestones must meet a requirement that was unmet"

    # the member: a self-observation, then a feedback request to the peer
    page = sign_in(browser, base, "member")
    page.goto(f"{base}/people/{member.uuid}/progress/")
    assert _filled_bands(page) == 0
    assert page.get_by_test_id("total-points").inner_text() == str(before.points)
    for label in newly_met:
        assert page.locator("ul.progress-reqs li.unmet", has_text=label).count() == 1
    shot(page, tmp_path, "1-before")

    page.goto(f"{base}/people/{member.uuid}/observations/")
    page.get_by_role("link", name="Write an observation").click()
    page.fill("#id_text", "I wrote the **integration tests** for the billing export.")
    page.select_option("select[name=skill_testing]", "1")
    page.get_by_role("button", name="Save observation").click()
    page.wait_for_load_state()
    assert page.get_by_text("integration tests").count() >= 1
    shot(page, tmp_path, "2-self-observation")

    page.goto(f"{base}/people/{member.uuid}/observations/")
    page.get_by_role("link", name="Ask for feedback").click()
    page.select_option("#id_peers", str(peer.uuid))
    page.get_by_label("Code quality").check()
    page.fill("#id_message", "How was my code in the export work?")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state()
    page.context.close()

    # the peer answers from their inbox
    page = sign_in(browser, base, "peer")
    page.goto(f"{base}/inbox/")
    waiting = page.locator("article.card", has_text="How was my code")
    assert waiting.count() == 1 and "Member" in waiting.inner_text()
    shot(page, tmp_path, "3-peer-inbox")
    page.get_by_role("link", name="Answer").first.click()
    page.fill("#id_text", "Clear, small functions and good names in the export code.")
    page.select_option("select[name=skill_code-quality]", "1")
    page.get_by_role("button", name="Save observation").click()
    page.wait_for_load_state()
    page.context.close()
    texts = query(
        lambda: list(Observation.objects.filter(subject=member).values_list("author__name", "text"))
    )
    assert {author for author, _ in texts} == {"Member", "Peer"}

    # the manager opens a check-in
    page = sign_in(browser, base, "manager")
    page.goto(f"{base}/people/{member.uuid}/check-ins/new/")
    page.fill("#id_as_of", "2026-05-01")
    page.get_by_role("button", name="Open the check-in").click()
    page.wait_for_load_state()
    check_in_url = page.url
    assert "/check-ins/" in check_in_url
    manager_page = page

    # the member self-rates and submits
    page = sign_in(browser, base, "member")
    page.goto(check_in_url)
    _rate(page, {"code-quality": 1, "testing": 2, "communication": 1})
    page.fill("textarea[name=c-testing]", "I wrote most of the export tests.")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()
    shot(page, tmp_path, "4-self-rated")
    page.context.close()

    # the manager rates, submits, agrees and certifies
    page = manager_page
    page.goto(check_in_url)
    _rate(page, AGREED)
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()
    _rate(page, AGREED)
    page.get_by_role("button", name="Agree and lock").click()
    page.wait_for_load_state()
    shot(page, tmp_path, "5-agreed")
    page.get_by_role("button", name="Certify the agreed milestones").click()
    page.wait_for_load_state()
    shot(page, tmp_path, "6-certified")
    page.context.close()
    held = query(
        lambda: sorted(
            Attainment.objects.filter(person=member, revoked_at__isnull=True).values_list(
                "skill_key", "milestone"
            )
        )
    )
    assert held == sorted(AGREED.items())

    # the member's progress page
    page = sign_in(browser, base, "member")
    page.goto(f"{base}/people/{member.uuid}/progress/")
    assert _filled_bands(page) == sum(AGREED.values())
    for key, number in AGREED.items():
        wedge = page.locator(f'svg.snowflake g.snowflake-wedge[data-skill="{key}"]')
        assert wedge.get_attribute("data-milestone") == str(number)
    assert page.get_by_test_id("total-points").inner_text() == str(after.points)
    for label in newly_met:
        assert page.locator("ul.progress-reqs li.met", has_text=label).count() == 1
    timeline = page.locator("ol.progress-timeline").inner_text()
    assert page.locator("ol.progress-timeline strong", has_text="integration tests").count() == 1
    assert "Clear, small functions" in timeline and "integration tests" in timeline
    assert "Check-in as of 1 May 2026" in timeline
    assert re.search(r"Code quality milestone 1 certified by Manager", timeline)
    shot(page, tmp_path, "7-after")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, tmp_path, "8-after-phone")
    page.context.close()
    assert query(lambda: Observation.objects.filter(visibility=Visibility.PRIVATE).count()) == 2


def _rate(page: Page, chosen: dict[str, int]) -> None:
    """Give every skill in the form a milestone: the chosen ones, 0 for the rest."""
    selects = page.locator("select[name^='m-']")
    for i in range(selects.count()):
        select = selects.nth(i)
        key = (select.get_attribute("name") or "")[2:]
        select.select_option(str(chosen.get(key, 0)))
