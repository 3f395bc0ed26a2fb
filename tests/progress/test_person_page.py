"""The progress page of a person, certify and revoke from it, and the what-if view."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ladders.audit.models import AuditAction, AuditEvent
from ladders.checkins.models import CheckIn, CheckInState
from ladders.frameworks import scoring
from ladders.frameworks.starter import load_starter
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position
from ladders.progress.attainments import attainment_certify
from ladders.progress.models import Attainment, Observation, Visibility
from tests.conftest import PERSONAS

People = dict[str, Person | None]
Clients = Callable[[str], Client]

VIEW = {"admin": 200, "editor": 403, "manager": 200, "member": 200, "outsider": 403}
CERTIFY = {"admin": 302, "editor": 403, "manager": 302, "member": 403, "outsider": 403}


@pytest.fixture
def starter(db: None) -> Framework:
    return framework_publish(document=load_starter().framework).framework


@pytest.fixture
def member(people: People, starter: Framework) -> Person:
    person = people["member"]
    assert person is not None
    Position.objects.create(
        person=person,
        framework=starter,
        version=starter.versions.get(),
        track_key="engineer",
        level_code="IC1",
        started_on=date(2025, 1, 1),
    )
    return person


def _p(people: People, name: str) -> Person:
    person = people[name]
    assert person is not None
    return person


def _progress(person: Person) -> str:
    return reverse("person-progress", args=[person.uuid])


def _text(html: bytes) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_progress_page_permissions(persona: str, persona_client: Clients, member: Person) -> None:
    response = persona_client(persona).get(_progress(member))
    assert response.status_code == VIEW[persona]
    if response.status_code == 200:
        assert b"<svg" in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_what_if_permissions(persona: str, persona_client: Clients, member: Person) -> None:
    response = persona_client(persona).get(reverse("person-what-if", args=[member.uuid]))
    assert response.status_code == VIEW[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_certify_permissions(persona: str, persona_client: Clients, member: Person) -> None:
    url = reverse("person-certify", args=[member.uuid])
    response = persona_client(persona).post(url, {"skill": "testing", "milestone": "2"})
    assert response.status_code == CERTIFY[persona]
    assert Attainment.objects.filter(person=member).exists() is (CERTIFY[persona] == 302)
    if persona == "member":
        assert "cannot certify or revoke your own milestones" in _text(response.content)


@pytest.mark.parametrize("persona", PERSONAS)
def test_revoke_permissions(
    persona: str, persona_client: Clients, people: People, member: Person, starter: Framework
) -> None:
    got = attainment_certify(
        person=member,
        framework=starter,
        skill_key="testing",
        milestone=1,
        certified_by=_p(people, "manager"),
    )
    url = reverse("attainment-revoke", args=[member.uuid, got.uuid])
    response = persona_client(persona).post(url, {"reason": "Not yet shown"})
    assert response.status_code == CERTIFY[persona]
    got.refresh_from_db()
    assert (got.revoked_at is not None) is (CERTIFY[persona] == 302)


def test_anonymous_is_sent_to_sign_in(member: Person) -> None:
    response = Client().get(_progress(member))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_peer_in_the_organisation_cannot_see_the_page(
    persona_client: Clients, member: Person
) -> None:
    # the manager's progress page is closed to their report
    manager = member.manager
    assert manager is not None
    assert persona_client("member").get(_progress(manager)).status_code == 403


def test_member_sees_no_certify_form_on_their_own_page(
    persona_client: Clients, member: Person
) -> None:
    html = persona_client("member").get(_progress(member)).content
    assert b"/certify/" not in html and b"Revoke" not in html
    assert "you cannot certify your own" in _text(html)


# --- behaviour -----------------------------------------------------------------------------------


def test_certify_changes_points_level_and_readiness_as_scoring_says(
    persona_client: Clients, member: Person, starter: Framework
) -> None:
    client = persona_client("manager")
    doc = load_starter().framework
    before = scoring.score(doc, {}, "engineer")
    text = _text(client.get(_progress(member)).content)
    assert f"Points {before.points} of" in text

    chosen = {"code-quality": 2, "testing": 2, "communication": 2, "project-delivery": 1}
    obs = Observation.objects.create(
        subject=member,
        author=member,
        framework=starter,
        text="Wrote the tests",
        observed_on=date(2026, 2, 3),
        visibility=Visibility.PRIVATE,
    )
    for skill, number in chosen.items():
        response = client.post(
            reverse("person-certify", args=[member.uuid]),
            {"skill": skill, "milestone": str(number), "evidence": [str(obs.pk)]},
        )
        assert response.status_code == 302, response.content
    after = scoring.score(doc, chosen, "engineer")
    assert after.points != before.points
    text = _text(client.get(_progress(member)).content)
    assert f"Points {after.points} of" in text
    assert f"Level by points {after.level_code}" in text
    assert after.track_level is not None
    assert after.track is not None
    assert f"Level on {after.track.name} {after.track_level.code}" in text
    for title in after.titles:
        assert title.name in text
    assert after.next is not None
    assert f"{after.next.level.code}" in text
    for result in after.next.results:
        assert result.label in text
    assert "Milestone 2 certified by Manager" in text  # the attainment behind a requirement
    assert "3 Feb 2026 by Member" in text  # its evidence
    assert AuditEvent.objects.filter(action=AuditAction.ATTAINMENT_CERTIFY).count() == 4


def test_certify_errors_are_shown_in_place(persona_client: Clients, member: Person) -> None:
    client = persona_client("manager")
    url = reverse("person-certify", args=[member.uuid])
    response = client.post(url, {"skill": "testing", "milestone": "1"})
    assert response.status_code == 302
    again = client.post(url, {"skill": "testing", "milestone": "1"})
    assert again.status_code == 400
    assert "already holds Testing and quality milestone 1" in _text(again.content)
    bad = client.post(url, {"skill": "nope", "milestone": "1"})
    assert bad.status_code == 400
    assert "Select a valid choice" in _text(bad.content)


def test_revoke_needs_a_reason_and_shows_in_the_timeline(
    persona_client: Clients, people: People, member: Person, starter: Framework
) -> None:
    got = attainment_certify(
        person=member,
        framework=starter,
        skill_key="testing",
        milestone=2,
        certified_by=_p(people, "manager"),
    )
    client = persona_client("admin")
    url = reverse("attainment-revoke", args=[member.uuid, got.uuid])
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400
    assert "Say why the milestone is revoked" in _text(empty.content)
    got.refresh_from_db()
    assert got.revoked_at is None

    assert client.post(url, {"reason": "Evidence was about another team"}).status_code == 302
    text = _text(client.get(_progress(member)).content)
    assert "milestone 2 revoked by Admin" in text
    assert "Evidence was about another team" in text
    assert "milestone 2 certified by Manager" in text
    assert AuditEvent.objects.filter(action=AuditAction.ATTAINMENT_REVOKE).count() == 1


def test_without_a_position_the_first_published_framework_is_used(
    persona_client: Clients, people: People, starter: Framework
) -> None:
    text = _text(persona_client("member").get(_progress(_p(people, "member"))).content)
    assert "has no position yet" in text
    assert starter.name in text


def test_what_if_scores_the_chosen_map_without_saving(
    persona_client: Clients, people: People, member: Person, starter: Framework
) -> None:
    attainment_certify(
        person=member,
        framework=starter,
        skill_key="testing",
        milestone=1,
        certified_by=_p(people, "manager"),
    )
    doc = load_starter().framework
    chosen = {"testing": 3, "code-quality": 3, "communication": 2}
    url = reverse("person-what-if", args=[member.uuid])
    response = persona_client("member").get(url, chosen)
    html = response.content.decode()
    text = _text(response.content)
    expected = scoring.score(doc, chosen, "engineer")
    assert f"Points {expected.points} of" in text
    assert f"Level by points {expected.level_code}" in text
    assert re.search(r'<option value="3" selected>Milestone 3</option>', html)
    # the real milestone is prefilled when a skill is not given
    plain = persona_client("member").get(url).content.decode()
    testing = plain.split('name="testing"')[1].split("</select>")[0]
    assert '<option value="1" selected>' in testing
    assert Attainment.objects.filter(person=member).count() == 1
    bad = _text(persona_client("member").get(url, {"testing": "12"}).content)
    assert "milestone 12 does not exist" in bad


def test_what_if_htmx_returns_the_result_only(persona_client: Clients, member: Person) -> None:
    url = reverse("person-what-if", args=[member.uuid])
    response = persona_client("member").get(url, {"testing": "2"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content and b"<svg" in response.content


# --- query counts --------------------------------------------------------------------------------


def _grow(member: Person, starter: Framework, certifier: Person, count: int, start: int) -> None:
    skills = [s.key for s in load_starter().framework.skills]
    for i in range(start, start + count):
        obs = Observation.objects.create(
            subject=member,
            author=certifier,
            framework=starter,
            text=f"Observation {i}",
            observed_on=date(2026, 1, 1),
            visibility=Visibility.SHARED,
        )
        got = attainment_certify(
            person=member,
            framework=starter,
            skill_key=skills[i % len(skills)],
            milestone=1 + (i // len(skills)) % 5,
            certified_by=certifier,
            evidence=[obs],
        )
        Observation.objects.create(
            subject=member,
            author=member,
            framework=starter,
            text=f"Private note {i}",
            observed_on=date(2026, 1, 2),
            visibility=Visibility.PRIVATE,
        )
        version = starter.versions.get()
        CheckIn.objects.create(
            person=member,
            framework=starter,
            version=version,
            snapshot=version.document,
            as_of=date(2026, 1, 1),
            state=CheckInState.AGREED,
            agreed_at=timezone.now(),
            agreed_by=certifier,
        )
        if i % 3 == 0:
            got.revoked_at = got.certified_at
            got.revoke_reason = "test"
            got.revoked_by = certifier
            got.save()


@pytest.mark.parametrize("page", ["person-progress", "person-what-if"])
def test_query_count_is_flat(
    persona_client: Clients, people: People, member: Person, starter: Framework, page: str
) -> None:
    client = persona_client("manager")
    url = reverse(page, args=[member.uuid])
    manager = _p(people, "manager")
    _grow(member, starter, manager, 4, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(member, starter, manager, 12, 4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# --- timeline: observations and check-ins --------------------------------------------------------


def _observe(subject: Person, author: Person, starter: Framework, text: str, **kw: object) -> None:
    Observation.objects.create(
        subject=subject,
        author=author,
        framework=starter,
        text=text,
        observed_on=kw.pop("observed_on", date(2026, 3, 4)),
        visibility=kw.pop("visibility", Visibility.PRIVATE),
    )


def test_timeline_lists_observations_check_ins_and_attainments_newest_first(
    persona_client: Clients, people: People, member: Person, starter: Framework
) -> None:
    from ladders.checkins.services import checkin_create

    manager = _p(people, "manager")
    _observe(member, member, starter, "Old self note", observed_on=date(2020, 1, 2))
    check_in = checkin_create(
        person=member, actor=manager.user, as_of=date(2026, 5, 6)
    )  # created now
    attainment_certify(
        person=member, framework=starter, skill_key="testing", milestone=1, certified_by=manager
    )
    html = persona_client("member").get(_progress(member)).content.decode()
    text = _text(html.encode())
    assert "Old self note" in text
    assert reverse("checkin-detail", args=[check_in.uuid]) in html
    assert "Check-in as of 6 May 2026" in text
    assert text.index("milestone 1 certified by Manager") < text.index("Old self note")
    assert text.index("Check-in as of") < text.index("Old self note")


def test_subject_sees_their_own_private_observations_in_the_timeline(
    persona_client: Clients, people: People, member: Person, starter: Framework
) -> None:
    _observe(member, member, starter, "My private reflection")
    text = _text(persona_client("member").get(_progress(member)).content)
    assert "My private reflection" in text and "private" in text


def test_private_peer_observation_shows_for_the_manager_but_not_to_other_viewers(
    persona_client: Clients, people: People, member: Person, starter: Framework
) -> None:
    peer = _p(people, "editor")  # a peer of the member, outside their chain
    _observe(member, peer, starter, "Peer private remark")
    _observe(member, peer, starter, "Peer shared remark", visibility=Visibility.SHARED)
    manager_text = _text(persona_client("manager").get(_progress(member)).content)
    assert "Peer private remark" in manager_text and "Peer shared remark" in manager_text
    # the member (subject) sees it; the admin-less editor cannot open the page at all
    assert "Peer private remark" in _text(persona_client("member").get(_progress(member)).content)
    for persona in ["editor", "outsider"]:
        response = persona_client(persona).get(_progress(member))
        assert response.status_code == 403
        assert b"Peer private remark" not in response.content


def test_private_observation_about_someone_else_never_reaches_the_timeline(
    persona_client: Clients, people: People, member: Person, starter: Framework
) -> None:
    # a private note the editor wrote about the manager: the member sees the manager's page
    # as 403 anyway, and the manager's own page shows it to the manager (the subject)
    manager = _p(people, "manager")
    _observe(manager, _p(people, "editor"), starter, "About the manager")
    assert b"About the manager" not in persona_client("member").get(_progress(member)).content
    assert b"About the manager" not in persona_client("manager").get(_progress(member)).content


def test_observation_markdown_is_rendered_safely_in_the_timeline(
    persona_client: Clients, member: Person, starter: Framework
) -> None:
    _observe(member, member, starter, "Shipped **the export** <script>alert(1)</script>")
    html = persona_client("member").get(_progress(member)).content.decode()
    assert "<strong>the export</strong>" in html
    assert "<script>alert(1)" not in html and "&lt;p&gt;" not in html
