"""Writes about accounts: invitations, their acceptance, the first admin, lockout clearing.

Field problems (a taken username, a weak password) are raised as Django `ValidationError`s keyed
by field, so forms and the command can show them beside what was typed; refusals that depend on
the state of things are `AccountError`s with a message meant to be shown as it is.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ladders.audit.models import AuditAction
from ladders.audit.services import audit_record
from ladders.org.models import Person, Role

from .errors import AccountError
from .models import Invitation
from .selectors import invitation_open_get, token_hash

INVITATION_LIFETIME = timedelta(days=14)


def invitation_url(token: str, base_url: str | None = None) -> str:
    """The accept link on SITE_URL when it is set, else on the address the admin is using."""
    base = settings.SITE_URL or base_url or "http://127.0.0.1:8000"
    return base.rstrip("/") + reverse("invitation-accept", args=[token])


@transaction.atomic
def invitation_create(
    *, person: Person, created_by: AbstractBaseUser | None, base_url: str | None = None
) -> tuple[Invitation, str]:
    """Invite `person` to set a password; returns the invitation and its absolute link.

    Older open invitations of the person stop working. The email goes out once the transaction
    commits; if sending fails the error is logged and the link still works when passed on by hand.
    """
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user is not None:
        raise AccountError(
            f"{person.name} already has an account (username {person.user.get_username()!r}). "
            "If they cannot sign in, they can reset their password from the sign-in page."
        )
    if not person.is_active:
        raise AccountError(f"{person.name} is inactive; make them active before inviting them.")
    now = timezone.now()
    person.invitations.filter(accepted_at__isnull=True, superseded_at__isnull=True).update(
        superseded_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        person=person,
        token_hash=token_hash(token),
        created_by=created_by,
        expires_at=now + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=created_by,
        action=AuditAction.INVITATION,
        target=str(person.uuid),
        data={
            "name": person.name,
            "email": person.email,
            "invitation": str(invitation.uuid),
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    url = invitation_url(token, base_url)

    def invitation_email_send() -> None:  # a named function: Django logs failures by name
        _invitation_email_send(invitation=invitation, url=url, created_by=created_by)

    transaction.on_commit(invitation_email_send, robust=True)
    return invitation, url


def _invitation_email_send(
    *, invitation: Invitation, url: str, created_by: AbstractBaseUser | None
) -> None:
    inviter = getattr(created_by, "person", None) if created_by is not None else None
    context = {
        "person": invitation.person,
        "inviter": inviter.name if inviter else (created_by.get_username() if created_by else ""),
        "url": url,
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("accounts/invitation_email_subject.txt", context).strip()
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.person.email])


def _user_build(*, username: str, email: str, password: str, **flags: bool) -> AbstractUser:
    """An unsaved user with a checked username and password; every problem at once, by field."""
    user: AbstractUser = get_user_model()(username=username, email=email, **flags)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    # Usernames differing only in case would be confused at sign-in, so they count as taken.
    taken = get_user_model().objects.filter(username__iexact=username).exists()
    if taken and "username" not in errors:
        errors["username"] = [f"The username {username!r} is taken; choose another one."]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    return user


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> AbstractUser:
    """Create the account an invitation offers, link it to the person and use up the link."""
    invitation = invitation_open_get(token=token, for_update=True)
    person = invitation.person
    user = _user_build(username=username, email=person.email, password=password)
    user.save()
    person.user = user
    person.full_clean()
    person.save(update_fields=["user"])
    invitation.accepted_at = timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def admin_create(*, username: str, email: str, name: str, password: str) -> Person:
    """An organisation admin who can also open the Django admin (a staff superuser).

    A person who already has `email` but no account is linked and made admin rather than copied.
    """
    email = get_user_model().objects.normalize_email(email)
    errors: dict[str, list[str]] = {}
    try:
        user = _user_build(
            username=username, email=email, password=password, is_staff=True, is_superuser=True
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    person = Person.objects.select_for_update().filter(email__iexact=email).first()
    if person is not None and person.user_id is not None:
        errors["email"] = [f"{email} belongs to {person.name}, who has an account."]
    elif person is not None and not person.is_active:
        errors["email"] = [f"{email} belongs to {person.name}, who is inactive; reactivate them."]
    if errors:
        raise ValidationError(errors)
    user.save()
    previous = person.role if person is not None else None
    if person is None:
        person = Person(name=name, email=email)
    person.user = user
    person.role = Role.ADMIN
    person.full_clean()
    person.save()
    audit_record(
        actor=None,
        action=AuditAction.ROLE_CHANGE,
        target=str(person.uuid),
        data={
            "name": person.name,
            "username": user.get_username(),
            "role": Role.ADMIN.value,
            "previous_role": previous,
            "via": "createadmin",
        },
    )
    return person


def login_failures_clear(*, user: AbstractBaseUser) -> int:
    """Forget failed sign-ins of a user (after a password reset); returns how many went."""
    return int(axes_reset(username=user.get_username()))
