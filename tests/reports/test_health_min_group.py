"""Counts about people on framework health need MIN_GROUP (5) people on the framework, unless the
viewer is an organisation admin: the findings, the Health page, the skill panel and the API.

The built organisation (`build_org`) has 3 people on the framework: member at E1 (coding 1),
manager at E2 (coding 1 and 2, testing 1), editor at E2 (coding 2, testing 1); a shared
observation of the member on coding and a private one of the manager on testing (seen by the
manager and the admin only). `add_people` puts more people at E1 with coding 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ladders.library.models import Framework
from ladders.org.models import Person, Position
from ladders.reports.health import MIN_GROUP

from .test_health_usage import (
    ADMIN_USAGE,
    FIVE_USAGE,
    HEALTH,
    add_people,
    build_org,
    findings_for,
    text,
)

pytestmark = pytest.mark.django_db

API = "frameworks/tiny/health"
CODING = "/frameworks/tiny/skills/coding/"

TOO_FEW = (
    "too-few-people",
    "",
    "fewer than 5 people hold a position on this framework, and counts that small would point "
    "at individuals: counts about people (milestones reached, levels held) are shown from 5 "
    "people on, and before that only to organisation admins",
)
NEVER_TESTING = (
    "never-observed",
    "skills.testing",
    "no observation you can see references Testing",
)
NEVER_MENTORING = (
    "never-observed",
    "skills.mentoring",
    "no observation you can see references Mentoring",
)
NEVER_LEADING = (
    "never-observed",
    "skills.leading",
    "no observation you can see references Leading",
)

# what each persona is told about usage on the 3-person framework: only the note and the
# observation findings (the manager and the admin see the private observation on testing)
FEW_USAGE = {
    "admin": ADMIN_USAGE,
    "editor": [TOO_FEW, NEVER_TESTING, NEVER_MENTORING, NEVER_LEADING],
    "manager": [TOO_FEW, NEVER_MENTORING, NEVER_LEADING],
    "member": [TOO_FEW, NEVER_TESTING, NEVER_MENTORING, NEVER_LEADING],
}


def with_never_testing(found: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """FIVE_USAGE as a peer of the manager sees it: testing is never observed (said before the
    testing milestone findings, as for every skill)."""
    at = next(i for i, f in enumerate(found) if f[1].startswith("skills.testing"))
    return [*found[:at], NEVER_TESTING, *found[at:]]


@pytest.fixture
def org(people: dict[str, Person | None]) -> Framework:
    return build_org(people)


@pytest.fixture
def admin(people: dict[str, Person | None]) -> Person:
    person = people["admin"]
    assert person
    return person


def test_min_group_is_five() -> None:
    assert MIN_GROUP == 5


@pytest.mark.parametrize("persona", ["admin", "editor", "manager", "member"])
def test_three_people_only_the_admin_gets_counts_about_people(persona: str, org: Framework) -> None:
    assert findings_for(persona, org) == FEW_USAGE[persona]


def test_the_note_never_says_how_many_people_there_are(org: Framework) -> None:
    note = findings_for("member", org)[0][2]
    assert "fewer than 5" in note
    assert not re.search(r"\b[0-4]\b", note)
    assert "3" not in note and "three" not in note


def test_from_five_people_on_everyone_gets_the_counts(org: Framework, admin: Person) -> None:
    add_people(org, admin, 1)  # 4 people: still too few
    assert findings_for("member", org)[0] == TOO_FEW
    assert findings_for("admin", org)[0][0] != "too-few-people"
    add_people(org, admin, 1)  # 5 people
    assert findings_for("admin", org) == FIVE_USAGE
    assert findings_for("member", org) == with_never_testing(FIVE_USAGE)
    assert findings_for("manager", org) == FIVE_USAGE


def test_people_who_left_do_not_count_towards_five(org: Framework, admin: Person) -> None:
    add_people(org, admin, 2)
    assert TOO_FEW not in findings_for("member", org)
    Position.objects.filter(person__name="Extra 0").update(ended_on=timezone.localdate())
    assert findings_for("member", org) == FEW_USAGE["member"]


# --- the Health page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "usage"), [("admin", 10), ("editor", 4), ("manager", 3), ("member", 4)]
)
def test_health_page_with_three_people(
    persona: str, usage: int, org: Framework, persona_client: Callable[[str], Client]
) -> None:
    visible = text(persona_client(persona).get(HEALTH).content.decode())
    assert f"Usage · {usage} findings" in visible
    people_counts = (
        "nobody has reached milestone 3 of Coding",
        "all 3 of 3 people on this framework",
        "nobody holds level E3 of the Engineer track",
        "none of the levels people hold",
    )
    if persona == "admin":
        assert "too-few-people" not in visible
        assert all(words in visible for words in people_counts)
    else:
        assert "too-few-people" in visible and TOO_FEW[2] in visible
        assert not any(words in visible for words in people_counts)
        assert "Mentoring" in visible  # the observation findings stay


def test_health_page_with_five_people_gives_the_member_the_counts(
    org: Framework, admin: Person, persona_client: Callable[[str], Client]
) -> None:
    add_people(org, admin, 2)
    visible = text(persona_client("member").get(HEALTH).content.decode())
    assert "Usage · 11 findings" in visible  # FIVE_USAGE (10) and testing never observed
    assert "too-few-people" not in visible
    assert "all 5 of 5 people on this framework have reached milestone 1 of Coding" in visible
    assert "nobody holds level E4 of the Engineer track" in visible


# --- the skill panel ---------------------------------------------------------------------------


def test_skill_panel_with_three_people_hides_the_table_from_the_member(
    org: Framework, persona_client: Callable[[str], Client]
) -> None:
    visible = text(persona_client("member").get(CODING).content.decode())
    assert "1 observation you can see references this skill" in visible  # kept
    assert "People who reached it" not in visible and "Of the 3 people" not in visible
    assert "Fewer than 5 people hold a position on this framework" in visible
    assert "counts about people appear from 5 people on" in visible
    assert "nobody has reached milestone 3 of Coding" not in visible
    assert "Nothing unusual in the observations you can see" in visible


def test_skill_panel_with_three_people_shows_the_admin_everything(
    org: Framework, persona_client: Callable[[str], Client]
) -> None:
    """Coding reached (or above): 1 by all 3 (member 1, manager and editor 2), 2 by 2, 3 by 0."""
    visible = text(persona_client("admin").get(CODING).content.decode())
    assert (
        "Of the 3 people on this framework, how many have a certified milestone at this number "
        "or higher. Milestone People who reached it (or above) 1 3 2 2 3 0"
    ) in visible
    assert "Fewer than 5 people" not in visible
    assert "nobody has reached milestone 3 of Coding" in visible


def test_skill_panel_with_five_people_shows_the_member_the_table(
    org: Framework, admin: Person, persona_client: Callable[[str], Client]
) -> None:
    """With the two extra people at coding 1: 1 by 5, 2 by 2, 3 by 0."""
    add_people(org, admin, 2)
    visible = text(persona_client("member").get(CODING).content.decode())
    assert (
        "Of the 5 people on this framework, how many have a certified milestone at this number "
        "or higher. Milestone People who reached it (or above) 1 5 2 2 3 0"
    ) in visible
    assert "Fewer than 5 people" not in visible
    assert "all 5 of 5 people on this framework have reached milestone 1 of Coding" in visible


# --- the API -----------------------------------------------------------------------------------


def usage_of(client: Any, **params: Any) -> list[tuple[str, str, str]]:
    response = client.get(API, kind="usage", **params)
    assert response.status_code == 200
    return [(f["rule"], f["path"], f["message"]) for f in response.json()["findings"]]


@pytest.mark.parametrize("persona", ["admin", "editor", "manager", "member"])
def test_api_with_three_people(
    persona: str, org: Framework, api_client: Callable[..., Any]
) -> None:
    assert usage_of(api_client(persona)) == FEW_USAGE[persona]


def test_api_with_five_people_gives_the_member_the_counts(
    org: Framework, admin: Person, api_client: Callable[..., Any]
) -> None:
    add_people(org, admin, 2)
    client = api_client("member")
    assert usage_of(client) == with_never_testing(FIVE_USAGE)
    # coding: nobody at 3, and all 5 of 5 at 1
    assert [r for r, _, _ in usage_of(client, skill="coding")] == [
        "never-attained",
        "attained-by-most",
    ]
