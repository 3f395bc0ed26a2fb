"""GET /api/v1/reports/skill-gaps on the teams of test_gaps (Alpha for the manager; Beta and
people without a team for admins too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ladders.library.models import FrameworkVersion
from ladders.org.models import Person, Team
from ladders.progress.attainments import attainment_certify
from tests.reports.test_gaps import ALPHA, People, build_teams, place, publish

Api = Callable[..., Any]
PATH = "reports/skill-gaps"
ALLOWED = {
    "admin": 200,
    "editor": 403,
    "manager": 200,
    "member": 403,
    "outsider": 403,
    "anonymous": 401,
}


@pytest.fixture
def version(db: None) -> FrameworkVersion:
    return publish()


@pytest.fixture
def teams(people: People, version: FrameworkVersion) -> dict[str, Person]:
    return build_teams(people, version)


@pytest.mark.parametrize("persona", list(ALLOWED))
def test_persona_matrix(persona: str, api_client: Api, teams: object) -> None:
    response = api_client(persona).get(PATH)
    assert response.status_code == ALLOWED[persona]
    if response.status_code == 403:
        assert response.json()["error"]["code"] == "forbidden"


def test_gaps_for_a_manager(api_client: Api, teams: dict[str, Person]) -> None:
    (alpha,) = api_client("manager").get(PATH).json()["teams"]
    assert (alpha["team"], alpha["team_name"]) == ("alpha", "Alpha")
    assert (alpha["counted"], alpha["at_top"], alpha["without_position"]) == (3, 1, 1)
    assert [(g["requirement"], g["missing"], g["of"]) for g in alpha["gaps"]] == ALPHA
    points, coding = alpha["gaps"][0], alpha["gaps"][5]
    assert (points["kind"], points["skill"], points["milestone"], points["points"]) == (
        "min_points",
        "",
        None,
        6,
    )
    assert (coding["kind"], coding["skill"], coding["milestone"]) == ("milestone", "coding", 2)
    assert coding["people"] == [str(teams["member"].uuid)]


def test_admin_sees_every_team(api_client: Api, teams: object) -> None:
    body = api_client("admin").get(PATH).json()
    assert [(t["team"], t["team_name"]) for t in body["teams"]] == [
        ("alpha", "Alpha"),
        ("beta", "Beta"),
        (None, "No team"),
    ]


def test_query_count_is_flat(
    api_client: Api, teams: object, version: FrameworkVersion, django_assert_max_num_queries: Any
) -> None:
    client = api_client("manager")
    client.get(PATH)  # the first call records the token use; measure after it
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
                milestone=1,
                certified_by=manager,
            )

    grow(0, 3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(PATH).status_code == 200
    grow(3, 30)
    with django_assert_max_num_queries(12) as many:
        body = client.get(PATH).json()
    assert len(many) == len(few)
    assert body["teams"][0]["counted"] == 33
