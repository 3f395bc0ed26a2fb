from __future__ import annotations

from datetime import date

import pytest

from ladders.frameworks.starter import load_starter
from ladders.library.models import Framework
from ladders.library.services import framework_publish
from ladders.org.models import Person, Position, Team


@pytest.fixture
def starter(db: None) -> Framework:
    return framework_publish(document=load_starter().framework).framework


def make_person(name: str, *, team: Team | None = None, manager: Person | None = None) -> Person:
    email = name.lower().replace(" ", ".") + "@example.com"
    return Person.objects.create(name=name, email=email, team=team, manager=manager)


def make_position(
    person: Person,
    framework: Framework,
    track: str,
    level: str,
    start: date,
    end: date | None = None,
) -> Position:
    return Position.objects.create(
        person=person,
        framework=framework,
        version=framework.versions.order_by("-number").first(),
        track_key=track,
        level_code=level,
        started_on=start,
        ended_on=end,
    )
