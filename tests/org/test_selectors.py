from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ladders.library.models import Framework
from ladders.org import selectors
from ladders.org.models import Person
from tests.org.conftest import make_person, make_position

pytestmark = pytest.mark.django_db


def test_person_list_is_for_members_only_and_skips_people_who_left(
    people: dict[str, Person | None],
) -> None:
    users = get_user_model().objects
    gone = make_person("Gone")
    gone.is_active = False
    gone.save()
    names = [row.person.name for row in selectors.person_list(user=users.get(username="member"))]
    assert names == ["Admin", "Editor", "Manager", "Member"]
    assert selectors.person_list(user=users.get(username="outsider")) == []


def test_chain_and_reports_tree() -> None:
    top = make_person("Top")
    mid = make_person("Mid", manager=top)
    low = make_person("Low", manager=mid)
    make_person("Side", manager=top)
    assert selectors.person_chain(person=low) == [mid, top]
    tree = selectors.person_reports_tree(person=top)
    assert [(n.person.name, [c.person.name for c in n.children]) for n in tree] == [
        ("Mid", ["Low"]),
        ("Side", []),
    ]
    assert selectors.person_reports_tree(person=low) == []


def test_chart_puts_people_whose_manager_is_not_shown_at_the_top() -> None:
    top = make_person("Top")
    make_person("Mid", manager=top)
    rows = [r for r in selectors.person_list(user=_admin()) if r.person.name != "Top"]
    assert [n.row.person.name for n in selectors.person_chart(rows)] == ["Mid"]


def _admin():  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw")


def test_position_history_counts_days_in_each_level(starter: Framework) -> None:
    person = make_person("Counted")
    today = timezone.localdate()
    make_position(
        person, starter, "engineer", "IC1", today - timedelta(days=30), today - timedelta(days=11)
    )
    make_position(person, starter, "engineer", "IC2", today - timedelta(days=10))
    history = selectors.position_history(person=person)
    assert [(r.position.level_code, r.days, r.is_open) for r in history] == [
        ("IC2", 10, True),
        ("IC1", 20, False),
    ]
    assert history[0].track_name == "Engineer" and history[0].level_title == "Engineer II"


def test_person_get_tolerates_a_bad_uuid() -> None:
    assert selectors.person_get(uuid="not-a-uuid") is None


def test_team_list_counts_active_members() -> None:
    from ladders.org.models import Team

    team = Team.objects.create(name="T", slug="t")
    make_person("In", team=team)
    gone = make_person("Out", team=team)
    gone.is_active = False
    gone.save()
    assert [(t.name, t.member_count) for t in selectors.team_list()] == [("T", 1)]
