"""Usage findings on a built organisation, privacy, and the pages that show health: the framework
Health page and the Health panel of a skill page."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ladders.frameworks.loader import framework_from_data
from ladders.library.models import Framework, FrameworkVersion
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position
from ladders.progress.models import Attainment, Observation, ObservationSkill, Visibility
from ladders.reports.health import framework_health, framework_usage_counts, usage_findings

from .test_health_rules import clean_data

pytestmark = pytest.mark.django_db

HEALTH = "/frameworks/tiny/health/"


def org_data() -> dict[str, Any]:
    """The clean framework plus a skill, leading, that only level E4 asks for."""
    data = clean_data()
    data["skills"].append(
        {
            "key": "leading",
            "name": "Leading",
            "category": "people",
            "milestones": [
                {
                    "number": 1,
                    "summary": "Leads a project of three people.",
                    "signals": ["Runs the weekly planning of the project."],
                    "examples": ["Ran the planning of the search rewrite for a quarter."],
                }
            ],
        }
    )
    data["tracks"][0]["levels"].append(
        {
            "code": "E4",
            "requirements": {
                "milestones": {"coding": 3, "testing": 2, "mentoring": 2, "leading": 1},
                "min_points": 12,
            },
        }
    )
    return data


def place(person: Person, version: FrameworkVersion, level: str) -> None:
    Position.objects.create(
        person=person,
        framework=version.framework,
        version=version,
        track_key="ic",
        level_code=level,
        started_on=datetime.date(2025, 1, 1),
    )


def certify(person: Person, framework: Framework, skill: str, *numbers: int, by: Person) -> None:
    for n in numbers:
        Attainment.objects.create(
            person=person, framework=framework, skill_key=skill, milestone=n, certified_by=by
        )


def observe(
    subject: Person, author: Person, framework: Framework, skill: str, private: bool
) -> None:
    observation = Observation.objects.create(
        subject=subject,
        author=author,
        framework=framework,
        text="Paired on the release checklist",
        observed_on=datetime.date(2025, 3, 1),
        visibility=Visibility.PRIVATE if private else Visibility.SHARED,
    )
    ObservationSkill.objects.create(observation=observation, skill_key=skill)


@pytest.fixture
def org(people: dict[str, Person | None]) -> Framework:
    return build_org(people)


def build_org(people: dict[str, Person | None]) -> Framework:
    """Three people on the framework (the admin holds no position):

    - member at E1: coding 1
    - manager at E2: coding 1 and 2, testing 1
    - editor at E2: coding 2 (certified straight away), testing 1
    - a shared observation of the member on coding; a private one of the manager on testing,
      written by the admin (the manager, its subject, and the admin see it; nobody else does)
    """
    version = framework_publish(document=framework_from_data(org_data()))
    framework = version.framework
    admin, manager, member, editor = (people[k] for k in ("admin", "manager", "member", "editor"))
    assert admin and manager and member and editor
    place(member, version, "E1")
    place(manager, version, "E2")
    place(editor, version, "E2")
    certify(member, framework, "coding", 1, by=admin)
    certify(manager, framework, "coding", 1, 2, by=admin)
    certify(manager, framework, "testing", 1, by=admin)
    certify(editor, framework, "coding", 2, by=admin)
    certify(editor, framework, "testing", 1, by=admin)
    observe(member, manager, framework, "coding", private=False)
    observe(manager, admin, framework, "testing", private=True)
    return framework


def add_people(framework: Framework, admin: Person, n: int) -> None:
    """n more people at E1 of the framework, each with coding 1 certified and no observation."""
    version = framework.versions.order_by("-number").first()
    assert version
    for _ in range(n):
        i = Person.objects.filter(name__startswith="Extra ").count()
        person = Person.objects.create(name=f"Extra {i}", email=f"extra{i}@example.com")
        place(person, version, "E1")
        certify(person, framework, "coding", 1, by=admin)


@pytest.fixture
def org5(org: Framework, people: dict[str, Person | None]) -> Framework:
    """The built organisation plus two people at E1 with coding 1: five people, so everyone gets
    the counts about people. Coding: 1 reached by all 5 (member, the two extra, and manager and
    editor at 2), 2 by 2, 3 by none; testing: 1 by 2, 2 by none; E1 held by 3, E2 by 2."""
    admin = people["admin"]
    assert admin
    add_people(org, admin, 2)
    return org


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def findings_for(name: str, framework: Framework) -> list[tuple[str, str, str]]:
    doc = framework_from_data(org_data())
    counts = framework_usage_counts(user=user(name), framework=framework)
    return [(f.rule, f.path, f.message) for f in usage_findings(doc, counts)]


ADMIN_USAGE = [
    ("never-attained", "skills.coding.milestones[2]", "nobody has reached milestone 3 of Coding"),
    (
        "attained-by-most",
        "skills.coding.milestones[0]",
        "all 3 of 3 people on this framework have reached milestone 1 of Coding, so it "
        "hardly tells anyone apart any more",
    ),
    (
        "never-attained",
        "skills.testing.milestones[1]",
        "nobody has reached milestone 2 of Testing",
    ),
    (
        "never-observed",
        "skills.mentoring",
        "no observation you can see references Mentoring",
    ),
    (
        "never-attained",
        "skills.mentoring.milestones[0]",
        "nobody has reached any milestone of Mentoring",
    ),
    (
        "unrequired-in-use",
        "skills.leading",
        "none of the levels people hold or are working towards (E1, E2, E3) requires a "
        "milestone of Leading",
    ),
    (
        "never-observed",
        "skills.leading",
        "no observation you can see references Leading",
    ),
    (
        "never-attained",
        "skills.leading.milestones[0]",
        "nobody has reached any milestone of Leading",
    ),
    ("level-unheld", "tracks.ic.levels[2]", "nobody holds level E3 of the Engineer track"),
    ("level-unheld", "tracks.ic.levels[3]", "nobody holds level E4 of the Engineer track"),
]


# with five people (org5): what ADMIN_USAGE says, except that coding 1 is reached by all 5 of 5
FIVE_USAGE = [(r, p, m.replace("all 3 of 3", "all 5 of 5")) for r, p, m in ADMIN_USAGE]
assert FIVE_USAGE[1][2].startswith("all 5 of 5 people on this framework have reached milestone 1")


def test_usage_counts_of_the_built_organisation(org: Framework) -> None:
    counts = framework_usage_counts(user=user("admin"), framework=org)
    assert counts.people == 3
    assert counts.holders == {("ic", "E1"): 1, ("ic", "E2"): 2}
    # the editor holds coding 2 without a row for 1: reaching 2 counts as reaching 1
    assert [counts.reached_count("coding", n) for n in (1, 2, 3)] == [3, 2, 0]
    assert [counts.reached_count("testing", n) for n in (1, 2)] == [2, 0]
    assert counts.observations == {"coding": 1, "testing": 1}


def test_usage_findings_of_the_built_organisation(org: Framework) -> None:
    assert findings_for("admin", org) == ADMIN_USAGE


def test_milestones_reached_by_nine_in_ten_no_longer_tell_people_apart(
    org: Framework, people: dict[str, Person | None]
) -> None:
    """Nine more people at E1 with coding 1 and testing 1: testing 1 is now held by 11 of 12
    (at least 90%), coding 2 by 2 of 12 (not)."""
    version = org.versions.get()
    admin = people["admin"]
    assert admin
    for i in range(9):
        person = Person.objects.create(name=f"P{i}", email=f"p{i}@example.com")
        place(person, version, "E1")
        certify(person, org, "coding", 1, by=admin)
        certify(person, org, "testing", 1, by=admin)
    by_rule = [(r, p, m) for r, p, m in findings_for("admin", org) if r == "attained-by-most"]
    assert by_rule == [
        (
            "attained-by-most",
            "skills.coding.milestones[0]",
            "all 12 of 12 people on this framework have reached milestone 1 of Coding, so it "
            "hardly tells anyone apart any more",
        ),
        (
            "attained-by-most",
            "skills.testing.milestones[0]",
            "11 of 12 people on this framework have reached milestone 1 of Testing, so it "
            "hardly tells anyone apart any more",
        ),
    ]


def test_revoked_milestones_and_people_who_left_do_not_count(
    org: Framework, people: dict[str, Person | None]
) -> None:
    member, editor = people["member"], people["editor"]
    assert member and editor
    Attainment.objects.filter(person=editor, skill_key="testing").update(
        revoked_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    )
    Person.objects.filter(pk=member.pk).update(is_active=False)
    counts = framework_usage_counts(user=user("admin"), framework=org)
    assert counts.people == 2
    assert counts.holders == {("ic", "E2"): 2}
    assert [counts.reached_count("testing", n) for n in (1, 2)] == [1, 0]


def test_a_private_observation_never_changes_what_a_peer_is_told(org5: Framework) -> None:
    """Five people, so everyone gets the counts about people. The private observation on testing
    is seen by its subject (manager) and the admin; the editor (a peer) and the member (below
    the manager) are told testing is never referenced, and otherwise get what the admin gets."""
    never = ("never-observed", "skills.testing", "no observation you can see references Testing")
    admin = findings_for("admin", org5)
    assert admin == FIVE_USAGE
    assert findings_for("manager", org5) == admin
    for name in ("editor", "member"):
        theirs = findings_for(name, org5)
        assert theirs.count(never) == 1, name
        assert [f for f in theirs if f != never] == admin, name
    # and without it, the peer's findings are exactly the same
    Observation.objects.filter(visibility=Visibility.PRIVATE).delete()
    assert findings_for("editor", org5).count(never) == 1


def test_nobody_on_the_framework_and_no_observation(people: dict[str, Person | None]) -> None:
    version = framework_publish(document=framework_from_data(clean_data()))
    doc = framework_from_data(clean_data())
    found = framework_health(user=user("admin"), framework=version.framework, doc=doc)
    assert [(f.rule, f.message) for f in found] == [
        (
            "no-people",
            "nobody holds a position on this framework yet, so nothing can be said about "
            "milestones reached or levels held",
        ),
        ("never-observed", "no observation you can see references any skill of this framework"),
    ]


# --- pages -------------------------------------------------------------------------------------


def text(markup: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("editor", 200), ("manager", 200), ("member", 200), ("outsider", 403)],
)
def test_health_page_permissions(
    persona: str, status: int, org: Framework, persona_client: Callable[[str], Client]
) -> None:
    assert persona_client(persona).get(HEALTH).status_code == status


def test_health_page_sends_anonymous_visitors_to_sign_in(org: Framework) -> None:
    response = Client().get(HEALTH)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/frameworks/tiny/health/")


def test_health_page_groups_findings_by_kind_and_skill_with_counts(
    org: Framework, persona_client: Callable[[str], Client]
) -> None:
    response = persona_client("admin").get(HEALTH)
    markup = response.content.decode()
    visible = text(markup)
    assert "Health of Tiny" in visible
    assert "Version 1 (latest) · 10 findings" in visible
    # kind, error, warning, info, all
    assert "Structure 0 0 0 0 Writing 0 0 0 0 Usage 0 0 10 10 Total 0 0 10 10" in visible
    assert "Usage · 10 findings" in visible
    assert "Coding · 2" in visible and "Leading · 3" in visible
    assert "Tracks and levels · 2" in visible
    assert visible.index("Coding · 2") < visible.index("Leading · 3")
    assert "nobody has reached milestone 3 of Coding" in visible
    assert 'href="/frameworks/tiny/skills/coding/#milestone-3"' in markup
    # the place reads by name and from 1; the file path is only in the link's title
    assert (
        '<a href="/frameworks/tiny/skills/coding/#milestone-3" title="Location in the framework '
        'file: skills.coding.milestones[2]">Coding › milestone 3</a>'
    ) in markup
    assert "skills.coding.milestones[2]" not in visible
    assert "attained-by-most" in visible and "attained-by-all" not in visible
    assert "'coding'" not in visible and "'ic'" not in visible
    assert 'href="/frameworks/tiny/tracks/ic/#level-3"' in markup
    assert "Nothing found." in visible  # structure and writing


def test_health_page_shows_a_writing_finding_with_its_text(
    people: dict[str, Person | None], persona_client: Callable[[str], Client]
) -> None:
    data = clean_data()
    data["skills"][1]["milestones"][0]["signals"] = ["Writes <b>beautiful</b> code"]
    framework_publish(document=framework_from_data(data))
    markup = persona_client("member").get(HEALTH).content.decode()
    assert "Writes &lt;b&gt;beautiful&lt;/b&gt; code" in markup  # escaped
    visible = text(markup)
    assert "Writing · 1 finding" in visible
    assert "Testing › milestone 1 › signal 1" in visible
    assert 'title="Location in the framework file: skills.testing.milestones[0].signals[0]"' in (
        markup
    )


def test_health_page_for_an_unknown_framework_or_version(
    org: Framework, persona_client: Callable[[str], Client]
) -> None:
    client = persona_client("member")
    assert client.get("/frameworks/nope/health/").status_code == 404
    assert client.get(HEALTH + "?version=7").status_code == 404
    response = client.get(HEALTH + "?version=abc")
    assert response.status_code == 404
    assert "“abc” is not a version number" in text(response.content.decode())


def test_health_page_of_an_older_version_keeps_to_it(
    org: Framework, persona_client: Callable[[str], Client]
) -> None:
    data = org_data()
    data["skills"][0]["milestones"][0]["signals"] = ["Writes elegant code"]
    framework_publish(document=framework_from_data(data))
    client = persona_client("admin")
    latest = text(client.get(HEALTH).content.decode())
    first = client.get(HEALTH + "?version=1").content.decode()
    assert "Version 2 (latest)" in latest and "Writing · 1 finding" in latest
    assert "Writing · 0 findings" in text(first)
    assert 'href="/frameworks/tiny/skills/coding/?version=1#milestone-3"' in first


def test_framework_page_links_to_health(
    org: Framework, persona_client: Callable[[str], Client]
) -> None:
    markup = persona_client("member").get("/frameworks/tiny/").content.decode()
    assert f'href="{HEALTH}">framework health</a>' in markup


def test_skill_panel_shows_the_findings_of_that_skill_of_all_three_kinds(
    org: Framework, persona_client: Callable[[str], Client]
) -> None:
    data = org_data()
    data["skills"][2]["milestones"][0]["signals"] = ["Has a great attitude"]
    data["skills"][2]["milestones"][1]["examples"] = []
    framework_publish(document=framework_from_data(data))
    visible = text(
        persona_client("admin").get("/frameworks/tiny/skills/mentoring/").content.decode()
    )
    checks = visible[visible.index("Checks") :]
    assert "4 findings about this skill" in checks
    assert "milestone 2 of Mentoring has no examples" in checks  # structure (a note)
    assert "No structural problem found in this skill." in checks
    assert 'this signal praises ("great")' in checks  # writing
    assert "no observation you can see references Mentoring" in checks  # usage
    assert "nobody has written down evidence" not in checks
    assert "nobody has reached any milestone of Mentoring" in checks
    assert "of Coding" not in checks and "of Leading" not in checks


def test_skill_panel_usage_follows_the_viewer(
    org5: Framework, persona_client: Callable[[str], Client]
) -> None:
    never = "no observation you can see references Testing"
    url = "/frameworks/tiny/skills/testing/"
    assert never in text(persona_client("editor").get(url).content.decode())
    manager_view = text(persona_client("manager").get(url).content.decode())
    assert never not in manager_view
    assert "1 observation you can see references this skill" in manager_view
    assert "nobody has reached milestone 2 of Testing" in manager_view


# --- query counts ------------------------------------------------------------------------------


def grow(org: Framework, admin: Person, n: int) -> None:
    """n more people on the framework, each with two milestones and two observations."""
    version = org.versions.order_by("-number").first()
    assert version
    for i in range(n):
        person = Person.objects.create(name=f"Q{i}", email=f"q{i}-{n}@example.com")
        place(person, version, "E1" if i % 2 else "E2")
        certify(person, org, "coding", 1, 2, by=admin)
        observe(person, admin, org, "coding", private=False)
        observe(person, admin, org, "mentoring", private=True)


@pytest.mark.parametrize("persona", ["admin", "manager", "member"])
@pytest.mark.parametrize("url", [HEALTH, "/frameworks/tiny/skills/coding/"])
def test_query_count_stays_flat_from_3_to_30_people(
    url: str,
    persona: str,
    org: Framework,
    people: dict[str, Person | None],
    persona_client: Callable[[str], Client],
) -> None:
    admin = people["admin"]
    assert admin
    client = persona_client(persona)
    client.get(url)  # the document is parsed once per process
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(org, admin, 27)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(small) <= 9
