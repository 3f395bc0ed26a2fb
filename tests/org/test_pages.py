from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ladders.audit.models import AuditAction, AuditEvent
from ladders.library.models import Framework
from ladders.org.models import Person, Position, Role, Team
from tests.conftest import PERSONAS
from tests.org.conftest import make_person, make_position

pytestmark = pytest.mark.django_db

People = dict[str, Person | None]


@pytest.fixture
def org(people: People, starter: Framework) -> dict[str, Any]:
    """The personas in a team, with positions, plus a person without an account."""
    team = Team.objects.create(name="Core", slug="core")
    Person.objects.filter(pk__in=[p.pk for p in people.values() if p]).update(team=team)
    member, manager = people["member"], people["manager"]
    assert member is not None and manager is not None
    today = timezone.localdate()
    make_position(
        member, starter, "engineer", "IC1", today - timedelta(days=400), today - timedelta(days=101)
    )
    make_position(member, starter, "engineer", "IC2", today - timedelta(days=100))
    make_position(manager, starter, "manager", "M1", today - timedelta(days=50))
    newcomer = make_person("Newcomer", team=team)
    return {"team": team, "member": member, "manager": manager, "newcomer": newcomer}


ALL_MEMBERS = {"admin": 200, "editor": 200, "manager": 200, "member": 200, "outsider": 403}
ADMIN_ONLY = {"admin": 200, "editor": 403, "manager": 403, "member": 403, "outsider": 403}
PAGES = {
    "/people/": ALL_MEMBERS,
    "/people/?team=core": ALL_MEMBERS,
    "/people/{member}/": ALL_MEMBERS,
    "/people/new/": ADMIN_ONLY,
    "/people/import/": ADMIN_ONLY,
    "/teams/": ALL_MEMBERS,
    "/teams/core/": ALL_MEMBERS,
    "/people/00000000-0000-0000-0000-000000000000/": {
        **ALL_MEMBERS,
        "admin": 404,
        "editor": 404,
        "manager": 404,
        "member": 404,
    },
    "/teams/no-such-team/": {
        **ALL_MEMBERS,
        "admin": 404,
        "editor": 404,
        "manager": 404,
        "member": 404,
    },
}


def _url(template: str, org: dict[str, Any]) -> str:
    return template.format(member=org["member"].uuid)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", list(PAGES))
def test_page_permissions(
    url: str, persona: str, persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    response = persona_client(persona).get(_url(url, org))
    assert response.status_code == PAGES[url][persona]


def _actions(org: dict[str, Any]) -> dict[str, dict[str, str]]:
    member = org["member"].uuid
    return {
        f"/people/{member}/edit/": {
            "name": "Member Renamed",
            "email": "member@example.com",
            "team": "core",
        },
        f"/people/{member}/manager/": {"manager": str(org["newcomer"].uuid)},
        f"/people/{member}/role/": {"role": "editor"},
        f"/people/{member}/position/": {
            "level": "ladders-starter:engineer:IC3",
            "started_on": timezone.localdate().isoformat(),
        },
        "/people/new/": {
            "name": "Fresh Face",
            "email": "fresh@example.com",
            "team": "",
            "manager": "",
            "role": "member",
        },
        "/people/import/": {"text": "name,email\nImported,imported@example.com\n", "framework": ""},
        "/teams/new/": {"name": "Brand New Team"},
    }


ACTIONS = ["edit", "manager", "role", "position", "people/new", "import", "teams/new"]


def _action_url(key: str, org: dict[str, Any]) -> tuple[str, dict[str, str]]:
    actions = _actions(org)
    url = next(u for u in actions if u.rstrip("/").endswith(key))
    return url, actions[url]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ACTIONS)
def test_action_permissions(
    action: str, persona: str, persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    url, data = _action_url(action, org)
    response = persona_client(persona).post(url, data)
    if persona == "admin":
        assert response.status_code == 302, response.content.decode()[:2000]
    else:
        assert response.status_code == 403


def test_only_admins_change_anything(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    for persona in ["editor", "manager", "member", "outsider"]:
        for action in ACTIONS:
            url, data = _action_url(action, org)
            persona_client(persona).post(url, data)
    member = Person.objects.get(pk=org["member"].pk)
    assert member.name == "Member" and member.role == Role.MEMBER
    assert member.manager == org["manager"]
    assert not Person.objects.filter(
        email__in=["fresh@example.com", "imported@example.com"]
    ).exists()
    assert not Team.objects.filter(name="Brand New Team").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/people/",
        "/people/{member}/",
        "/people/new/",
        "/people/import/",
        "/teams/",
        "/teams/core/",
        "/people/{member}/edit/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(url: str, org: dict[str, Any]) -> None:
    response = Client().get(_url(url, org))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("persona", ["admin"])
def test_action_urls_answer_a_get_with_the_person_page(
    persona: str, persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    member = org["member"].uuid
    for action in ["edit", "manager", "role", "position"]:
        response = persona_client(persona).get(f"/people/{member}/{action}/")
        assert response.status_code == 302 and response["Location"] == f"/people/{member}/#manage"


# --- what people see ------------------------------------------------------------------------------


def test_chart_nests_reports_under_their_manager_and_lists_everyone(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    html = persona_client("member").get("/people/").content.decode()
    # The member is listed inside the manager's item of the chart.
    chart = html[html.index('class="org-chart"') : html.index("</section>")]
    manager_at = chart.index(">Manager</a>")
    nested = chart.index("<ul>", manager_at)
    assert chart.index(">Member</a>") > nested
    table = html[html.index("<table") :]
    for name in ["Admin", "Editor", "Manager", "Member", "Newcomer"]:
        assert f">{name}</a>" in table
    assert "Engineer · <strong>IC2</strong>" in table and '<td class="num">100</td>' in table


def test_filter_by_team(persona_client: Callable[[str], Client], org: dict[str, Any]) -> None:
    other = Team.objects.create(name="Elsewhere", slug="elsewhere")
    make_person("Far Away", team=other)
    client = persona_client("member")
    assert "Far Away" not in client.get("/people/?team=core").content.decode()
    assert "Far Away" in client.get("/people/?team=elsewhere").content.decode()
    unknown = client.get("/people/?team=nope").content.decode()
    assert "There is no team with the address “nope”" in unknown and "Far Away" in unknown


def test_htmx_filter_gets_only_the_results(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    response = persona_client("member").get("/people/?team=core", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "Reporting lines in Core" in html


EMAIL_SEEN = {"admin": True, "editor": False, "manager": True, "member": True}


@pytest.mark.parametrize("persona", list(EMAIL_SEEN))
def test_email_is_shown_to_the_person_their_managers_and_admins(
    persona: str, persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    html = persona_client(persona).get(f"/people/{org['member'].uuid}/").content.decode()
    assert ("member@example.com" in html) is EMAIL_SEEN[persona]
    assert "Engineer · <strong>IC2</strong>" in html  # levels are organisation-wide


def test_person_page_shows_chain_reports_and_history(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    top = make_person("Top Boss")
    Person.objects.filter(pk=org["manager"].pk).update(manager=top)
    client = persona_client("member")
    html = client.get(f"/people/{org['member'].uuid}/").content.decode()
    chain = html[html.index('class="org-chain"') :]
    assert chain.index(">Manager</a>") < chain.index(">Top Boss</a>")
    history = html[html.index("Position history") :]
    assert history.index("IC2") < history.index("IC1")
    assert '<td class="num">300</td>' in history  # 400 days ago to 101 days ago, inclusive
    top_html = client.get(f"/people/{top.uuid}/").content.decode()
    reports = top_html[top_html.index("<h2>Reports</h2>") :]
    assert reports.index(">Manager</a>") < reports.index(">Member</a>")


def test_only_admins_see_the_manage_forms(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    url = f"/people/{org['member'].uuid}/"
    assert 'id="manage"' in persona_client("admin").get(url).content.decode()
    for persona in ["editor", "manager", "member"]:
        assert 'id="manage"' not in persona_client(persona).get(url).content.decode()


def test_invite_button_appears_only_when_invitations_exist(
    persona_client: Callable[[str], Client], org: dict[str, Any], settings: Any
) -> None:
    url = f"/people/{org['newcomer'].uuid}/"
    client = persona_client("admin")
    settings.ROOT_URLCONF = "tests.org.invite_urls"
    html = client.get(url).content.decode()
    assert f'action="/people/{org["newcomer"].uuid}/invite/"' in html
    # Someone who already has an account is not invited again.
    assert "/invite/" not in client.get(f"/people/{org['member'].uuid}/").content.decode()


def test_no_invite_button_without_the_invitation_url(
    persona_client: Callable[[str], Client], org: dict[str, Any], settings: Any
) -> None:
    settings.ROOT_URLCONF = "tests.org.no_invite_urls"
    response = persona_client("admin").get(f"/people/{org['newcomer'].uuid}/")
    assert response.status_code == 200
    assert "Invite Newcomer" not in response.content.decode()


# --- admin actions and their errors in place -----------------------------------------------------


def test_a_manager_loop_is_explained_on_the_page(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    manager, member = org["manager"], org["member"]
    response = persona_client("admin").post(
        f"/people/{manager.uuid}/manager/", {"manager": str(member.uuid)}
    )
    assert response.status_code == 200
    assert "Member already reports to Manager directly" in response.content.decode()
    manager.refresh_from_db()
    assert manager.manager is None


def test_the_last_admin_cannot_demote_themselves(
    persona_client: Callable[[str], Client], org: dict[str, Any], people: People
) -> None:
    admin = people["admin"]
    assert admin is not None
    response = persona_client("admin").post(f"/people/{admin.uuid}/role/", {"role": "member"})
    assert response.status_code == 200
    assert "Admin is the last organisation admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_setting_a_position_closes_the_old_one(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    member = org["member"]
    today = timezone.localdate()
    response = persona_client("admin").post(
        f"/people/{member.uuid}/position/",
        {"level": "ladders-starter:engineer:IC3", "started_on": today.isoformat()},
        follow=True,
    )
    assert "Member is now at engineer IC3" in response.content.decode()
    assert Position.objects.get(person=member, level_code="IC2").ended_on == today - timedelta(
        days=1
    )
    assert AuditEvent.objects.filter(action=AuditAction.POSITION_CHANGE).count() == 1


def test_a_position_before_the_current_one_is_refused_in_place(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    member = org["member"]
    early = (timezone.localdate() - timedelta(days=200)).isoformat()
    response = persona_client("admin").post(
        f"/people/{member.uuid}/position/",
        {"level": "ladders-starter:engineer:IC3", "started_on": early},
    )
    assert response.status_code == 200 and "cannot start before that" in response.content.decode()


def test_editing_a_person_to_a_taken_email_is_refused_in_place(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    member = org["member"]
    response = persona_client("admin").post(
        f"/people/{member.uuid}/edit/", {"name": "Member", "email": "ADMIN@example.com", "team": ""}
    )
    assert response.status_code == 200 and "already the email of Admin" in response.content.decode()


def test_adding_a_person(persona_client: Callable[[str], Client], org: dict[str, Any]) -> None:
    data = {
        "name": "Fresh Face",
        "email": "fresh@example.com",
        "team": "core",
        "manager": str(org["manager"].uuid),
        "role": "member",
    }
    response = persona_client("admin").post("/people/new/", data, follow=True)
    assert "Added Fresh Face." in response.content.decode()
    fresh = Person.objects.get(email="fresh@example.com")
    assert fresh.team == org["team"] and fresh.manager == org["manager"]
    again = persona_client("admin").post("/people/new/", data)
    assert again.status_code == 200 and "already the email of Fresh Face" in again.content.decode()


def test_import_page_shows_every_row_error_and_saves_nothing(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    text = (
        "name,email,manager_email\nA,a@example.com,\n,b@example.com,\nC,c@example.com,bob@x.com\n"
    )
    response = persona_client("admin").post("/people/import/", {"text": text, "framework": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: 2 problems to fix." in html
    assert "<li>row 3: name is empty</li>" in html
    assert (
        "<li>row 4: manager_email bob@x.com is not a person in this file or the organisation</li>"
        in html
    )
    assert not Person.objects.filter(email="a@example.com").exists()


def test_import_page_accepts_an_upload_and_reports_counts(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "people.csv",
        b"name,email,team,manager_email,track,level\nNew One,new@example.com,Core,manager@example.com,engineer,IC1\nMember,member@example.com,Core,manager@example.com,,\n",
    )
    response = persona_client("admin").post(
        "/people/import/", {"file": upload, "framework": "ladders-starter"}, follow=True
    )
    html = response.content.decode()
    assert "2 rows: 1 people added, 0 updated, 1 unchanged" in html
    assert Position.objects.get(person__email="new@example.com").level_code == "IC1"


def test_import_page_without_a_file_or_text_says_so(
    persona_client: Callable[[str], Client], org: dict[str, Any]
) -> None:
    response = persona_client("admin").post("/people/import/", {"text": "", "framework": ""})
    assert "choose a CSV file or paste its contents" in response.content.decode()


def test_team_pages(persona_client: Callable[[str], Client], org: dict[str, Any]) -> None:
    client = persona_client("member")
    listing = client.get("/teams/").content.decode()
    assert ">Core</a>" in listing and '<td class="num">5</td>' in listing
    team = client.get("/teams/core/").content.decode()
    assert (
        ">Newcomer</a>" in team and "<strong>IC2</strong>" in team and "<strong>M1</strong>" in team
    )
    created = persona_client("admin").post("/teams/new/", {"name": "Core"})
    assert (
        created.status_code == 200
        and "a team called &#x27;Core&#x27; already exists" in created.content.decode()
    )
