"""The level distribution page and CSV: who may see them, what they count, and their queries.

The organisation (`org`), dates relative to today so every quarter end of the report falls
inside the same positions (the last four quarter ends are at most 457 days back):

    manager  Payments  IC3 from 600 days ago
    member   Payments  IC1 900 .. 501 days ago, then IC2 from 500 days ago (reports to manager)
    Rosa     Payments  IC1 from 800 days ago (reports to manager)
    Olga     Platform  IC4 from 900 days ago (nobody's report: admins only)
    admin, editor: no position

The manager's report covers manager, member and Rosa; an admin's covers everyone.
"""

from __future__ import annotations

import csv
import io
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
from ladders.org.models import Person, Position, Team
from tests.conftest import PERSONAS

People = dict[str, Person | None]
Clients = Callable[[str], Client]
PAGE, CSV = "/reports/levels/", "/reports/levels.csv"
ALLOWED = {"admin": 200, "editor": 403, "manager": 200, "member": 403, "outsider": 403}
TRACK = "ladders-starter:engineer"


def place(
    person: Person,
    framework: Framework,
    level: str,
    start: int,
    end: int | None = None,
    track: str = "engineer",
) -> None:
    """A position from `start` days ago to `end` days ago (open when None)."""
    today = timezone.localdate()
    Position.objects.create(
        person=person,
        framework=framework,
        version=framework.versions.get(),
        track_key=track,
        level_code=level,
        started_on=today - timedelta(days=start),
        ended_on=today - timedelta(days=end) if end is not None else None,
    )


def build_org(people: People) -> Framework:
    starter = framework_publish(document=load_starter().framework).framework
    payments = Team.objects.create(slug="payments", name="Payments")
    platform = Team.objects.create(slug="platform", name="Platform")
    manager, member = people["manager"], people["member"]
    assert manager is not None and member is not None
    Person.objects.filter(pk__in=[manager.pk, member.pk]).update(team=payments)
    rosa = Person.objects.create(
        name="Rosa", email="rosa@example.com", team=payments, manager=manager
    )
    olga = Person.objects.create(name="Olga", email="olga@example.com", team=platform)
    place(manager, starter, "IC3", 600)
    place(member, starter, "IC1", 900, 501)
    place(member, starter, "IC2", 500)
    place(rosa, starter, "IC1", 800)
    place(olga, starter, "IC4", 900)
    return starter


def grow(framework: Framework, boss: Person, count: int, offset: int) -> None:
    """`count` more people under `boss`, each in a new team with a past and a current level."""
    for i in range(offset, offset + count):
        team = Team.objects.create(slug=f"team-{i}", name=f"Team {i}")
        person = Person.objects.create(
            name=f"P{i}", email=f"p{i}@example.com", team=team, manager=boss
        )
        place(person, framework, "IC1", 700, 301)
        place(person, framework, "IC2", 300)


def read_csv(response: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))  # type: ignore[attr-defined]


@pytest.fixture
def org(people: People) -> Framework:
    return build_org(people)


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_who_may_see_the_report(
    url: str, persona: str, persona_client: Clients, org: Framework
) -> None:
    assert persona_client(persona).get(url).status_code == ALLOWED[persona]


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_anonymous_visitors_are_sent_to_sign_in(url: str, org: Framework) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- what the page shows -------------------------------------------------------------------------


def test_admin_sees_every_team_with_the_levels_in_track_order(
    persona_client: Clients, org: Framework
) -> None:
    html = persona_client("admin").get(PAGE).content.decode()
    assert "4 people now" in html  # manager, member, Rosa, Olga
    assert "Platform" in html and "Payments" in html
    # IC1..IC6 in the framework's order, in the chart and the tables
    positions = [html.index(f">IC{n}<") for n in range(1, 7)]
    assert positions == sorted(positions)
    assert "<title>Engineer (Ladders starter framework): people at each level now</title>" in html
    assert "<title>Payments: 2 at IC1" not in html  # member left IC1 before every column
    assert "<title>Payments: 1 at IC1</title>" in html
    assert "<title>Platform: 1 at IC4</title>" in html


def test_a_manager_sees_only_their_own_people(persona_client: Clients, org: Framework) -> None:
    html = persona_client("manager").get(PAGE).content.decode()
    assert "3 people now" in html
    assert "Platform" not in html  # Olga's team: she is not in the manager's chain
    assert "at IC4" not in html


def test_the_csv_counts_per_team_and_level_with_quarter_columns(
    persona_client: Clients, org: Framework
) -> None:
    response = persona_client("manager").get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    assert rows[0][:4] == ["team", "track", "level", "now"]  # named as on the page
    assert len(rows[0]) == 8  # and four quarter ends, as dates
    assert all(len(col) == 10 and col[4] == "-" for col in rows[0][4:])
    # each of them held the same level at all four quarter ends
    assert rows[1:] == [
        ["Payments", "engineer", "IC1", "1", "1", "1", "1", "1"],
        ["Payments", "engineer", "IC2", "1", "1", "1", "1", "1"],
        ["Payments", "engineer", "IC3", "1", "1", "1", "1", "1"],
        ["Payments", "engineer", "IC4", "0", "0", "0", "0", "0"],  # zero rows, as on the page
        ["Payments", "engineer", "IC5", "0", "0", "0", "0", "0"],
        ["Payments", "engineer", "IC6", "0", "0", "0", "0", "0"],
    ]
    admin_rows = read_csv(persona_client("admin").get(CSV))[1:]
    assert ["Platform", "engineer", "IC4", "1", "1", "1", "1", "1"] in admin_rows
    # like the page, every level of the track for every team, nobody there included: the
    # starter's engineer track has 6 levels (IC1..IC6), times 2 teams = 12 rows
    assert len(admin_rows) == 12
    assert ["Platform", "engineer", "IC1", "0", "0", "0", "0", "0"] in admin_rows
    assert ["Payments", "engineer", "IC4", "0", "0", "0", "0", "0"] in admin_rows


def test_filters_by_team_and_track(persona_client: Clients, org: Framework) -> None:
    admin = persona_client("admin")
    html = admin.get(PAGE, {"team": "platform"}).content.decode()
    assert "1 person now" in html
    platform = read_csv(admin.get(CSV, {"team": "platform"}))[1:]
    assert [r[2:4] for r in platform] == [[f"IC{n}", "1" if n == 4 else "0"] for n in range(1, 7)]
    assert {r[0] for r in platform} == {"Platform"}
    assert admin.get(PAGE, {"track": TRACK}).status_code == 200
    assert "Engineering manager" not in admin.get(PAGE, {"track": TRACK}).content.decode()
    assert admin.get(PAGE, {"team": "nope"}).status_code == 404
    assert admin.get(CSV, {"track": "ladders-starter:nope"}).status_code == 404
    # a team with nobody in the manager's report is not theirs to filter on
    assert persona_client("manager").get(PAGE, {"team": "platform"}).status_code == 404


def test_the_filter_form_works_without_javascript(persona_client: Clients, org: Framework) -> None:
    html = persona_client("admin").get(PAGE).content.decode()
    assert '<form method="get" action="/reports/levels/"' in html
    assert '<option value="payments">Payments</option>' in html
    assert f'<option value="{TRACK}">Engineer (Ladders starter framework)</option>' in html
    assert '<button type="submit">Show</button>' in html


def test_nobody_with_a_position_says_so(persona_client: Clients, people: People) -> None:
    framework_publish(document=load_starter().framework)
    html = persona_client("manager").get(PAGE).content.decode()
    assert "Nobody in this report holds a position" in html


# --- queries -------------------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["admin", "manager"])
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_queries_do_not_grow_with_people(
    url: str, persona: str, persona_client: Clients, people: People, org: Framework
) -> None:
    manager = people["manager"]
    assert manager is not None
    client = persona_client(persona)
    grow(org, manager, 3, 0)
    few = _count(client, url)
    grow(org, manager, 27, 3)
    assert _count(client, url) == few


def test_query_count(
    persona_client: Clients, org: Framework, django_assert_num_queries: object
) -> None:
    client = persona_client("manager")
    client.get(PAGE)  # warm the framework document cache
    # session, user, person; the chain below the manager (2 queries: one per level of depth,
    # walked twice: once by the permission check and once for the scope); then people,
    # positions and the latest framework documents
    with django_assert_num_queries(10):  # type: ignore[operator]
        assert client.get(PAGE).status_code == 200
