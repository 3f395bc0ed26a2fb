from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ladders.library.selectors import framework_get, framework_list
from ladders.org.csv_import import COLUMNS, people_import_csv
from ladders.org.errors import OrgError, PeopleImportInvalid


class Command(BaseCommand):
    help = (
        f"Add or update people from a CSV file with the columns {','.join(COLUMNS)}. "
        "Every row is checked first; nothing is saved unless all rows are good."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the CSV file, or - to read standard input")
        parser.add_argument(
            "--framework", metavar="KEY", help="the framework whose tracks and levels rows name"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = self._read(options["file"])
        framework = None
        if options["framework"]:
            framework = framework_get(key=options["framework"])
            if framework is None:
                known = ", ".join(f.key for f in framework_list()) or "none installed"
                raise CommandError(
                    f"there is no framework {options['framework']!r}; known: {known}",
                    returncode=2,
                )
        try:
            summary = people_import_csv(text=text, actor=None, framework=framework)
        except PeopleImportInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{options['file']}: {error}")
            raise CommandError(
                f"nothing was imported: {len(exc.errors)} problems", returncode=2
            ) from exc
        except OrgError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(str(summary))

    def _read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        try:
            return Path(name).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"{name}: cannot be read: {exc.strerror}", returncode=2) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{name}: is not UTF-8 text", returncode=2) from exc
