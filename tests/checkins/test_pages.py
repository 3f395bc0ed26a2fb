from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ladders.checkins.models import CheckIn, CheckInRating, CheckInState
from ladders.frameworks.loader import framework_from_data
from ladders.library.services import framework_publish
from ladders.org.models import Person
from tests.checkins.conftest import framework_data, to_agreed, to_manager_done, to_self_done
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

Personas = Callable[[str], Client]
SEE = {"admin": 200, "editor": 403, "manager": 200, "member": 200, "outsider": 403}
EVERY_MEMBER = {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403}


def _pages(check_in: CheckIn) -> dict[str, dict[str, int]]:
    person = check_in.person.uuid
    return {
        f"/people/{person}/check-ins/": SEE,
        f"/people/{person}/check-ins/new/": SEE,
        f"/check-ins/{check_in.uuid}/": SEE,
        "/check-ins/": EVERY_MEMBER,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_each_page(persona_client: Personas, check_in: CheckIn, persona: str) -> None:
    client = persona_client(persona)
    for url, expected in _pages(check_in).items():
        assert client.get(url).status_code == expected[persona], url


def test_anonymous_visitors_sign_in_first(check_in: CheckIn) -> None:
    for url in _pages(check_in):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_unknown_check_in_is_404(persona_client: Personas, people: object) -> None:
    client = persona_client("admin")
    assert client.get("/check-ins/00000000-0000-0000-0000-000000000000/").status_code == 404
    url = "/people/00000000-0000-0000-0000-000000000000/check-ins/"
    assert client.get(url).status_code == 404


def _form(check_in: CheckIn, milestone: int, action: str = "submit") -> dict[str, str]:
    data = {"action": action}
    for skill in check_in.snapshot["skills"]:
        data[f"m-{skill['key']}"] = str(milestone)
        data[f"c-{skill['key']}"] = f"comment on {skill['key']}"
    return data


def test_the_whole_flow_through_the_pages(persona_client: Personas, member: Person) -> None:
    manager = persona_client("manager")
    response = manager.post(f"/people/{member.uuid}/check-ins/new/", {"as_of": "2026-06-01"})
    check_in = CheckIn.objects.get(person=member)
    assert response["Location"] == f"/check-ins/{check_in.uuid}/"
    url = f"/check-ins/{check_in.uuid}/"
    # the manager cannot rate yet: it is the member's turn
    assert "Waiting for Member" in manager.get(url).content.decode()
    assert manager.post(url, _form(check_in, 1)).status_code == 403

    me = persona_client("member")
    assert "Your turn" in me.get(url).content.decode()
    me.post(url, _form(check_in, 1, "save"))
    check_in.refresh_from_db()
    assert check_in.state == "draft"
    me.post(url, _form(check_in, 1))
    check_in.refresh_from_db()
    assert check_in.state == "self_done"

    reminders = manager.get("/check-ins/").content.decode()
    assert "Give your rating" in reminders and "Member" in reminders
    page = manager.get(url).content.decode()
    assert "comment on skill-0" in page  # the self-rating, shown beside the form
    manager.post(url, _form(check_in, 2))
    check_in.refresh_from_db()
    assert check_in.state == "manager_done"
    assert "Record the agreed outcome" in manager.get("/check-ins/").content.decode()

    agree = {f"m-{s['key']}": "2" for s in check_in.snapshot["skills"]} | {"summary": "Solid."}
    manager.post(url, agree)
    check_in.refresh_from_db()
    assert check_in.state == "agreed"
    page = me.get(url).content.decode()
    assert (
        "is locked" in page
        and "Solid." in page
        and '<form method="post" class="checkin-form"' not in page
    )
    assert "Nothing to rate" in me.get("/check-ins/").content.decode()


def test_a_post_after_agreement_changes_nothing(
    persona_client: Personas, check_in: CheckIn
) -> None:
    to_agreed(check_in)
    client = persona_client("manager")
    response = client.post(f"/check-ins/{check_in.uuid}/", _form(check_in, 3), follow=True)
    assert "agreed and is locked" in response.content.decode()
    assert not CheckInRating.objects.filter(check_in=check_in, milestone=3).exists()


def test_submitting_with_gaps_says_what_is_missing(
    persona_client: Personas, check_in: CheckIn
) -> None:
    data = _form(check_in, 1)
    data["m-skill-2"] = ""
    response = persona_client("member").post(f"/check-ins/{check_in.uuid}/", data)
    assert response.status_code == 400
    assert "still to rate: Skill 2" in response.content.decode()
    check_in.refresh_from_db()
    assert check_in.state == CheckInState.DRAFT


def test_the_subject_sees_the_manager_rating_only_once_submitted(
    persona_client: Personas, check_in: CheckIn
) -> None:
    to_self_done(check_in)
    from ladders.checkins.services import checkin_rate
    from tests.checkins.conftest import user

    checkin_rate(
        check_in=check_in,
        rater_role="manager",
        ratings={"skill-0": (3, "secret draft note")},
        actor=user("manager"),
    )
    me = persona_client("member")
    assert "secret draft note" not in me.get(f"/check-ins/{check_in.uuid}/").content.decode()


def test_a_second_open_check_in_is_refused_in_place(
    persona_client: Personas, check_in: CheckIn
) -> None:
    url = f"/people/{check_in.person.uuid}/check-ins/new/"
    response = persona_client("manager").post(url, {"as_of": "2026-07-01"})
    assert response.status_code == 200
    assert "already has a check-in in progress" in response.content.decode()


def test_list_shows_state_date_and_who_acts_next(
    persona_client: Personas, check_in: CheckIn
) -> None:
    to_manager_done(check_in)
    page = persona_client("member").get(f"/people/{check_in.person.uuid}/check-ins/")
    text = page.content.decode()
    assert "1 Jun 2026" in text and "Waiting for the agreed outcome" in text
    assert "Manager: agreed outcome" in text


def test_a_locked_check_in_keeps_its_old_text(persona_client: Personas, check_in: CheckIn) -> None:
    to_agreed(check_in)
    newer = framework_publish(document=framework_from_data(framework_data(3, word="Rewritten")))
    assert newer.number == 2
    page = persona_client("member").get(f"/check-ins/{check_in.uuid}/").content.decode()
    assert "Old summary 1.2" in page
    assert "Rewritten summary" not in page
