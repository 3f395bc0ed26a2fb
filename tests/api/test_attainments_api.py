"""Certified milestones through the API: list, certify, revoke, with the page's permissions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ladders.org.models import Person
from ladders.progress.attainments import attainment_certify
from ladders.progress.models import Attainment, Observation, Visibility

from .test_progress_fixtures import Org, observe, place

pytest_plugins = ["tests.api.test_progress_fixtures"]  # the small framework and `org`

NOBODY = "7b4c1a52-3c1f-4c0e-9a55-1d2a7b9f6e10"
# 404 for whoever may not see the member at all (the page's 403), so uuids do not leak;
# 403 for the member, who may see themselves but not certify their own milestones
VIEW = {"admin": 200, "editor": 404, "manager": 200, "member": 200, "outsider": 404}
CERTIFY = {"admin": 201, "editor": 404, "manager": 201, "member": 403, "outsider": 404}
REVOKE = {"admin": 200, "editor": 404, "manager": 200, "member": 403, "outsider": 404}


@pytest.fixture
def held(org: Org) -> dict[str, object]:
    """The member holds coding 2 (evidence: a private note by the manager and a deleted one)
    and testing 1, revoked."""
    note = observe(org, author=org.manager, subject=org.member, visibility=Visibility.PRIVATE)
    gone = observe(org, author=org.member, subject=org.member)
    coding = attainment_certify(
        person=org.member,
        framework=org.framework,
        skill_key="coding",
        milestone=2,
        certified_by=org.manager,
        evidence=[note, gone],
    )
    Observation.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    testing = attainment_certify(
        person=org.member,
        framework=org.framework,
        skill_key="testing",
        milestone=1,
        certified_by=org.manager,
    )
    Attainment.objects.filter(pk=testing.pk).update(
        revoked_at=timezone.now(), revoked_by=org.admin, revoke_reason="Wrong skill"
    )
    return {"coding": coding, "testing": testing, "note": note, "gone": gone}


@pytest.mark.parametrize(("persona", "status"), VIEW.items())
def test_who_may_list_the_members_attainments(
    api_client, org: Org, held, persona: str, status: int
) -> None:
    response = api_client(persona).get(f"people/{org.member.uuid}/attainments")
    assert response.status_code == status
    if status == 200:
        rows = {r["skill"]: r for r in response.json()["results"]}
        assert set(rows) == {"coding", "testing"}
        # the deleted evidence is not shown; the private note is, to those entitled to it
        assert rows["coding"]["evidence"] == [str(held["note"].uuid)]
        assert rows["coding"]["certified_by"]["name"] == "Manager"
        assert rows["testing"]["revoked_by"]["name"] == "Admin"
        assert rows["testing"]["revoke_reason"] == "Wrong skill"
    assert api_client("anonymous").get(f"people/{org.member.uuid}/attainments").status_code == 401


def test_list_filters_and_unknown_person(api_client, org: Org, held) -> None:
    client = api_client("manager")
    path = f"people/{org.member.uuid}/attainments"
    assert [r["skill"] for r in client.get(path, active="true").json()["results"]] == ["coding"]
    assert [r["skill"] for r in client.get(path, active="false").json()["results"]] == ["testing"]
    assert [r["skill"] for r in client.get(path, skill="testing").json()["results"]] == ["testing"]
    assert client.get(f"people/{NOBODY}/attainments").status_code == 404


def test_list_queries_stay_flat(api_client, org: Org, django_assert_max_num_queries) -> None:
    client = api_client("manager")

    def certify(skills: list[tuple[str, int]]) -> None:
        for key, number in skills:
            note = observe(org, author=org.manager, subject=org.member)
            attainment_certify(
                person=org.member,
                framework=org.framework,
                skill_key=key,
                milestone=number,
                certified_by=org.manager,
                evidence=[note],
            )

    certify([("coding", 1), ("coding", 2), ("coding", 3)])
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(f"people/{org.member.uuid}/attainments").json()["results"]) == 3
    certify([("testing", 1), ("testing", 2), ("mentoring", 3), ("mentoring", 4)])
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(f"people/{org.member.uuid}/attainments").json()["results"]) == 7
    assert len(few) <= 10


# --- certify -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), CERTIFY.items())
def test_who_may_certify_the_member(api_client, org: Org, persona: str, status: int) -> None:
    note = observe(org, author=org.member, subject=org.member, visibility=Visibility.PRIVATE)
    body = {"skill": "coding", "milestone": 2, "evidence": [str(note.uuid)]}
    response = api_client(persona).post(f"people/{org.member.uuid}/attainments", body)
    assert response.status_code == status, response.content
    if status == 201:
        made = response.json()
        assert (made["skill"], made["milestone"], made["revoked_at"]) == ("coding", 2, None)
        assert made["certified_by"]["name"] == persona.title()
        assert made["evidence"] == [str(note.uuid)]
    assert Attainment.objects.count() == (1 if status == 201 else 0)


def test_nobody_certifies_their_own(api_client, org: Org) -> None:
    response = api_client("manager").post(
        f"people/{org.manager.uuid}/attainments", {"skill": "coding", "milestone": 1}
    )
    assert response.status_code == 403
    assert "your own" in response.json()["error"]["message"]


def test_certify_refuses_anonymous_and_read_only(api_client, org: Org) -> None:
    path = f"people/{org.member.uuid}/attainments"
    assert (
        api_client("anonymous").post(path, {"skill": "coding", "milestone": 1}).status_code == 401
    )
    read_only = api_client("manager", read_only=True)
    assert read_only.post(path, {"skill": "coding", "milestone": 1}).status_code == 403
    assert not Attainment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"skill": "cooking", "milestone": 1}, "body.skill"),
        ({"skill": "testing", "milestone": 3}, "body.milestone"),  # testing tops at 2
        ({"skill": "mentoring", "milestone": 1}, "body.milestone"),  # mentoring starts at 3
        ({"skill": "coding", "milestone": 0}, "body.milestone"),
        ({"skill": "coding"}, "body.milestone"),
        ({"skill": "coding", "milestone": 1, "evidence": ["nope"]}, "body.evidence.0"),
    ],
)
def test_certify_validation(api_client, org: Org, body, field: str) -> None:
    response = api_client("manager").post(f"people/{org.member.uuid}/attainments", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not Attainment.objects.exists()


def test_evidence_must_be_visible_observations_of_the_person(api_client, org: Org) -> None:
    outsider_note = observe(
        org, author=org.editor, subject=org.editor, visibility=Visibility.PRIVATE
    )
    about_other = observe(org, author=org.manager, subject=org.manager)
    client = api_client("manager")
    for evidence in [outsider_note.uuid, about_other.uuid, NOBODY]:
        response = client.post(
            f"people/{org.member.uuid}/attainments",
            {"skill": "coding", "milestone": 1, "evidence": [str(evidence)]},
        )
        assert response.status_code == 422
        assert "that you can see" in response.json()["error"]["fields"]["body.evidence"]
    assert not Attainment.objects.exists()


def test_certifying_a_held_milestone_is_a_conflict(api_client, org: Org, held) -> None:
    response = api_client("manager").post(
        f"people/{org.member.uuid}/attainments", {"skill": "coding", "milestone": 2}
    )
    assert response.status_code == 409 and "already holds" in response.json()["error"]["message"]
    assert (
        api_client("manager")
        .post(f"people/{NOBODY}/attainments", {"skill": "coding", "milestone": 2})
        .status_code
        == 404
    )


def test_without_a_published_framework(api_client, people) -> None:
    member = people["member"]
    assert api_client("manager").get(f"people/{member.uuid}/attainments").json()["results"] == []
    response = api_client("manager").post(
        f"people/{member.uuid}/attainments", {"skill": "coding", "milestone": 1}
    )
    assert response.status_code == 404


# --- revoke --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), REVOKE.items())
def test_who_may_revoke(api_client, org: Org, held, persona: str, status: int) -> None:
    coding = held["coding"]
    response = api_client(persona).post(
        f"people/{org.member.uuid}/attainments/{coding.uuid}/revoke", {"reason": "Too early"}
    )
    assert response.status_code == status, response.content
    coding.refresh_from_db()
    if status == 200:
        body = response.json()
        assert body["revoke_reason"] == "Too early" and body["revoked_at"]
        assert body["revoked_by"]["name"] == persona.title()
        assert coding.revoked_at is not None
    else:
        assert coding.revoked_at is None


def test_revoke_needs_a_reason_and_happens_once(api_client, org: Org, held) -> None:
    client = api_client("manager")
    path = f"people/{org.member.uuid}/attainments/{held['coding'].uuid}/revoke"
    for body in [{}, {"reason": ""}, {"reason": "   "}]:
        response = client.post(path, body)
        assert response.status_code == 422, body
        assert "body.reason" in response.json()["error"]["fields"]
    assert client.post(path, {"reason": "Too early"}).status_code == 200
    again = client.post(path, {"reason": "Again"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    revoked = f"people/{org.member.uuid}/attainments/{held['testing'].uuid}/revoke"
    assert client.post(revoked, {"reason": "x"}).status_code == 409


def test_revoke_not_found_anonymous_and_read_only(api_client, org: Org, held) -> None:
    client = api_client("manager")
    assert (
        client.post(
            f"people/{org.member.uuid}/attainments/{NOBODY}/revoke", {"reason": "x"}
        ).status_code
        == 404
    )
    # an attainment of someone else, addressed through the member, is not found either
    other = Person.objects.create(name="Other", email="o@example.com", manager=org.manager)
    place(other, org.framework, "E1")
    theirs = attainment_certify(
        person=other,
        framework=org.framework,
        skill_key="coding",
        milestone=1,
        certified_by=org.manager,
    )
    assert (
        client.post(
            f"people/{org.member.uuid}/attainments/{theirs.uuid}/revoke", {"reason": "x"}
        ).status_code
        == 404
    )
    path = f"people/{org.member.uuid}/attainments/{held['coding'].uuid}/revoke"
    assert api_client("anonymous").post(path, {"reason": "x"}).status_code == 401
    assert api_client("manager", read_only=True).post(path, {"reason": "x"}).status_code == 403
    held["coding"].refresh_from_db()
    assert held["coding"].revoked_at is None
