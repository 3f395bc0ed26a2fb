"""GET /api/v1/frameworks/{key}/health: the persona matrix, each documented error, the filters,
privacy of observation counts, and a query count that stays flat."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.frameworks.loader import framework_from_data
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person

from .test_health_rules import clean_data
from .test_health_usage import ADMIN_USAGE, build_org, grow, org_data

pytestmark = pytest.mark.django_db

URL = "frameworks/tiny/health"


@pytest.fixture
def org(people: dict[str, Person | None]) -> Framework:
    return build_org(people)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("editor", 200),
        ("manager", 200),
        ("member", 200),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_permission_matrix(
    persona: str, status: int, org: Framework, api_client: Callable[..., Any]
) -> None:
    response = api_client(persona).get(URL)
    assert response.status_code == status
    if status != 200:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_health_of_the_built_organisation(org: Framework, api_client: Callable[..., Any]) -> None:
    body = api_client("admin").get(URL).json()
    assert body["framework"] == "tiny" and body["version"] == 1
    assert body["counts"] == {
        "structural": 0,
        "writing": 0,
        "usage": 10,
        "error": 0,
        "warning": 0,
        "info": 10,
        "total": 10,
    }
    assert [(f["rule"], f["path"], f["message"]) for f in body["findings"]] == ADMIN_USAGE
    first = body["findings"][0]
    assert first == {
        "kind": "usage",
        "rule": "never-attained",
        "severity": "info",
        "path": "skills.coding.milestones[2]",
        "text": "Handles coding work of size 3 without help.",
        "message": "nobody has reached milestone 3 of Coding",
        "skill": "coding",
    }


def test_a_private_observation_does_not_reach_a_peer(
    org: Framework, api_client: Callable[..., Any]
) -> None:
    def never_observed(persona: str) -> list[str]:
        body = api_client(persona).get(URL, kind="usage", skill="testing").json()
        return [f["skill"] for f in body["findings"] if f["rule"] == "never-observed"]

    assert never_observed("admin") == [] and never_observed("manager") == []
    assert never_observed("editor") == ["testing"] and never_observed("member") == ["testing"]


def test_filters_by_kind_skill_and_version(org: Framework, api_client: Callable[..., Any]) -> None:
    data = org_data()
    data["skills"][1]["milestones"][0]["signals"] = ["Writes wonderful code"]
    framework_publish(document=framework_from_data(data))
    client = api_client("member")
    latest = client.get(URL, kind="writing").json()
    assert latest["version"] == 2
    assert [(f["rule"], f["path"], f["text"]) for f in latest["findings"]] == [
        ("vague-signal", "skills.testing.milestones[0].signals[0]", "Writes wonderful code")
    ]
    assert latest["counts"]["total"] == 1 and latest["counts"]["usage"] == 0
    assert client.get(URL, kind="writing", version=1).json()["findings"] == []
    # counts about people on this 3-person framework are the admin's only
    coding = api_client("admin").get(URL, skill="coding").json()["findings"]
    assert {f["skill"] for f in coding} == {"coding"} and len(coding) == 2


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"version": 9}, 404, "not_found"),
        ({"skill": "cooking"}, 404, "not_found"),
        ({"kind": "grammar"}, 422, None),
        ({"version": 0}, 422, None),
        ({"skill": "Not A Key"}, 422, None),
    ],
)
def test_documented_errors(
    params: dict[str, Any],
    status: int,
    code: str | None,
    org: Framework,
    api_client: Callable[..., Any],
) -> None:
    response = api_client("member").get(URL, **params)
    assert response.status_code == status
    if code:
        assert response.json()["error"]["code"] == code


def test_unknown_framework_is_404(
    people: dict[str, Person | None], api_client: Callable[..., Any]
) -> None:
    framework_publish(document=framework_from_data(clean_data()))
    response = api_client("member").get("frameworks/other/health")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No such framework, or you may not see it."


@pytest.mark.parametrize("persona", ["admin", "manager", "member"])
def test_query_count_stays_flat_from_3_to_30_people(
    persona: str,
    org: Framework,
    people: dict[str, Person | None],
    api_client: Callable[..., Any],
) -> None:
    admin = people["admin"]
    assert admin
    client = api_client(persona)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    grow(org, admin, 27)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(small) <= 12
