"""Check-ins through the API: who sees and opens them, rating, submitting, agreeing, certifying,
what the subject sees of the manager's ratings, locking and the errors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.checkins.models import CheckIn, CheckInState
from ladders.checkins.services import (
    checkin_agree,
    checkin_create,
    checkin_rate,
    checkin_submit_manager,
    checkin_submit_self,
)
from ladders.library.models import FrameworkVersion
from ladders.org.models import Person
from tests.checkins.conftest import (
    give_position,
    publish,
    to_agreed,
    to_manager_done,
    to_self_done,
    user,
)

SKILLS = ["skill-0", "skill-1", "skill-2"]


def err(response: Any) -> dict[str, Any]:
    return response.json()["error"]


@pytest.fixture
def version(people) -> FrameworkVersion:
    return publish(3)


@pytest.fixture
def member(people, version) -> Person:
    give_position(people["member"], version)
    return people["member"]


@pytest.fixture
def check_in(member) -> CheckIn:
    return checkin_create(person=member, actor=user("member"), as_of=date(2026, 6, 1))


def ratings(milestone: int, comment: str = "") -> list[dict[str, Any]]:
    return [{"skill": k, "milestone": milestone, "comment": comment} for k in SKILLS]


# --- list and get ----------------------------------------------------------------------------

# the page: the person, their chain and admins; other members 403; outsiders 403
VIEW = [
    ("admin", 200),
    ("editor", 403),
    ("manager", 200),
    ("member", 200),
    ("outsider", 403),
    ("anonymous", 401),
]


@pytest.mark.parametrize(("persona", "status"), VIEW)
def test_list_persona_matrix(api_client, check_in, persona: str, status: int) -> None:
    response = api_client(persona).get(f"people/{check_in.person.uuid}/check-ins")
    assert response.status_code == status
    if status == 200:
        [row] = response.json()["results"]
        assert (row["uuid"], row["state"], row["next_role"]) == (
            str(check_in.uuid),
            "draft",
            "self",
        )
        assert row["as_of"] == "2026-06-01"
        assert row["created_by"]["name"] == "Member"


@pytest.mark.parametrize(("persona", "status"), VIEW)
def test_get_persona_matrix(api_client, check_in, persona: str, status: int) -> None:
    response = api_client(persona).get(f"check-ins/{check_in.uuid}")
    # a check-in the caller may not see is 404, so its existence does not leak
    # (the outsider is refused as a non-member first, as on every page: 403)
    expected = 404 if persona == "editor" else status
    assert response.status_code == expected
    if status == 200:
        body = response.json()
        assert [s["key"] for s in body["skills"]] == SKILLS
        assert body["your_step"] == ("self" if persona == "member" else None)


def test_list_filter_and_errors(api_client, check_in) -> None:
    client = api_client("manager")
    url = f"people/{check_in.person.uuid}/check-ins"
    assert len(client.get(url, state="draft").json()["results"]) == 1
    assert client.get(url, state="agreed").json()["results"] == []
    assert client.get(url, state="done").status_code == 422
    assert client.get(f"people/{Person().uuid}/check-ins").status_code == 404
    assert client.get(f"check-ins/{Person().uuid}").status_code == 404
    assert client.get("check-ins/nope").status_code == 422


def test_manager_ratings_hidden_from_subject_until_submitted(api_client, check_in) -> None:
    to_self_done(check_in)
    manager = api_client("manager")
    url = f"check-ins/{check_in.uuid}"
    saved = manager.put(f"{url}/ratings", {"role": "manager", "ratings": ratings(2, "solid")})
    assert saved.status_code == 200, saved.json()
    assert saved.json()["skills"][0]["manager"]["milestone"] == 2
    subject = api_client("member").get(url).json()["skills"][0]
    assert subject["self"]["milestone"] == 1
    assert subject["manager"] is None  # not submitted yet
    assert manager.post(f"{url}/submit", {"role": "manager"}).status_code == 200
    subject = api_client("member").get(url).json()["skills"][0]
    assert subject["manager"] == {
        "milestone": 2,
        "summary": "Old summary 0.2",
        "comment": "solid",
    }


# --- create ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 201),
        ("editor", 403),
        ("manager", 201),
        ("member", 201),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_create_persona_matrix(api_client, member, persona: str, status: int) -> None:
    response = api_client(persona).post(f"people/{member.uuid}/check-ins", {"as_of": "2026-06-01"})
    assert response.status_code == status
    assert CheckIn.objects.filter(person=member).count() == (1 if status == 201 else 0)
    if status == 201:
        body = response.json()
        assert (body["state"], body["version"], body["framework"]) == (
            "draft",
            1,
            "checkin-test",
        )


def test_create_errors(api_client, check_in, people) -> None:
    client = api_client("admin")
    again = client.post(f"people/{check_in.person.uuid}/check-ins", {})
    assert again.status_code == 409
    assert str(check_in.uuid) in err(again)["message"]
    # without a position the framework is needed
    no_position = client.post(f"people/{people['editor'].uuid}/check-ins", {})
    assert no_position.status_code == 400
    unknown = client.post(f"people/{people['editor'].uuid}/check-ins", {"framework": "nope"})
    assert unknown.status_code == 422 and "body.framework" in err(unknown)["fields"]
    made = client.post(f"people/{people['editor'].uuid}/check-ins", {"framework": "checkin-test"})
    assert made.status_code == 201
    assert client.post(f"people/{Person().uuid}/check-ins", {}).status_code == 404
    assert (
        client.post(f"people/{people['admin'].uuid}/check-ins", {"as_of": "x"}).status_code == 422
    )


# --- the whole flow --------------------------------------------------------------------------


def test_full_flow_and_lock(api_client, check_in) -> None:
    member, manager = api_client("member"), api_client("manager")
    url = f"check-ins/{check_in.uuid}"
    # the subject rates, then submits
    assert member.put(f"{url}/ratings", {"role": "self", "ratings": ratings(1)}).status_code == 200
    body = member.post(f"{url}/submit", {"role": "self"}).json()
    assert (body["state"], body["next_role"]) == ("self_done", "manager")
    # the manager rates and submits; then agrees
    manager.put(f"{url}/ratings", {"role": "manager", "ratings": ratings(2)})
    assert manager.post(f"{url}/submit", {"role": "manager"}).json()["state"] == "manager_done"
    agree = {"agreed": [{"skill": k, "milestone": 2} for k in SKILLS], "summary": " Ready. "}
    body = manager.post(f"{url}/agree", agree).json()
    assert (body["state"], body["summary"], body["agreed_by"]["name"]) == (
        "agreed",
        "Ready.",
        "Manager",
    )
    assert [s["agreed"]["milestone"] for s in body["skills"]] == [2, 2, 2]
    assert body["to_certify"] == SKILLS
    # locked: every change is a 409
    for response in (
        manager.put(f"{url}/ratings", {"role": "manager", "ratings": ratings(3)}),
        member.put(f"{url}/ratings", {"role": "self", "ratings": ratings(3)}),
        manager.post(f"{url}/submit", {"role": "manager"}),
        manager.post(f"{url}/agree", agree),
    ):
        assert response.status_code == 409
        assert err(response)["code"] == "conflict"
    # certify: the three agreed milestones, once
    certified = manager.post(f"{url}/certify")
    assert certified.status_code == 200, certified.json()
    assert certified.json() == {
        "certified": ["Skill 0 milestone 2", "Skill 1 milestone 2", "Skill 2 milestone 2"],
        "skipped": [],
    }
    assert manager.get(url).json()["to_certify"] == []
    # the subject never certifies their own
    assert member.post(f"{url}/certify").status_code == 403


def test_rating_errors(api_client, check_in) -> None:
    member, manager = api_client("member"), api_client("manager")
    url = f"check-ins/{check_in.uuid}"
    # the manager may not give the self-rating, nor rate before the self-rating is in
    assert manager.put(f"{url}/ratings", {"role": "self", "ratings": ratings(1)}).status_code == 403
    early = manager.put(f"{url}/ratings", {"role": "manager", "ratings": ratings(1)})
    assert early.status_code == 400
    unknown = [{"skill": "nope", "milestone": 1}]
    assert member.put(f"{url}/ratings", {"role": "self", "ratings": unknown}).status_code == 400
    too_high = [{"skill": "skill-0", "milestone": 9}]
    assert member.put(f"{url}/ratings", {"role": "self", "ratings": too_high}).status_code == 400
    twice = [{"skill": "skill-0", "milestone": 1}, {"skill": "skill-0", "milestone": 2}]
    dup = member.put(f"{url}/ratings", {"role": "self", "ratings": twice})
    assert dup.status_code == 422 and "body.ratings.1.skill" in err(dup)["fields"]
    assert member.put(f"{url}/ratings", {"role": "boss", "ratings": []}).status_code == 422
    negative = [{"skill": "skill-0", "milestone": -1}]
    assert member.put(f"{url}/ratings", {"role": "self", "ratings": negative}).status_code == 422
    # submitting before every skill is rated
    incomplete = member.post(f"{url}/submit", {"role": "self"})
    assert incomplete.status_code == 400 and "still to rate" in err(incomplete)["message"]
    # agreeing too early
    early_agree = manager.post(f"{url}/agree", {"agreed": [], "summary": ""})
    assert early_agree.status_code == 400
    # not the subject's chain: 404
    assert api_client("editor").post(f"{url}/submit", {"role": "manager"}).status_code == 404
    assert CheckIn.objects.get(pk=check_in.pk).state == CheckInState.DRAFT


def test_agree_needs_every_skill(api_client, check_in) -> None:
    to_manager_done(check_in)
    response = api_client("manager").post(
        f"check-ins/{check_in.uuid}/agree", {"agreed": [{"skill": "skill-0", "milestone": 1}]}
    )
    assert response.status_code == 400
    assert "missing: Skill 1, Skill 2" in err(response)["message"]
    # the subject may not agree their own
    all_skills = [{"skill": k, "milestone": 1} for k in SKILLS]
    own = api_client("member").post(f"check-ins/{check_in.uuid}/agree", {"agreed": all_skills})
    assert own.status_code == 403


def test_read_only_token_refused(api_client, check_in) -> None:
    client = api_client("member", read_only=True)
    url = f"check-ins/{check_in.uuid}"
    for response in (
        client.put(f"{url}/ratings", {"role": "self", "ratings": ratings(1)}),
        client.post(f"{url}/submit", {"role": "self"}),
        client.post(f"people/{check_in.person.uuid}/check-ins", {}),
    ):
        assert response.status_code == 403
        assert err(response)["code"] == "read_only_token"
    assert not check_in.ratings.exists()


def test_waiting(api_client, check_in) -> None:
    assert [
        c["uuid"] for c in api_client("member").get("check-ins/waiting").json()["as_subject"]
    ] == [str(check_in.uuid)]
    assert api_client("manager").get("check-ins/waiting").json()["as_manager"] == []
    to_self_done(check_in)
    waiting = api_client("manager").get("check-ins/waiting").json()
    assert [c["uuid"] for c in waiting["as_manager"]] == [str(check_in.uuid)]
    assert api_client("outsider").get("check-ins/waiting").status_code == 403
    assert api_client("anonymous").get("check-ins/waiting").status_code == 401


def test_queries_flat(api_client, member, version) -> None:
    """The list with 3 or 30 check-ins, and a check-in with 3 or 30 skills: same queries."""
    client = api_client("manager")
    client.get("me")

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, page_size=200).status_code == 200
        return len(ctx.captured_queries)

    def agreed_ones(n: int) -> CheckIn:
        last = None
        for _ in range(n):
            last = checkin_create(person=member, actor=user("manager"), as_of=date(2026, 1, 1))
            to_agreed(last)
        assert last is not None
        return last

    last = agreed_ones(3)
    small = (count(f"people/{member.uuid}/check-ins"), count(f"check-ins/{last.uuid}"))
    last = agreed_ones(27)
    # a framework of 30 skills for the detail
    big = publish(30, key="big")
    other = Person.objects.get(name="Editor")
    other.manager = member.manager
    other.save()
    give_position(other, big)
    wide = checkin_create(person=other, actor=user("manager"), as_of=date(2026, 1, 1))
    keys = [s["key"] for s in wide.snapshot["skills"]]
    checkin_rate(
        check_in=wide,
        rater_role="self",
        ratings={k: (1, "") for k in keys},
        actor=user("editor"),
    )
    checkin_submit_self(check_in=wide, actor=user("editor"))
    checkin_rate(
        check_in=wide,
        rater_role="manager",
        ratings={k: (1, "") for k in keys},
        actor=user("manager"),
    )
    checkin_submit_manager(check_in=wide, actor=user("manager"))
    checkin_agree(check_in=wide, agreed=dict.fromkeys(keys, 1), summary="", actor=user("manager"))
    large = (count(f"people/{member.uuid}/check-ins"), count(f"check-ins/{wide.uuid}"))
    assert small == large
    assert large[0] <= 8 and large[1] <= 14
    assert len(client.get(f"people/{member.uuid}/check-ins", page_size=200).json()["results"]) == 30
