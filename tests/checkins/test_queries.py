from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.checkins.models import CheckIn
from ladders.checkins.services import checkin_create
from ladders.org.models import Person
from tests.checkins.conftest import give_position, publish, to_agreed, to_manager_done, user

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _check_in(person: Person, skills: int, key: str) -> CheckIn:
    give_position(person, publish(skills, key=key))
    return checkin_create(person=person, actor=user("member"), as_of=date(2026, 1, 1))


@pytest.mark.parametrize("state", ["draft", "manager_done", "agreed"])
def test_detail_is_flat_as_skills_grow(
    persona_client: Callable[[str], Client], people: dict[str, Person | None], state: str
) -> None:
    member = people["member"]
    assert member is not None
    counts = []
    for n, key in ((4, "small"), (12, "large")):
        member.positions.all().delete()
        CheckIn.objects.all().delete()
        check_in = _check_in(member, n, key)
        {"draft": lambda c: None, "manager_done": to_manager_done, "agreed": to_agreed}[state](
            check_in
        )
        for persona in ("member", "manager"):
            counts.append(
                (persona, _count(persona_client(persona), f"/check-ins/{check_in.uuid}/"))
            )
    assert counts[:2] == counts[2:]


def test_list_and_dashboard_are_flat_as_check_ins_grow(
    persona_client: Callable[[str], Client], people: dict[str, Person | None]
) -> None:
    member, manager = people["member"], people["manager"]
    assert member is not None and manager is not None
    give_position(member, publish(3))
    client = persona_client("manager")
    urls = [f"/people/{member.uuid}/check-ins/", "/check-ins/"]
    counts = []
    for rounds in (1, 3):
        CheckIn.objects.all().delete()
        for i in range(rounds):
            c = checkin_create(person=member, actor=user("member"), as_of=date(2026, 1, 1 + i))
            (to_agreed if i < rounds - 1 else to_manager_done)(c)
        for i in range(rounds):  # reports of the manager waiting for them
            report = Person.objects.create(
                name=f"Report {rounds}-{i}", email=f"r{rounds}-{i}@example.com", manager=manager
            )
            CheckIn.objects.create(
                person=report,
                framework=c.framework,
                version=c.version,
                snapshot=c.snapshot,
                as_of=date(2026, 2, 1),
                state="self_done",
            )
        counts.append([_count(client, url) for url in urls])
        assert client.get("/check-ins/").content.decode().count("Give your rating") == rounds
    assert counts[0] == counts[1]
