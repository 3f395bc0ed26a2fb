from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ladders.frameworks.starter import load_starter
from ladders.library.services import framework_publish
from ladders.org.demo import demo_organisation_create
from ladders.progress.demo import demo_progress_create
from ladders.reports.demo import calibration_demo

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "ladders-demo"


class Command(BaseCommand):
    help = "Install the starter framework, a demo organisation and demo accounts (safe to rerun)."

    def handle(self, *args: object, **options: object) -> None:
        version = framework_publish(document=load_starter().framework, is_template=True)
        self.stdout.write(f"starter framework: {version.framework.name} v{version.number}")
        users = get_user_model().objects
        password = os.environ.get("LADDERS_DEMO_PASSWORD", DEMO_PASSWORD)
        if not users.filter(username=DEMO_USERNAME).exists():
            users.create_superuser(DEMO_USERNAME, "admin@example.com", password)
            self.stdout.write(f"demo login: {DEMO_USERNAME} / {password}")
        else:
            self.stdout.write(f"demo login: {DEMO_USERNAME} (exists; password unchanged)")
        demo_organisation_create(framework_key=version.framework.key)
        demo_progress_create()
        calibration_demo()  # agreed check-ins from three managers, so calibration has a story
        self.stdout.write(
            "demo organisation: also sign in as manager, member or editor (same password)"
        )
