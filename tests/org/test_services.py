from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ladders.audit.models import AuditAction, AuditEvent
from ladders.library.models import Framework
from ladders.org import services
from ladders.org.errors import OrgError
from ladders.org.models import Position, Role, Team
from tests.org.conftest import make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_team_create_makes_a_unique_slug_and_refuses_a_second_team_of_the_same_name() -> None:
    first = services.team_create(name="Data Platform")
    assert first.slug == "data-platform"
    Team.objects.create(name="Other", slug="payments")
    assert services.team_create(name="Payments").slug == "payments-2"
    with pytest.raises(OrgError, match="already exists"):
        services.team_create(name="data platform")
    with pytest.raises(OrgError, match="taken"):
        services.team_create(name="Third", slug="payments")


def test_team_slug_never_shadows_the_new_team_page() -> None:
    assert services.team_create(name="New").slug == "new-2"


def test_person_create_normalises_email_and_refuses_a_duplicate() -> None:
    person = services.person_create(name="  Ada   Lovelace ", email=" Ada@Example.COM", actor=None)
    assert (person.name, person.email, person.role) == ("Ada Lovelace", "ada@example.com", "member")
    with pytest.raises(OrgError, match="already the email of Ada Lovelace"):
        services.person_create(name="Another", email="ADA@example.com", actor=None)
    with pytest.raises(OrgError, match="not an email address"):
        services.person_create(name="Bad", email="not-an-email", actor=None)
    with pytest.raises(OrgError, match="needs a name"):
        services.person_create(name="  ", email="blank@example.com", actor=None)


def test_person_create_with_a_role_is_audited() -> None:
    services.person_create(name="Root", email="root@example.com", role=Role.ADMIN, actor=None)
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGE)
    assert event.target == "root@example.com" and event.data["to"] == "admin"


def test_person_update_changes_name_email_and_team() -> None:
    team = services.team_create(name="Mobile")
    person = make_person("Grace Hopper")
    make_person("Other One")
    services.person_update(
        person=person, name="Grace B. Hopper", email="g@example.com", team=team, actor=None
    )
    person.refresh_from_db()
    assert (person.name, person.email, person.team) == ("Grace B. Hopper", "g@example.com", team)
    with pytest.raises(OrgError, match="already the email of Other One"):
        services.person_update(
            person=person, name="x", email="other.one@example.com", team=None, actor=None
        )


def test_set_manager_records_the_change() -> None:
    boss, worker = make_person("Boss"), make_person("Worker")
    services.person_set_manager(person=worker, manager=boss, actor=None)
    worker.refresh_from_db()
    assert worker.manager == boss
    event = AuditEvent.objects.get(action=AuditAction.MANAGER_CHANGE)
    assert event.data == {"from": None, "to": "boss@example.com"}
    services.person_set_manager(person=worker, manager=None, actor=None)
    worker.refresh_from_db()
    assert worker.manager is None


def test_nobody_manages_themselves() -> None:
    ada = make_person("Ada")
    with pytest.raises(OrgError, match="cannot be their own manager"):
        services.person_set_manager(person=ada, manager=ada, actor=None)


def test_a_loop_is_refused_naming_the_chain() -> None:
    top = make_person("Top")
    middle = make_person("Middle", manager=top)
    bottom = make_person("Bottom", manager=middle)
    with pytest.raises(OrgError) as excinfo:
        services.person_set_manager(person=top, manager=bottom, actor=None)
    assert "Bottom already reports to Top through Middle" in str(excinfo.value)
    with pytest.raises(OrgError, match="Middle already reports to Top directly"):
        services.person_set_manager(person=top, manager=middle, actor=None)
    top.refresh_from_db()
    assert top.manager is None
    assert not AuditEvent.objects.filter(action=AuditAction.MANAGER_CHANGE).exists()


def test_a_person_who_left_cannot_be_a_manager() -> None:
    gone = make_person("Gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(OrgError, match="has left"):
        services.person_set_manager(person=make_person("Stay"), manager=gone, actor=None)


def test_the_last_admin_cannot_be_demoted_but_one_of_two_can() -> None:
    only = make_person("Only")
    services.person_set_role(person=only, role=Role.ADMIN, actor=None)
    with pytest.raises(OrgError, match="last organisation admin"):
        services.person_set_role(person=only, role=Role.MEMBER, actor=None)
    second = make_person("Second")
    services.person_set_role(person=second, role=Role.ADMIN, actor=None)
    services.person_set_role(person=only, role=Role.EDITOR, actor=None)
    only.refresh_from_db()
    assert only.role == Role.EDITOR
    with pytest.raises(OrgError, match="Second is the last organisation admin"):
        services.person_set_role(person=second, role=Role.MEMBER, actor=None)
    changes = AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE)
    assert [(e.data["from"], e.data["to"]) for e in changes.order_by("id")] == [
        ("member", "admin"),
        ("member", "admin"),
        ("admin", "editor"),
    ]


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(OrgError, match="not a role"):
        services.person_set_role(person=make_person("X"), role="boss", actor=None)


def test_position_set_closes_the_open_one_the_day_before(starter: Framework) -> None:
    person = make_person("Climber")
    start = TODAY() - timedelta(days=400)
    first = services.position_set(
        person=person,
        framework=starter,
        track_key="engineer",
        level_code="IC2",
        started_on=start,
        actor=None,
    )
    promoted = TODAY() - timedelta(days=30)
    second = services.position_set(
        person=person,
        framework=starter,
        track_key="engineer",
        level_code="IC3",
        started_on=promoted,
        actor=None,
    )
    first.refresh_from_db()
    assert first.ended_on == promoted - timedelta(days=1)
    assert second.ended_on is None and second.version == starter.versions.get()
    assert Position.objects.filter(person=person, ended_on=None).count() == 1
    events = AuditEvent.objects.filter(action=AuditAction.POSITION_CHANGE).order_by("id")
    assert [e.data["level"] for e in events] == ["IC2", "IC3"]
    assert events[1].data["previous"]["level"] == "IC2"


def test_position_set_refuses_an_earlier_start_and_the_future(starter: Framework) -> None:
    person = make_person("Dates")
    start = TODAY() - timedelta(days=100)
    services.position_set(
        person=person,
        framework=starter,
        track_key="engineer",
        level_code="IC2",
        started_on=start,
        actor=None,
    )
    with pytest.raises(OrgError, match="cannot start before"):
        services.position_set(
            person=person,
            framework=starter,
            track_key="engineer",
            level_code="IC3",
            started_on=start - timedelta(days=1),
            actor=None,
        )
    with pytest.raises(OrgError, match="in the future"):
        services.position_set(
            person=person,
            framework=starter,
            track_key="engineer",
            level_code="IC3",
            started_on=TODAY() + timedelta(days=1),
            actor=None,
        )
    with pytest.raises(OrgError, match="already at engineer IC2"):
        services.position_set(
            person=person,
            framework=starter,
            track_key="engineer",
            level_code="IC2",
            started_on=TODAY(),
            actor=None,
        )
    assert Position.objects.get(person=person).level_code == "IC2"


def test_position_on_the_same_day_corrects_the_open_one(starter: Framework) -> None:
    person = make_person("Typo")
    day = TODAY() - timedelta(days=10)
    services.position_set(
        person=person,
        framework=starter,
        track_key="engineer",
        level_code="IC4",
        started_on=day,
        actor=None,
    )
    services.position_set(
        person=person,
        framework=starter,
        track_key="engineer",
        level_code="IC3",
        started_on=day,
        actor=None,
    )
    assert list(Position.objects.filter(person=person).values_list("level_code", "ended_on")) == [
        ("IC3", None)
    ]


def test_position_set_checks_track_and_level_against_the_latest_version(starter: Framework) -> None:
    person = make_person("Checked")
    with pytest.raises(
        OrgError, match=r"track 'wizard' is not in .*its tracks are: engineer, manager"
    ):
        services.position_set(
            person=person,
            framework=starter,
            track_key="wizard",
            level_code="W1",
            started_on=date(2024, 1, 1),
            actor=None,
        )
    with pytest.raises(
        OrgError, match="level 'IC9' is not on track 'engineer'; its levels are: IC1, IC2"
    ):
        services.position_set(
            person=person,
            framework=starter,
            track_key="engineer",
            level_code="IC9",
            started_on=date(2024, 1, 1),
            actor=None,
        )
    empty = Framework.objects.create(key="empty", name="Empty")
    with pytest.raises(OrgError, match="no published version"):
        services.position_set(
            person=person,
            framework=empty,
            track_key="engineer",
            level_code="IC1",
            started_on=date(2024, 1, 1),
            actor=None,
        )
    assert not Position.objects.exists()
