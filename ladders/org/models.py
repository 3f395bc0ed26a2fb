"""The organisation: people, teams, reporting lines and positions on a framework's tracks.

A person can exist before they have an account. Each person has at most one manager; the chain
never loops (checked by `person_set_manager`). A manager is anyone with reports: it is not a
stored role, so it can never disagree with the reporting lines.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class Role(models.TextChoices):
    ADMIN = "admin", "Organisation admin"
    EDITOR = "editor", "Framework editor"
    MEMBER = "member", "Member"


class Team(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_unique_email"),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("id")), name="person_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """Where a person stands on a track, from a date; the open one has no end date."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    framework = models.ForeignKey(
        "library.Framework", on_delete=models.PROTECT, related_name="positions"
    )
    version = models.ForeignKey(
        "library.FrameworkVersion",
        on_delete=models.PROTECT,
        related_name="positions",
        help_text="The published version in force when the position started.",
    )
    track_key = models.SlugField(max_length=64)
    level_code = models.CharField(max_length=32)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True),
                name="position_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.track_key}/{self.level_code} from {self.started_on}"
