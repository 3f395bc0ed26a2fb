"""Check-ins: a dated assessment of a person against a framework version.

The framework document is copied into the check-in when it is created, so later versions never
move the goalposts under it; once agreed, nothing about it changes again.
"""

from __future__ import annotations

import uuid

from django.db import models


class CheckInState(models.TextChoices):
    DRAFT = "draft", "Waiting for the self-rating"
    SELF_DONE = "self_done", "Waiting for the manager's rating"
    MANAGER_DONE = "manager_done", "Waiting for the agreed outcome"
    AGREED = "agreed", "Agreed and locked"


class RaterRole(models.TextChoices):
    SELF = "self", "Self"
    MANAGER = "manager", "Manager"
    AGREED = "agreed", "Agreed"


class CheckIn(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="check_ins")
    framework = models.ForeignKey("library.Framework", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        "library.FrameworkVersion", on_delete=models.PROTECT, related_name="check_ins"
    )
    snapshot = models.JSONField(help_text="The framework document as it was at creation.")
    as_of = models.DateField()
    state = models.CharField(
        max_length=16, choices=CheckInState.choices, default=CheckInState.DRAFT
    )
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~models.Q(state="agreed"),
                name="checkin_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(state="agreed", agreed_at__isnull=False)
                | (~models.Q(state="agreed") & models.Q(agreed_at__isnull=True)),
                name="checkin_agreed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in of {self.person} as of {self.as_of}"


class CheckInRating(models.Model):
    """One rater's milestone for one skill of a check-in (0: not started)."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="ratings")
    skill_key = models.SlugField(max_length=64)
    rater_role = models.CharField(max_length=10, choices=RaterRole.choices)
    milestone = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who gave the rating, so calibration survives a change of manager.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["check_in", "skill_key", "rater_role"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_in", "skill_key", "rater_role"], name="checkinrating_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rater_role} {self.skill_key} {self.milestone}"
