"""Certifying and revoking milestones, and the highest-milestone selector."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from ladders.audit.models import AuditAction, AuditEvent
from ladders.frameworks.starter import load_starter
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person
from ladders.progress.attainments import (
    AttainmentError,
    AttainmentNotAllowed,
    attainment_certify,
    attainment_revoke,
    person_milestones,
)
from ladders.progress.models import Attainment, Observation, Visibility

People = dict[str, Person | None]


@pytest.fixture
def starter(db: None) -> Framework:
    return framework_publish(document=load_starter().framework).framework


def _p(people: People, name: str) -> Person:
    person = people[name]
    assert person is not None
    return person


def _observe(
    subject: Person, author: Person, fw: Framework, text: str = "Shipped it"
) -> Observation:
    return Observation.objects.create(
        subject=subject,
        author=author,
        framework=fw,
        text=text,
        observed_on=date(2026, 1, 5),
        visibility=Visibility.PRIVATE,
    )


def test_manager_certifies_their_report_with_evidence_and_audit(
    people: People, starter: Framework
) -> None:
    member, manager = _p(people, "member"), _p(people, "manager")
    obs = _observe(member, member, starter)
    got = attainment_certify(
        person=member,
        framework=starter,
        skill_key="testing",
        milestone=2,
        certified_by=manager,
        evidence=[obs],
    )
    assert list(got.evidence.all()) == [obs]
    event = AuditEvent.objects.get(action=AuditAction.ATTAINMENT_CERTIFY)
    assert event.actor is not None and event.actor.get_username() == "manager"
    assert event.data["skill"] == "testing" and event.data["milestone"] == 2
    assert event.data["evidence"] == [str(obs.uuid)]


def test_anyone_higher_in_the_chain_and_admins_may_certify(
    people: People, starter: Framework
) -> None:
    member, manager, admin = _p(people, "member"), _p(people, "manager"), _p(people, "admin")
    boss = Person.objects.create(name="Boss", email="boss@example.com")
    manager.manager = boss
    manager.save()
    attainment_certify(
        person=member, framework=starter, skill_key="testing", milestone=1, certified_by=boss
    )
    attainment_certify(
        person=member, framework=starter, skill_key="testing", milestone=2, certified_by=admin
    )
    assert person_milestones(person=member, framework=starter) == {"testing": 2}


@pytest.mark.parametrize("who", ["member", "editor"])
def test_self_and_peers_are_refused(people: People, starter: Framework, who: str) -> None:
    with pytest.raises(AttainmentNotAllowed) as info:
        attainment_certify(
            person=_p(people, "member"),
            framework=starter,
            skill_key="testing",
            milestone=1,
            certified_by=_p(people, who),
        )
    if who == "member":
        assert "cannot certify or revoke your own" in str(info.value)
    assert not Attainment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ATTAINMENT_CERTIFY).exists()


def test_the_database_refuses_a_self_certification_too(people: People, starter: Framework) -> None:
    member = _p(people, "member")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attainment.objects.create(
            person=member, framework=starter, skill_key="testing", milestone=1, certified_by=member
        )


@pytest.mark.parametrize(
    ("skill", "milestone", "message"),
    [("nope", 1, "has no skill 'nope'"), ("testing", 9, "has no milestone 9")],
)
def test_unknown_skill_or_milestone(
    people: People, starter: Framework, skill: str, milestone: int, message: str
) -> None:
    with pytest.raises(AttainmentError, match=message):
        attainment_certify(
            person=_p(people, "member"),
            framework=starter,
            skill_key=skill,
            milestone=milestone,
            certified_by=_p(people, "manager"),
        )


def test_evidence_must_be_about_the_person(people: People, starter: Framework) -> None:
    other = _observe(_p(people, "manager"), _p(people, "manager"), starter)
    with pytest.raises(AttainmentError, match="observations of Member"):
        attainment_certify(
            person=_p(people, "member"),
            framework=starter,
            skill_key="testing",
            milestone=1,
            certified_by=_p(people, "manager"),
            evidence=[other],
        )
    assert not Attainment.objects.exists()


def test_the_same_milestone_twice_is_refused(people: People, starter: Framework) -> None:
    args = {
        "person": _p(people, "member"),
        "framework": starter,
        "skill_key": "testing",
        "milestone": 1,
        "certified_by": _p(people, "manager"),
    }
    attainment_certify(**args)  # type: ignore[arg-type]
    with pytest.raises(AttainmentError, match="already holds"):
        attainment_certify(**args)  # type: ignore[arg-type]


def test_revoke_needs_a_reason_and_keeps_the_row(people: People, starter: Framework) -> None:
    member, manager = _p(people, "member"), _p(people, "manager")
    got = attainment_certify(
        person=member, framework=starter, skill_key="testing", milestone=3, certified_by=manager
    )
    attainment_certify(
        person=member, framework=starter, skill_key="testing", milestone=1, certified_by=manager
    )
    with pytest.raises(AttainmentError, match="Say why"):
        attainment_revoke(attainment=got, revoked_by=manager, reason="   ")
    with pytest.raises(AttainmentNotAllowed):
        attainment_revoke(attainment=got, revoked_by=member, reason="I disagree")
    assert person_milestones(person=member, framework=starter) == {"testing": 3}

    attainment_revoke(attainment=got, revoked_by=manager, reason="Certified by mistake")
    got.refresh_from_db()
    assert got.revoked_at is not None and got.revoked_by == manager
    assert got.revoke_reason == "Certified by mistake"
    assert person_milestones(person=member, framework=starter) == {"testing": 1}
    event = AuditEvent.objects.get(action=AuditAction.ATTAINMENT_REVOKE)
    assert event.data["reason"] == "Certified by mistake"
    with pytest.raises(AttainmentError, match="already revoked"):
        attainment_revoke(attainment=got, revoked_by=manager, reason="again")
    # a revoked milestone can be certified again
    attainment_certify(
        person=member, framework=starter, skill_key="testing", milestone=3, certified_by=manager
    )
    assert Attainment.objects.filter(person=member).count() == 3
