"""A person's progress and what-if scoring through the API, and the manager's dashboard rows.

The member (E1 on `ic`) holds coding 2 and testing 1: 3 + 1 = 4 points, level code E2 (from 4),
title Engineer II (4-14); E1 is met (coding 1), E2 is not (it asks 5 points in total), so the
track level is E1 and E2 is next with 1 point missing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.org.models import Person
from ladders.progress.attainments import attainment_certify

from .test_progress_fixtures import Org, place

pytest_plugins = ["tests.api.test_progress_fixtures"]  # the small framework and `org`

NOBODY = "7b4c1a52-3c1f-4c0e-9a55-1d2a7b9f6e10"
# 404 for whoever may not see the member (the page answers 403), so uuids do not leak
VIEW = {"admin": 200, "editor": 404, "manager": 200, "member": 200, "outsider": 404}


def _certify(org: Org, person: Person, key: str, number: int) -> object:
    return attainment_certify(
        person=person,
        framework=org.framework,
        skill_key=key,
        milestone=number,
        certified_by=org.manager if person != org.manager else org.admin,
    )


@pytest.fixture
def progressed(org: Org) -> dict[str, object]:
    return {
        "coding": _certify(org, org.member, "coding", 2),
        "testing": _certify(org, org.member, "testing", 1),
    }


@pytest.mark.parametrize(("persona", "status"), VIEW.items())
def test_who_may_read_the_members_progress(
    api_client, org: Org, progressed, persona: str, status: int
) -> None:
    response = api_client(persona).get(f"people/{org.member.uuid}/progress")
    assert response.status_code == status
    assert api_client("anonymous").get(f"people/{org.member.uuid}/progress").status_code == 401


def test_progress_numbers(api_client, org: Org, progressed) -> None:
    body = api_client("manager").get(f"people/{org.member.uuid}/progress").json()
    assert body["framework"] == "small" and body["track"] == "ic"
    assert body["points"] == 4 and body["max_points"] == 6 + 3 + 12
    assert body["level_code"] == "E2"
    assert body["track_level"] == {"code": "E1", "title": "Engineer I"}
    assert body["titles"] == ["Engineer II"]
    assert body["milestones"] == {"coding": 2, "testing": 1}
    assert [(s["key"], s["milestone"], s["points"]) for s in body["skills"]] == [
        ("coding", 2, 3),
        ("testing", 1, 1),
        ("mentoring", 0, 0),
    ]
    ready = body["next"]
    assert (ready["level"], ready["ready"], ready["points_missing"]) == ("E2", False, 1)
    rows = {(r["kind"], r["key"]): r for r in ready["requirements"]}
    assert rows[("milestone", "coding")]["met"] is True
    assert rows[("milestone", "coding")]["attainments"] == [str(progressed["coding"].uuid)]
    assert rows[("milestone", "testing")]["attainments"] == [str(progressed["testing"].uuid)]
    total = rows[("min_points", "")]
    assert (total["required"], total["actual"], total["missing"], total["met"]) == (5, 4, 1, False)


def test_progress_of_unknown_person_and_without_framework(api_client, people) -> None:
    assert api_client("admin").get(f"people/{NOBODY}/progress").status_code == 404
    response = api_client("admin").get(f"people/{people['member'].uuid}/progress")
    assert response.status_code == 404 and "No framework" in response.json()["error"]["message"]


def test_what_if_scores_the_changed_map_and_saves_nothing(api_client, org: Org, progressed) -> None:
    # mentoring 3 adds 6: 10 points; E2 now met (coding 2, testing 1, 5 points); E3 next:
    # coding 3 and testing 2 unmet, mentoring 3 met, 15 points (5 missing), people 6 met
    path = f"people/{org.member.uuid}/progress/what-if"
    response = api_client("member").post(path, {"milestones": {"mentoring": 3}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["points"] == 10 and body["level_code"] == "E2"
    assert body["track_level"]["code"] == "E2" and body["titles"] == ["Engineer II"]
    ready = body["next"]
    assert ready["level"] == "E3" and ready["points_missing"] == 5
    met = {(r["kind"], r["key"]): r["met"] for r in ready["requirements"]}
    assert met == {
        ("milestone", "coding"): False,
        ("milestone", "testing"): False,
        ("milestone", "mentoring"): True,
        ("min_points", ""): False,
        ("category_points", "people"): True,
    }
    # lowering a skill to 0 counts too: coding 0 leaves testing's 1 point
    lower = api_client("member").post(path, {"milestones": {"coding": 0}}).json()
    assert lower["points"] == 1 and lower["track_level"] is None and lower["next"]["level"] == "E1"
    real = api_client("member").get(f"people/{org.member.uuid}/progress").json()
    assert real["points"] == 4


@pytest.mark.parametrize(
    ("milestones", "field"),
    [
        ({"cooking": 1}, "body.milestones.cooking"),
        ({"testing": 3}, "body.milestones.testing"),
        ({"coding": -1}, "body.milestones.coding"),
        ({"coding": "lots"}, "body.milestones.coding"),
    ],
)
def test_what_if_validation(api_client, org: Org, milestones, field: str) -> None:
    response = api_client("manager").post(
        f"people/{org.member.uuid}/progress/what-if", {"milestones": milestones}
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(("persona", "status"), VIEW.items())
def test_who_may_ask_what_if(api_client, org: Org, persona: str, status: int) -> None:
    path = f"people/{org.member.uuid}/progress/what-if"
    assert api_client(persona).post(path, {"milestones": {}}).status_code == status
    assert api_client("anonymous").post(path, {"milestones": {}}).status_code == 401
    # a POST, so the foundation refuses read-only tokens before scoring
    assert api_client("member", read_only=True).post(path, {"milestones": {}}).status_code == 403


# --- the manager's dashboard ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "rows"),
    [("admin", 0), ("editor", 0), ("manager", 1), ("member", 0)],
)
def test_dashboard_lists_the_people_below(
    api_client, org: Org, progressed, persona: str, rows: int
) -> None:
    response = api_client(persona).get("me/reports")
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def test_dashboard_refuses_outsiders_and_anonymous(api_client, org: Org) -> None:
    assert api_client("outsider").get("me/reports").status_code == 403
    assert api_client("anonymous").get("me/reports").status_code == 401


def test_dashboard_row(api_client, org: Org, progressed) -> None:
    row = api_client("manager").get("me/reports").json()["results"][0]
    assert row["person"]["name"] == "Member" and row["team"] == "core"
    assert (row["track"], row["level"], row["points"]) == ("ic", "E1", 4)
    # the level after the position's E1 is E2: coding 2 and testing 1 met, 5 points not
    assert row["next_level"] == {
        "level": "E2",
        "ready": False,
        "met": 2,
        "total": 3,
        "points_missing": 1,
    }
    assert row["last_checkin"] is None and row["overdue"] is True and row["waiting"] == []


def test_dashboard_pages_and_stays_flat(
    api_client, org: Org, django_assert_max_num_queries
) -> None:
    def hire(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = Person.objects.create(
                name=f"Report {i:02}", email=f"r{i}@example.com", manager=org.manager
            )
            place(person, org.framework, "E1")
            _certify(org, person, "coding", 1)

    client = api_client("manager")
    hire(2, 0)  # with the member: 3 rows
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("me/reports").json()["results"]) == 3
    hire(27, 2)
    with django_assert_max_num_queries(len(few)):
        assert len(client.get("me/reports").json()["results"]) == 30
    assert len(few) <= 15
    names: list[str] = []
    page = client.get("me/reports", page_size=12).json()
    while True:
        names += [r["person"]["name"] for r in page["results"]]
        if not page["next"]:
            break
        page = client.client.get(page["next"], headers=client.headers).json()
    assert len(names) == len(set(names)) == 30 and names == sorted(names)
