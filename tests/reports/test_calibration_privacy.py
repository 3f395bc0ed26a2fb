"""Calibration must not let a manager work out a colleague's own figures.

The organisation of test_calibration (managers A = the manager persona, Bea below A, and Cal
beside A under the admin), plus `n` more managers X1..Xn under the admin, each with one report
X<i>p rated twice (6 paired ratings, self 2,2,2 and manager 2,2,2: mean difference 0). The
manager persona sees A and Bea; everyone else is outside their chain.

With n = 3 the manager cannot see 4 managers (Cal, X1..X3): fewer than 5, so the others' mean
and spread, the distance, the comparison with other managers and the organisation's figures are
all withheld. Bea is flagged all the same (others A +0.667, Cal 0, X 0,0,0: mean 0.133, sample
sd 0.298, distance (-0.833 - 0.133) / 0.298 = -3.24).

With n = 4 the manager cannot see 5 managers (Cal, X1..X4), so everything is shown. By hand:
    Bea: others A +2/3, Cal 0, X1..X4 0 → mean (2/3)/6 = +0.111; sample sd
         sqrt(((5/9)^2 + 5 (1/9)^2) / 5) = sqrt(6/81) = 0.272 → distance
         (-5/6 - 1/9) / 0.272 = -3.47, flagged
    org: 18 + 4 x 6 = 42 paired ratings, differences summing to 4 - 5 = -1 → mean -1/42 = -0.024
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ladders.checkins.models import CheckInRating, RaterRole
from ladders.library.models import FrameworkVersion
from ladders.org.models import Person
from ladders.reports.calibration import calibration_report, versus_self
from tests.reports.test_calibration import People, build_org, place, publish, rated, user

Clients = Callable[[str], Client]
Api = Callable[..., Any]


@pytest.fixture
def version(db: None) -> FrameworkVersion:
    return publish()


def more_managers(people: People, version: FrameworkVersion, n: int) -> list[Person]:
    admin = people["admin"]
    added = []
    for i in range(1, n + 1):
        boss = Person.objects.create(name=f"X{i}", email=f"x{i}@x.test", manager=admin)
        who = Person.objects.create(name=f"X{i}p", email=f"x{i}p@x.test", manager=boss)
        place(who, version, "E1", date(2025, 1, 1))
        rated(who, version, [2, 2, 2], [2, 2, 2])
        rated(who, version, [2, 2, 2], [2, 2, 2], as_of=date(2025, 11, 1))
        added.append(boss)
    return added


def _rows(report: Any) -> dict[str, Any]:
    return {r.manager.name: r for r in report.rows}


def test_with_four_unseen_managers_the_comparisons_are_withheld(
    people: People, version: FrameworkVersion
) -> None:
    build_org(people, version)
    more_managers(people, version, 3)
    report = calibration_report(user=user("manager"))
    bea = _rows(report)["Bea"]
    assert (bea.others_mean, bea.others_spread, bea.distance, bea.band) == (None,) * 4
    assert (bea.flagged, bea.comparison_hidden) == (True, True)
    assert (bea.compared, bea.delta_vs_org, bea.delta_hidden) == (None, None, True)
    assert (report.org_mean_difference, report.org_ratings) == (None, None)
    # the admin keeps everything: Bea's distance -3.24
    admin = _rows(calibration_report(user=user("admin")))["Bea"]
    assert admin.distance == pytest.approx(-3.24, abs=0.01)
    assert admin.comparison_hidden is False


def test_with_five_unseen_managers_the_comparisons_are_shown(
    people: People, version: FrameworkVersion
) -> None:
    build_org(people, version)
    more_managers(people, version, 4)
    report = calibration_report(user=user("manager"))
    bea = _rows(report)["Bea"]
    assert bea.others_mean == pytest.approx(1 / 9)
    assert bea.others_spread == pytest.approx(0.2722, abs=1e-4)
    assert bea.distance == pytest.approx(-3.47, abs=0.01)
    assert (bea.flagged, bea.comparison_hidden, bea.delta_hidden) == (True, False, False)
    assert bea.delta_vs_org is not None
    assert report.org_ratings == 42
    assert report.org_mean_difference == pytest.approx(-1 / 42)


def test_the_page_says_why_figures_are_hidden(
    persona_client: Clients, people: People, version: FrameworkVersion
) -> None:
    build_org(people, version)  # only Cal is outside the manager's chain
    html = persona_client("manager").get(reverse("report-calibration")).content.decode()
    assert "organisation-wide figures are hidden from you" in html
    assert "fewer than 5 managers" in html
    assert "Other managers' mean and spread" in html
    assert "org mean" not in html  # no dashed line in the chart
    assert 'class="band"' not in html
    assert "±" not in html and "spreads<br>" not in html
    assert "1.84" not in html and "-0.42" not in html and "-0.06" not in html
    assert "2 flagged" in html  # Manager and Bea are still flagged
    admin = persona_client("admin").get(reverse("report-calibration")).content.decode()
    assert "hidden from you" not in admin
    assert "others -0.42 ± 0.59" in admin and "org mean -0.06" in admin


def test_the_page_shows_the_figures_once_five_unseen_managers_take_part(
    persona_client: Clients, people: People, version: FrameworkVersion
) -> None:
    build_org(people, version)
    more_managers(people, version, 4)
    html = persona_client("manager").get(reverse("report-calibration")).content.decode()
    assert "hidden from you" not in html
    assert "others +0.11 ± 0.27" in html
    assert "-3.47 spreads" in html
    assert "42 skill ratings" in html
    assert "0.02 milestones below the self-rating" in html


def test_the_csv_and_the_api_withhold_the_same_figures(
    persona_client: Clients, api_client: Api, people: People, version: FrameworkVersion
) -> None:
    build_org(people, version)
    more_managers(people, version, 3)
    text = persona_client("manager").get(reverse("report-calibration-csv")).content.decode()
    rows = {r["manager"]: r for r in csv.DictReader(io.StringIO(text))}
    bea = rows["Bea"]
    assert (bea["others_mean"], bea["others_spread"], bea["distance"], bea["flagged"]) == (
        "",
        "",
        "",
        "yes",
    )
    assert (bea["compared_ratings"], bea["delta_vs_org"]) == ("", "")
    body = api_client("manager").get("reports/calibration").json()
    assert (body["org_mean_difference"], body["org_ratings"], body["comparison_hidden"]) == (
        None,
        None,
        True,
    )
    assert body["min_others"] == 5
    more_managers_body = api_client("admin").get("reports/calibration").json()
    assert more_managers_body["org_ratings"] == 18 + 3 * 6
    assert more_managers_body["comparison_hidden"] is False


def test_a_manager_is_told_none_of_the_managers_they_can_see_is_flagged(
    persona_client: Clients, people: People, version: FrameworkVersion
) -> None:
    """A and Bea rate exactly as their people do (mean 0); X1 rates 2 below on every skill
    (mean -2) and is flagged: the others all sit at 0, so their spread is the 0.25 floor."""
    org = build_org(people, version)
    (x1, *_) = more_managers(people, version, 4)
    own = {
        (r.check_in_id, r.skill_key): r.milestone
        for r in CheckInRating.objects.filter(rater_role=RaterRole.SELF)
    }
    for r in CheckInRating.objects.filter(
        rater_role=RaterRole.MANAGER, check_in__person__manager__in=[org["A"], org["B"]]
    ):
        r.milestone = own[(r.check_in_id, r.skill_key)]
        r.save()
    CheckInRating.objects.filter(rater_role=RaterRole.SELF, check_in__person__manager=x1).update(
        milestone=4
    )
    admin = calibration_report(user=user("admin"))
    assert [r.manager.name for r in admin.flagged] == ["X1"]
    html = persona_client("manager").get(reverse("report-calibration")).content.decode()
    assert "None of the managers you can see is flagged" in html
    assert "No manager is flagged" not in html and "X1" not in html
    admin_html = persona_client("admin").get(reverse("report-calibration")).content.decode()
    assert "1 flagged" in admin_html and "X1" in admin_html


def test_the_organisation_mean_is_said_in_words() -> None:
    assert [versus_self(v) for v in (-0.14, 0.5, 0.0, -0.001, 1.0, None)] == [
        "0.14 milestones below the self-rating",
        "0.50 milestones above the self-rating",
        "the same as the self-rating",
        "the same as the self-rating",
        "1.00 milestone above the self-rating",
        "–",
    ]


def test_the_admin_page_says_which_way_the_organisation_leans(
    persona_client: Clients, people: People, version: FrameworkVersion
) -> None:
    build_org(people, version)  # org mean -1/18 = -0.06
    html = persona_client("admin").get(reverse("report-calibration")).content.decode()
    assert "managers rate <strong>0.06 milestones below the self-rating</strong>" in html
    assert "away from the self-rating" not in html
