"""The skill gaps report on a hand-built team.

Framework: coding (1..3), testing (1..2), mentoring (1..3); points 1/3/6 per milestone, highest
mode. Track ic: E1 asks coding 1; E2 asks coding 2, testing 1 and 5 points, and the scoring
threshold for E2 is 6 points (so "6 points in total" is the one points requirement); E3 asks
coding 3, testing 2, mentoring 2 and 15 points.

Team Alpha (everyone reports to manager):
    member  E1  coding 1 (testing 1 certified, then revoked)      next E2
    Pat     E1  coding 2, testing 1 (4 points)                     next E2
    manager E2  coding 2, testing 1 (4 points)                     next E3
    Top     E3                                                     at the top
    New     no position
Team Beta: Bea (reports to admin) E1 with nothing certified → next E2.

Alpha, by hand: 6 points in total 2 of 2 (member has 1, Pat 4); coding 2 1 of 2 (member);
testing 1 1 of 2 (member: the revoked one does not count); E3's four requirements 1 of 1 each
(the manager). Sorted by missing, then share, then label.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ladders.frameworks.loader import framework_from_data
from ladders.library.models import FrameworkVersion
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position, Team
from ladders.progress.attainments import attainment_certify, attainment_revoke
from ladders.reports.gaps import (
    Requirement,
    RequirementGap,
    TeamGaps,
    gaps_in_order,
    gaps_svg,
    natural_key,
    skill_gaps,
)
from tests.conftest import PERSONAS

People = dict[str, Person | None]
Clients = Callable[[str], Client]
PAGES = ["report-gaps", "report-gaps-csv"]
ALLOWED = {"admin": 200, "editor": 403, "manager": 200, "member": 403, "outsider": 403}
ALPHA = [
    ("6 points in total", 2, 2),
    ("15 points in total", 1, 1),
    ("Coding at milestone 3", 1, 1),
    ("Mentoring at milestone 2", 1, 1),
    ("Testing at milestone 2", 1, 1),
    ("Coding at milestone 2", 1, 2),
    ("Testing at milestone 1", 1, 2),
]


def framework_data() -> dict[str, Any]:
    def skill(key: str, name: str, top: int) -> dict[str, Any]:
        return {
            "key": key,
            "name": name,
            "category": "craft",
            "milestones": [{"number": n, "summary": f"{name} {n}"} for n in range(1, top + 1)],
        }

    return {
        "schema": "ladders/v1",
        "key": "gaps",
        "name": "Gaps test framework",
        "categories": [{"key": "craft", "name": "Craft"}],
        "skills": [
            skill("coding", "Coding", 3),
            skill("testing", "Testing", 2),
            skill("mentoring", "Mentoring", 3),
        ],
        "tracks": [
            {
                "key": "ic",
                "name": "IC",
                "levels": [
                    {"code": "E1", "requirements": {"milestones": {"coding": 1}}},
                    {
                        "code": "E2",
                        "requirements": {
                            "milestones": {"coding": 2, "testing": 1},
                            "min_points": 5,
                        },
                    },
                    {
                        "code": "E3",
                        "requirements": {
                            "milestones": {"coding": 3, "testing": 2, "mentoring": 2},
                            "min_points": 15,
                        },
                    },
                ],
            }
        ],
        "scoring": {
            "mode": "highest",
            "points": {"1": 1, "2": 3, "3": 6},
            "levels": [{"min_points": 0, "code": "E1"}, {"min_points": 6, "code": "E2"}],
        },
    }


def _p(people: People, name: str) -> Person:
    person = people[name]
    assert person is not None
    return person


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def publish() -> FrameworkVersion:
    return framework_publish(document=framework_from_data(framework_data()))


@pytest.fixture
def version(db: None) -> FrameworkVersion:
    return publish()


def place(person: Person, version: FrameworkVersion, level: str) -> None:
    Position.objects.create(
        person=person,
        framework=version.framework,
        version=version,
        track_key="ic",
        level_code=level,
        started_on=date(2025, 1, 1),
    )


@pytest.fixture
def teams(people: People, version: FrameworkVersion) -> dict[str, Person]:
    return build_teams(people, version)


def build_teams(people: People, version: FrameworkVersion) -> dict[str, Person]:
    admin, manager, member = _p(people, "admin"), _p(people, "manager"), _p(people, "member")
    alpha = Team.objects.create(slug="alpha", name="Alpha")
    beta = Team.objects.create(slug="beta", name="Beta")
    pat = Person.objects.create(name="Pat", email="pat@x.test", manager=manager, team=alpha)
    top = Person.objects.create(name="Top", email="top@x.test", manager=manager, team=alpha)
    Person.objects.create(name="New", email="new@x.test", manager=manager, team=alpha)
    bea = Person.objects.create(name="Bea", email="bea@x.test", manager=admin, team=beta)
    Person.objects.filter(pk__in=[manager.pk, member.pk]).update(team=alpha)
    for who, level in [(member, "E1"), (pat, "E1"), (manager, "E2"), (top, "E3"), (bea, "E1")]:
        place(who, version, level)

    def certify(who: Person, skill: str, milestone: int) -> Any:
        return attainment_certify(
            person=who,
            framework=version.framework,
            skill_key=skill,
            milestone=milestone,
            certified_by=admin,
        )

    certify(member, "coding", 1)
    attainment_revoke(
        attainment=certify(member, "testing", 1), revoked_by=admin, reason="Too early"
    )
    for who in (pat, manager):
        certify(who, "coding", 2)
        certify(who, "testing", 1)
    return {"member": member, "pat": pat}


def _table(entry: Any) -> list[tuple[str, int, int]]:
    return [(g.requirement.label, len(g.missing), g.of) for g in entry.gaps]


def test_requirements_most_people_miss_per_team(teams: dict[str, Person]) -> None:
    entries = {t.name: t for t in skill_gaps(user=user("manager"))}
    assert list(entries) == ["Alpha"]  # Beta is outside the manager's chain
    alpha = entries["Alpha"]
    assert (alpha.counted, alpha.at_top, alpha.without_position) == (3, 1, 1)
    assert _table(alpha) == ALPHA
    assert [p.name for p in alpha.gaps[0].missing] == ["Member", "Pat"]


def test_admin_sees_every_team_and_people_without_one(teams: dict[str, Person]) -> None:
    entries = {t.name: t for t in skill_gaps(user=user("admin"))}
    assert list(entries) == ["Alpha", "Beta", "No team"]
    assert _table(entries["Alpha"]) == ALPHA
    assert _table(entries["Beta"]) == [
        ("6 points in total", 1, 1),
        ("Coding at milestone 2", 1, 1),
        ("Testing at milestone 1", 1, 1),
    ]
    assert entries["No team"].without_position == 2  # the admin and editor personas


def test_requirement_columns_for_the_csv(teams: dict[str, Person]) -> None:
    alpha = skill_gaps(user=user("manager"))[0]
    points, coding = alpha.gaps[0].requirement, alpha.gaps[5].requirement
    assert (points.skill, points.milestone, points.points) == ("", None, 6)
    assert (coding.skill, coding.milestone, coding.points) == ("coding", 2, None)


def test_chart_has_a_bar_per_requirement(teams: dict[str, Person]) -> None:
    svg = gaps_svg(skill_gaps(user=user("manager"))[0])
    assert "<title" in svg and "Alpha" in svg
    assert svg.count('class="gap-bar"') == 7
    assert 'data-missing="2" data-of="2"' in svg
    assert "1 of 2" in svg


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_permissions(persona: str, page: str, persona_client: Clients, teams: object) -> None:
    assert persona_client(persona).get(reverse(page)).status_code == ALLOWED[persona]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(page: str, teams: object) -> None:
    response = Client().get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_page(persona_client: Clients, teams: dict[str, Person]) -> None:
    html = persona_client("manager").get(reverse("report-gaps")).content.decode()
    assert "Alpha" in html and "Beta" not in html
    assert "3 people working toward a next level; 1 at the top of their track; 1 without" in html
    assert html.count('class="gap-bar"') == 7
    progress = reverse("person-progress", args=[teams["pat"].uuid])
    assert f'href="{progress}"' in html


def test_csv(persona_client: Clients, teams: object) -> None:
    response = persona_client("admin").get(reverse("report-gaps-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = ["team", "requirement", "skill", "milestone", "points", "missing", "of", "who"]
    assert rows[0] == header
    assert rows[1] == ["Alpha", "6 points in total", "", "", "6", "2", "2", "Member; Pat"]
    assert ["Alpha", "Coding at milestone 2", "coding", "2", "", "1", "2", "Member"] in rows
    assert ["Beta", "Testing at milestone 1", "testing", "1", "", "1", "1", "Bea"] in rows
    assert len(rows) == 1 + 7 + 3


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_flat(
    page: str, persona_client: Clients, teams: dict[str, Person], version: FrameworkVersion
) -> None:
    client = persona_client("manager")
    manager = Person.objects.get(name="Manager")
    alpha = Team.objects.get(slug="alpha")

    def grow(start: int, stop: int) -> None:
        for n in range(start, stop):
            who = Person.objects.create(
                name=f"P{n}", email=f"p{n}@x.test", manager=manager, team=alpha
            )
            place(who, version, "E1")
            attainment_certify(
                person=who,
                framework=version.framework,
                skill_key="coding",
                milestone=1 + n % 3,
                certified_by=manager,
            )

    grow(0, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(page)).status_code == 200
    grow(3, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(page)).status_code == 200
    assert len(many) == len(few) <= 12


# --- order and chart on made-up gaps -------------------------------------------------------------


def _gap(label: str, missing: int, of: int) -> RequirementGap:
    people = [Person(name=f"P{i}") for i in range(missing)]
    return RequirementGap(Requirement("min_points", "", 0, label), of=of, missing=people)


def test_requirements_sort_by_missing_then_share_then_natural_order() -> None:
    gaps = [
        _gap("110 points in total", 2, 4),
        _gap("12 points in total", 2, 4),
        _gap("Coding at milestone 2", 2, 2),  # same count missing, larger share: first
        _gap("9 points in total", 1, 1),
        _gap("Testing at milestone 10", 3, 5),  # most missing: first of all
        _gap("Testing at milestone 9", 3, 5),
    ]
    assert [g.requirement.label for g in gaps_in_order(gaps)] == [
        "Testing at milestone 9",  # 3 of 5, and 9 before 10
        "Testing at milestone 10",
        "Coding at milestone 2",  # 2 of 2
        "12 points in total",  # 2 of 4, 12 before 110
        "110 points in total",
        "9 points in total",  # 1 of 1
    ]
    assert natural_key("12 points") < natural_key("110 points")


def test_the_chart_shows_the_top_ten_and_says_so() -> None:
    team = TeamGaps(team=None, counted=12)
    team.gaps = [_gap(f"Requirement {n}", 13 - n, 12) for n in range(1, 13)]  # 12 gaps
    svg = gaps_svg(team)
    assert svg.count('class="gap-bar"') == 10
    assert "top 10 of 12" in svg and "Top 10 of 12 requirements" in svg
    assert ">Requirement 10<" in svg and ">Requirement 11<" not in svg
    few = TeamGaps(team=None, counted=3, gaps=team.gaps[:3])
    assert "of 3" not in gaps_svg(few) and "Top" not in gaps_svg(few)


def test_long_labels_wrap_instead_of_being_cut() -> None:
    label = "Technical leadership and architecture across teams at milestone 4"  # 66 characters
    team = TeamGaps(team=None, counted=2, gaps=[_gap(label, 1, 2), _gap("Short", 1, 2)])
    svg = gaps_svg(team)
    assert "…" not in svg
    lines = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    # three lines of at most 34 characters for the long label, one for "Short"
    assert lines == [
        "Technical leadership and",
        "architecture across teams at",
        "milestone 4",
        "Short",
    ]
    # at 12px a character is at most ~7px wide: 34 characters fit left of the bars at x=240
    assert max(len(line) for line in lines) * 7 <= 240 - 8
    heights = [int(h) for h in re.findall(r'viewBox="0 0 640 (\d+)"', svg)]
    assert heights == [26 + (9 + 15 * 3) + 24]  # rows grow with their lines
