"""Fixtures shared by the progression API tests (no tests here).

The small framework (tests/fixtures/small.yaml): coding 1-3, testing 1-2, mentoring 3-4;
points 1, 3, 6, 12 for milestones 1 to 4 (highest only); track `ic` with E1 (coding 1),
E2 (coding 2, testing 1, 5 points) and E3 (coding 3, testing 2, mentoring 3, 15 points, 6 in
people); level codes E1 from 0 points, E2 from 4, E3 from 15.

The organisation: the conftest personas, member reporting to manager; manager (E2) and member
(E1) hold `ic` positions in the team `core`, which the editor belongs to without a position.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ladders.frameworks.loader import load_file
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position, Team
from ladders.progress.models import Observation, ObservationSkill, Visibility

FIXTURES = Path(__file__).parent.parent / "fixtures"
PERSONAS = ["admin", "editor", "manager", "member", "outsider"]


@dataclass
class Org:
    framework: Framework
    team: Team
    admin: Person
    editor: Person
    manager: Person
    member: Person


def place(person: Person, framework: Framework, level: str) -> Position:
    return Position.objects.create(
        person=person,
        framework=framework,
        version=framework.versions.get(),
        track_key="ic",
        level_code=level,
        started_on=date(2025, 1, 1),
    )


def observe(
    org: Org,
    *,
    author: Person,
    subject: Person,
    visibility: str = Visibility.SHARED,
    skills: tuple[tuple[str, int | None], ...] = (("coding", 1),),
    text: str = "Saw it",
    on: date = date(2026, 3, 1),
) -> Observation:
    made = Observation.objects.create(
        author=author,
        subject=subject,
        framework=org.framework,
        text=text,
        observed_on=on,
        visibility=visibility,
    )
    for key, number in skills:
        ObservationSkill.objects.create(observation=made, skill_key=key, milestone=number)
    return made


@pytest.fixture
def small(db: None) -> Framework:
    return framework_publish(document=load_file(FIXTURES / "small.yaml").framework).framework


@pytest.fixture
def org(people: dict[str, Person | None], small: Framework) -> Org:
    got = {name: people[name] for name in ["admin", "editor", "manager", "member"]}
    assert all(got.values())
    team = Team.objects.create(slug="core", name="Core")
    Person.objects.filter(pk__in=[got["manager"].pk, got["member"].pk, got["editor"].pk]).update(  # type: ignore[union-attr]
        team=team
    )
    place(got["manager"], small, "E2")  # type: ignore[arg-type]
    place(got["member"], small, "E1")  # type: ignore[arg-type]
    return Org(small, team, **{k: Person.objects.get(pk=v.pk) for k, v in got.items()})  # type: ignore[union-attr]
