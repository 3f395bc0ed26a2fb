"""Reads about accounts: the signed-in person's own record and invitation links."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format

from ladders.org.models import Person

from .errors import InvitationInvalid, InvitationProblem
from .models import Invitation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def account_person(*, user: AbstractBaseUser) -> Person | None:
    """The active person of a user with team, manager and active reports, in two queries."""
    reports = Person.objects.filter(is_active=True).select_related("team").order_by("name")
    return (
        Person.objects.filter(user=user, is_active=True)
        .select_related("team", "manager")
        .prefetch_related(Prefetch("reports", queryset=reports, to_attr="active_reports"))
        .first()
    )


def invitation_open_get(*, token: str, for_update: bool = False) -> Invitation:
    """The invitation a link's token belongs to, if it can still be accepted.

    Raises `InvitationInvalid` saying why not: unknown, used, replaced, expired, or for someone
    who left or already has an account.
    """
    invitations = Invitation.objects.select_related("person", "person__user")
    if for_update:
        invitations = invitations.select_for_update(of=("self", "person"))
    invitation = invitations.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationInvalid(
            InvitationProblem.UNKNOWN,
            "This invitation link is not one we know. Check that the whole link was copied, "
            "or ask an organisation admin to invite you again.",
        )
    person = invitation.person
    if invitation.accepted_at is not None or person.user_id is not None:
        raise InvitationInvalid(
            InvitationProblem.USED,
            f"This invitation has been used already: {person.name} has an account. "
            "Sign in with the username chosen then, or reset the password if it is forgotten.",
        )
    if invitation.superseded_at is not None:
        raise InvitationInvalid(
            InvitationProblem.SUPERSEDED,
            "A newer invitation replaced this one. Use the link from the latest invitation email, "
            "or ask an organisation admin to send a new one.",
        )
    if invitation.expires_at <= timezone.now():
        when = date_format(timezone.localtime(invitation.expires_at), "j F Y")
        raise InvitationInvalid(
            InvitationProblem.EXPIRED,
            f"This invitation expired on {when}. Ask an organisation admin to invite you again.",
        )
    if not person.is_active:
        raise InvitationInvalid(
            InvitationProblem.INACTIVE,
            f"{person.name} is no longer active in the organisation, so this invitation cannot "
            "be accepted. Ask an organisation admin if that is a mistake.",
        )
    return invitation


def invitation_pending(*, person: Person) -> Invitation | None:
    """The open invitation of a person (for "invited on …, expires …" on their page), if any."""
    return (
        person.invitations.filter(
            accepted_at__isnull=True, superseded_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("created_by")
        .first()
    )
