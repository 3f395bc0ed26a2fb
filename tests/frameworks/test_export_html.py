"""The `html` exporter: a static, self-contained site of one framework."""

from __future__ import annotations

import html
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ladders.frameworks.formats.html import render_site, write_site
from ladders.frameworks.model import (
    Category,
    ExpectationGroup,
    Framework,
    Level,
    LevelThreshold,
    Milestone,
    Requirements,
    Scoring,
    Skill,
    Title,
    Track,
)
from ladders.frameworks.scoring import milestone_points, skill_points

EVIL = "<script>alert(1)</script>"


def make_framework(mode: str = "highest", **overrides: object) -> Framework:
    skills = [
        Skill(
            key="servers",
            name="Servers",
            category="building",
            description="Running services in production.",
            milestones=[
                Milestone(
                    number=1,
                    summary="Works on servers with guidance",
                    signals=["Deploys with a runbook"],
                    examples=["Deployed the billing API"],
                ),
                Milestone(number=2, summary="Owns a service"),
                Milestone(
                    number=3,
                    summary="Designs server fleets",
                    signals=["Leads capacity planning", "Reviews designs"],
                    examples=["Sharded the orders database"],
                ),
            ],
        ),
        Skill(
            key="foundations",
            name="Foundations",
            category="building",
            milestones=[Milestone(number=1, summary="Knows the basics"), Milestone(number=2)],
        ),
        Skill(
            key="mentoring",
            name="Mentoring",
            category="supporting",
            description="Growing other engineers.",
            milestones=[
                Milestone(number=n, summary=f"Mentoring step {n}", signals=[f"signal {n}"])
                for n in (3, 4, 5)
            ],
        ),
    ]
    levels = [
        Level(
            code="L1",
            title="Engineer I",
            summary="Learns the codebase",
            experience="0-2 years",
            responsibility="Tasks",
            expectations=[
                ExpectationGroup(topic="Impact", items=["Delivers assigned tasks"]),
                ExpectationGroup(topic="Communication", items=["Gives status updates"]),
            ],
            requirements=Requirements(milestones={"servers": 1}),
        ),
        Level(
            code="2.1",
            title="Engineer II",
            summary="Owns features",
            experience="2-4 years",
            responsibility="Features",
            expectations=[
                ExpectationGroup(
                    topic="Impact", items=["Delivers assigned tasks", "Owns features end to end"]
                ),
                ExpectationGroup(topic="Communication", items=["Gives status updates"]),
            ],
            requirements=Requirements(milestones={"servers": 2, "foundations": 1}, min_points=5),
        ),
        Level(
            code="L1/L2",
            title="Senior Engineer",
            summary="Leads projects",
            experience="5+ years",
            responsibility="Systems",
            expectations=[
                ExpectationGroup(topic="Impact", items=["Owns features end to end"]),
                ExpectationGroup(topic="Leadership", items=["Mentors other engineers"]),
            ],
            requirements=Requirements(
                milestones={"servers": 3, "mentoring": 3},
                min_points=15,
                category_points={"supporting": 6},
            ),
        ),
    ]
    data: dict[str, object] = {
        "key": "acme",
        "name": "Acme Engineering",
        "description": "How engineers grow at Acme.",
        "categories": [
            Category(key="building", name="Building", description="Making things."),
            Category(key="supporting", name="Supporting"),
        ],
        "skills": skills,
        "tracks": [
            Track(key="backend", name="Backend IC", description="Backend engineers.", levels=levels)
        ],
        "scoring": Scoring(
            mode=mode,
            points={1: 1, 2: 3, 3: 6, 4: 12, 5: 20},
            levels=[
                LevelThreshold(min_points=0, code="L1"),
                LevelThreshold(min_points=8, code="2.1"),
            ],
            titles=[
                Title(name="Software Engineer", min_points=0, max_points=7),
                Title(name="Staff Engineer", min_points=30, track="backend"),
            ],
        ),
    }
    data.update(overrides)
    return Framework.model_validate(data)


def text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def element(page: str, element_id: str) -> str:
    """The HTML of the element with this id, up to its closing tag (our pages do not nest them)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"no element with id {element_id!r}"
    return match.group(2)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("href", "src", "action"):
            if found.get(name):
                self.urls.append(str(found[name]))


def parse(page: str) -> Links:
    parser = Links()
    parser.feed(page)
    return parser


@pytest.fixture
def fw() -> Framework:
    return make_framework()


@pytest.fixture
def site(fw: Framework) -> dict[str, str]:
    return render_site(fw)


def test_site_has_one_page_per_skill_track_and_pair_of_levels(site: dict[str, str]) -> None:
    assert sorted(site) == [
        "index.html",
        "skills/foundations.html",
        "skills/mentoring.html",
        "skills/servers.html",
        "tracks/backend.html",
        "tracks/backend/compare-0-1.html",
        "tracks/backend/compare-0-2.html",
        "tracks/backend/compare-1-2.html",
    ]


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_compare_pages_cover_every_pair_of_levels(n: int) -> None:
    levels = [Level(code=f"{i}.{i}/x") for i in range(n)]
    fw = make_framework(tracks=[Track(key="ic", name="IC", levels=levels)])
    pages = [p for p in render_site(fw) if p.startswith("tracks/ic/")]
    assert len(pages) == n * (n - 1) // 2
    assert all(re.fullmatch(r"tracks/ic/compare-\d+-\d+\.html", p) for p in pages)


def test_index_shows_categories_skills_tracks_and_scoring(
    fw: Framework, site: dict[str, str]
) -> None:
    index = site["index.html"]
    visible = text(index)
    assert "Acme Engineering" in visible and "How engineers grow at Acme." in visible
    for category in fw.categories:
        assert category.name in text(element(index, f"category-{category.key}"))
    for skill in fw.skills:
        section = element(index, f"category-{skill.category}")
        assert f'href="skills/{skill.key}.html"' in section
        assert skill.name in text(section)
    tracks = text(element(index, "tracks"))
    assert "Backend IC" in tracks
    assert all(level.code in tracks for level in fw.tracks[0].levels)
    assert 'href="tracks/backend.html"' in index

    scoring = text(index[index.index('id="scoring"') :])
    assert "Highest" in scoring and "is worth 6 points" in scoring
    assert "Milestone 5 20" in scoring
    assert "8 points 2.1" in scoring  # threshold: from 8 points, level 2.1
    assert "Software Engineer 0–7 Any track" in scoring
    assert "Staff Engineer 30 or more Backend IC" in scoring


def test_index_explains_cumulative_mode_with_running_totals() -> None:
    scoring = text(render_site(make_framework("cumulative"))["index.html"].split('id="scoring"')[1])
    assert "Cumulative" in scoring and "1 + 3 + 6 = 10 points" in scoring
    assert "Milestone 3 6 10" in scoring  # points, then what the skill is worth in total


def test_skill_page_shows_every_milestone_with_its_worth_in_highest_mode(
    fw: Framework, site: dict[str, str]
) -> None:
    for skill in fw.skills:
        page = site[f"skills/{skill.key}.html"]
        assert skill.name in text(page)
        category = fw.category(skill.category)
        assert category is not None and category.name in text(page)
        for m in skill.milestones:
            block = text(element(page, f"milestone-{m.number}"))
            assert f"Milestone {m.number}" in block
            assert f"worth {milestone_points(fw, skill, m)} point" in block
            assert m.summary in block
            assert all(s in block for s in m.signals)
            assert all(e in block for e in m.examples)
            assert "adds" not in block


def test_skill_page_shows_added_points_and_running_total_in_cumulative_mode() -> None:
    fw = make_framework("cumulative")
    site = render_site(fw)
    servers = site["skills/servers.html"]
    assert "adds 6 points · 10 points in total" in text(element(servers, "milestone-3"))
    assert "adds 1 point · 1 point in total" in text(element(servers, "milestone-1"))

    mentoring = fw.skill("mentoring")
    assert mentoring is not None
    page = site["skills/mentoring.html"]
    assert "milestone-1" not in page  # sparse: only 3 to 5 are written down
    for m in mentoring.milestones:
        block = text(element(page, f"milestone-{m.number}"))
        total = skill_points(fw, mentoring, m.number)
        assert (
            f"adds {milestone_points(fw, mentoring, m)} points · {total} points in total" in block
        )
    assert "38 points in total" in text(element(page, "milestone-5"))  # 6 + 12 + 20


def test_milestone_points_of_its_own_override_the_table() -> None:
    skill = Skill(
        key="servers",
        name="Servers",
        category="building",
        milestones=[Milestone(number=1), Milestone(number=2, points=50)],
    )
    site = render_site(make_framework("cumulative", skills=[skill], tracks=[]))
    assert "adds 50 points · 51 points in total" in text(
        element(site["skills/servers.html"], "milestone-2")
    )
    assert "carry points of their own" in site["index.html"]


def test_skill_page_lists_the_levels_that_require_it(site: dict[str, str]) -> None:
    required = text(element(site["skills/servers.html"], "required-by"))
    assert "L1 Engineer I milestone 1" in required
    assert "2.1 Engineer II milestone 2" in required
    assert "L1/L2 Senior Engineer milestone 3" in required
    assert "L1/L2 Senior Engineer milestone 3" in text(
        element(site["skills/mentoring.html"], "required-by")
    )
    assert "2.1 Engineer II milestone 1" in text(
        element(site["skills/foundations.html"], "required-by")
    )


def test_track_page_has_one_row_per_level_with_every_field(
    fw: Framework, site: dict[str, str]
) -> None:
    page = site["tracks/backend.html"]
    assert page.count('<tr class="level"') == 3
    for i, level in enumerate(fw.tracks[0].levels):
        row = text(element(page, f"level-{i}"))
        for value in (
            level.code,
            level.title,
            level.summary,
            level.experience,
            level.responsibility,
        ):
            assert value in row
        for group in level.expectations:
            assert group.topic in row
            assert all(item in row for item in group.items)
    top = text(element(page, "level-2"))
    assert "Servers at milestone 3 or higher" in top
    assert "Mentoring at milestone 3 or higher" in top
    assert "At least 15 points in total" in top
    assert "At least 6 points in Supporting" in top
    assert "At least 8 points in total (scoring threshold)" in text(element(page, "level-1"))


def test_track_page_links_adjacent_comparisons_and_offers_a_picker(site: dict[str, str]) -> None:
    page = site["tracks/backend.html"]
    compare = element(page, "compare")
    assert 'href="backend/compare-0-1.html"' in compare
    assert 'href="backend/compare-1-2.html"' in compare
    tags = parse(page).tags
    form = [a for tag, a in tags if tag == "form"]
    assert len(form) == 1 and "hidden" in form[0]  # shown by the script: works without JS
    selects = [a["name"] for tag, a in tags if tag == "select"]
    assert selects == ["lower", "higher"]
    assert [a["value"] for tag, a in tags if tag == "option"] == ["0", "1", "2"] * 2
    assert "<script>" in page


def test_compare_page_puts_levels_side_by_side_and_marks_what_is_new(site: dict[str, str]) -> None:
    page = site["tracks/backend/compare-0-1.html"]
    visible = text(page)
    assert "L1 → 2.1" in visible
    for value in ("Engineer I", "Engineer II", "0-2 years", "2-4 years", "Features"):
        assert value in visible
    assert "<ins>Owns features end to end</ins>" in page
    assert "<ins>Delivers assigned tasks</ins>" not in page  # at both levels
    assert "<ins>Gives status updates</ins>" not in page
    assert "milestone 1 → 2" in visible  # servers rises
    assert "<ins>milestone 1</ins>" in page  # foundations is new
    assert 'class="changed"' in page  # summary and other text changed


def test_compare_page_of_distant_levels(site: dict[str, str]) -> None:
    page = site["tracks/backend/compare-0-2.html"]
    assert "<ins>Mentors other engineers</ins>" in page
    assert "<ins>Owns features end to end</ins>" in page
    assert "milestone 1 → 3" in text(page)
    assert "<ins>at least 15 points</ins>" in page
    assert "Points in Supporting" in text(page)
    # dropped from a topic the higher level still has: marked; a whole topic dropped: not
    assert '<li class="dropped">Delivers assigned tasks</li>' in page
    assert "<li>Gives status updates</li>" in page


def test_text_from_the_framework_is_escaped() -> None:
    fw = make_framework(
        name=f"Acme {EVIL}",
        skills=[
            Skill(
                key="xss",
                name=f"Skill {EVIL}",
                category="building",
                milestones=[Milestone(number=1, summary=EVIL, signals=[EVIL], examples=[EVIL])],
            )
        ],
        tracks=[
            Track(
                key="ic",
                name=f"Track {EVIL}",
                levels=[
                    Level(code="<b>1</b>", title=EVIL),
                    Level(
                        code="2",
                        title=f"Level {EVIL}",
                        expectations=[ExpectationGroup(topic=EVIL, items=[EVIL])],
                    ),
                ],
            )
        ],
    )
    site = render_site(fw)
    for path, page in site.items():
        assert EVIL not in page, path
        assert "<b>1</b>" not in page, path
    assert f"Skill {html.escape(EVIL)}" in site["skills/xss.html"].replace("&#39;", "'")
    assert "Skill <script>alert(1)</script>" in text(site["skills/xss.html"])
    assert "Level <script>alert(1)</script>" in text(site["tracks/ic/compare-0-1.html"])


def assert_links_resolve(site: dict[str, str]) -> int:
    """Every link of every page leads to a page of the site, and to an element of it by id."""
    parsed = {path: parse(page) for path, page in site.items()}
    checked = 0
    for path, links in parsed.items():
        for url in links.urls:
            assert "://" not in url and not url.startswith("//"), (path, url)
            target, _, anchor = url.partition("#")
            resolved = path
            if target:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in site, (path, url)
            if anchor:
                assert anchor in parsed[resolved].ids, (path, url)
            checked += 1
    return checked


def test_every_link_resolves_to_a_page_and_an_anchor_in_it(site: dict[str, str]) -> None:
    assert assert_links_resolve(site) > 50


def test_renders_the_shared_fixtures(small: Framework, snowflake: Framework) -> None:
    for fw in (small, snowflake):
        site = render_site(fw)
        assert_links_resolve(site)
        for skill in fw.skills:
            assert skill.name in text(site[f"skills/{skill.key}.html"])
        for track in fw.tracks:
            page = text(site[f"tracks/{track.key}.html"])
            assert all(level.code in page for level in track.levels)


def test_pages_are_self_contained_and_printable(site: dict[str, str]) -> None:
    for path, page in site.items():
        assert page.startswith("<!doctype html>")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        assert "<style>" in page and "@media print" in page
        assert not re.search(r"<link\b|<img\b|@import|url\(|https?://", page), path
        # every page links back to the index and to every track
        assert re.search(r'href="(\.\./)*index\.html"', page), path
        assert re.search(r'href="(\.\./)*tracks/backend\.html"', page), path


def test_category_colours_follow_category_order(site: dict[str, str]) -> None:
    index = site["index.html"]
    assert 'class="category cat-0" id="category-building"' in index
    assert 'class="category cat-1" id="category-supporting"' in index
    assert '<div class="cat-1">' in site["skills/mentoring.html"]


def test_write_site_writes_every_page(fw: Framework, tmp_path: Path) -> None:
    out = tmp_path / "site"
    written = write_site(fw, out)
    pages = render_site(fw)
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(pages)
    for path in written:
        assert path.read_text(encoding="utf-8") == pages[path.relative_to(out).as_posix()]
