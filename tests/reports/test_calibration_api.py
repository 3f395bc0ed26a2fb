"""GET /api/v1/reports/calibration on the organisation of test_calibration (managers A, B and C;
the manager persona sees A and B)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ladders.library.models import FrameworkVersion
from ladders.org.models import Person
from tests.reports.test_calibration import People, _grow, build_org, publish

Api = Callable[..., Any]
PATH = "reports/calibration"
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
def org(people: People, version: FrameworkVersion) -> dict[str, Person]:
    return build_org(people, version)


@pytest.mark.parametrize("persona", list(ALLOWED))
def test_persona_matrix(persona: str, api_client: Api, org: object) -> None:
    response = api_client(persona).get(PATH)
    assert response.status_code == ALLOWED[persona]
    if response.status_code == 403:
        assert response.json()["error"]["code"] == "forbidden"


def test_numbers_for_an_admin(api_client: Api, org: dict[str, Person]) -> None:
    body = api_client("admin").get(PATH).json()
    assert (body["org_ratings"], body["org_managers"], body["taking_part"]) == (18, 3, 3)
    assert body["org_mean_difference"] == pytest.approx(-1 / 18, abs=1e-4)
    assert (body["min_ratings"], body["threshold"]) == (5, 1.5)
    rows = {m["name"]: m for m in body["managers"]}
    assert [m["name"] for m in body["managers"]] == ["Bea", "Manager", "Cal"]
    a = rows["Manager"]
    assert a["manager"] == str(org["A"].uuid)
    assert (a["people"], a["check_ins"], a["ratings"], a["compared"]) == (2, 2, 6, 6)
    assert a["mean_difference"] == pytest.approx(0.6667, abs=1e-4)
    assert a["spread"] == pytest.approx(0.4714, abs=1e-4)
    assert a["delta_vs_org"] == pytest.approx(1.0)
    assert a["distance"] == pytest.approx(1.8385, abs=1e-3)
    assert (a["flagged"], rows["Bea"]["flagged"], rows["Cal"]["flagged"]) == (True, True, False)


def test_a_manager_sees_their_chain_only(api_client: Api, org: object) -> None:
    body = api_client("manager").get(PATH).json()
    assert [m["name"] for m in body["managers"]] == ["Bea", "Manager"]
    # Cal is the only manager outside the chain: org-wide figures would reveal Cal's
    assert (body["org_ratings"], body["org_mean_difference"], body["org_hidden"]) == (
        None,
        None,
        True,
    )
    bea = body["managers"][0]
    assert (bea["flagged"], bea["others_mean"], bea["others_spread"], bea["distance"]) == (
        True,
        None,
        None,
        None,
    )
    assert (bea["comparison_hidden"], bea["delta_vs_org"], bea["compared"]) == (True, None, None)


def test_query_count_is_flat(
    api_client: Api,
    org: dict[str, Person],
    version: FrameworkVersion,
    django_assert_max_num_queries: Any,
) -> None:
    client = api_client("admin")
    client.get(PATH)  # the first call records the token use; measure after it
    _grow(version, list(org.values()), 0, 3)
    with django_assert_max_num_queries(10) as few:
        assert client.get(PATH).status_code == 200
    _grow(version, list(org.values()), 3, 30)
    with django_assert_max_num_queries(10) as many:
        body = client.get(PATH).json()
    assert len(many) == len(few)
    assert body["org_ratings"] == 18 + 30 * 3
