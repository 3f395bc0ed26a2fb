"""Writes to the organisation: teams, people, reporting lines, roles and positions.

Every function here is the only way its change is made (pages, the CLI, the importer and the demo
all call them), so the rules live here: no manager cycles, never without an admin, positions that
follow each other in time on a track and level the framework actually has.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ladders.audit.models import AuditAction
from ladders.audit.services import audit_record
from ladders.frameworks.model import Framework as FrameworkDoc
from ladders.library.models import Framework, FrameworkVersion
from ladders.library.selectors import framework_document

from .errors import OrgError
from .models import Person, Position, Role, Team

Actor = AbstractBaseUser | AnonymousUser | None


# --- teams ---------------------------------------------------------------------------------------


RESERVED_SLUGS = {"new"}  # team addresses that are pages of their own


def _free_slug(base: str) -> str:
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Team.objects.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: 64 - len(suffix)] + suffix, n + 1
    return slug


@transaction.atomic
def team_create(*, name: str, slug: str | None = None) -> Team:
    """A new team; its slug comes from the name unless given, made unique with a number."""
    name = " ".join(name.split())
    if not name:
        raise OrgError("a team needs a name")
    if Team.objects.filter(name__iexact=name).exists():
        raise OrgError(f"a team called {name!r} already exists")
    if slug is None:
        slug = _free_slug(slugify(name)[:64] or "team")
    elif slug in RESERVED_SLUGS or Team.objects.filter(slug=slug).exists():
        raise OrgError(f"the team address {slug!r} is taken; choose another")
    team = Team(name=name, slug=slug)
    _full_clean(team, "team")
    team.save()
    return team


# --- people --------------------------------------------------------------------------------------


def _full_clean(obj: Team | Person | Position, what: str) -> None:
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
        raise OrgError(f"{what} is not valid: {problems}") from exc


def _clean_email(email: str, *, exclude: Person | None = None) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise OrgError(f"{email!r} is not an email address") from exc
    others = Person.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    taken = others.first()
    if taken is not None:
        raise OrgError(f"{email} is already the email of {taken.name}")
    return email


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise OrgError("a person needs a name")
    return name


@transaction.atomic
def person_create(
    *,
    name: str,
    email: str,
    team: Team | None = None,
    manager: Person | None = None,
    role: Role = Role.MEMBER,
    actor: Actor,
) -> Person:
    """Someone new in the organisation; they need no account yet (an admin invites them)."""
    if manager is not None and not manager.is_active:
        raise OrgError(f"{manager.name} has left the organisation and cannot be a manager")
    person = Person(
        name=_clean_name(name),
        email=_clean_email(email),
        team=team,
        manager=manager,
        role=Role(role),
    )
    _full_clean(person, "person")
    person.save()
    if person.role != Role.MEMBER:
        audit_record(
            actor=actor,
            action=AuditAction.ROLE_CHANGE,
            target=person.email,
            data={"from": None, "to": person.role},
        )
    return person


@transaction.atomic
def person_update(
    *, person: Person, name: str, email: str, team: Team | None, actor: Actor
) -> Person:
    """Change a person's name, email and team."""
    person.name = _clean_name(name)
    person.email = _clean_email(email, exclude=person)
    person.team = team
    _full_clean(person, "person")
    person.save(update_fields=["name", "email", "team"])
    return person


def _chain_above(person: Person) -> list[Person]:
    """The managers above `person`, nearest first; stops if data ever loops."""
    chain: list[Person] = []
    seen = {person.pk}
    current = person.manager
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.manager
    return chain


@transaction.atomic
def person_set_manager(*, person: Person, manager: Person | None, actor: Actor) -> Person:
    """Make `manager` the one person `person` reports to (None: nobody). Refuses loops."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if manager is not None:
        if manager.pk == person.pk:
            raise OrgError(f"{person.name} cannot be their own manager")
        if not manager.is_active:
            raise OrgError(f"{manager.name} has left the organisation and cannot be a manager")
        manager = Person.objects.select_related("manager").get(pk=manager.pk)
        chain = _chain_above(manager)
        above = [p.pk for p in chain]
        if person.pk in above:
            between = chain[: above.index(person.pk)]
            through = "through " + " → ".join(p.name for p in between) if between else "directly"
            raise OrgError(
                f"{manager.name} already reports to {person.name} {through}, so {person.name} "
                f"cannot report to {manager.name}: that would make a loop. Change "
                f"{manager.name}'s manager first."
            )
    old = person.manager
    if (old.pk if old else None) == (manager.pk if manager else None):
        return person
    person.manager = manager
    person.save(update_fields=["manager"])
    audit_record(
        actor=actor,
        action=AuditAction.MANAGER_CHANGE,
        target=person.email,
        data={"from": old.email if old else None, "to": manager.email if manager else None},
    )
    return person


@transaction.atomic
def person_set_role(*, person: Person, role: Role | str, actor: Actor) -> Person:
    """Give `person` a role; the organisation always keeps at least one active admin."""
    try:
        role = Role(role)
    except ValueError as exc:
        known = ", ".join(Role.values)
        raise OrgError(f"{role!r} is not a role; the roles are: {known}") from exc
    # Lock the admins so two demotions at once cannot both see "another admin is left".
    admins = list(
        Person.objects.select_for_update()
        .filter(role=Role.ADMIN, is_active=True)
        .values_list("pk", flat=True)
    )
    person = Person.objects.select_for_update().get(pk=person.pk)
    old = Role(person.role)
    if old == role:
        return person
    if old == Role.ADMIN and person.is_active and admins == [person.pk]:
        raise OrgError(
            f"{person.name} is the last organisation admin; make someone else an admin first"
        )
    person.role = role
    person.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action=AuditAction.ROLE_CHANGE,
        target=person.email,
        data={"from": old.value, "to": role.value},
    )
    return person


# --- positions -----------------------------------------------------------------------------------


def framework_latest(framework: Framework) -> tuple[FrameworkVersion, FrameworkDoc]:
    """The latest published version of a framework and its document."""
    version = framework.versions.order_by("-number").first()
    if version is None:
        raise OrgError(f"framework {framework.key!r} has no published version yet")
    return version, framework_document(version)


def level_check(doc: FrameworkDoc, track_key: str, level_code: str) -> str | None:
    """What is wrong with a track and level in a document, or None when both exist."""
    track = doc.track(track_key)
    if track is None:
        known = ", ".join(t.key for t in doc.tracks) or "none"
        return f"track {track_key!r} is not in {doc.name}; its tracks are: {known}"
    if track.level(level_code) is None:
        known = ", ".join(lv.code for lv in track.levels) or "none"
        return f"level {level_code!r} is not on track {track.key!r}; its levels are: {known}"
    return None


def position_open(
    *,
    person: Person,
    framework: Framework,
    version: FrameworkVersion,
    track_key: str,
    level_code: str,
    started_on: date,
) -> tuple[Position, Position | None]:
    """Close the open position the day before `started_on` and open the new one.

    Returns (new, closed). A new position on the same day as the open one replaces it: that is
    a correction, not a move. Checks dates only; the caller has checked the track and level.
    """
    if started_on > timezone.localdate():
        raise OrgError(f"the start date {started_on} is in the future; use today or earlier")
    current = Position.objects.select_for_update().filter(person=person, ended_on=None).first()
    closed = None
    if current is not None:
        if started_on < current.started_on:
            raise OrgError(
                f"{person.name}'s current position ({current.track_key} {current.level_code}) "
                f"started on {current.started_on}; a new one cannot start before that"
            )
        same = (current.framework_id, current.track_key, current.level_code) == (
            framework.pk,
            track_key,
            level_code,
        )
        if same:
            raise OrgError(
                f"{person.name} is already at {track_key} {level_code} since {current.started_on}"
            )
        if started_on == current.started_on:
            current.delete()
        else:
            current.ended_on = started_on - timedelta(days=1)
            current.save(update_fields=["ended_on"])
            closed = current
    position = Position(
        person=person,
        framework=framework,
        version=version,
        track_key=track_key,
        level_code=level_code,
        started_on=started_on,
    )
    _full_clean(position, "position")
    position.save()
    return position, closed


@transaction.atomic
def position_set(
    *,
    person: Person,
    framework: Framework,
    track_key: str,
    level_code: str,
    started_on: date,
    actor: Actor,
) -> Position:
    """Put `person` at a track and level of the framework's latest version from `started_on`."""
    version, doc = framework_latest(framework)
    problem = level_check(doc, track_key, level_code)
    if problem is not None:
        raise OrgError(problem)
    person = Person.objects.select_for_update().get(pk=person.pk)
    position, closed = position_open(
        person=person,
        framework=framework,
        version=version,
        track_key=track_key,
        level_code=level_code,
        started_on=started_on,
    )
    audit_record(
        actor=actor,
        action=AuditAction.POSITION_CHANGE,
        target=person.email,
        data={
            "framework": framework.key,
            "version": version.number,
            "track": track_key,
            "level": level_code,
            "started_on": started_on.isoformat(),
            "previous": (
                {
                    "track": closed.track_key,
                    "level": closed.level_code,
                    "ended_on": str(closed.ended_on),
                }
                if closed
                else None
            ),
        },
    )
    return position
