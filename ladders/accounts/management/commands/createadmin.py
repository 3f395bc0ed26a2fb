"""`ladders manage createadmin`: the first organisation admin of an installation."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ladders.accounts.services import admin_create

PASSWORD_ENV = "LADDERS_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an organisation admin: an account that can also open the Django admin, linked to "
        f"a person with the admin role. The password comes from --password-file, ${PASSWORD_ENV} "
        "or a prompt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", help="Full name shown in the app (default: the username).")
        parser.add_argument(
            "--password-file", type=Path, help="Read the password from this file's first line."
        )

    def handle(self, *args: object, **options: object) -> None:
        username = str(options["username"])
        password = self._password(options["password_file"])  # type: ignore[arg-type]
        try:
            person = admin_create(
                username=username,
                email=str(options["email"]),
                name=str(options["name"] or username),
                password=password,
            )
        except ValidationError as exc:
            lines = [
                f"{field}: {message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
            raise CommandError("no admin created:\n" + "\n".join(lines), returncode=2) from None
        self.stdout.write(
            f"{person.name} <{person.email}> is an organisation admin; sign in as {username!r}."
        )

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                lines = path.read_text().splitlines()
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
            if not lines or not lines[0]:
                raise CommandError(
                    f"{path} is empty; put the password on its first line", returncode=2
                )
            return lines[0]
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV]
        if not sys.stdin.isatty():
            raise CommandError(
                f"no password: give --password-file FILE or set {PASSWORD_ENV}", returncode=2
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("the two passwords differ; nothing was created", returncode=2)
        return first
