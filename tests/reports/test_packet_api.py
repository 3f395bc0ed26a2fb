"""GET /api/v1/people/{uuid}/packet: the promotion packet as JSON, on the hand-built case of
test_packet.py (its docstring states every number checked here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ladders.org.models import Person, Position
from tests.conftest import PERSONAS
from tests.reports.test_packet import case, p  # noqa: F401  (the fixture)
from tests.reports.test_packet_queries import history

People = dict[str, Person | None]
Api = Callable[..., Any]

# the page's rule (person, chain, admins); everyone else is told the person does not exist
STATUS = {"admin": 200, "editor": 404, "manager": 200, "member": 200, "outsider": 404}
PRIVATE = "Quietly fixed the flaky payment tests."


def url(person: Person) -> str:
    return f"people/{person.uuid}/packet"


def error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["code"] == code
    return str(body["message"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(persona: str, api_client: Api, case: dict[str, Any]) -> None:  # noqa: F811
    response = api_client(persona).get(url(case["member"]))
    assert response.status_code == STATUS[persona]
    if response.status_code == 404:
        assert "No such person" in error(response, 404, "not_found")
    else:
        assert response.json()["name"] == "Member"


def test_anonymous_is_401(api_client: Api, case: dict[str, Any]) -> None:  # noqa: F811
    error(api_client("anonymous").get(url(case["member"])), 401, "unauthenticated")


def test_unknown_person_is_404(api_client: Api, case: dict[str, Any]) -> None:  # noqa: F811
    response = api_client("admin").get("people/00000000-0000-0000-0000-000000000000/packet")
    error(response, 404, "not_found")


def test_packet_says_what_the_page_says(api_client: Api, case: dict[str, Any]) -> None:  # noqa: F811
    body = api_client("manager").get(url(case["member"])).json()
    assert (body["track"], body["level"], body["current_level"]) == ("eng", "E2", "E1")
    assert (body["ready"], body["points"], body["points_missing"], body["met"]) == (
        False,
        6,
        2,
        2,
    )
    assert (body["attainment_count"], body["observation_count"]) == (5, 4)
    assert [
        (
            r["label"],
            r["actual"],
            r["required"],
            r["met"],
            r["attainment_count"],
            r["observation_count"],
        )
        for r in body["requirements"]
    ] == [
        ("Design at milestone 2", 2, 2, True, 2, 2),
        ("Testing at milestone 2", 1, 2, False, 1, 1),
        ("Mentoring at milestone 1", 1, 1, True, 1, 0),
        ("8 points in total", 6, 8, False, 0, 0),
        ("6 points in Craft", 4, 6, False, 3, 3),
    ]
    assert body["requirements"][4]["skills"] == ["design", "testing"]
    # Craft: design 3 + testing 1 of 6 + 6; People: mentoring 1 + hiring 1 of 6 + 3
    categories = body["requirements"][3]["categories"]
    assert [(c["key"], c["points"], c["most"]) for c in categories] == [
        ("craft", 4, 12),
        ("people", 2, 9),
    ]
    skills = {s["skill"]: s for s in body["skills"]}
    assert list(skills) == ["design", "testing", "mentoring", "hiring"]
    design = skills["design"]
    assert [a["milestone"] for a in design["attainments"]] == [1, 2]
    assert design["attainments"][1]["evidence"][0]["text"] == (
        "**Led** the cache design. <script>alert(1)</script>"
    )
    assert [o["text"] for o in design["observations"]] == ["Wrote the design note for search."]
    assert skills["hiring"]["attainments"][0]["evidence"][0]["author"] == "Editor"
    assert [c["as_of"] for c in body["check_ins"]] == ["2026-05-01", "2026-03-01", "2026-01-10"]
    assert body["check_ins"][1]["agreed"][0] == {
        "skill": "design",
        "name": "Design",
        "milestone": 2,
    }
    assert body["check_ins"][0]["agreed"] == [] and body["check_ins"][0]["state"] == "draft"
    assert body["latest_summary"] == "Ready to lead design work."


@pytest.mark.parametrize("persona", ["admin", "manager", "member"])
def test_entitled_callers_get_the_private_observation(
    persona: str,
    api_client: Api,
    case: dict[str, Any],  # noqa: F811
) -> None:
    body = api_client(persona).get(url(case["member"])).json()
    testing = next(s for s in body["skills"] if s["skill"] == "testing")
    evidence = testing["attainments"][0]["evidence"]
    assert [(o["text"], o["visibility"]) for o in evidence] == [(PRIVATE, "private")]


def test_target_is_chosen_with_query_parameters(api_client: Api, case: dict[str, Any]) -> None:  # noqa: F811
    body = api_client("manager").get(url(case["member"]), track="eng", level="E3").json()
    assert body["level"] == "E3" and body["met"] == 0
    assert [r["label"] for r in body["requirements"]] == [
        "Design at milestone 3",
        "Testing at milestone 3",
        "Mentoring at milestone 2",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"track": "nope"}, "has no track 'nope'"),
        ({"level": "Z9"}, "Engineering has no level 'Z9'; its levels are: E1, E2, E3."),
        ({"track": "eng", "level": "L1"}, "L1 is on Leadership: choose that track."),
    ],
)
def test_unknown_track_or_level_is_400(
    params: dict[str, str],
    message: str,
    api_client: Api,
    case: dict[str, Any],  # noqa: F811
) -> None:
    response = api_client("manager").get(url(case["member"]), **params)
    assert message in error(response, 400, "bad_request")


def test_top_of_the_track_without_a_level_is_400(api_client: Api, case: dict[str, Any]) -> None:  # noqa: F811
    Position.objects.filter(person=case["member"]).update(level_code="E3")
    response = api_client("manager").get(url(case["member"]))
    assert "at the top of Engineering" in error(response, 400, "bad_request")


@pytest.mark.parametrize("n", [3, 30])
def test_queries_stay_flat(
    n: int, people: People, api_client: Api, django_assert_max_num_queries: Any
) -> None:
    member = history(people, n)
    client = api_client("manager")
    # the token (2: lookup and last-used stamp), the subject, then the selector's 11 = 14
    with django_assert_max_num_queries(14):
        response = client.get(url(member))
    assert response.json()["observation_count"] == n
