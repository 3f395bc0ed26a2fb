"""Feedback requests: asking named peers, their inbox, answering and declining."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.library.models import Framework
from ladders.org.models import Person
from ladders.progress import services
from ladders.progress.models import AskStatus, FeedbackAsk, FeedbackRequest, Observation
from tests.conftest import PERSONAS

from .test_observations_helpers import publish_starter, visible_text

pytestmark = pytest.mark.django_db

People = dict[str, Person | None]
Clients = Callable[[str], Client]


def _p(people: People, name: str) -> Person:
    person = people[name]
    assert person is not None
    return person


def _ask(people: People, framework: Framework, *peers: str) -> FeedbackRequest:
    return services.feedback_request_create(
        requester=_p(people, "manager"),
        subject=_p(people, "member"),
        framework=framework,
        peers=[_p(people, name) for name in peers],
        skill_keys=["testing", "code-quality"],
        message="How did the release go?",
    )


REQUEST_STATUS = {"admin": 403, "editor": 403, "manager": 200, "member": 200, "outsider": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_person_or_their_chain_may_ask(
    persona: str, people: People, persona_client: Clients
) -> None:
    publish_starter()
    url = f"/people/{_p(people, 'member').uuid}/feedback/request/"
    assert persona_client(persona).get(url).status_code == REQUEST_STATUS[persona]


INBOX_STATUS = {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_in_the_organisation_has_an_inbox(
    persona: str, people: People, persona_client: Clients
) -> None:
    assert persona_client(persona).get("/inbox/").status_code == INBOX_STATUS[persona]


def test_peers_cannot_ask_about_someone_else(people: People) -> None:
    framework = publish_starter()
    with pytest.raises(PermissionDenied):
        services.feedback_request_create(
            requester=_p(people, "editor"),
            subject=_p(people, "member"),
            framework=framework,
            peers=[_p(people, "admin")],
            skill_keys=["testing"],
        )


def test_a_request_needs_peers_other_than_the_subject_and_known_skills(people: People) -> None:
    framework = publish_starter()
    member = _p(people, "member")
    common = {"requester": member, "subject": member, "framework": framework}
    with pytest.raises(ValidationError, match="at least one person"):
        services.feedback_request_create(**common, peers=[], skill_keys=["testing"])
    with pytest.raises(ValidationError, match="is the subject"):
        services.feedback_request_create(**common, peers=[member], skill_keys=["testing"])
    with pytest.raises(ValidationError, match="no skill 'cooking'"):
        services.feedback_request_create(
            **common, peers=[_p(people, "editor")], skill_keys=["cooking"]
        )


def test_asking_through_the_form_puts_it_in_the_peers_inbox(
    people: People, persona_client: Clients
) -> None:
    publish_starter()
    member, editor = _p(people, "member"), _p(people, "editor")
    response = persona_client("member").post(
        f"/people/{member.uuid}/feedback/request/",
        {"peers": [str(editor.uuid)], "skills": ["testing"], "message": "Our pairing week"},
    )
    assert response.status_code == 302
    text = visible_text(persona_client("editor").get("/inbox/").content.decode())
    assert "Member asks what you have seen of Member" in text
    assert "Our pairing week" in text and "Testing" in text
    assert "Nobody is waiting" in visible_text(
        persona_client("admin").get("/inbox/").content.decode()
    )


def test_answering_prefills_the_form_and_records_the_observation(
    people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    request = _ask(people, framework, "editor", "admin")
    member = _p(people, "member")
    client = persona_client("editor")
    form = client.get(f"/people/{member.uuid}/observations/new/?request={request.uuid}")
    markup = form.content.decode()
    assert "How did the release go?" in markup
    assert f'value="{request.uuid}"' in markup
    assert 'name="skill_testing"' in markup and 'value="any" selected' in markup
    response = client.post(
        f"/people/{member.uuid}/observations/new/",
        {
            "feedback_request": str(request.uuid),
            "text": "Wrote the missing tests",
            "observed_on": "2024-05-03",
            "visibility": "private",
            "skill_testing": "2",
        },
    )
    assert response.status_code == 302
    ask = FeedbackAsk.objects.get(request=request, peer=_p(people, "editor"))
    assert ask.status == AskStatus.ANSWERED
    assert ask.observation == Observation.objects.get()
    assert "Nobody is waiting" in visible_text(client.get("/inbox/").content.decode())
    sent = visible_text(persona_client("manager").get("/inbox/").content.decode())
    assert "Editor Answered" in sent and "Admin Waiting" in sent


def test_a_private_answer_is_not_in_the_inbox_of_other_peers(
    people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    request = _ask(people, framework, "editor", "admin")
    secret = "Hid the outage from the team"
    services.feedback_request_answer(
        request=request,
        peer=_p(people, "admin"),
        text=secret,
        observed_on=framework.created_at.date(),
        skills=[("testing", None)],
    )
    for persona in ("editor", "admin", "manager", "member"):
        assert secret not in persona_client(persona).get("/inbox/").content.decode()
    peer_list = persona_client("editor").get(f"/people/{_p(people, 'member').uuid}/observations/")
    assert secret not in peer_list.content.decode()


def test_declining_closes_the_request_for_that_peer_only(
    people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    request = _ask(people, framework, "editor", "admin")
    client = persona_client("editor")
    assert client.post(f"/feedback/{request.uuid}/decline/").status_code == 302
    assert FeedbackAsk.objects.get(peer=_p(people, "editor")).status == AskStatus.DECLINED
    assert FeedbackAsk.objects.get(peer=_p(people, "admin")).status == AskStatus.OPEN
    again = client.post(f"/feedback/{request.uuid}/decline/", follow=True)
    assert "already declined" in visible_text(again.content.decode())
    stranger = persona_client("member").post(f"/feedback/{request.uuid}/decline/")
    assert stranger.status_code == 403
    with pytest.raises(ValidationError, match="already declined"):
        services.feedback_request_answer(
            request=request,
            peer=_p(people, "editor"),
            text="late",
            observed_on=framework.created_at.date(),
            skills=[("testing", None)],
        )


def test_the_inbox_costs_the_same_number_of_queries_for_more_requests(
    people: People, persona_client: Clients
) -> None:
    framework = publish_starter()
    client = persona_client("editor")

    def count() -> int:
        client.get("/inbox/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/inbox/").status_code == 200
        return len(queries)

    for _ in range(2):
        _ask(people, framework, "editor", "admin")
    few = count()
    for _ in range(6):
        _ask(people, framework, "editor", "admin")
    assert count() == few
