"""`ladders token create|list|revoke`: personal access tokens from a terminal on the server."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ladders.accounts import tokens
from ladders.accounts.errors import AccountError


class Command(BaseCommand):
    help = "Create, list or revoke a user's personal access tokens for the API."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it (shown once).")
        create.add_argument("--user", required=True, help="Username of the token's owner.")
        create.add_argument("--name", required=True, help="What the token is for.")
        create.add_argument("--read-only", action="store_true", help="It may only read.")
        create.add_argument("--expires-in-days", type=int, help="Default: never expires.")
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix (lad_...).")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}; check the username.", returncode=2)
        try:
            getattr(self, f"_{options['action']}")(user, options)
        except AccountError as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _create(self, user: Any, options: dict[str, Any]) -> None:
        made = tokens.token_create(
            user=user,
            name=options["name"],
            read_only=options["read_only"],
            expires_in_days=options["expires_in_days"],
        )
        self.stderr.write(
            f"Created {made.token.prefix} for {user.get_username()}"
            f"{' (read-only)' if made.token.read_only else ''}. It is shown once; keep it safe:"
        )
        self.stdout.write(made.secret)

    def _list(self, user: Any, options: dict[str, Any]) -> None:
        rows = tokens.token_list(user=user)
        if not rows:
            self.stderr.write(f"{user.get_username()} has no tokens.")
        for t in rows:
            state = (
                "revoked"
                if t.revoked_at
                else ("expires " + t.expires_at.date().isoformat() if t.expires_at else "active")
            )
            access = "read-only" if t.read_only else "read-write"
            self.stdout.write(f"{t.prefix}\t{t.name}\t{access}\t{state}")

    def _revoke(self, user: Any, options: dict[str, Any]) -> None:
        token = tokens.token_revoke(user=user, prefix=options["prefix"])
        self.stdout.write(f"Revoked {token.prefix} ({token.name}).")
