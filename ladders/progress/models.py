"""Evidence and certified milestones. Person data refers to framework and skill by stable keys,
so a new framework version never orphans it."""

from __future__ import annotations

import uuid

from django.db import models


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private (the person, the author and their management chain)"
    SHARED = "shared", "Shared with the organisation"


class Observation(models.Model):
    """Evidence about a person, written by someone (themselves, their manager or a peer)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey("library.Framework", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(help_text="Markdown.")
    observed_on = models.DateField()
    link = models.URLField(blank=True, max_length=500)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-observed_on", "-id"]

    def __str__(self) -> str:
        return f"observation of {self.subject} on {self.observed_on}"


class ObservationSkill(models.Model):
    """A skill an observation evidences, optionally at a milestone."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="skills")
    skill_key = models.SlugField(max_length=64)
    milestone = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "skill_key"], name="observationskill_unique_skill"
            )
        ]
        indexes = [models.Index(fields=["skill_key"])]

    def __str__(self) -> str:
        return self.skill_key


class Attainment(models.Model):
    """A certified milestone. Revoking is recorded on the row, never deleted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="attainments")
    framework = models.ForeignKey("library.Framework", on_delete=models.PROTECT, related_name="+")
    skill_key = models.SlugField(max_length=64)
    milestone = models.PositiveSmallIntegerField()
    certified_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    certified_at = models.DateTimeField(auto_now_add=True)
    evidence = models.ManyToManyField(Observation, blank=True, related_name="attainments")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-certified_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(certified_by=models.F("person")),
                name="attainment_not_self_certified",
            ),
            models.CheckConstraint(
                condition=models.Q(milestone__gte=1), name="attainment_milestone_positive"
            ),
            models.UniqueConstraint(
                fields=["person", "framework", "skill_key", "milestone"],
                condition=models.Q(revoked_at__isnull=True),
                name="attainment_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.skill_key} milestone {self.milestone}"
