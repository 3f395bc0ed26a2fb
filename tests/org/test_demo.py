from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ladders.library.models import Framework
from ladders.org.demo import demo_organisation_create
from ladders.org.errors import OrgError
from ladders.org.models import Person, Position, Role, Team
from ladders.org.selectors import person_chain

pytestmark = pytest.mark.django_db


def test_demo_organisation(starter: Framework) -> None:
    demo_organisation_create()
    assert Person.objects.count() == 12 and Team.objects.count() == 3
    heads = Person.objects.filter(manager=None)
    assert heads.count() == 1
    depths = {len(person_chain(person=p)) for p in Person.objects.all()}
    assert depths == {0, 1, 2}
    assert Position.objects.filter(ended_on=None).count() == 12
    assert Position.objects.exclude(ended_on=None).exists()  # some were promoted
    assert set(Position.objects.values_list("track_key", flat=True)) == {"engineer", "manager"}
    manager = Person.objects.get(user__username="manager")
    member = Person.objects.get(user__username="member")
    assert member.manager == manager and manager.reports.count() >= 3
    assert Person.objects.get(user__username="editor").role == Role.EDITOR
    assert get_user_model().objects.get(username="member").check_password("ladders-demo")


def test_demo_organisation_is_idempotent(starter: Framework) -> None:
    demo_organisation_create()
    counts = (Person.objects.count(), Team.objects.count(), Position.objects.count())
    demo_organisation_create()
    assert (Person.objects.count(), Team.objects.count(), Position.objects.count()) == counts


def test_demo_password_from_the_environment(
    starter: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LADDERS_DEMO_PASSWORD", "another-secret")
    demo_organisation_create()
    assert get_user_model().objects.get(username="editor").check_password("another-secret")


def test_demo_needs_the_framework(db: None) -> None:
    with pytest.raises(OrgError, match="needs the framework 'ladders-starter'"):
        demo_organisation_create()
