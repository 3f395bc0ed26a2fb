"""People, teams and positions in the REST API.

As on the pages: every member sees the people, teams, reporting lines and positions; a person's
email only shows to them, their chain and admins; only admins change anything. Endpoints call the
same selectors and services as `ladders/org/views.py`.
"""

from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ladders.accounts.permissions import User, can_view_person, is_admin, is_member
from ladders.api.errors import ApiError, ErrorOut, errors, forbidden, invalid, not_found
from ladders.api.pagination import Cursor
from ladders.api.schemas import Text, example
from ladders.library.selectors import framework_get

from . import selectors, services
from .csv_import import PeopleImportSummary, people_import_csv
from .errors import OrgError, PeopleImportInvalid
from .models import Person, Position, Role, Team

# The app's router gathers two tagged ones, so each operation carries only its own tag.
router = Router()
people = Router(tags=["people"])
teams = Router(tags=["teams"])

SLUG = r"^[-a-zA-Z0-9_]+$"
PERSON_UUID = "0b5e4a52-3c1f-4c0e-9a55-1d2a7b9f6e10"
MANAGER_UUID = "5d0c7e11-8f2a-4b6e-b1c3-2e9f4a7d8c21"
PERSON_EXAMPLE = {
    "uuid": PERSON_UUID,
    "name": "Aiko Brennan",
    "email": "aiko@example.com",
    "team": {"slug": "platform", "name": "Platform"},
    "manager": {"uuid": MANAGER_UUID, "name": "Noor Haddad"},
    "role": "member",
    "is_active": True,
    "position": None,
}


# --- shared helpers ------------------------------------------------------------------------------


def query_text(name: str, value: str) -> str:
    """A free-text query parameter, refused (422) when the database could not compare it."""
    if "\x00" in value:
        raise invalid(f"query.{name}", "must not contain NUL characters")
    return value.strip()


def require_member(request: HttpRequest) -> None:
    if not is_member(request.user):
        raise forbidden("Only members of the organisation see this.")


def require_admin(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise forbidden("Only organisation admins do this.")


class RowsCursor(Cursor):
    """Turns each page into answers with one batch call, `rows(request, objects)`: flat queries."""

    def __init__(self, *, rows: Callable[[HttpRequest, list[Any]], list[Any]], **kw: Any) -> None:
        self.rows = rows
        super().__init__(**kw)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = self.rows(request, list(page[self.items_attribute]))
        return page


# --- schemas -------------------------------------------------------------------------------------


class TeamRef(Schema):
    model_config = example(slug="platform", name="Platform")
    slug: str
    name: str


class PersonRef(Schema):
    model_config = example(uuid=MANAGER_UUID, name="Noor Haddad")
    uuid: UUID
    name: str


class PositionOut(Schema):
    model_config = example(
        uuid="7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
        framework="engineering",
        framework_name="Engineering",
        track="engineer",
        track_name="Engineer",
        level="E3",
        level_title="Senior engineer",
        started_on="2025-04-01",
        ended_on=None,
        days=600,
        current=True,
    )
    uuid: UUID
    framework: str = Field(description="The framework's key.")
    framework_name: str
    track: str = Field(description="The track's key.")
    track_name: str
    level: str = Field(description="The level's code.")
    level_title: str
    started_on: date
    ended_on: date | None = Field(description="Null for the current position.")
    days: int = Field(description="Whole days in the position, to its end or to today.")
    current: bool


class PersonOut(Schema):
    model_config = example(**PERSON_EXAMPLE)
    uuid: UUID
    name: str
    email: str | None = Field(
        description="Shown only to the person, the managers above them and admins; else null."
    )
    team: TeamRef | None
    manager: PersonRef | None
    role: Role
    is_active: bool = Field(description="False once the person has left.")
    position: PositionOut | None = Field(description="The current position, if any.")


class ReportOut(Schema):
    model_config = example(
        uuid=PERSON_UUID, name="Aiko Brennan", manager=MANAGER_UUID, team=None, depth=1
    )
    uuid: UUID
    name: str
    manager: UUID = Field(description="Whom they report to directly.")
    team: TeamRef | None
    depth: int = Field(description="1 for direct reports, 2 for theirs, and so on.")


class PersonDetailOut(PersonOut):
    model_config = example(
        **PERSON_EXAMPLE, chain=[{"uuid": MANAGER_UUID, "name": "Noor Haddad"}], reports=[]
    )
    chain: list[PersonRef] = Field(description="The managers above, nearest first.")
    reports: list[ReportOut] = Field(description="Everyone below, depth first.")


class PersonIn(Schema):
    model_config = example(
        name="Aiko Brennan",
        email="aiko@example.com",
        team="platform",
        manager=MANAGER_UUID,
        role="member",
    )
    name: Text = Field(min_length=1, max_length=200)
    email: Text = Field(min_length=1, max_length=254)
    team: Text | None = Field(default=None, max_length=64, description="A team's slug.")
    manager: UUID | None = Field(default=None, description="The manager's uuid.")
    role: Role = Role.MEMBER


class PersonPatch(Schema):
    model_config = example(name="Aiko Brennan-Ito", team=None)
    name: Text | None = Field(default=None, min_length=1, max_length=200)
    email: Text | None = Field(default=None, min_length=1, max_length=254)
    team: Text | None = Field(
        default=None, max_length=64, description="A team's slug; null takes them off their team."
    )


class ManagerIn(Schema):
    model_config = example(manager=MANAGER_UUID)
    manager: UUID | None = Field(description="The new manager's uuid; null for nobody.")


class RoleIn(Schema):
    model_config = example(role="editor")
    role: Role


class PositionIn(Schema):
    model_config = example(framework="engineering", track="engineer", level="E3", started_on=None)
    framework: Text = Field(min_length=1, max_length=64, description="The framework's key.")
    track: Text = Field(min_length=1, max_length=64)
    level: Text = Field(min_length=1, max_length=32)
    started_on: date | None = Field(default=None, description="Defaults to today.")


class ImportIn(Schema):
    model_config = example(
        csv="name,email,team,manager_email\nAiko Brennan,aiko@example.com,Platform,\n",
        framework=None,
    )
    csv: Text = Field(
        min_length=1,
        description="The CSV text; columns name, email, team, manager_email, track, level.",
    )
    framework: Text | None = Field(
        default=None, max_length=64, description="The framework whose tracks the file names."
    )


class ImportOut(Schema):
    model_config = example(
        **{f.name: 0 for f in fields(PeopleImportSummary)},
        summary="0 rows: 0 people added, 0 updated, 0 unchanged; 0 new teams, ...",
    )
    rows: int
    created: int
    updated: int
    unchanged: int
    teams_created: int
    managers_changed: int
    positions_set: int
    summary: str


class TeamOut(Schema):
    model_config = example(slug="platform", name="Platform", member_count=6)
    slug: str
    name: str
    member_count: int = Field(description="Active people in the team.")


class TeamDetailOut(TeamOut):
    model_config = example(slug="platform", name="Platform", member_count=0, members=[])
    members: list[PersonOut] = Field(description="The team's active people, by name.")


class TeamIn(Schema):
    model_config = example(name="Platform")
    name: Text = Field(min_length=1, max_length=200)


# --- building answers ----------------------------------------------------------------------------


def position_out(row: selectors.PositionRow) -> PositionOut:
    p = row.position
    return PositionOut(
        uuid=p.uuid,
        framework=p.framework.key,
        framework_name=p.framework.name,
        track=p.track_key,
        track_name=row.track_name,
        level=p.level_code,
        level_title=row.level_title,
        started_on=p.started_on,
        ended_on=p.ended_on,
        days=row.days,
        current=row.is_open,
    )


def _team_ref(team: Team | None) -> TeamRef | None:
    return TeamRef(slug=team.slug, name=team.name) if team is not None else None


def _person_fields(row: selectors.PersonRow, email_visible: bool) -> dict[str, Any]:
    person = row.person
    manager = person.manager
    return {
        "uuid": person.uuid,
        "name": person.name,
        "email": person.email if email_visible else None,
        "team": _team_ref(person.team),
        "manager": PersonRef(uuid=manager.uuid, name=manager.name) if manager else None,
        "role": Role(person.role),
        "is_active": person.is_active,
        "position": position_out(row.current) if row.current else None,
    }


def people_out(user: User, rows: list[selectors.PersonRow]) -> list[PersonOut]:
    visible = selectors.person_email_visible_ids(user=user)
    return [
        PersonOut(**_person_fields(row, visible is None or row.person.pk in visible))
        for row in rows
    ]


def _people_page(request: HttpRequest, people: list[Person]) -> list[PersonOut]:
    return people_out(request.user, selectors.person_rows(people))


def _positions_page(request: HttpRequest, positions: list[Position]) -> list[PositionOut]:
    return [position_out(row) for row in selectors.position_rows(positions)]


def _person(uuid: UUID) -> Person:
    person = selectors.person_get(uuid=uuid)
    if person is None:
        raise not_found("person")
    return person


def _manager(uuid: UUID | None) -> Person | None:
    manager = selectors.person_get(uuid=uuid) if uuid is not None else None
    if uuid is not None and manager is None:
        raise invalid("body.manager", "There is no such person to be the manager.")
    return manager


def _team(slug: str | None) -> Team | None:
    if not slug:
        return None
    team = selectors.team_get(slug=slug)
    if team is None:
        raise invalid("body.team", f"There is no team {slug!r}.")
    return team


def _detail(request: HttpRequest, person: Person) -> PersonDetailOut:
    [row] = selectors.person_rows([person])
    reports: list[ReportOut] = []

    def walk(nodes: list[selectors.ReportNode], above: Person, depth: int) -> None:
        for node in nodes:
            p, team = node.person, _team_ref(node.person.team)
            out = ReportOut(uuid=p.uuid, name=p.name, manager=above.uuid, team=team, depth=depth)
            reports.append(out)
            walk(node.children, p, depth + 1)

    walk(selectors.person_reports_tree(person=person), person, 1)
    chain = [PersonRef(uuid=m.uuid, name=m.name) for m in selectors.person_chain(person=person)]
    shown = _person_fields(row, can_view_person(request.user, person))
    return PersonDetailOut(**shown, chain=chain, reports=reports)


# --- people --------------------------------------------------------------------------------------


@people.get(
    "/people",
    response={200: list[PersonOut], **errors(403, 422)},
    summary="List people",
)
@paginate(RowsCursor, rows=_people_page, ordering=("name", "id"))
def person_list(
    request: HttpRequest,
    team: str = Query("", max_length=64, description="A team's slug."),
    manager: Annotated[
        UUID | None, Query(description="Only the direct reports of this person.")
    ] = None,
    role: Annotated[Role | None, Query()] = None,
    active: bool = Query(True, description="false lists the people who have left."),
    search: str = Query("", max_length=200, description="Part of a name or a visible email."),
) -> Any:
    require_member(request)
    return selectors.person_filter(
        user=request.user,
        team=query_text("team", team),
        manager=manager,
        role=role.value if role else "",
        active=active,
        search=query_text("search", search),
    )


@people.post(
    "/people/import",
    response={200: ImportOut, **errors(400, 403, 422)},
    summary="Add and update people from CSV text, all rows or none",
)
def people_import(request: HttpRequest, payload: ImportIn) -> ImportOut:
    require_admin(request)
    framework = None
    if payload.framework:
        framework = framework_get(key=payload.framework)
        if framework is None or not framework.versions.exists():
            raise invalid("body.framework", f"No published framework {payload.framework!r}.")
    try:
        summary = people_import_csv(text=payload.csv, actor=request.user, framework=framework)
    except PeopleImportInvalid as exc:
        problems: dict[str, str] = {}
        for message in exc.errors:
            where, _, what = message.partition(": ")
            key = where if where.startswith("row ") and what else "body.csv"
            problems[key] = (
                f"{problems[key]}; {what or message}" if key in problems else what or message
            )
        raise ApiError(
            422,
            "import_invalid",
            "Nothing was imported: fix these rows and send it again.",
            problems,
        ) from exc
    return ImportOut(**asdict(summary), summary=str(summary))


@people.get(
    "/people/{uuid}",
    response={200: PersonDetailOut, **errors(403, 404, 422)},
    summary="Get a person",
)
def person_get(request: HttpRequest, uuid: UUID) -> PersonDetailOut:
    require_member(request)
    return _detail(request, _person(uuid))


@people.post(
    "/people",
    response={201: PersonDetailOut, **errors(400, 403, 409, 422)},
    summary="Add a person",
)
def person_create(request: HttpRequest, payload: PersonIn) -> Status:
    require_admin(request)
    manager = _manager(payload.manager)
    try:
        person = services.person_create(
            name=payload.name,
            email=payload.email,
            team=_team(payload.team),
            manager=manager,
            role=payload.role,
            actor=request.user,
        )
    except OrgError as exc:
        if selectors.person_email_taken(email=payload.email):
            raise ApiError(409, "conflict", str(exc), {"body.email": str(exc)}) from exc
        raise
    return Status(201, _detail(request, _person(person.uuid)))


@people.patch(
    "/people/{uuid}",
    response={200: PersonDetailOut, **dict.fromkeys((400, 403, 404, 409, 422), ErrorOut)},
    summary="Change a person's name, email or team",
)
def person_update(request: HttpRequest, uuid: UUID, payload: PersonPatch) -> PersonDetailOut:
    require_admin(request)
    person = _person(uuid)
    given = payload.model_fields_set
    for field in ("name", "email"):
        if field in given and getattr(payload, field) is None:
            raise invalid(f"body.{field}", f"The {field} cannot be empty.")
    name = payload.name if payload.name is not None else person.name
    email = payload.email if payload.email is not None else person.email
    team = _team(payload.team) if "team" in given else person.team
    try:
        services.person_update(person=person, name=name, email=email, team=team, actor=request.user)
    except OrgError as exc:
        if selectors.person_email_taken(email=email, exclude=person):
            raise ApiError(409, "conflict", str(exc), {"body.email": str(exc)}) from exc
        raise
    return _detail(request, _person(uuid))


@people.put(
    "/people/{uuid}/manager",
    response={200: PersonDetailOut, **errors(400, 403, 404, 422)},
    summary="Set whom a person reports to",
)
def person_set_manager(request: HttpRequest, uuid: UUID, payload: ManagerIn) -> PersonDetailOut:
    require_admin(request)
    person = _person(uuid)
    manager = _manager(payload.manager)
    services.person_set_manager(person=person, manager=manager, actor=request.user)
    return _detail(request, _person(uuid))


@people.put(
    "/people/{uuid}/role",
    response={200: PersonDetailOut, **errors(400, 403, 404, 422)},
    summary="Set a person's role",
)
def person_set_role(request: HttpRequest, uuid: UUID, payload: RoleIn) -> PersonDetailOut:
    require_admin(request)
    person = _person(uuid)
    services.person_set_role(person=person, role=payload.role, actor=request.user)
    return _detail(request, _person(uuid))


@people.get(
    "/people/{uuid}/positions",
    response={200: list[PositionOut], **errors(403, 404, 422)},
    summary="A person's position history, newest first",
)
@paginate(RowsCursor, rows=_positions_page, ordering=("-started_on", "-id"))
def position_list(request: HttpRequest, uuid: UUID) -> Any:
    require_member(request)
    return selectors.position_queryset(person=_person(uuid))


@people.post(
    "/people/{uuid}/positions",
    response={201: PositionOut, **errors(400, 403, 404, 422)},
    summary="Set a person's position (ends the current one the day before)",
)
def position_set(request: HttpRequest, uuid: UUID, payload: PositionIn) -> Status:
    require_admin(request)
    person = _person(uuid)
    framework = framework_get(key=payload.framework)
    if framework is None:
        raise invalid("body.framework", f"There is no framework {payload.framework!r}.")
    position = services.position_set(
        person=person,
        framework=framework,
        track_key=payload.track,
        level_code=payload.level,
        started_on=payload.started_on or timezone.localdate(),
        actor=request.user,
    )
    [row] = selectors.position_rows([position])
    return Status(201, position_out(row))


# --- teams ---------------------------------------------------------------------------------------


@teams.get("/teams", response={200: list[TeamOut], **errors(403, 422)}, summary="List teams")
@paginate(Cursor, ordering=("name", "id"))
def team_list(
    request: HttpRequest,
    search: str = Query("", max_length=200, description="Part of a team's name."),
) -> Any:
    require_member(request)
    teams = selectors.team_list()
    search = query_text("search", search)
    return teams.filter(name__icontains=search) if search else teams


@teams.get(
    "/teams/{slug}",
    response={200: TeamDetailOut, **errors(403, 404, 422)},
    summary="Get a team with its members",
)
def team_get(
    request: HttpRequest, slug: str = Path(..., pattern=SLUG, max_length=64)
) -> TeamDetailOut:
    require_member(request)
    team = selectors.team_get(slug=slug)
    if team is None:
        raise not_found("team")
    rows = selectors.person_list(user=request.user, team=team)
    return TeamDetailOut(
        slug=team.slug,
        name=team.name,
        member_count=len(rows),
        members=people_out(request.user, rows),
    )


@teams.post(
    "/teams",
    response={201: TeamOut, **errors(400, 403, 409, 422)},
    summary="Add a team",
)
def team_create(request: HttpRequest, payload: TeamIn) -> Status:
    require_admin(request)
    try:
        team = services.team_create(name=payload.name)
    except OrgError as exc:
        if selectors.team_name_taken(name=payload.name):
            raise ApiError(409, "conflict", str(exc), {"body.name": str(exc)}) from exc
        raise
    return Status(201, TeamOut(slug=team.slug, name=team.name, member_count=0))


router.add_router("", people)
router.add_router("", teams)
