"""The team heatmap through the API: rows limited to the people the caller may see.

Team core: manager (E2) and member (E1) on `ic`, the editor without a position. The member
holds coding 2: E1 asks coding 1, so their coding cell is above; testing and mentoring are not
asked at E1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.org.models import Person
from ladders.progress.attainments import attainment_certify

from .test_progress_fixtures import Org, place

pytest_plugins = ["tests.api.test_progress_fixtures"]  # the small framework and `org`


@pytest.fixture
def heat(org: Org) -> Org:
    attainment_certify(
        person=org.member,
        framework=org.framework,
        skill_key="coding",
        milestone=2,
        certified_by=org.manager,
    )
    return org


@pytest.mark.parametrize(
    ("persona", "rows", "without"),
    [
        ("admin", ["Manager", "Member"], ["Editor"]),
        ("editor", [], ["Editor"]),
        ("manager", ["Manager", "Member"], []),
        ("member", ["Member"], []),
    ],
)
def test_rows_are_limited_to_who_the_caller_may_see(
    api_client, heat: Org, persona: str, rows: list[str], without: list[str]
) -> None:
    response = api_client(persona).get("teams/core/heatmap")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["team"] == {"slug": "core", "name": "Core"}
    assert body["limited"] is (persona != "admin")
    shown = [r["person"]["name"] for t in body["tables"] for r in t["rows"]]
    assert shown == rows
    assert [p["name"] for p in body["without_position"]] == without


def test_cells(api_client, heat: Org) -> None:
    table = api_client("member").get("teams/core/heatmap").json()["tables"][0]
    assert table["framework"] == "small"
    assert [s["key"] for s in table["skills"]] == ["coding", "testing", "mentoring"]
    row = table["rows"][0]
    assert (row["track"], row["level"], row["level_title"]) == ("ic", "E1", "Engineer I")
    assert row["cells"] == [
        {"skill": "coding", "milestone": 2, "required": 1, "state": "above"},
        {"skill": "testing", "milestone": 0, "required": None, "state": "not-required"},
        {"skill": "mentoring", "milestone": 0, "required": None, "state": "not-required"},
    ]


def test_outsider_anonymous_unknown_and_bad_slugs(api_client, heat: Org) -> None:
    assert api_client("outsider").get("teams/core/heatmap").status_code == 403
    assert api_client("anonymous").get("teams/core/heatmap").status_code == 401
    assert api_client("admin").get("teams/nope/heatmap").status_code == 404
    response = api_client("admin").get("teams/no%20pe/heatmap")
    assert response.status_code == 422


def test_queries_stay_flat(api_client, heat: Org, django_assert_max_num_queries) -> None:
    def join(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = Person.objects.create(
                name=f"M{i:02}", email=f"m{i}@example.com", team=heat.team, manager=heat.manager
            )
            place(person, heat.framework, "E1")

    client = api_client("admin")
    join(1, 0)  # 3 rows with the manager and the member
    with CaptureQueriesContext(connection) as few:
        body = client.get("teams/core/heatmap").json()
    assert len(body["tables"][0]["rows"]) == 3
    join(27, 1)
    with django_assert_max_num_queries(len(few)):
        body = client.get("teams/core/heatmap").json()
    assert len(body["tables"][0]["rows"]) == 30
    assert len(few) <= 10
