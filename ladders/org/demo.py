"""A small invented organisation to explore Ladders with: twelve people in three teams.

A head of engineering leads the Platform team directly and two managers, who lead Payments and
Mobile. Positions sit on the starter framework's engineer and manager tracks, started over the
last four years, several with one or two promotions. Three people get accounts: `manager`,
`member` and `editor`.
Running it again changes nothing that is already there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ladders.library.selectors import framework_get

from . import services
from .errors import OrgError
from .models import Person, Role, Team

DEMO_PASSWORD = "ladders-demo"
TEAMS = ["Platform", "Payments", "Mobile"]


@dataclass(frozen=True)
class _Demo:
    name: str
    team: str
    manager: str | None  # the manager's name
    steps: tuple[tuple[str, str, int], ...]  # (track, level, days ago it started), oldest first
    username: str | None = None
    role: Role = Role.MEMBER

    @property
    def email(self) -> str:
        return self.name.lower().replace(" ", ".") + "@example.com"


HEAD = "Ines Okafor"
PAYMENTS_LEAD = "Tomasz Reyes"
MOBILE_LEAD = "Priya Lindqvist"

PEOPLE = [
    _Demo(HEAD, "Platform", None, (("manager", "M2", 720), ("manager", "M3", 240))),
    _Demo(
        PAYMENTS_LEAD,
        "Payments",
        HEAD,
        (("engineer", "IC4", 700), ("manager", "M1", 420)),
        username="manager",
    ),
    _Demo(MOBILE_LEAD, "Mobile", HEAD, (("manager", "M1", 610), ("manager", "M2", 150))),
    _Demo(
        "Dara Whitfield",
        "Platform",
        HEAD,
        (("engineer", "IC3", 1400), ("engineer", "IC4", 1000), ("engineer", "IC5", 540)),
        username="editor",
        role=Role.EDITOR,
    ),
    _Demo("Mateo Sandoval", "Platform", HEAD, (("engineer", "IC3", 660), ("engineer", "IC4", 270))),
    _Demo(
        "Aiko Brennan",
        "Payments",
        PAYMENTS_LEAD,
        (("engineer", "IC2", 690), ("engineer", "IC3", 300)),
        username="member",
    ),
    _Demo(
        "Felix Amadi",
        "Payments",
        PAYMENTS_LEAD,
        (("engineer", "IC1", 450), ("engineer", "IC2", 90)),
    ),
    _Demo(
        "Noor Haddad",
        "Payments",
        PAYMENTS_LEAD,
        (("engineer", "IC3", 1150), ("engineer", "IC4", 760)),
    ),
    _Demo("Lena Vukovic", "Payments", PAYMENTS_LEAD, (("engineer", "IC1", 120),)),
    _Demo(
        "Samir Castellano",
        "Mobile",
        MOBILE_LEAD,
        (("engineer", "IC2", 1000), ("engineer", "IC3", 630)),
    ),
    _Demo(
        "Hana Kowalczyk", "Mobile", MOBILE_LEAD, (("engineer", "IC2", 365), ("engineer", "IC3", 60))
    ),
    _Demo("Oskar Mbeki", "Mobile", MOBILE_LEAD, (("engineer", "IC1", 210),)),
]


def _team(name: str) -> Team:
    return Team.objects.filter(name__iexact=name).first() or services.team_create(name=name)


def _account(person: Person, demo: _Demo, password: str) -> None:
    if demo.username is None or person.user_id is not None:
        return
    users = get_user_model().objects
    user = users.filter(username=demo.username).first()
    if user is None:
        user = users.create_user(demo.username, person.email, password)
    elif Person.objects.filter(user=user).exists():
        return  # the name is someone else's account already: leave it alone
    person.user = user
    person.save(update_fields=["user"])


@transaction.atomic
def demo_organisation_create(*, framework_key: str = "ladders-starter") -> None:
    """Create the demo organisation, or fill in what is missing of it."""
    framework = framework_get(key=framework_key)
    if framework is None:
        raise OrgError(
            f"the demo organisation needs the framework {framework_key!r}; install it first"
        )
    password = os.environ.get("LADDERS_DEMO_PASSWORD") or DEMO_PASSWORD
    teams = {name: _team(name) for name in TEAMS}
    today = timezone.localdate()
    people: dict[str, Person] = {}
    for demo in PEOPLE:
        person = Person.objects.filter(email__iexact=demo.email).first()
        if person is None:
            person = services.person_create(
                name=demo.name, email=demo.email, team=teams[demo.team], role=demo.role, actor=None
            )
        people[demo.name] = person
        _account(person, demo, password)
    for demo in PEOPLE:
        person = people[demo.name]
        if demo.manager is not None and person.manager_id is None:
            services.person_set_manager(person=person, manager=people[demo.manager], actor=None)
        if not person.positions.exists():
            for track, level, days_ago in demo.steps:
                services.position_set(
                    person=person,
                    framework=framework,
                    track_key=track,
                    level_code=level,
                    started_on=today - timedelta(days=days_ago),
                    actor=None,
                )
