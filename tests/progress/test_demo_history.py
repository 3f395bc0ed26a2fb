"""The demo history: real, rule-abiding, spread over a year, and safe to load twice."""

from __future__ import annotations

import pytest

from ladders.accounts.permissions import manages
from ladders.checkins.models import CheckIn, CheckInState
from ladders.frameworks import scoring
from ladders.frameworks.starter import load_starter
from ladders.library.services import framework_publish
from ladders.org.demo import demo_organisation_create
from ladders.org.models import Person
from ladders.progress.attainments import person_milestones
from ladders.progress.demo import demo_progress_create
from ladders.progress.models import (
    AskStatus,
    Attainment,
    FeedbackAsk,
    FeedbackRequest,
    Observation,
    Visibility,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "observations": Observation.objects.count(),
        "attainments": Attainment.objects.count(),
        "requests": FeedbackRequest.objects.count(),
        "asks": FeedbackAsk.objects.count(),
        "check_ins": CheckIn.objects.count(),
    }


@pytest.fixture
def demo() -> None:
    framework_publish(document=load_starter().framework, is_template=True)
    demo_organisation_create()
    demo_progress_create()


def test_second_run_changes_nothing(demo: None) -> None:
    before = _counts()
    assert all(before.values()), before
    demo_progress_create()
    assert _counts() == before


def test_every_certifier_manages_the_person(demo: None) -> None:
    for attainment in Attainment.objects.select_related("person", "certified_by"):
        assert attainment.certified_by_id != attainment.person_id
        assert manages(attainment.certified_by, attainment.person)


def test_history_spans_most_of_a_year(demo: None) -> None:
    observed = sorted(Observation.objects.values_list("observed_on", flat=True))
    assert (observed[-1] - observed[0]).days >= 270
    certified = sorted(Attainment.objects.values_list("certified_at", flat=True))
    assert (certified[-1] - certified[0]).days >= 270
    assert Observation.objects.filter(visibility=Visibility.PRIVATE).exists()
    assert Observation.objects.filter(visibility=Visibility.SHARED).count() > (
        Observation.objects.filter(visibility=Visibility.PRIVATE).count()
    )
    for person in Person.objects.all():
        assert 3 <= person.observations.count() <= 7, person


def test_levels_follow_the_positions(demo: None) -> None:
    doc = load_starter().framework
    checked = 0
    for person in Person.objects.filter(manager__isnull=False):
        position = person.positions.get(ended_on__isnull=True)
        milestones = person_milestones(person=person, framework=position.framework)
        result = scoring.score(doc, milestones, position.track_key)
        codes = [level.code for level in result.track.levels]
        wanted = codes.index(position.level_code)
        assert result.track_level is not None, person
        assert codes.index(result.track_level.code) in (wanted, wanted - 1), person
        if result.next is not None:
            assert result.next.met, f"{person} has nothing towards the next level"
        checked += 1
    assert checked == 11


def test_member_has_an_open_ask_and_a_checkin_waiting_for_the_manager(demo: None) -> None:
    aiko = Person.objects.get(user__username="member")
    assert FeedbackAsk.objects.filter(peer=aiko, status=AskStatus.OPEN).count() == 1
    assert FeedbackAsk.objects.filter(status=AskStatus.ANSWERED).count() == 1
    states = list(CheckIn.objects.filter(person=aiko).values_list("state", flat=True))
    assert sorted(states) == sorted(
        [CheckInState.AGREED, CheckInState.AGREED, CheckInState.SELF_DONE]
    )
