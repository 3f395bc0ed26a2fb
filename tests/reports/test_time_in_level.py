"""The time-in-level page and CSV, on the organisation of test_distribution:

    manager  Payments  IC3 for 600 days                         19.7 months
    member   Payments  IC1 for 400 days (moved up), IC2 for 500  16.4 months at IC2
    Rosa     Payments  IC1 for 800 days                         26.3 months
    Olga     Platform  IC4 for 900 days (admins only)           29.6 months

One move up from IC1 (the member's 400 days) is fewer than three, so every level uses the
24-month rule: Rosa and Olga are past it. Months are days / 30.4375, to one decimal.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ladders.library.models import Framework
from ladders.org.models import Person
from tests.conftest import PERSONAS
from tests.reports.test_distribution import (
    ALLOWED,
    TRACK,
    Clients,
    People,
    build_org,
    grow,
    place,
)
from tests.reports.test_distribution import _count as count_queries
from tests.reports.test_distribution import read_csv as csv_rows

PAGE, CSV = "/reports/time-in-level/", "/reports/time-in-level.csv"
HEADER = [
    "person",
    "team",
    "track",
    "level",
    "started_on",
    "months_in_level",
    "usual_months",
    "rule",
    "past_typical",
]


@pytest.fixture
def org(people: People) -> Framework:
    return build_org(people)


def _past_section(html: str) -> str:
    return html.split('id="past-typical"', 1)[1].split("</table>", 1)[0]


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


def test_the_csv_lists_everyone_at_a_level_now(persona_client: Clients, org: Framework) -> None:
    response = persona_client("manager").get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(response)
    assert rows[0] == HEADER
    body = [[r[0], r[1], r[2], r[3], r[5], r[6], r[7], r[8]] for r in rows[1:]]
    rule = "24-month rule"
    assert body == [
        ["Rosa", "Payments", "engineer", "IC1", "26.3", "24.0", rule, "yes"],
        ["Member", "Payments", "engineer", "IC2", "16.4", "24.0", rule, "no"],
        ["Manager", "Payments", "engineer", "IC3", "19.7", "24.0", rule, "no"],
    ]
    admin = [r[0] for r in csv_rows(persona_client("admin").get(CSV))[1:]]
    assert admin == ["Rosa", "Member", "Manager", "Olga"]


def test_a_manager_sees_their_people_past_the_usual_time(
    persona_client: Clients, org: Framework
) -> None:
    html = persona_client("manager").get(PAGE).content.decode()
    past = _past_section(html)
    assert "Rosa" in past and "26.3" in past and "24-month rule" in past
    assert 'class="rp-past"' in past
    assert "Member" not in past and "Manager</a>" not in past
    assert "Olga" not in html  # not in the manager's chain: not in any table or chart


def test_an_admin_sees_everyone_past_it_furthest_first(
    persona_client: Clients, org: Framework
) -> None:
    html = persona_client("admin").get(PAGE).content.decode()
    past = _past_section(html)
    names = re.findall(r'rp-past">\s*<td data-label="Person"><a href="[^"]+">(\w+)</a>', past)
    assert names == ["Olga", "Rosa"]  # 169.5 and 69.5 days past 24 months
    # Rosa's manager is named so the admin knows whose conversation it is
    assert re.search(r"Rosa</a></td>\s*<td[^>]*>Payments</td>\s*<td[^>]*>Manager</td>", past)


def test_the_level_table_and_chart(persona_client: Clients, org: Framework) -> None:
    html = persona_client("manager").get(PAGE).content.decode()
    assert "<title>Engineer (Ladders starter framework): months in each level</title>" in html
    assert "<title>Rosa: 26.3 months</title>" in html
    # one move up (the member's 400 days): its "median" would be that person's own time
    assert "IC1: median before moving up not shown (1 moves up, fewer than 3)" in html
    assert "months over 1 moves up" not in html
    ic1 = re.search(r"<th scope=\"row\">IC1.*?</tr>", html, re.S)
    assert ic1 is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', ic1.group(0))
    # people now, median so far, moves up, median before moving up, usual time, past it
    assert cells[:5] == ["1", "26.3", "1", "–", "24.0"]


def test_three_moves_up_make_the_median_the_usual_time(
    persona_client: Clients, people: People, org: Framework
) -> None:
    manager = people["manager"]
    assert manager is not None
    grow(org, manager, 3, 0)  # three more people who left IC1 after 400 days
    rows = csv_rows(persona_client("manager").get(CSV))
    rosa = next(r for r in rows if r[0] == "Rosa")
    assert (rosa[5], rosa[6], rosa[7], rosa[8]) == ("26.3", "13.1", "median of moves up", "yes")
    html = persona_client("manager").get(PAGE).content.decode()
    assert "median of moves up" in _past_section(html)


def test_the_usual_time_is_the_whole_organisations_for_every_viewer(
    persona_client: Clients, people: People, org: Framework
) -> None:
    """Three people outside the manager's chain (under nobody, so only admins see them) moved
    up from IC1 after 900 days (IC1 from 1300 to 401 days ago). With the member's 400 days the
    organisation has four moves up from IC1: median (900 + 900) / 2 = 900 days = 29.6 months.
    Rosa, 800 days (26.3 months) at IC1, is therefore NOT past the usual time, for the admin
    and for the manager alike (the manager's chain alone, one move up, would have left the
    24-month rule and put her past it)."""
    for i in range(3):
        person = Person.objects.create(name=f"Out{i}", email=f"out{i}@example.com")
        place(person, org, "IC1", 1300, 401)
        place(person, org, "IC2", 400)
    for persona in ("manager", "admin"):
        rows = {r[0]: r for r in csv_rows(persona_client(persona).get(CSV))[1:]}
        assert rows["Rosa"][5:] == ["26.3", "29.6", "median of moves up", "no"], persona
    manager = persona_client("manager").get(PAGE).content.decode()
    assert "Out0" not in manager  # their stays count towards the median, they are not listed
    ic1 = re.search(r"<th scope=\"row\">IC1.*?</tr>", manager, re.S)
    assert ic1 is not None
    # people now (Rosa only), median so far, moves up (4, organisation-wide), their median
    assert re.findall(r'<td class="num">(.*?)</td>', ic1.group(0))[:5] == [
        "1",
        "26.3",
        "4",
        "29.6",
        "29.6",
    ]
    assert "Nobody here has been at their level longer than the usual time." in manager


def test_filters(persona_client: Clients, org: Framework) -> None:
    admin = persona_client("admin")
    rows = csv_rows(admin.get(CSV, {"team": "platform"}))
    assert [r[0] for r in rows[1:]] == ["Olga"]
    assert admin.get(PAGE, {"track": TRACK}).status_code == 200
    assert admin.get(PAGE, {"track": "x:y"}).status_code == 404
    assert persona_client("manager").get(CSV, {"team": "platform"}).status_code == 404


@pytest.mark.parametrize("persona", ["admin", "manager"])
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_queries_do_not_grow_with_people(
    url: str, persona: str, persona_client: Clients, people: People, org: Framework
) -> None:
    manager = people["manager"]
    assert manager is not None
    client = persona_client(persona)
    grow(org, manager, 3, 0)
    few = count_queries(client, url)
    grow(org, manager, 27, 3)
    assert count_queries(client, url) == few


def test_query_count(
    persona_client: Clients, org: Framework, django_assert_num_queries: object
) -> None:
    client = persona_client("admin")
    client.get(PAGE)
    # session, user, person, people, positions, latest framework documents
    with django_assert_num_queries(6):  # type: ignore[operator]
        assert client.get(PAGE).status_code == 200
