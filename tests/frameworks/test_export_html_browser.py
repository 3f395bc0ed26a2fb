"""The exported HTML site, opened from disk in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ladders.frameworks.formats.html import write_site
from ladders.frameworks.model import Framework

try:  # tests/frameworks is a package only if someone gives it an __init__.py
    from .test_export_html import make_framework
except ImportError:
    from test_export_html import make_framework  # type: ignore[no-redef]

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def fw() -> Framework:
    return make_framework("cumulative")


@pytest.fixture
def site(fw: Framework, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    write_site(fw, out)
    return out


def open_page(
    browser: Browser, url: str, *, javascript: bool = True, width: int = 1200
) -> tuple[Page, list[str]]:
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    return page, requests


def test_index_shows_every_skill_and_level(
    browser: Browser, fw: Framework, site: Path, tmp_path: Path
) -> None:
    page, requests = open_page(browser, (site / "index.html").as_uri())
    for skill in fw.skills:
        assert page.get_by_role("link", name=skill.name, exact=True).is_visible()
    main = page.locator("main").inner_text()
    for level in fw.tracks[0].levels:
        assert level.code in main
    page.get_by_role("link", name="Servers", exact=True).click()
    page.wait_for_url("**/skills/servers.html")
    assert "10 points in total" in page.locator("#milestone-3").inner_text()
    page.screenshot(path=str(tmp_path / "skill.png"), full_page=True)
    assert all(url.startswith("file://") for url in requests)
    page.context.close()


def test_track_page_works_with_and_without_javascript(
    browser: Browser, fw: Framework, site: Path, tmp_path: Path
) -> None:
    url = (site / "tracks" / "backend.html").as_uri()
    page, requests = open_page(browser, url)
    ladder = page.locator("table.ladder").inner_text()
    for level in fw.tracks[0].levels:
        assert level.code in ladder and level.title in ladder
    form = page.locator("form.compare-form")
    assert form.is_visible()
    page.screenshot(path=str(tmp_path / "track.png"), full_page=True)
    form.locator("select[name=lower]").select_option("0")
    form.locator("select[name=higher]").select_option("2")
    form.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/tracks/backend/compare-0-2.html")
    assert "L1 → L1/L2" in page.locator("h1").inner_text()
    assert all(url.startswith("file://") for url in requests)
    page.context.close()

    page, _ = open_page(browser, url, javascript=False, width=390)
    assert not page.locator("form.compare-form").is_visible()
    page.screenshot(path=str(tmp_path / "track-phone.png"), full_page=True)
    page.get_by_role("link", name="2.1 → L1/L2").click()
    page.wait_for_url("**/tracks/backend/compare-1-2.html")
    page.context.close()


def test_compare_page_highlights_what_is_new(browser: Browser, site: Path, tmp_path: Path) -> None:
    page, _ = open_page(browser, (site / "tracks" / "backend" / "compare-0-1.html").as_uri())
    table = page.locator("table.compare")
    header = table.locator("thead").inner_text()
    assert "L1" in header and "2.1" in header
    added = table.locator("ins").all_inner_texts()
    assert "Owns features end to end" in added
    assert "Delivers assigned tasks" not in added
    assert "milestone 1 → 2" in table.inner_text()
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()
    assert not page.locator("nav.compare-nav").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.context.close()
