"""Feedback requests through the API: ask, list sent and inbox, answer, decline."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladders.org.models import Person
from ladders.progress.models import AskStatus, FeedbackAsk, FeedbackRequest, Observation
from ladders.progress.services import feedback_request_create

from .test_progress_fixtures import Org

pytest_plugins = ["tests.api.test_progress_fixtures"]  # the small framework and `org`

NOBODY = "7b4c1a52-3c1f-4c0e-9a55-1d2a7b9f6e10"


def _ask(org: Org, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "subject": str(org.member.uuid),
        "peers": [str(org.editor.uuid), str(org.admin.uuid)],
        "skills": ["coding", "testing"],
        "message": "How did the parser rewrite go?",
    }
    body.update(changes)
    return body


@pytest.fixture
def asked(org: Org) -> FeedbackRequest:
    """The member asks the editor and the admin about themselves."""
    return feedback_request_create(
        requester=org.member,
        subject=org.member,
        framework=org.framework,
        peers=[org.editor, org.admin],
        skill_keys=["coding"],
        message="Anything on my code?",
    )


# --- create --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    # the person and their managers may ask; the admin is neither (as the page)
    [("admin", 403), ("editor", 403), ("manager", 201), ("member", 201), ("outsider", 403)],
)
def test_who_may_ask_about_the_member(api_client, org: Org, persona: str, status: int) -> None:
    body = _ask(org, peers=[str(org.editor.uuid)]) if persona == "admin" else _ask(org)
    response = api_client(persona).post("feedback-requests", body)
    assert response.status_code == status, response.content
    assert FeedbackRequest.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        made = response.json()
        assert made["subject"]["uuid"] == str(org.member.uuid)
        assert made["skills"] == ["coding", "testing"] and made["framework"] == "small"
        # peers sorted by name: Admin, Editor; both still waiting
        assert [(a["peer"]["name"], a["status"]) for a in made["asks"]] == [
            ("Admin", "open"),
            ("Editor", "open"),
        ]


def test_create_refuses_anonymous_and_read_only(api_client, org: Org) -> None:
    assert api_client("anonymous").post("feedback-requests", _ask(org)).status_code == 401
    assert (
        api_client("member", read_only=True).post("feedback-requests", _ask(org)).status_code == 403
    )
    assert not FeedbackRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"peers": [NOBODY]}, "body.peers"),
        ({"peers": []}, "body.peers"),
        ({"skills": ["cooking"]}, "body.skills"),
        ({"skills": []}, "body.skills"),
        ({"message": 5}, "body.message"),
    ],
)
def test_create_validation(api_client, org: Org, changes, field: str) -> None:
    response = api_client("member").post("feedback-requests", _ask(org, **changes))
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]


def test_asking_the_subject_about_themselves_is_refused(api_client, org: Org) -> None:
    response = api_client("member").post(
        "feedback-requests", _ask(org, peers=[str(org.member.uuid)])
    )
    assert response.status_code == 422
    assert "is the subject" in response.json()["error"]["fields"]["body.peers"]


def test_create_about_an_unknown_person_is_404(api_client, org: Org) -> None:
    assert (
        api_client("member").post("feedback-requests", _ask(org, subject=NOBODY)).status_code == 404
    )


# --- lists ---------------------------------------------------------------------------------------


def test_sent_and_inbox(api_client, asked: FeedbackRequest) -> None:
    sent = api_client("member").get("feedback-requests/sent").json()["results"]
    assert [r["uuid"] for r in sent] == [str(asked.uuid)]
    assert api_client("manager").get("feedback-requests/sent").json()["results"] == []
    for persona in ["editor", "admin"]:
        inbox = api_client(persona).get("feedback-requests/inbox").json()["results"]
        assert [r["uuid"] for r in inbox] == [str(asked.uuid)]
        assert inbox[0]["message"] == "Anything on my code?"
    assert api_client("member").get("feedback-requests/inbox").json()["results"] == []
    assert api_client("manager").get("feedback-requests/inbox").json()["results"] == []


@pytest.mark.parametrize("path", ["feedback-requests/sent", "feedback-requests/inbox"])
def test_lists_refuse_outsiders_and_anonymous(api_client, org: Org, path: str) -> None:
    assert api_client("outsider").get(path).status_code == 403
    assert api_client("anonymous").get(path).status_code == 401


def test_inbox_status_filter(api_client, asked: FeedbackRequest) -> None:
    editor = api_client("editor")
    assert editor.post(f"feedback-requests/{asked.uuid}/decline").status_code == 200
    assert editor.get("feedback-requests/inbox").json()["results"] == []
    declined = editor.get("feedback-requests/inbox", status="declined").json()["results"]
    assert [r["uuid"] for r in declined] == [str(asked.uuid)]
    assert editor.get("feedback-requests/inbox", status="answered").json()["results"] == []
    assert editor.get("feedback-requests/inbox", status="lost").status_code == 422


def test_inbox_queries_stay_flat(api_client, org: Org, django_assert_max_num_queries) -> None:
    def ask_editor(n: int) -> None:
        for i in range(n):
            someone = Person.objects.create(name=f"P{i}", email=f"p{i}-{n}@example.com")
            feedback_request_create(
                requester=someone,
                subject=someone,
                framework=org.framework,
                peers=[org.editor, org.admin],
                skill_keys=["coding"],
            )

    client = api_client("editor")
    ask_editor(3)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("feedback-requests/inbox").json()["results"]) == 3
    ask_editor(27)
    with django_assert_max_num_queries(len(few)):
        assert len(client.get("feedback-requests/inbox").json()["results"]) == 30
    assert len(few) <= 8


# --- read, answer, decline -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("editor", 200), ("manager", 404), ("member", 200), ("outsider", 403)],
)
def test_read_a_request(api_client, asked: FeedbackRequest, persona: str, status: int) -> None:
    assert api_client(persona).get(f"feedback-requests/{asked.uuid}").status_code == status
    assert api_client("anonymous").get(f"feedback-requests/{asked.uuid}").status_code == 401


def test_answer_writes_the_observation_with_the_asked_skills(
    api_client, asked: FeedbackRequest, org: Org
) -> None:
    editor = api_client("editor")
    response = editor.post(
        f"feedback-requests/{asked.uuid}/answer",
        {"text": "Clean, well-tested parser.", "observed_on": "2026-05-01"},
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["subject"]["uuid"] == str(org.member.uuid)
    assert made["author"]["name"] == "Editor" and made["visibility"] == "private"
    assert made["skills"] == [{"key": "coding", "milestone": None}]
    ask = FeedbackAsk.objects.get(request=asked, peer=org.editor)
    assert ask.status == AskStatus.ANSWERED and str(ask.observation.uuid) == made["uuid"]
    # answered once: a second answer or a decline is a conflict
    again = editor.post(f"feedback-requests/{asked.uuid}/answer", {"text": "More"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert editor.post(f"feedback-requests/{asked.uuid}/decline").status_code == 409
    assert Observation.objects.count() == 1
    sent = api_client("member").get(f"feedback-requests/{asked.uuid}").json()
    assert [(a["peer"]["name"], a["status"]) for a in sent["asks"]] == [
        ("Admin", "open"),
        ("Editor", "answered"),
    ]


def test_answer_with_chosen_skills_and_its_validation(api_client, asked: FeedbackRequest) -> None:
    admin = api_client("admin")
    bad = admin.post(
        f"feedback-requests/{asked.uuid}/answer",
        {"text": "x", "skills": [{"key": "mentoring", "milestone": 1}]},  # mentoring starts at 3
    )
    assert bad.status_code == 422 and "body.skills" in bad.json()["error"]["fields"]
    missing = admin.post(f"feedback-requests/{asked.uuid}/answer", {"skills": [{"key": "coding"}]})
    assert missing.status_code == 422 and "body.text" in missing.json()["error"]["fields"]
    good = admin.post(
        f"feedback-requests/{asked.uuid}/answer",
        {
            "text": "Mentors well",
            "visibility": "shared",
            "skills": [{"key": "mentoring", "milestone": 3}],
        },
    )
    assert good.status_code == 201
    assert good.json()["skills"] == [{"key": "mentoring", "milestone": 3}]


@pytest.mark.parametrize(
    ("persona", "status"),
    # the requester was not asked (403); the manager is not involved at all (404)
    [("admin", 200), ("editor", 200), ("manager", 404), ("member", 403), ("outsider", 403)],
)
def test_who_may_decline(api_client, asked: FeedbackRequest, persona: str, status: int) -> None:
    response = api_client(persona).post(f"feedback-requests/{asked.uuid}/decline")
    assert response.status_code == status, response.content
    if status == 200:
        statuses = {a["peer"]["name"]: a["status"] for a in response.json()["asks"]}
        assert statuses[persona.title()] == "declined"
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 201), ("editor", 201), ("manager", 404), ("member", 403), ("outsider", 403)],
)
def test_who_may_answer(api_client, asked: FeedbackRequest, persona: str, status: int) -> None:
    response = api_client(persona).post(f"feedback-requests/{asked.uuid}/answer", {"text": "Good"})
    assert response.status_code == status, response.content
    assert Observation.objects.count() == (1 if status == 201 else 0)


def test_answer_and_decline_refuse_anonymous_read_only_and_unknown(
    api_client, asked: FeedbackRequest
) -> None:
    for action, body in [("answer", {"text": "x"}), ("decline", None)]:
        path = f"feedback-requests/{asked.uuid}/{action}"
        assert api_client("anonymous").post(path, body).status_code == 401
        assert api_client("editor", read_only=True).post(path, body).status_code == 403
        assert (
            api_client("editor").post(f"feedback-requests/{NOBODY}/{action}", body).status_code
            == 404
        )
    assert FeedbackAsk.objects.filter(status=AskStatus.OPEN).count() == 2
