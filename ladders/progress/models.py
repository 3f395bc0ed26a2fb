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
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="Deleted by its author; kept for its history."
    )

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


class RevisionAction(models.TextChoices):
    EDITED = "edited", "Edited"
    DELETED = "deleted", "Deleted"


class ObservationRevision(models.Model):
    """What an observation said before its author edited or deleted it. Append-only."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    action = models.CharField(max_length=10, choices=RevisionAction.choices)
    changed_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()
    observed_on = models.DateField()
    link = models.URLField(blank=True, max_length=500)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    skills = models.JSONField(default=list, help_text="[[skill_key, milestone or null], ...]")

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.observation_id} at {self.changed_at}"


class FeedbackRequest(models.Model):
    """Someone (the subject or a manager above them) asks named peers for an observation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="feedback_requests"
    )
    framework = models.ForeignKey("library.Framework", on_delete=models.PROTECT, related_name="+")
    skill_keys = models.JSONField(default=list)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"feedback on {self.subject} asked by {self.requester}"


class AskStatus(models.TextChoices):
    OPEN = "open", "Waiting"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"


class FeedbackAsk(models.Model):
    """One requested peer of a feedback request, and what they did about it."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="asks")
    peer = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="feedback_asks")
    status = models.CharField(max_length=10, choices=AskStatus.choices, default=AskStatus.OPEN)
    answered_at = models.DateTimeField(null=True, blank=True)
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["request", "peer"]
        constraints = [
            models.UniqueConstraint(fields=["request", "peer"], name="feedbackask_unique_peer"),
            models.CheckConstraint(
                condition=~models.Q(status="answered") | models.Q(observation__isnull=False),
                name="feedbackask_answer_has_observation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.peer} for {self.request}"
