"""The calibration report: the numbers on hand-built check-ins, who sees which managers, the
page, the CSV, the chart and the query count.

The organisation (admin at the top):

    admin ── manager (A) ── member, Ann, Gone (inactive), Bea (B) ── Ben, Bo
          └─ Cal (C) ── Cy, Cleo

Agreed check-ins on skills s0, s1, s2 (self → manager):
    A:  member (E1) 2,3,3 → 3,3,4   diffs 1,0,1     Ann (E2) 1,2,2 → 2,3,2   diffs 1,1,0
    B:  Ben (E1)    3,3,3 → 2,2,3   diffs -1,-1,0   Bo (E2)  2,2,2 → 1,1,1   diffs -1,-1,-1
    C:  Cy (E1)     2,2,2 → 2,2,2   diffs 0,0,0     Cleo (E2) 1,2,3 → 1,2,3  diffs 0,0,0
Not counted: Ann's open check-in (manager rating not submitted) and Gone's (inactive), both
rated 0,0,0 → 4,4,4, which would swing A's numbers if they leaked in.

By hand:
    A: mean difference 4/6 = +0.67, spread (population sd) 0.47, mean rating 17/6 = 2.83
    B: mean difference -5/6 = -0.83, spread 0.37, mean rating 10/6 = 1.67
    C: 0.00, 0.00, mean rating 2.00
    org: 18 paired ratings, mean difference -1/18 = -0.06
Vs other managers (rating minus the other managers' mean at the same skill and level):
    A: member E1 vs (Ben 2,2,3; Cy 2,2,2) → 3-2, 3-2, 4-2.5; Ann E2 vs (Bo 1,1,1; Cleo 1,2,3)
       → 2-1, 3-1.5, 2-2 → (1+1+1.5+1+1.5+0)/6 = +1.00
    B: Ben vs (3,3,4; 2,2,2) → -0.5,-0.5,0; Bo vs (2,3,2; 1,2,3) → -0.5,-1.5,-1.5 → -0.75
    C: Cy vs (3,3,4; 2,2,3) → -0.5,-0.5,-1.5; Cleo vs (2,3,2; 1,1,1) → -0.5,0,+1.5 → -0.25
Outliers (each vs the other two; spread = sample sd of their means, at least 0.25):
    A: others -0.833, 0 → mean -0.417, spread 0.589 → distance (0.667+0.417)/0.589 = +1.84 flagged
    B: others 0.667, 0 → mean 0.333, spread 0.471 → distance -2.47 flagged
    C: others 0.667, -0.833 → mean -0.083, spread 1.061 → distance +0.08 not flagged
Bo held E2 on the check-in date and E3 since: the E2 comparison is the one that counts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ladders.checkins import services as checkins
from ladders.checkins.models import CheckIn, CheckInRating, CheckInState, RaterRole
from ladders.frameworks.loader import framework_from_data
from ladders.library.models import FrameworkVersion
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position
from ladders.reports.calibration import calibration_report, calibration_svg, signed
from tests.conftest import PERSONAS

People = dict[str, Person | None]
Clients = Callable[[str], Client]
PAGES = ["report-calibration", "report-calibration-csv"]
ALLOWED = {"admin": 200, "editor": 403, "manager": 200, "member": 403, "outsider": 403}
AS_OF = date(2026, 2, 1)


def framework_data() -> dict[str, Any]:
    return {
        "schema": "ladders/v1",
        "key": "calib",
        "name": "Calibration test framework",
        "categories": [{"key": "craft", "name": "Craft"}],
        "skills": [
            {
                "key": f"s{i}",
                "name": f"Skill {i}",
                "category": "craft",
                "milestones": [{"number": n, "summary": f"Step {i}.{n}"} for n in (1, 2, 3, 4)],
            }
            for i in range(3)
        ],
        "tracks": [
            {
                "key": "engineer",
                "name": "Engineer",
                "levels": [{"code": "E1"}, {"code": "E2"}, {"code": "E3"}],
            }
        ],
    }


def place(
    person: Person, version: FrameworkVersion, level: str, start: date, end: date | None = None
) -> None:
    Position.objects.create(
        person=person,
        framework=version.framework,
        version=version,
        track_key="engineer",
        level_code=level,
        started_on=start,
        ended_on=end,
    )


def rated(
    person: Person,
    version: FrameworkVersion,
    own: list[int],
    manager: list[int],
    state: str = CheckInState.AGREED,
    as_of: date = AS_OF,
) -> CheckIn:
    """A check-in with these self and manager milestones for s0, s1, s2, written directly so
    the numbers are exactly the ones stated above."""
    check_in = CheckIn.objects.create(
        person=person,
        framework=version.framework,
        version=version,
        snapshot=version.document,
        as_of=as_of,
        state=state,
        agreed_at=timezone.now() if state == CheckInState.AGREED else None,
    )
    CheckInRating.objects.bulk_create(
        CheckInRating(check_in=check_in, skill_key=f"s{i}", rater_role=role, milestone=m)
        for role, values in ((RaterRole.SELF, own), (RaterRole.MANAGER, manager))
        for i, m in enumerate(values)
    )
    return check_in


def _p(people: People, name: str) -> Person:
    person = people[name]
    assert person is not None
    return person


def publish() -> FrameworkVersion:
    return framework_publish(document=framework_from_data(framework_data()))


@pytest.fixture
def version(db: None) -> FrameworkVersion:
    return publish()


@pytest.fixture
def org(people: People, version: FrameworkVersion) -> dict[str, Person]:
    return build_org(people, version)


def build_org(people: People, version: FrameworkVersion) -> dict[str, Person]:
    admin, manager, member = _p(people, "admin"), _p(people, "manager"), _p(people, "member")
    manager.manager = admin
    manager.save()

    def person(name: str, boss: Person, **kw: Any) -> Person:
        return Person.objects.create(name=name, email=f"{name.lower()}@x.test", manager=boss, **kw)

    ann = person("Ann", manager)
    gone = person("Gone", manager, is_active=False)
    bea = person("Bea", manager)
    ben, bo = person("Ben", bea), person("Bo", bea)
    cal = person("Cal", admin)
    cy, cleo = person("Cy", cal), person("Cleo", cal)
    start = date(2025, 1, 1)
    for who, level in [(member, "E1"), (ann, "E2"), (ben, "E1"), (cy, "E1"), (cleo, "E2")]:
        place(who, version, level, start)
    place(gone, version, "E1", start)
    place(bo, version, "E2", start, date(2026, 3, 1))
    place(bo, version, "E3", date(2026, 3, 2))
    rated(member, version, [2, 3, 3], [3, 3, 4])
    rated(ann, version, [1, 2, 2], [2, 3, 2])
    rated(ben, version, [3, 3, 3], [2, 2, 3])
    rated(bo, version, [2, 2, 2], [1, 1, 1])
    rated(cy, version, [2, 2, 2], [2, 2, 2])
    rated(cleo, version, [1, 2, 3], [1, 2, 3])
    # neither of these may count
    rated(ann, version, [0, 0, 0], [4, 4, 4], state=CheckInState.SELF_DONE)
    rated(gone, version, [0, 0, 0], [4, 4, 4])
    return {"A": manager, "B": bea, "C": cal}


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def _rows(report: Any) -> dict[str, Any]:
    return {r.manager.name: r for r in report.rows}


# --- the numbers ---------------------------------------------------------------------------------


def test_mean_difference_spread_and_counts(org: dict[str, Person]) -> None:
    report = calibration_report(user=user("admin"))
    rows = _rows(report)
    assert set(rows) == {"Manager", "Bea", "Cal"}
    a, b, c = rows["Manager"], rows["Bea"], rows["Cal"]
    assert (a.people, a.check_ins, a.ratings) == (2, 2, 6)
    assert a.mean_difference == pytest.approx(4 / 6)
    assert a.spread == pytest.approx(0.4714, abs=1e-4)
    assert a.mean_rating == pytest.approx(17 / 6)
    assert b.mean_difference == pytest.approx(-5 / 6)
    assert b.spread == pytest.approx(0.3727, abs=1e-4)
    assert b.mean_rating == pytest.approx(10 / 6)
    assert (c.mean_difference, c.spread, c.mean_rating) == (0, 0, 2)
    assert (a.leaning, b.leaning, c.leaning) == ("lenient", "severe", "in line")
    assert report.org_ratings == 18
    assert report.org_mean_difference == pytest.approx(-1 / 18)
    assert (report.org_managers, report.taking_part) == (3, 3)


def test_delta_against_other_managers_at_the_same_skill_and_level(org: dict[str, Person]) -> None:
    rows = _rows(calibration_report(user=user("admin")))
    assert rows["Manager"].compared == 6
    assert rows["Manager"].delta_vs_org == pytest.approx(1.0)
    assert rows["Bea"].delta_vs_org == pytest.approx(-0.75)
    assert rows["Cal"].delta_vs_org == pytest.approx(-0.25)


def test_outliers_are_judged_against_the_other_managers(org: dict[str, Person]) -> None:
    rows = _rows(calibration_report(user=user("admin")))
    a, b, c = rows["Manager"], rows["Bea"], rows["Cal"]
    assert a.others_mean == pytest.approx(-5 / 12)
    assert a.others_spread == pytest.approx(0.5893, abs=1e-4)
    assert a.distance == pytest.approx(1.8385, abs=1e-3)
    assert b.distance == pytest.approx(-2.4749, abs=1e-3)
    assert c.distance == pytest.approx(0.0786, abs=1e-3)
    assert (a.flagged, b.flagged, c.flagged) == (True, True, False)
    assert a.band == pytest.approx((-5 / 12 - 1.5 * 0.58926, -5 / 12 + 1.5 * 0.58926), abs=1e-4)


def test_nobody_is_flagged_with_fewer_than_three_managers_taking_part(
    org: dict[str, Person],
) -> None:
    CheckIn.objects.filter(person__manager=org["C"]).delete()
    report = calibration_report(user=user("admin"))
    assert report.taking_part == 2
    assert not report.flagged
    assert all(r.distance is None for r in report.rows)


def test_a_manager_with_fewer_than_five_ratings_does_not_take_part(
    org: dict[str, Person],
) -> None:
    CheckIn.objects.filter(person__name="Cleo").delete()  # Cal keeps 3 ratings
    rows = _rows(calibration_report(user=user("admin")))
    assert rows["Cal"].ratings == 3
    assert not rows["Cal"].taking_part
    assert rows["Manager"].distance is None  # only two managers take part now


def test_a_manager_sees_their_own_row_and_the_managers_below(org: dict[str, Person]) -> None:
    report = calibration_report(user=user("manager"))
    assert set(_rows(report)) == {"Manager", "Bea"}
    bea = _rows(report)["Bea"]
    # Bea is still judged against the organisation (flagged, as for the admin), but the only
    # manager the viewer cannot see is Cal: the others' figures would give Cal's away
    assert (bea.flagged, bea.others_mean, bea.others_spread, bea.distance) == (
        True,
        None,
        None,
        None,
    )
    assert (bea.comparison_hidden, bea.delta_hidden, bea.delta_vs_org) == (True, True, None)
    assert (report.org_ratings, report.org_mean_difference, report.org_hidden) == (None, None, True)
    assert (bea.mean_difference, bea.ratings) == (pytest.approx(-5 / 6), 6)  # her own figures


def test_check_ins_written_by_the_services_count(people: People, version: FrameworkVersion) -> None:
    member = _p(people, "member")
    place(member, version, "E1", date(2025, 1, 1))
    check_in = checkins.checkin_create(person=member, actor=user("member"), as_of=AS_OF)
    own = {f"s{i}": (m, "") for i, m in enumerate([1, 2, 3])}
    boss = {f"s{i}": (m, "") for i, m in enumerate([2, 2, 1])}
    checkins.checkin_rate(check_in=check_in, rater_role="self", ratings=own, actor=user("member"))
    checkins.checkin_submit_self(check_in=check_in, actor=user("member"))
    checkins.checkin_rate(
        check_in=check_in, rater_role="manager", ratings=boss, actor=user("manager")
    )
    assert calibration_report(user=user("manager")).rows == []  # not submitted yet
    checkins.checkin_submit_manager(check_in=check_in, actor=user("manager"))
    (row,) = calibration_report(user=user("manager")).rows
    # diffs +1, 0, -2 → mean -1/3
    assert (row.manager.name, row.ratings) == ("Manager", 3)
    assert row.mean_difference == pytest.approx(-1 / 3)


def test_a_rating_stays_with_the_manager_who_gave_it_after_a_reorganisation(
    people: People, version: FrameworkVersion
) -> None:
    member, manager, editor = _p(people, "member"), _p(people, "manager"), _p(people, "editor")
    place(member, version, "E1", date(2025, 1, 1))
    check_in = checkins.checkin_create(person=member, actor=user("member"), as_of=AS_OF)
    own = {f"s{i}": (m, "") for i, m in enumerate([1, 2, 3])}
    boss = {f"s{i}": (m, "") for i, m in enumerate([2, 2, 1])}
    checkins.checkin_rate(check_in=check_in, rater_role="self", ratings=own, actor=user("member"))
    checkins.checkin_submit_self(check_in=check_in, actor=user("member"))
    checkins.checkin_rate(
        check_in=check_in, rater_role="manager", ratings=boss, actor=user("manager")
    )
    checkins.checkin_submit_manager(check_in=check_in, actor=user("manager"))
    assert check_in.ratings.filter(rater_role="manager").first().rated_by == manager
    # the member moves to the editor's team afterwards
    member.manager = editor
    member.save()
    (row,) = calibration_report(user=user("admin")).rows
    assert (row.manager.name, row.ratings) == ("Manager", 3)
    assert row.mean_difference == pytest.approx(-1 / 3)


def test_signed_formats_the_sign() -> None:
    assert [signed(x) for x in (2 / 3, -5 / 6, 0.0, -0.001, None)] == [
        "+0.67",
        "-0.83",
        "0.00",
        "0.00",
        "–",
    ]


def test_chart_draws_a_dot_per_manager_with_its_state(org: dict[str, Person]) -> None:
    svg = calibration_svg(calibration_report(user=user("admin")))
    assert svg.startswith("<svg") and "<title" in svg
    assert 'data-manager="Manager" data-state="flagged"' in svg
    assert 'data-manager="Bea" data-state="flagged"' in svg
    assert 'data-manager="Cal" data-state="judged"' in svg
    assert svg.count("<circle") == 3
    assert svg.count('class="band"') == 3
    assert "org mean -0.06" in svg


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_permissions(persona: str, page: str, persona_client: Clients, org: object) -> None:
    assert persona_client(persona).get(reverse(page)).status_code == ALLOWED[persona]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(page: str, org: object) -> None:
    response = Client().get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_page_shows_the_numbers_and_the_flags(persona_client: Clients, org: object) -> None:
    html = persona_client("admin").get(reverse("report-calibration")).content.decode()
    for text in ["+0.67", "-0.83", "+1.00", "-0.75", "-0.25", "18 skill ratings", "-0.06"]:
        assert text in html
    assert "2 flagged" in html
    assert "+1.84 spreads" in html and "-2.47 spreads" in html
    assert "more than 1.5 spreads" in html  # the rule is stated


def test_a_manager_does_not_see_managers_outside_their_chain(
    persona_client: Clients, org: object
) -> None:
    html = persona_client("manager").get(reverse("report-calibration")).content.decode()
    assert "Bea" in html and ">Cal<" not in html and 'data-manager="Cal"' not in html


def test_empty_page_says_what_is_missing(persona_client: Clients, people: People) -> None:
    html = persona_client("manager").get(reverse("report-calibration")).content.decode()
    assert "has submitted a check-in rating yet" in html
    assert "<svg" not in html


def test_csv(persona_client: Clients, org: object) -> None:
    response = persona_client("manager").get(reverse("report-calibration-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["manager"] for r in rows] == ["Bea", "Manager"]  # largest mean difference first
    bea, a = rows
    assert (a["ratings"], a["mean_difference"], a["spread"]) == ("6", "0.67", "0.47")
    # only Cal is outside the manager's chain: the comparisons would reveal Cal's figures
    assert (a["compared_ratings"], a["delta_vs_org"], a["others_mean"]) == ("", "", "")
    assert (bea["mean_difference"], bea["distance"], bea["flagged"]) == ("-0.83", "", "yes")
    admin = list(csv.DictReader(io.StringIO(client_csv(persona_client("admin")))))
    a = {r["manager"]: r for r in admin}["Manager"]
    assert (a["delta_vs_org"], a["others_mean"], a["others_spread"], a["distance"]) == (
        "1.00",
        "-0.42",
        "0.59",
        "1.84",
    )


def client_csv(client: Client) -> str:
    return str(client.get(reverse("report-calibration-csv")).content.decode())


# --- query count ---------------------------------------------------------------------------------


def _grow(version: FrameworkVersion, bosses: list[Person], start: int, stop: int) -> None:
    for n in range(start, stop):
        boss = bosses[n % len(bosses)]
        who = Person.objects.create(name=f"P{n}", email=f"p{n}@x.test", manager=boss)
        place(who, version, "E1", date(2025, 1, 1))
        rated(who, version, [1, 1, 1], [2, 1, 1])


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_flat(
    page: str, persona_client: Clients, org: dict[str, Person], version: FrameworkVersion
) -> None:
    client = persona_client("admin")
    _grow(version, list(org.values()), 0, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(page)).status_code == 200
    _grow(version, list(org.values()), 3, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(page)).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 12, [q["sql"][:80] for q in few.captured_queries]
