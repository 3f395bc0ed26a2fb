"""Loading people from a CSV file: all rows are checked first, and nothing is written unless all
of them are good.

Columns (header required, any case, any order): name, email, team, manager_email, track, level.
Name and email are required; the others are optional columns. A column that is present is the
truth for the people in the file: an empty team or manager_email means none. Track and level go
together and put the person at that level of the framework's latest version from today, unless
they are already there. People already in the organisation are matched by email and updated.

Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from ladders.audit.models import AuditAction
from ladders.audit.services import audit_record
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library.models import Framework, FrameworkVersion

from .errors import OrgError, PeopleImportInvalid
from .models import Person, Position, Team
from .services import Actor, _full_clean, framework_latest, level_check, position_open, team_create

COLUMNS = ("name", "email", "team", "manager_email", "track", "level")
REQUIRED = ("name", "email")
MAX_ROWS = 10_000
NAME_MAX = 200


@dataclass
class PeopleImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    managers_changed: int = 0
    positions_set: int = 0

    def __str__(self) -> str:
        return (
            f"{self.rows} row{'' if self.rows == 1 else 's'}: "
            f"{self.created} people added, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.teams_created} new teams, "
            f"{self.managers_changed} reporting lines changed, {self.positions_set} positions set"
        )


@dataclass
class _Row:
    number: int
    name: str
    email: str
    team: str | None  # None: the file has no team column
    manager_email: str | None  # None: no manager_email column; "" means no manager
    track: str
    level: str


def _header(cells: list[str]) -> tuple[list[str], list[str]]:
    columns = [c.strip().lower().replace(" ", "_").replace("-", "_") for c in cells]
    errors = []
    known = ", ".join(COLUMNS)
    for column in columns:
        if column not in COLUMNS:
            shown = column or "(empty)"
            errors.append(
                f"row 1: column {shown!r} is not one Ladders reads; the columns are: {known}"
            )
    for column in sorted({c for c in columns if columns.count(c) > 1 and c}):
        errors.append(f"row 1: column {column!r} appears more than once")
    for column in REQUIRED:
        if column not in columns:
            errors.append(f"row 1: the header has no {column!r} column; the columns are: {known}")
    if ("track" in columns) != ("level" in columns):
        errors.append("row 1: the header needs both 'track' and 'level' columns, or neither")
    return columns, errors


def _parse(text: str) -> tuple[list[str], list[_Row], list[tuple[int, str]], bool]:
    """Header, rows, the rows that could not be read, and whether the file is unreadable as a
    whole (then no row is worth checking)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    columns: list[str] | None = None
    rows: list[_Row] = []
    errors: list[tuple[int, str]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            if columns is None:
                columns, header_errors = _header(cells)
                if header_errors:
                    return columns, rows, [(1, e) for e in header_errors], True
                continue
            if len(cells) != len(columns):
                message = (
                    f"row {number}: has {len(cells)} values but the header has {len(columns)} "
                    f"columns ({', '.join(columns)})"
                )
                errors.append((number, message))
                continue
            values = {c: v.strip() for c, v in zip(columns, cells, strict=True)}
            rows.append(
                _Row(
                    number=number,
                    name=" ".join(values["name"].split()),
                    email=values["email"].lower(),
                    team=" ".join(values["team"].split()) if "team" in values else None,
                    manager_email=values["manager_email"].lower()
                    if "manager_email" in values
                    else None,
                    track=values.get("track", ""),
                    level=values.get("level", ""),
                )
            )
            if len(rows) > MAX_ROWS:
                return (
                    columns,
                    rows,
                    [(0, f"the file has more than {MAX_ROWS} rows; split it")],
                    True,
                )
    except csv.Error as exc:
        return (
            columns or [],
            rows,
            [(number + 1, f"row {number + 1}: the CSV cannot be read: {exc}")],
            True,
        )
    if columns is None:
        first = "the file is empty; its first row must be the header, e.g. " + ",".join(COLUMNS)
        return [], rows, [(0, first)], True
    if not rows and not errors:
        return columns, rows, [(0, "the file has a header but no people")], True
    return columns, rows, errors, False


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


class _Check:
    """Every problem of every row, against the organisation as it is now."""

    def __init__(self, rows: list[_Row], framework: Framework | None) -> None:
        self.rows = rows
        self.errors: list[tuple[int, str]] = []
        self.framework = framework
        self.version: FrameworkVersion | None = None
        self.doc: FrameworkDoc | None = None
        people = Person.objects.annotate(lower_email=Lower("email"))
        self.existing: dict[str, tuple[int, int | None, bool]] = {
            e: (pk, m, active)
            for pk, e, m, active in people.values_list(
                "pk", "lower_email", "manager_id", "is_active"
            )
        }
        self.email_of = {pk: e for e, (pk, _m, _a) in self.existing.items()}
        self.in_file: dict[str, int] = {}

    def error(self, row: _Row, message: str) -> None:
        self.errors.append((row.number, f"row {row.number}: {message}"))

    def run(self) -> list[tuple[int, str]]:
        if any(r.track or r.level for r in self.rows) and self.framework is not None:
            try:
                self.version, self.doc = framework_latest(self.framework)
            except OrgError as exc:
                return [(0, str(exc))]
        for row in self.rows:
            self.check_identity(row)
        for row in self.rows:
            self.check_manager(row)
            self.check_position(row)
        self.check_loops()
        return self.errors

    def check_identity(self, row: _Row) -> None:
        if not row.name:
            self.error(row, "name is empty")
        elif len(row.name) > NAME_MAX:
            self.error(row, f"name is longer than {NAME_MAX} characters")
        if row.team and len(row.team) > NAME_MAX:
            self.error(row, f"team is longer than {NAME_MAX} characters")
        if not row.email:
            self.error(row, "email is empty")
        elif not _is_email(row.email):
            self.error(row, f"email {row.email!r} is not an email address")
        elif row.email in self.in_file:
            self.error(row, f"email {row.email} is also on row {self.in_file[row.email]}")
        else:
            self.in_file[row.email] = row.number

    def check_manager(self, row: _Row) -> None:
        manager = row.manager_email
        if not manager:
            return
        if manager == row.email:
            self.error(row, f"manager_email {manager} is the person's own email")
        elif not _is_email(manager):
            self.error(row, f"manager_email {manager!r} is not an email address")
        elif manager not in self.in_file and not self.existing.get(manager, (0, None, False))[2]:
            self.error(
                row, f"manager_email {manager} is not a person in this file or the organisation"
            )

    def check_position(self, row: _Row) -> None:
        if not row.track and not row.level:
            return
        if not row.track or not row.level:
            given, missing = ("track", "level") if row.track else ("level", "track")
            self.error(row, f"{given} is given without a {missing}; give both or neither")
        elif self.framework is None:
            self.error(row, "a track and level are given but no framework was chosen for them")
        elif self.doc is not None:
            problem = level_check(self.doc, row.track, row.level)
            if problem is not None:
                self.error(row, problem)

    def check_loops(self) -> None:
        """Walk each row's chain as it would be after the import; report rows that come back."""
        above: dict[str, str | None] = {
            email: self.email_of.get(m) if m else None
            for email, (_pk, m, _a) in self.existing.items()
        }
        for row in self.rows:
            if row.manager_email is not None and row.email:
                above[row.email] = row.manager_email or None
        for row in self.rows:
            if not row.manager_email or row.manager_email == row.email:
                continue
            path, current, seen = [row.email], above.get(row.email), {row.email}
            while current is not None and current not in seen:
                path.append(current)
                seen.add(current)
                current = above.get(current)
            if current == row.email:
                loop = " → ".join([*path, row.email])
                self.error(row, f"manager_email {row.manager_email} makes a loop: {loop}")


def _team_for(name: str, teams: dict[str, Team], summary: PeopleImportSummary) -> Team:
    key = name.lower()
    team = teams.get(key)
    if team is None:
        team = team_create(name=name)
        summary.teams_created += 1
        teams[key] = teams[team.slug] = team
    return team


def _write(rows: list[_Row], check: _Check, summary: PeopleImportSummary) -> None:
    teams: dict[str, Team] = {}
    for team in Team.objects.all():
        teams.setdefault(team.slug, team)
        teams[team.name.lower()] = team
    people = {
        p.lower_email: p
        for p in Person.objects.annotate(lower_email=Lower("email")).filter(
            lower_email__in=[r.email for r in rows]
            + [r.manager_email for r in rows if r.manager_email]
        )
    }
    for row in rows:
        team = _team_for(row.team, teams, summary) if row.team else None
        person = people.get(row.email)
        if person is None:
            person = Person(name=row.name, email=row.email, team=team)
            _full_clean(person, f"row {row.number}")
            person.save()
            people[row.email] = person
            summary.created += 1
            continue
        before = (person.name, person.team_id, person.is_active)
        person.name, person.is_active = row.name, True
        if row.team is not None:
            person.team = team
        if (person.name, person.team_id, person.is_active) == before:
            summary.unchanged += 1
            continue
        _full_clean(person, f"row {row.number}")
        person.save(update_fields=["name", "team", "is_active"])
        summary.updated += 1
    for row in rows:
        if row.manager_email is None:
            continue
        person = people[row.email]
        manager = people[row.manager_email] if row.manager_email else None
        if person.manager_id != (manager.pk if manager else None):
            person.manager = manager
            person.save(update_fields=["manager"])
            summary.managers_changed += 1
    _write_positions(rows, check, people, summary)


def _write_positions(
    rows: list[_Row], check: _Check, people: dict[str, Person], summary: PeopleImportSummary
) -> None:
    if check.framework is None or check.version is None:
        return
    today = timezone.localdate()
    current = {
        p.person_id: p
        for p in Position.objects.filter(
            person__in=[people[r.email] for r in rows if r.track], ended_on=None
        )
    }
    for row in rows:
        if not row.track:
            continue
        person = people[row.email]
        now = current.get(person.pk)
        if now is not None and (now.framework_id, now.track_key, now.level_code) == (
            check.framework.pk,
            row.track,
            row.level,
        ):
            continue
        position_open(
            person=person,
            framework=check.framework,
            version=check.version,
            track_key=row.track,
            level_code=row.level,
            started_on=today,
        )
        summary.positions_set += 1


def people_import_csv(
    *, text: str, actor: Actor, framework: Framework | None = None
) -> PeopleImportSummary:
    """Check every row, then add or update all the people in one transaction, or none.

    Raises PeopleImportInvalid listing every bad row by number when any row is bad.
    """
    columns, rows, unreadable, fatal = _parse(text)
    if fatal:
        raise PeopleImportInvalid([message for _n, message in unreadable])
    with transaction.atomic():
        check = _Check(rows, framework)
        errors = sorted(unreadable + check.run(), key=lambda e: e[0])  # stable: row order kept
        if errors:
            raise PeopleImportInvalid([message for _n, message in errors])
        summary = PeopleImportSummary(rows=len(rows))
        _write(rows, check, summary)
        audit_record(
            actor=actor,
            action=AuditAction.PEOPLE_IMPORT,
            target="people",
            data={
                **asdict(summary),
                "columns": columns,
                "framework": framework.key if framework else None,
                "version": check.version.number if check.version else None,
            },
        )
    return summary
