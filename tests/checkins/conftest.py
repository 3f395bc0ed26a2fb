from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ladders.checkins.models import CheckIn
from ladders.checkins.services import (
    checkin_agree,
    checkin_create,
    checkin_rate,
    checkin_submit_manager,
    checkin_submit_self,
)
from ladders.frameworks.loader import framework_from_data
from ladders.library.models import FrameworkVersion
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position

People = dict[str, Person | None]


def framework_data(skills: int, *, key: str = "checkin-test", word: str = "Old") -> dict[str, Any]:
    return {
        "schema": "ladders/v1",
        "key": key,
        "name": "Check-in test framework",
        "categories": [{"key": "craft", "name": "Craft"}],
        "skills": [
            {
                "key": f"skill-{i}",
                "name": f"Skill {i}",
                "category": "craft",
                "milestones": [
                    {"number": n, "summary": f"{word} summary {i}.{n}"} for n in (1, 2, 3)
                ],
            }
            for i in range(skills)
        ],
        "tracks": [{"key": "engineer", "name": "Engineer", "levels": [{"code": "E1"}]}],
    }


def publish(skills: int, **kw: Any) -> FrameworkVersion:
    return framework_publish(document=framework_from_data(framework_data(skills, **kw)))


def give_position(person: Person, version: FrameworkVersion) -> Position:
    return Position.objects.create(
        person=person,
        framework=version.framework,
        version=version,
        track_key="engineer",
        level_code="E1",
        started_on=date(2025, 1, 1),
    )


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


@pytest.fixture
def version(db: None) -> FrameworkVersion:
    return publish(3)


@pytest.fixture
def member(people: People, version: FrameworkVersion) -> Person:
    person = people["member"]
    assert person is not None
    give_position(person, version)
    return person


@pytest.fixture
def check_in(member: Person) -> CheckIn:
    return checkin_create(person=member, actor=user("member"), as_of=date(2026, 6, 1))


def all_ratings(check_in: CheckIn, milestone: int = 1, comment: str = "") -> dict[str, Any]:
    keys = [s["key"] for s in check_in.snapshot["skills"]]
    return {k: (milestone, comment) for k in keys}


def to_self_done(check_in: CheckIn) -> CheckIn:
    checkin_rate(
        check_in=check_in, rater_role="self", ratings=all_ratings(check_in), actor=user("member")
    )
    return checkin_submit_self(check_in=check_in, actor=user("member"))


def to_manager_done(check_in: CheckIn) -> CheckIn:
    to_self_done(check_in)
    checkin_rate(
        check_in=check_in,
        rater_role="manager",
        ratings=all_ratings(check_in, 2),
        actor=user("manager"),
    )
    return checkin_submit_manager(check_in=check_in, actor=user("manager"))


def to_agreed(check_in: CheckIn) -> CheckIn:
    to_manager_done(check_in)
    agreed = {k: 2 for k in all_ratings(check_in)}
    return checkin_agree(check_in=check_in, agreed=agreed, summary="Good", actor=user("manager"))
