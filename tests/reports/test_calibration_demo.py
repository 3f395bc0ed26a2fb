"""The calibration demo on top of the demo organisation and its history: it gives the report
three managers, two lenient and one severe (and flagged), and is safe to run twice."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ladders.checkins.models import CheckIn, CheckInRating, CheckInState, RaterRole
from ladders.frameworks.starter import load_starter
from ladders.library.services import framework_publish
from ladders.org.demo import demo_organisation_create
from ladders.progress.demo import demo_progress_create
from ladders.reports.calibration import calibration_report
from ladders.reports.demo import calibration_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    framework_publish(document=load_starter().framework, is_template=True)
    demo_organisation_create()
    demo_progress_create()


def test_calibration_demo(demo: None) -> None:
    assert calibration_demo() == 10  # everyone with a manager but Aiko Brennan
    assert calibration_demo() == 0  # a second run adds nothing
    agreed = CheckIn.objects.filter(state=CheckInState.AGREED, summary__startswith="Agreed after")
    assert agreed.count() == 10
    # every agreed milestone is one the framework snapshot has
    for rating in CheckInRating.objects.filter(check_in__in=agreed, rater_role=RaterRole.AGREED):
        assert 0 <= rating.milestone <= 5

    admin = get_user_model().objects.create_superuser("root", "root@x.test", "pw")
    rows = {r.manager.name: r for r in calibration_report(user=admin).rows}
    assert set(rows) == {"Ines Okafor", "Tomasz Reyes", "Priya Lindqvist"}
    assert rows["Tomasz Reyes"].leaning == rows["Priya Lindqvist"].leaning == "lenient"
    assert rows["Ines Okafor"].leaning == "severe"
    assert [name for name, r in rows.items() if r.flagged] == ["Ines Okafor"]
    assert all(r.taking_part and r.compared for r in rows.values())

    # the demo manager (Tomasz) sees only himself: Priya and Ines are not below him
    manager = get_user_model().objects.get(username="manager")
    assert [r.manager.name for r in calibration_report(user=manager).rows] == ["Tomasz Reyes"]
