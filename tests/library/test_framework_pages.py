"""What readers see on the framework pages: overview, skill, track, comparison, search, versions."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from ladders.frameworks import scoring
from ladders.frameworks.loader import framework_from_data
from ladders.frameworks.starter import load_starter
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position
from ladders.progress.models import Attainment, Observation, ObservationSkill, Visibility

pytestmark = pytest.mark.django_db

STARTER = "/frameworks/ladders-starter"
EVIL = "<script>alert(1)</script>"


@pytest.fixture
def starter_version() -> Any:
    return framework_publish(document=load_starter().framework)


@pytest.fixture
def member(persona_client: Callable[[str], Client]) -> Client:
    return persona_client("member")


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def text(markup: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def small(mode: str = "highest", **changes: Any) -> Any:
    data: dict[str, Any] = {
        "schema": "ladders/v1",
        "key": "small",
        "name": "Small",
        "categories": [{"key": "building", "name": "Building"}],
        "skills": [
            {
                "key": "servers",
                "name": "Servers",
                "category": "building",
                "description": "Running services.",
                "milestones": [
                    {
                        "number": 1,
                        "summary": "Deploys with a runbook",
                        "signals": ["Reads dashboards"],
                        "examples": ["Rolled back a release"],
                    },
                    {"number": 2, "summary": "Owns a service"},
                    {"number": 3, "summary": "Designs fleets", "points": 10},
                ],
            },
            {
                "key": "testing",
                "name": "Testing",
                "category": "building",
                "milestones": [{"number": 1, "summary": "Writes tests"}, {"number": 2}],
            },
        ],
        "tracks": [
            {
                "key": "ic",
                "name": "Individual contributor",
                "levels": [
                    {
                        "code": "L1",
                        "title": "Engineer I",
                        "summary": "Learns the codebase",
                        "experience": "0-2 years",
                        "expectations": [
                            {"topic": "Impact", "items": ["Delivers assigned tasks"]},
                            {"topic": "Craft", "items": ["Writes simple code in Java"]},
                        ],
                        "requirements": {"milestones": {"servers": 1}},
                    },
                    {
                        "code": "L2",
                        "title": "Engineer II",
                        "summary": "Owns features",
                        "experience": "2-4 years",
                        "expectations": [
                            {
                                "topic": "Impact",
                                "items": ["Delivers assigned tasks", "Owns features end to end"],
                            },
                            {"topic": "Craft", "items": ["Writes complex code in Java"]},
                        ],
                        "requirements": {
                            "milestones": {"servers": 2, "testing": 1},
                            "min_points": 4,
                        },
                    },
                ],
            }
        ],
        "scoring": {
            "mode": mode,
            "levels": [{"min_points": 0, "code": "L1"}, {"min_points": 4, "code": "L2"}],
            "titles": [
                {"name": "Engineer", "min_points": 0, "max_points": 9, "track": "ic"},
                {"name": "Senior", "min_points": 10},
            ],
        },
    }
    data.update(changes)
    return framework_from_data(data)


# --- overview ----------------------------------------------------------------------------------


def test_overview_links_every_skill_and_track(member: Client, starter_version: Any) -> None:
    markup = page(member, f"{STARTER}/")
    doc = load_starter().framework
    for skill in doc.skills:
        assert f'href="{STARTER}/skills/{skill.key}/"' in markup
        assert skill.name in markup
    for category in doc.categories:
        assert f'id="category-{category.key}"' in markup
    for track in doc.tracks:
        assert f'href="{STARTER}/tracks/{track.key}/"' in markup
        assert f"{len(track.levels)} levels" in text(markup)
        for level in track.levels:
            assert f'<span class="code">{level.code}</span>' in markup


def test_overview_explains_scoring_in_words(member: Client) -> None:
    framework_publish(document=small())
    visible = text(page(member, "/frameworks/small/"))
    assert "The highest milestone counts." in visible
    assert "The most anyone can reach in this framework is 13 points" in visible  # 10 + 3
    assert "0 points L1 Individual contributor 4 points L2 Individual contributor" in visible
    # titles name their track, not its key, and say their range
    assert "Engineer 0–9 Individual contributor" in visible
    assert "Senior 10 or more Any track" in visible
    assert "Some milestones carry points of their own" in visible


def test_overview_in_cumulative_mode_shows_running_totals(member: Client) -> None:
    framework_publish(document=small(mode="cumulative"))
    visible = text(page(member, "/frameworks/small/"))
    assert "Points add up." in visible
    # milestone 3 of the default table adds 6; a skill there is worth 1 + 3 + 6
    assert "3 6 points 10 points" in visible


def test_overview_shows_version_date_and_history(member: Client, starter_version: Any) -> None:
    markup = page(member, f"{STARTER}/")
    assert "Version 1 (latest)" in text(markup)
    assert f'href="{STARTER}/versions/"' in markup
    assert starter_version.published_at.strftime("%Y") in text(markup)


def test_an_older_version_says_so_and_keeps_its_links_on_that_version(member: Client) -> None:
    framework_publish(document=small())
    framework_publish(document=small(name="Small, renamed"))
    markup = page(member, "/frameworks/small/?version=1")
    visible = text(markup)
    assert "You are reading version 1" in visible and "The latest is version 2" in visible
    assert "<h1>Small</h1>" in markup
    assert 'href="/frameworks/small/skills/servers/?version=1"' in markup
    assert "<h1>Small, renamed</h1>" in page(member, "/frameworks/small/")


def _edit_url(key: str) -> str | None:
    try:
        return reverse("framework-edit", args=[key])
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("persona", ["admin", "editor"])
def test_editors_get_a_link_to_the_editor(
    persona: str, persona_client: Callable[[str], Client], starter_version: Any
) -> None:
    edit_url = _edit_url("ladders-starter")
    if edit_url is None:
        pytest.skip("the framework editor (framework-edit) is not part of this build")
    assert f'href="{edit_url}"' in page(persona_client(persona), f"{STARTER}/")


def test_members_get_no_editor_link(member: Client, starter_version: Any) -> None:
    assert "Edit this framework" not in page(member, f"{STARTER}/")


# --- skill page --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["highest", "cumulative"])
def test_skill_page_points_are_the_scoring_engines(member: Client, mode: str) -> None:
    doc = small(mode=mode)
    framework_publish(document=doc)
    visible = text(page(member, "/frameworks/small/skills/servers/"))
    skill = doc.skill("servers")
    for m in skill.milestones:
        points = scoring.milestone_points(doc, skill, m)
        total = scoring.skill_points(doc, skill, m.number)
        if mode == "cumulative":
            assert (
                f"Milestone {m.number} adds {points} point{'s' * (points != 1)} · {total} in total"
                in visible
            )
        else:
            assert f"Milestone {m.number} worth {points} point{'s' * (points != 1)}" in visible
    assert f"worth up to {scoring.skill_max_points(doc, skill)} points" in visible


def test_skill_page_shows_description_category_summary_signals_and_examples(
    member: Client,
) -> None:
    framework_publish(document=small())
    visible = text(page(member, "/frameworks/small/skills/servers/"))
    for words in (
        "Running services.",
        "Building",
        "Deploys with a runbook",
        "Signals Reads dashboards",
        "Examples Rolled back a release",
    ):
        assert words in visible


def test_health_lists_the_levels_that_require_the_skill(member: Client) -> None:
    framework_publish(document=small())
    markup = page(member, "/frameworks/small/skills/servers/")
    visible = text(markup)
    assert (
        "Individual contributor L1 Engineer I : milestone 1 L2 Engineer II : milestone 2" in visible
    )
    assert 'href="/frameworks/small/tracks/ic/#level-1"' in markup


def test_health_counts_observations_the_viewer_may_see_and_people_per_milestone(
    persona_client: Callable[[str], Client], people: dict[str, Person | None]
) -> None:
    """Three people on the framework: manager (servers 1 and 2), editor (servers 2 certified
    straight away, 3 revoked) and member (nothing). The admin holds servers 3 but no position
    on it, so does not count. People who reached each milestone or above: 1 -> 2, 2 -> 2, 3 -> 0
    (counting certification rows at each milestone would give 1, 2, 2)."""
    version = framework_publish(document=small())
    framework = version.framework
    admin, manager, editor, member = (people[k] for k in ("admin", "manager", "editor", "member"))
    assert admin and manager and editor and member
    for person in (manager, editor, member):
        Position.objects.create(
            person=person,
            framework=framework,
            version=version,
            track_key="ic",
            level_code="L1",
            started_on=datetime.date(2025, 1, 1),
        )
    for person, numbers in ((manager, (1, 2)), (editor, (2, 3)), (admin, (3,))):
        for n in numbers:
            Attainment.objects.create(
                person=person,
                framework=framework,
                skill_key="servers",
                milestone=n,
                certified_by=manager if person == admin else admin,
            )
    Attainment.objects.filter(person=editor, milestone=3).update(
        revoked_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    )
    for visibility in (Visibility.SHARED, Visibility.PRIVATE):
        observation = Observation.objects.create(
            subject=manager,
            author=admin,
            framework=framework,
            text="Led the migration",
            observed_on=datetime.date(2024, 5, 1),
            visibility=visibility,
        )
        ObservationSkill.objects.create(observation=observation, skill_key="servers")
    url = "/frameworks/small/skills/servers/"
    # the member may not see a private observation about their manager; the manager may
    member_view = text(page(persona_client("member"), url))
    assert "1 observation you can see references this skill" in member_view
    assert "2 observations you can see reference this skill" in text(
        page(persona_client("manager"), url)
    )
    # 3 people is fewer than 5: only an admin gets the counts about people
    for view in (member_view, text(page(persona_client("manager"), url))):
        assert "People who reached it" not in view
        assert "Fewer than 5 people hold a position on this framework" in view
        assert "nobody has reached milestone 3 of Servers" not in view
    admin_view = text(page(persona_client("admin"), url))
    assert "2 observations you can see reference this skill" in admin_view
    assert (
        "Of the 3 people on this framework, how many have a certified milestone at this number "
        "or higher. Milestone People who reached it (or above) 1 2 2 2 3 0"
    ) in admin_view
    # the finding about milestone 3 agrees with the table
    assert "nobody has reached milestone 3 of Servers" in admin_view


def test_health_panel_headings_are_distinct(member: Client) -> None:
    framework_publish(document=small())
    markup = page(member, "/frameworks/small/skills/servers/")
    headings = re.findall(
        r"<h[34][^>]*>([^<]*)</h[34]>", markup[markup.index('id="health-title"') :]
    )
    assert headings == [
        "Required by",
        "People and evidence",
        "Checks",
        "Structure",
        "Writing",
        "Usage",
    ]


def test_health_shows_structural_findings_of_this_skill_only(member: Client) -> None:
    framework_publish(document=small())
    testing = text(page(member, "/frameworks/small/skills/testing/"))
    assert "milestone 2 of skill 'testing' is empty" in testing
    servers = text(page(member, "/frameworks/small/skills/servers/"))
    assert "No structural problem found in this skill." in servers
    assert "'testing'" not in servers


# --- track page and comparison -----------------------------------------------------------------


def test_track_page_shows_the_ladder(member: Client) -> None:
    framework_publish(document=small())
    markup = page(member, "/frameworks/small/tracks/ic/")
    visible = text(markup)
    for words in (
        "L1 Engineer I",
        "Learns the codebase",
        "Experience 0-2 years",
        "Impact Delivers assigned tasks",
        "Servers at milestone 1 or higher",
        "At least 4 points in total",
    ):
        assert words in visible
    assert '<a href="/frameworks/small/skills/testing/">Testing</a> at milestone 1' in markup
    assert 'id="level-0"' in markup and 'id="level-1"' in markup


def test_track_page_offers_a_plain_form_to_compare_any_two_levels(member: Client) -> None:
    framework_publish(document=small())
    markup = page(member, "/frameworks/small/tracks/ic/")
    assert (
        '<form class="compare-form" method="get" action="/frameworks/small/tracks/ic/compare/">'
        in markup
    )
    assert '<select name="from">' in markup and '<select name="to">' in markup
    assert 'href="/frameworks/small/tracks/ic/compare/?from=L1&amp;to=L2"' in markup


def test_compare_highlights_what_is_new_at_the_higher_level(member: Client) -> None:
    framework_publish(document=small())
    markup = page(member, "/frameworks/small/tracks/ic/compare/?from=L1&to=L2")
    visible = text(markup)
    assert "<h1>L1 → L2</h1>" in markup
    assert '<li class="added"><ins>Owns features end to end</ins></li>' in markup
    assert "<ins>Delivers assigned tasks</ins>" not in markup  # at both levels
    assert "<del>simple</del>" in markup and "<ins>complex</ins>" in markup  # reworded
    assert "<del>0-2</del>" in markup and "<ins>2-4</ins>" in markup  # changed words only
    assert "milestone 1 → 2" in visible  # Servers rises
    assert "<ins>milestone 1</ins>" in markup  # Testing is new
    assert "<ins>at least 4 points</ins>" in markup
    assert "Scoring threshold — at least 4 points" in visible


def test_compare_shows_what_the_newly_required_milestones_ask_for(member: Client) -> None:
    framework_publish(document=small())
    markup = page(member, "/frameworks/small/tracks/ic/compare/?from=L1&to=L2")
    visible = text(markup)
    assert "milestone 1 → 2 ▲ Milestone 2 : Owns a service" in visible  # Servers rises to 2
    assert "Milestone 1 : Writes tests" in visible  # Testing is newly required
    assert 'href="/frameworks/small/skills/servers/#milestone-2"' in markup
    assert "Deploys with a runbook" not in visible  # milestone 1 of Servers was already asked


def test_compare_puts_the_lower_level_first_whichever_way_it_is_asked(member: Client) -> None:
    framework_publish(document=small())
    markup = page(member, "/frameworks/small/tracks/ic/compare/?from=L2&to=L1")
    assert "<h1>L1 → L2</h1>" in markup
    assert "<ins>Owns features end to end</ins>" in markup


def test_compare_without_levels_shows_the_first_two(member: Client) -> None:
    framework_publish(document=small())
    assert "<h1>L1 → L2</h1>" in page(member, "/frameworks/small/tracks/ic/compare/")


def test_compare_of_a_track_with_one_level_says_there_is_nothing_to_compare(member: Client) -> None:
    doc = small()
    one = doc.tracks[0].model_copy(update={"levels": doc.tracks[0].levels[:1]})
    framework_publish(document=doc.model_copy(update={"tracks": [one]}))
    visible = text(page(member, "/frameworks/small/tracks/ic/compare/"))
    assert "fewer than two levels" in visible


# --- search ------------------------------------------------------------------------------------


def test_search_finds_skills_and_levels_with_the_words_marked(member: Client) -> None:
    framework_publish(document=small())
    markup = page(member, "/frameworks/small/search/?q=RUNBOOK")
    assert "<mark>runbook</mark>" in markup
    assert 'href="/frameworks/small/skills/servers/#milestone-1"' in markup
    markup = page(member, "/frameworks/small/search/?q=features+end")
    assert 'href="/frameworks/small/tracks/ic/#level-1"' in markup
    assert "<mark>features</mark> <mark>end</mark>" in markup


def test_search_needs_every_word(member: Client) -> None:
    framework_publish(document=small())
    visible = text(page(member, "/frameworks/small/search/?q=runbook+java"))
    assert "Nothing in version 1 mentions all of “runbook”, “java”" in visible


def test_search_escapes_what_it_shows(member: Client) -> None:
    doc = small()
    servers = doc.skills[0].model_copy(update={"description": f"Beware {EVIL} here"})
    framework_publish(document=doc.model_copy(update={"skills": [servers, doc.skills[1]]}))
    markup = page(member, "/frameworks/small/search/?q=" + "<script>")
    assert EVIL not in markup and "<mark><script>" not in markup
    assert "<mark>&lt;script&gt;</mark>alert(1)" in markup


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("", "Every word must appear in the same skill or level"),
        ("%20%20", "Every word must appear in the same skill or level"),
        ("x", "Type at least 2 characters to search."),
    ],
)
def test_an_empty_or_short_query_shows_a_hint(member: Client, query: str, hint: str) -> None:
    framework_publish(document=small())
    visible = text(page(member, f"/frameworks/small/search/?q={query}"))
    assert hint in visible
    assert "mention" not in visible


# --- versions and diff -------------------------------------------------------------------------


def _renamed() -> Any:
    doc = small()
    servers = doc.skills[0].model_copy(update={"key": "hosting", "name": "Hosting"})
    levels = [
        level.model_copy(
            update={
                "requirements": level.requirements.model_copy(
                    update={
                        "milestones": {
                            ("hosting" if k == "servers" else k): v
                            for k, v in level.requirements.milestones.items()
                        }
                    }
                )
            }
        )
        for level in doc.tracks[0].levels
    ]
    track = doc.tracks[0].model_copy(update={"levels": levels})
    return doc.model_copy(update={"skills": [servers, doc.skills[1]], "tracks": [track]})


def test_versions_lists_every_version_with_publisher_and_summary(
    member: Client, people: dict[str, Person | None]
) -> None:
    editor = people["editor"]
    assert editor is not None and editor.user is not None
    framework_publish(document=small())
    framework_publish(document=_renamed(), published_by=editor.user)
    markup = page(member, "/frameworks/small/versions/")
    visible = text(markup)
    assert "Version 2 latest" in visible and "Version 1" in visible
    assert "Editor" in visible  # the publisher's name in the organisation
    assert "First version." in visible
    assert "Renamed (1): Skill servers" in visible
    assert 'href="/frameworks/small/diff/?from=1&amp;to=2"' in markup
    assert 'href="/frameworks/small/?version=1"' in markup


def test_diff_shows_a_renamed_skill(member: Client) -> None:
    framework_publish(document=small())
    framework_publish(document=_renamed())
    markup = page(member, "/frameworks/small/diff/?from=1&to=2")
    visible = text(markup)
    assert "From version 1" in visible and "to version 2" in visible
    assert "Renamed 1 Skill Servers key: servers → hosting name: Servers → Hosting" in visible
    assert 'href="/frameworks/small/skills/hosting/"' in markup
    assert '<select name="from">' in markup


def test_diff_defaults_to_the_latest_change_and_reads_backwards_too(member: Client) -> None:
    framework_publish(document=small())
    framework_publish(document=_renamed())
    assert "servers → hosting" in text(page(member, "/frameworks/small/diff/"))
    assert "hosting → servers" in text(page(member, "/frameworks/small/diff/?from=2&to=1"))


def test_diff_of_a_version_with_itself_has_no_changes(member: Client) -> None:
    framework_publish(document=small())
    visible = text(page(member, "/frameworks/small/diff/?from=1&to=1"))
    assert "no changes" in visible and "Pick two different versions" in visible
