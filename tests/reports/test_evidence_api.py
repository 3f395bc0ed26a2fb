"""GET /api/v1/reports/evidence on the attainments of test_evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ladders.library.models import Framework
from ladders.org.models import Person
from ladders.reports.evidence import months_before
from tests.reports.test_evidence import SECRET, Maker, People, build, publish

Api = Callable[..., Any]
PATH = "reports/evidence"
ALLOWED = {
    "admin": 200,
    "editor": 403,
    "manager": 200,
    "member": 403,
    "outsider": 403,
    "anonymous": 401,
}


@pytest.fixture
def framework(db: None) -> Framework:
    return publish()


@pytest.fixture
def made(people: People, framework: Framework) -> dict[str, Person]:
    return build(people, framework)


@pytest.mark.parametrize("persona", list(ALLOWED))
def test_persona_matrix(persona: str, api_client: Api, made: object) -> None:
    response = api_client(persona).get(PATH)
    assert response.status_code == ALLOWED[persona]
    if response.status_code == 403:
        assert response.json()["error"]["code"] == "forbidden"


def test_coverage_for_a_manager(api_client: Api, made: dict[str, Person]) -> None:
    response = api_client("manager").get(PATH)
    body = response.json()
    today = timezone.localdate()
    assert body["as_of"] == today.isoformat()
    assert body["cutoff"] == months_before(today, 12).isoformat()
    assert (body["attainments"], body["covered"]) == (6, 3)
    rows = [
        (r["name"], r["attainments"], r["without_evidence"], r["only_old"], r["covered"])
        for r in body["people"]
    ]
    assert rows == [("Member", 4, 1, 1, 2), ("Pat", 2, 1, 0, 1)]
    member = body["people"][0]
    assert member["person"] == str(made["member"].uuid)
    assert member["share"] == 0.5
    assert member["latest"] == (today - timedelta(days=20)).isoformat()
    assert body["bare"] == [str(made["manager"].uuid)]
    assert SECRET not in response.content.decode()


def test_query_count_is_flat(
    api_client: Api,
    made: dict[str, Person],
    framework: Framework,
    django_assert_max_num_queries: Any,
) -> None:
    client = api_client("manager")
    client.get(PATH)  # the first call records the token use; measure after it
    make = Maker(framework, made["manager"])

    def grow(start: int, stop: int) -> None:
        for n in range(start, stop):
            who = Person.objects.create(name=f"P{n}", email=f"p{n}@x.test", manager=made["member"])
            make.certify(who, "coding", 1, make.seen(who, "coding", n * 20))

    grow(0, 3)
    with django_assert_max_num_queries(16) as few:
        assert client.get(PATH).status_code == 200
    grow(3, 30)
    with django_assert_max_num_queries(16) as many:
        body = client.get(PATH).json()
    assert len(many) == len(few)
    assert len(body["people"]) == 2 + 30
