"""GET /api/v1/reports/levels and /api/v1/reports/time-in-level, on the organisation of
test_distribution (manager, member and Rosa in Payments; Olga in Platform for admins only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.library.models import Framework
from tests.reports.test_distribution import TRACK, People, build_org, grow

Api = Callable[..., Any]
LEVELS, TIME = "reports/levels", "reports/time-in-level"
ALLOWED = {
    "admin": 200,
    "editor": 403,
    "manager": 200,
    "member": 403,
    "outsider": 403,
    "anonymous": 401,
}


@pytest.fixture
def org(people: People) -> Framework:
    return build_org(people)


@pytest.mark.parametrize("persona", list(ALLOWED))
@pytest.mark.parametrize("path", [LEVELS, TIME])
def test_persona_matrix(path: str, persona: str, api_client: Api, org: Framework) -> None:
    response = api_client(persona).get(path)
    assert response.status_code == ALLOWED[persona]
    if response.status_code == 403:
        assert response.json()["error"]["code"] == "forbidden"


def test_levels_for_a_manager(api_client: Api, org: Framework) -> None:
    body = api_client("manager").get(LEVELS).json()
    assert len(body["quarter_ends"]) == 4
    (engineer,) = body["tracks"]
    assert (engineer["framework"], engineer["track"], engineer["count"]) == (
        "ladders-starter",
        "engineer",
        3,
    )
    levels = {lv["code"]: lv for lv in engineer["levels"]}
    assert list(levels) == ["IC1", "IC2", "IC3", "IC4", "IC5", "IC6"]
    assert levels["IC1"]["count"] == 1 and levels["IC1"]["quarters"] == [1, 1, 1, 1]
    assert levels["IC1"]["teams"] == [
        {"team": "payments", "team_name": "Payments", "count": 1, "quarters": [1, 1, 1, 1]}
    ]
    assert levels["IC4"]["count"] == 0 and levels["IC4"]["teams"] == []  # Olga is not theirs


def test_levels_for_an_admin_and_filters(api_client: Api, org: Framework) -> None:
    admin = api_client("admin")
    (engineer,) = admin.get(LEVELS).json()["tracks"]
    assert engineer["count"] == 4
    only = admin.get(LEVELS, team="platform", track=TRACK).json()["tracks"]
    assert [(lv["code"], lv["count"]) for lv in only[0]["levels"] if lv["count"]] == [("IC4", 1)]


@pytest.mark.parametrize("path", [LEVELS, TIME])
@pytest.mark.parametrize(
    ("params", "what"), [({"team": "nope"}, "team"), ({"track": "ladders-starter:x"}, "track")]
)
def test_unknown_filters_are_404(
    path: str, params: dict[str, str], what: str, api_client: Api, org: Framework
) -> None:
    response = api_client("admin").get(path, **params)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert what in response.json()["error"]["message"]


@pytest.mark.parametrize("path", [LEVELS, TIME])
def test_a_manager_may_not_filter_on_a_team_outside_their_chain(
    path: str, api_client: Api, org: Framework
) -> None:
    assert api_client("manager").get(path, team="platform").status_code == 404


def test_time_in_level_for_a_manager(api_client: Api, org: Framework) -> None:
    body = api_client("manager").get(TIME).json()
    assert (body["fallback_months"], body["min_completed"]) == (24, 3)
    assert [
        (p["name"], p["level"], p["months_in_level"], p["past_typical"]) for p in body["people"]
    ] == [
        ("Rosa", "IC1", 26.3, True),
        ("Member", "IC2", 16.4, False),
        ("Manager", "IC3", 19.7, False),
    ]
    (rosa,) = body["past_typical"]
    assert (rosa["name"], rosa["manager_name"]) == ("Rosa", "Manager")
    assert (rosa["team"], rosa["typical_months"], rosa["typical_rule"]) == (
        "payments",
        24.0,
        "fallback",
    )
    ic1 = body["tracks"][0]["levels"][0]
    assert ic1 == {
        "code": "IC1",
        "title": "Engineer I",
        "people_now": 1,
        "median_months_so_far": 26.3,
        "moves_up": 1,
        "median_months_before_moving_up": None,  # one move up: that person's own time
        "typical_months": 24.0,
        "typical_rule": "fallback",
        "past_typical": 1,
    }


def test_time_in_level_for_an_admin(api_client: Api, org: Framework) -> None:
    body = api_client("admin").get(TIME).json()
    assert [p["name"] for p in body["past_typical"]] == ["Olga", "Rosa"]
    assert body["past_typical"][0]["team"] == "platform"


@pytest.mark.parametrize("path", [LEVELS, TIME])
def test_queries_stay_flat(
    path: str,
    api_client: Api,
    people: People,
    org: Framework,
    django_assert_max_num_queries: Any,
) -> None:
    manager = people["manager"]
    assert manager is not None
    client = api_client("manager")
    grow(org, manager, 3, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    grow(org, manager, 27, 3)
    # token, user, person, the chain below the manager (two levels, walked twice), people,
    # positions, documents; the token's last-used stamp when it is due
    with django_assert_max_num_queries(len(few)):
        assert client.get(path).status_code == 200
    assert len(few) <= 11
