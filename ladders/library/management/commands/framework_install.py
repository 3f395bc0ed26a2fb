from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ladders.frameworks.errors import FrameworkInvalid
from ladders.frameworks.loader import load_file
from ladders.library.models import FrameworkVersion
from ladders.library.services import framework_publish


class Command(BaseCommand):
    help = "Validate a ladders/v1 file and publish it as the next version of its framework."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--template", action="store_true", help="Offer it as a template.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            loaded = load_file(str(options["file"]))
        except FrameworkInvalid as exc:
            raise CommandError(
                f"{options['file']} is not a valid framework:\n{exc}", returncode=2
            ) from None
        before = FrameworkVersion.objects.filter(framework__key=loaded.framework.key).count()
        version = framework_publish(
            document=loaded.framework, is_template=bool(options["template"])
        )
        if version.framework.versions.count() == before:
            self.stdout.write(
                f"{version.framework.name}: unchanged, still version {version.number}"
            )
        else:
            self.stdout.write(f"{version.framework.name}: version {version.number} is published")
