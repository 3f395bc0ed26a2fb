"""Query counts of the organisation pages must not grow with the number of people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ladders.frameworks.starter import load_starter
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person, Team
from tests.org.conftest import make_person, make_position

pytestmark = pytest.mark.django_db


def grow(count: int, framework: Framework, boss: Person, offset: int) -> None:
    """Add `count` people in new teams under `boss`, each with a past and a current position."""
    today = timezone.localdate()
    for i in range(offset, offset + count):
        team = Team.objects.create(name=f"Team {i}", slug=f"team-{i}")
        lead = make_person(f"Lead {i}", team=team, manager=boss)
        make_position(lead, framework, "manager", "M1", today - timedelta(days=30 + i))
        person = make_person(f"Person {i}", team=team, manager=lead)
        make_position(
            person,
            framework,
            "engineer",
            "IC1",
            today - timedelta(days=300),
            today - timedelta(days=61),
        )
        make_position(person, framework, "engineer", "IC2", today - timedelta(days=60))


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["member", "admin"])
@pytest.mark.parametrize(
    "url", ["/people/", "/people/?team=team-0", "/people/{boss}/", "/teams/", "/teams/team-0/"]
)
def test_query_count_does_not_grow_with_people(
    url: str, persona: str, persona_client: Callable[[str], Client], starter: Framework
) -> None:
    boss = make_person("Big Boss")
    make_position(boss, starter, "manager", "M3", timezone.localdate() - timedelta(days=10))
    client = persona_client(persona)
    url = url.format(boss=boss.uuid)
    grow(3, starter, boss, 0)
    small = count_queries(client, url)
    # A new version: the new positions point at it, the older ones at the first.
    framework_publish(document=load_starter().framework.model_copy(update={"description": "v2"}))
    grow(9, starter, boss, 3)
    large = count_queries(client, url)
    assert small <= 16, f"{url} took {small} queries"
    assert large == small, f"{url} took {small} queries for a few people and {large} for more"


def test_person_page_history_is_flat_in_queries(
    persona_client: Callable[[str], Client], starter: Framework
) -> None:
    person = make_person("Long Career")
    client = persona_client("member")
    today = timezone.localdate()
    make_position(
        person,
        starter,
        "engineer",
        "IC1",
        today - timedelta(days=1000),
        today - timedelta(days=900),
    )
    small = count_queries(client, f"/people/{person.uuid}/")
    for i in range(8):
        start = today - timedelta(days=899 - i * 100)
        make_position(
            person,
            starter,
            "engineer",
            f"IC{(i % 5) + 1}",
            start,
            start + timedelta(days=99) if i < 7 else None,
        )
    large = count_queries(client, f"/people/{person.uuid}/")
    assert large == small
