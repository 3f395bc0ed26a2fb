from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ladders.audit.models import AuditAction, AuditEvent
from ladders.checkins.errors import CheckInDenied, CheckInError
from ladders.checkins.models import CheckIn
from ladders.checkins.services import checkin_certify
from ladders.progress.models import Attainment
from tests.checkins.conftest import to_agreed, to_manager_done, user

pytestmark = pytest.mark.django_db
BUTTON = "Certify the agreed milestones"


def test_manager_certifies_every_agreed_milestone(
    persona_client: Callable[[str], Client], check_in: CheckIn
) -> None:
    to_agreed(check_in)  # every skill agreed at milestone 2
    client = persona_client("manager")
    url = f"/check-ins/{check_in.uuid}/"
    assert BUTTON in client.get(url).content.decode()
    page = client.post(url, {"action": "certify"}, follow=True).content.decode()
    assert "Certified: Skill 0 milestone 2; Skill 1 milestone 2; Skill 2 milestone 2." in page
    assert BUTTON not in page  # nothing left to certify
    held = Attainment.objects.filter(person=check_in.person, revoked_at__isnull=True)
    assert sorted(held.values_list("skill_key", "milestone")) == [
        ("skill-0", 2),
        ("skill-1", 2),
        ("skill-2", 2),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.ATTAINMENT_CERTIFY).count() == 3


@pytest.mark.parametrize("persona", ["member", "editor", "outsider"])
def test_others_get_no_button_and_a_403(
    persona_client: Callable[[str], Client], check_in: CheckIn, persona: str
) -> None:
    to_agreed(check_in)
    client = persona_client(persona)
    url = f"/check-ins/{check_in.uuid}/"
    response = client.get(url)
    assert BUTTON not in response.content.decode()
    assert client.post(url, {"action": "certify"}).status_code == 403
    assert not Attainment.objects.exists()


def test_the_person_cannot_certify_their_own(check_in: CheckIn) -> None:
    to_agreed(check_in)
    with pytest.raises(CheckInDenied, match="your own milestones"):
        checkin_certify(check_in=check_in, actor=user("member"))


def test_only_an_agreed_check_in(check_in: CheckIn) -> None:
    to_manager_done(check_in)
    with pytest.raises(CheckInError, match="agreed check-in"):
        checkin_certify(check_in=check_in, actor=user("manager"))


def test_certifying_twice_adds_nothing(check_in: CheckIn) -> None:
    to_agreed(check_in)
    assert len(checkin_certify(check_in=check_in, actor=user("admin")).certified) == 3
    assert checkin_certify(check_in=check_in, actor=user("manager")).certified == []
    assert Attainment.objects.count() == 3
