"""Reads of the organisation: the chart, a person's chain and reports, positions over time.

Names, teams, reporting lines and levels are organisation-wide: every member sees them. Query
counts never depend on how many people there are: lists load people, their open positions and
the framework versions those positions point at in three queries, whatever the size.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ladders.accounts.permissions import User, is_member
from ladders.library.models import FrameworkVersion
from ladders.library.selectors import framework_document

from .models import Person, Position, Team


@dataclass(frozen=True)
class LevelInfo:
    """How a stored position reads in its framework version."""

    track_name: str
    level_title: str


@dataclass
class PositionRow:
    position: Position
    days: int
    track_name: str
    level_title: str

    @property
    def is_open(self) -> bool:
        return self.position.ended_on is None


@dataclass
class PersonRow:
    person: Person
    current: PositionRow | None


@dataclass
class ChartNode:
    row: PersonRow
    children: list[ChartNode] = field(default_factory=list)


@dataclass
class ReportNode:
    person: Person
    children: list[ReportNode] = field(default_factory=list)


def days_in_position(position: Position, today: date | None = None) -> int:
    """Whole days from the start to the end (the day after `ended_on`) or to today."""
    end = (
        position.ended_on + timedelta(days=1)
        if position.ended_on
        else today or timezone.localdate()
    )
    return max((end - position.started_on).days, 0)


def _level_infos(positions: Iterable[Position]) -> dict[tuple[int, str, str], LevelInfo]:
    """Track names and level titles for positions, reading each version's document once."""
    positions = list(positions)
    version_ids = {p.version_id for p in positions}
    if not version_ids:
        return {}
    versions = FrameworkVersion.objects.filter(pk__in=version_ids).select_related("framework")
    docs = {v.pk: framework_document(v) for v in versions}
    infos: dict[tuple[int, str, str], LevelInfo] = {}
    for p in positions:
        doc = docs[p.version_id]
        track = doc.track(p.track_key)
        level = track.level(p.level_code) if track else None
        infos[(p.version_id, p.track_key, p.level_code)] = LevelInfo(
            track_name=track.name if track else p.track_key,
            level_title=level.title if level and level.title else "",
        )
    return infos


def _position_rows(positions: Iterable[Position]) -> list[PositionRow]:
    positions = list(positions)
    infos = _level_infos(positions)
    today = timezone.localdate()
    rows = []
    for p in positions:
        info = infos[(p.version_id, p.track_key, p.level_code)]
        rows.append(PositionRow(p, days_in_position(p, today), info.track_name, info.level_title))
    return rows


def _open_positions() -> Prefetch[Position]:
    return Prefetch(
        "positions",
        queryset=Position.objects.filter(ended_on=None).select_related("framework"),
        to_attr="open_positions",
    )


def person_list(*, user: User, team: Team | None = None) -> list[PersonRow]:
    """Active people (of one team when given) with team, manager and current position.

    Members see everyone: the chart is shared. Outsiders see nobody.
    """
    if not is_member(user):
        return []
    people = (
        Person.objects.filter(is_active=True)
        .select_related("team", "manager")
        .prefetch_related(_open_positions())
        .order_by("name", "pk")
    )
    if team is not None:
        people = people.filter(team=team)
    people_list = list(people)
    open_positions = [p.open_positions[0] for p in people_list if p.open_positions]  # type: ignore[attr-defined]
    by_person = {row.position.person_id: row for row in _position_rows(open_positions)}
    return [PersonRow(p, by_person.get(p.pk)) for p in people_list]


def person_chart(rows: list[PersonRow]) -> list[ChartNode]:
    """The reporting lines among `rows` as a forest: roots are those whose manager is not there."""
    nodes = {row.person.pk: ChartNode(row) for row in rows}
    roots: list[ChartNode] = []
    for row in rows:
        parent = nodes.get(row.person.manager_id) if row.person.manager_id else None
        (parent.children if parent is not None else roots).append(nodes[row.person.pk])
    # A loop in stored data (never made by the services) would leave its members unreachable:
    # show them as roots rather than lose them.
    reachable: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        reachable.add(node.row.person.pk)
        stack.extend(node.children)
    roots.extend(n for pk, n in nodes.items() if pk not in reachable)
    return roots


def person_get(*, uuid: uuid_lib.UUID | str) -> Person | None:
    try:
        key = uuid if isinstance(uuid, uuid_lib.UUID) else uuid_lib.UUID(str(uuid))
    except ValueError:
        return None
    return Person.objects.select_related("team", "manager", "user").filter(uuid=key).first()


def _manager_map() -> dict[int, int | None]:
    return dict(Person.objects.values_list("pk", "manager_id"))


def person_chain(*, person: Person) -> list[Person]:
    """The managers above `person`, nearest first, in two queries whatever the depth."""
    managers = _manager_map()
    chain_ids: list[int] = []
    current = managers.get(person.pk)
    while current is not None and current not in chain_ids and current != person.pk:
        chain_ids.append(current)
        current = managers.get(current)
    found = Person.objects.select_related("team").in_bulk(chain_ids)
    return [found[pk] for pk in chain_ids if pk in found]


def person_reports_tree(*, person: Person) -> list[ReportNode]:
    """Everyone below `person`, as a tree of direct reports, in one query."""
    everyone = list(Person.objects.filter(is_active=True).select_related("team").order_by("name"))
    children: dict[int | None, list[Person]] = defaultdict(list)
    for p in everyone:
        children[p.manager_id].append(p)
    seen = {person.pk}

    def build(parent_pk: int) -> list[ReportNode]:
        nodes = []
        for child in children.get(parent_pk, []):
            if child.pk in seen:
                continue
            seen.add(child.pk)
            nodes.append(ReportNode(child, build(child.pk)))
        return nodes

    return build(person.pk)


def position_history(*, person: Person) -> list[PositionRow]:
    """Every position of a person, newest first, with the days spent in each."""
    positions = (
        Position.objects.filter(person=person)
        .select_related("framework")
        .order_by("-started_on", "-id")
    )
    return _position_rows(positions)


def team_list() -> QuerySet[Team]:
    """Teams with `member_count`, the number of active people in them."""
    return Team.objects.annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    ).order_by("name")


def team_get(*, slug: str) -> Team | None:
    return Team.objects.filter(slug=slug).first()


# --- for the API: filtered people, batch rows, who sees whose email ------------------------------


def person_email_visible_ids(*, user: User) -> set[int] | None:
    """Ids of the people whose email `user` may see (themselves and everyone below them), or
    None for an admin, who sees every email. The same rule as `can_view_person`, for many."""
    from ladders.accounts.permissions import is_admin, managed_ids, person_for

    if is_admin(user):
        return None
    me = person_for(user)
    if me is None:
        return set()
    return {me.pk} | managed_ids(me)


def person_filter(
    *,
    user: User,
    team: str = "",
    manager: uuid_lib.UUID | None = None,
    role: str = "",
    active: bool = True,
    search: str = "",
) -> QuerySet[Person]:
    """People for the API's list, unordered (the caller pages them), with team and manager.

    `team` is a team slug and `manager` a manager's uuid (direct reports). `search` matches
    names, and emails only of the people whose email the caller may see, so searching cannot
    reveal an address. Outsiders get nobody.
    """
    if not is_member(user):
        return Person.objects.none()
    people = Person.objects.filter(is_active=active).select_related("team", "manager")
    if team:
        people = people.filter(team__slug=team)
    if manager is not None:
        people = people.filter(manager__uuid=manager)
    if role:
        people = people.filter(role=role)
    search = search.strip()
    if search:
        visible = person_email_visible_ids(user=user)
        by_email = Q(email__icontains=search)
        if visible is not None:
            by_email &= Q(pk__in=visible)
        people = people.filter(Q(name__icontains=search) | by_email)
    return people


def person_rows(people: Iterable[Person]) -> list[PersonRow]:
    """People with their current position, in three queries however many there are."""
    people = list(people)
    opens = {
        p.person_id: p
        for p in Position.objects.filter(person__in=people, ended_on=None).select_related(
            "framework"
        )
    }
    by_person = {row.position.person_id: row for row in _position_rows(opens.values())}
    return [PersonRow(p, by_person.get(p.pk)) for p in people]


def position_rows(positions: Iterable[Position]) -> list[PositionRow]:
    """Positions (with their framework loaded) as rows with track names and days."""
    return _position_rows(positions)


def position_queryset(*, person: Person) -> QuerySet[Position]:
    """A person's positions with their framework, unordered (the caller pages them)."""
    return Position.objects.filter(person=person).select_related("framework")


def person_email_taken(*, email: str, exclude: Person | None = None) -> bool:
    """Whether another person already has this email (any case)."""
    others = Person.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


def team_name_taken(*, name: str) -> bool:
    """Whether a team already has this name (any case, spaces squeezed as the service does)."""
    return Team.objects.filter(name__iexact=" ".join(name.split())).exists()
