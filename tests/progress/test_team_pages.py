"""The manager's dashboard and the team heatmap."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ladders.checkins.models import CheckIn, CheckInState
from ladders.checkins.services import checkin_create
from ladders.frameworks.starter import load_starter
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position, Team
from ladders.progress.attainments import attainment_certify, attainment_revoke, person_milestones
from ladders.progress.services import observation_create
from ladders.progress.team_selectors import latest_documents, milestones_by_person, open_positions
from tests.conftest import PERSONAS

People = dict[str, Person | None]
Clients = Callable[[str], Client]

DASHBOARD = {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403}
HEATMAP = {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403}
SECRET = "Private note about a rough week"


def _p(people: People, name: str) -> Person:
    person = people[name]
    assert person is not None
    return person


def _text(html: bytes) -> str:
    body = html.decode().split("<main", 1)[-1]
    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def _place(person: Person, framework: Framework, level: str, track: str = "engineer") -> None:
    Position.objects.create(
        person=person,
        framework=framework,
        version=framework.versions.get(),
        track_key=track,
        level_code=level,
        started_on=date(2025, 1, 1),
    )


@pytest.fixture
def starter(db: None) -> Framework:
    return framework_publish(document=load_starter().framework).framework


@pytest.fixture
def team(people: People, starter: Framework) -> Team:
    """Manager (IC3) ← Member (IC1) ← Dana (IC2), all in Platform, with certified milestones."""
    manager, member = _p(people, "manager"), _p(people, "member")
    dana = Person.objects.create(name="Dana", email="dana@example.com", manager=member)
    platform = Team.objects.create(slug="platform", name="Platform")
    Person.objects.filter(pk__in=[manager.pk, member.pk, dana.pk]).update(team=platform)
    _place(manager, starter, "IC3")
    _place(member, starter, "IC1")
    _place(dana, starter, "IC2")

    def certify(person: Person, skill: str, milestone: int) -> object:
        return attainment_certify(
            person=person,
            framework=starter,
            skill_key=skill,
            milestone=milestone,
            certified_by=manager,
        )

    certify(member, "code-quality", 2)
    certify(member, "testing", 2)
    certify(member, "communication", 1)
    revoked = certify(member, "communication", 3)
    attainment_revoke(attainment=revoked, revoked_by=manager, reason="Recorded by mistake")
    certify(dana, "communication", 1)
    certify(dana, "code-quality", 2)
    # a private observation the pages must neither show nor count
    observation_create(
        author=manager,
        subject=member,
        framework=starter,
        text=SECRET,
        observed_on=date(2025, 6, 1),
        skills=[("mentoring", 4)],
    )
    return platform


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_permissions(persona: str, persona_client: Clients, team: Team) -> None:
    response = persona_client(persona).get(reverse("manager-dashboard"))
    assert response.status_code == DASHBOARD[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_heatmap_permissions(persona: str, persona_client: Clients, team: Team) -> None:
    response = persona_client(persona).get(reverse("team-heatmap", args=[team.slug]))
    assert response.status_code == HEATMAP[persona]


def test_anonymous_visitors_are_sent_to_sign_in(team: Team) -> None:
    for url in [reverse("manager-dashboard"), reverse("team-heatmap", args=[team.slug])]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_unknown_team_is_404(persona_client: Clients, team: Team) -> None:
    assert persona_client("member").get("/teams/nope/heatmap/").status_code == 404


# --- the dashboard -------------------------------------------------------------------------------


def test_people_without_reports_see_an_empty_state(persona_client: Clients, team: Team) -> None:
    text = _text(persona_client("editor").get(reverse("manager-dashboard")).content)
    assert "Nobody reports to you yet" in text
    assert "Dana" not in text


def test_dashboard_lists_the_whole_chain_with_numbers(
    persona_client: Clients, people: People, team: Team
) -> None:
    member = _p(people, "member")
    response = persona_client("manager").get(reverse("manager-dashboard"))
    html = response.content.decode()
    text = _text(response.content)
    assert reverse("person-progress", args=[member.uuid]) in html
    assert "Dana" in text  # two levels down
    assert "Manager" not in text.split("Your reports", 1)[1].split("Name Team")[1]
    # member: code-quality 2 + testing 2 + communication 1 (the revoked 3 does not count)
    # = 3 + 3 + 1 points; IC2 asks 4 milestones and 15 points: 2 of 5 met, 8 points missing
    assert "Engineer · IC1" in text
    assert "IC2 : 2 of 5 requirements met, 8 points missing" in text
    assert "Never had a check-in" in text
    # the member sees Dana only
    text = _text(persona_client("member").get(reverse("manager-dashboard")).content)
    assert "Dana" in text and "IC3 : " in text


def test_dashboard_shows_checkins_and_what_waits(
    persona_client: Clients, people: People, team: Team
) -> None:
    manager, member = _p(people, "manager"), _p(people, "member")
    dana = Person.objects.get(name="Dana")
    waiting = checkin_create(person=member, actor=manager.user, as_of=date.today())
    CheckIn.objects.filter(pk=waiting.pk).update(state=CheckInState.SELF_DONE)
    old = checkin_create(person=dana, actor=manager.user, as_of=date.today() - timedelta(days=400))
    CheckIn.objects.filter(pk=old.pk).update(state=CheckInState.DRAFT)
    text = _text(persona_client("manager").get(reverse("manager-dashboard")).content)
    assert "1 check-in waiting for you" in text
    assert "Rate the check-in of" in text
    assert "No check-in in 6 months" in text  # Dana's only check-in is 400 days old
    assert "Waiting for the manager's rating" in text
    assert "Waiting for the self-rating" in text


def test_private_observations_are_never_shown_or_counted(
    persona_client: Clients, people: People, starter: Framework, team: Team
) -> None:
    for persona in ["manager", "admin", "member"]:
        for url in [reverse("manager-dashboard"), reverse("team-heatmap", args=[team.slug])]:
            assert SECRET not in persona_client(persona).get(url).content.decode()
    # the observation claims mentoring 4; no cell or point total follows it
    text = _text(persona_client("manager").get(reverse("team-heatmap", args=[team.slug])).content)
    assert "4 · not required" not in text and "needs 4" not in text


# --- the heatmap ---------------------------------------------------------------------------------


def test_heatmap_cells_compare_with_the_current_level(
    persona_client: Clients, people: People, starter: Framework, team: Team
) -> None:
    html = persona_client("member").get(reverse("team-heatmap", args=[team.slug])).content
    text = _text(html)
    assert "Ladders starter framework" in text
    assert "Legend" in html.decode()
    rows = {
        name: text.split(f" {name} ", 1)[1]
        for name in ["Dana", "Manager", "Member"]
        if f" {name} " in text
    }
    # Member is IC1 (code-quality 1, testing 1, communication 1)
    member = rows["Member"]
    assert member.startswith("Engineer · IC1 2 ▲ above (needs 1)")  # code-quality
    assert "1 ✓ met (1)" in member  # communication: the revoked 3 is ignored
    assert "– · not required" in member  # system-design
    # Dana is IC2 (communication 2): below
    assert "1 ▼ below (needs 2)" in rows["Dana"]
    assert "2 ✓ met (2)" in rows["Dana"]  # code-quality


def test_batched_milestones_match_person_milestones(
    people: People, starter: Framework, team: Team
) -> None:
    members = list(team.members.all())
    positions = open_positions(m.pk for m in members)
    found = milestones_by_person(positions, latest_documents([starter.pk]))
    for person in members:
        assert found[person.pk] == person_milestones(person=person, framework=starter)


def test_mixed_frameworks_get_one_table_each(
    persona_client: Clients, people: People, starter: Framework, team: Team
) -> None:
    other_doc = load_starter().framework.model_copy(
        update={"key": "other-ladder", "name": "Other ladder"}
    )
    other = framework_publish(document=other_doc).framework
    lone = Person.objects.create(name="Lone", email="lone@example.com", team=team)
    _place(lone, other, "IC1")
    Person.objects.create(name="Nopos", email="nopos@example.com", team=team)
    text = _text(persona_client("admin").get(reverse("team-heatmap", args=[team.slug])).content)
    assert text.index("Ladders starter framework") < text.index("Other ladder")
    assert "No position on a published framework: Nopos" in text


# --- query counts --------------------------------------------------------------------------------


def _crowd(n: int, *, manager: Person, team: Team, framework: Framework) -> None:
    for i in range(n):
        person = Person.objects.create(
            name=f"Crowd {n}-{i}", email=f"crowd{n}-{i}@example.com", manager=manager, team=team
        )
        _place(person, framework, "IC1")
        attainment_certify(
            person=person,
            framework=framework,
            skill_key="testing",
            milestone=1,
            certified_by=manager,
        )
        checkin_create(person=person, actor=manager.user, as_of=date.today())


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["dashboard", "heatmap"])
def test_query_count_does_not_grow_with_people(
    page: str, persona_client: Clients, people: People, starter: Framework
) -> None:
    manager = _p(people, "manager")
    small = Team.objects.create(slug="small", name="Small")
    big = Team.objects.create(slug="big", name="Big")
    client = persona_client("manager")
    _crowd(3, manager=manager, team=small, framework=starter)
    if page == "dashboard":
        url = reverse("manager-dashboard")
        few = _count(client, url)
        _crowd(9, manager=manager, team=big, framework=starter)  # now 3 + 9 + member = 13
        assert _count(client, url) == few
    else:
        few = _count(client, reverse("team-heatmap", args=["small"]))
        _crowd(12, manager=manager, team=big, framework=starter)
        assert _count(client, reverse("team-heatmap", args=["big"])) == few


def test_members_see_only_themselves_and_those_below_them_on_the_heatmap(
    persona_client: Clients, people: People, starter: Framework, team: Team
) -> None:
    url = reverse("team-heatmap", args=[team.slug])
    for person in people.values():
        if person is not None:
            person.team = team
            person.save()
    uuid = {name: str(p.uuid) for name, p in people.items() if p is not None}
    as_member = persona_client("member").get(url).content.decode()
    as_manager = persona_client("manager").get(url).content.decode()
    as_admin = persona_client("admin").get(url).content.decode()
    assert "Only the people whose progress you may see are shown" in as_member
    assert uuid["member"] in as_member
    assert uuid["manager"] not in as_member and uuid["editor"] not in as_member
    assert uuid["member"] in as_manager and uuid["manager"] in as_manager
    assert uuid["editor"] not in as_manager
    assert all(uuid[name] in as_admin for name in ("member", "manager", "editor"))
