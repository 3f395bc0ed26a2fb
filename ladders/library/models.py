"""Stored frameworks: each published version is an immutable, validated document."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Framework(models.Model):
    """A framework known by its stable key; its content lives in versions."""

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    is_template = models.BooleanField(
        default=False, help_text="Offered in the template library when installing a framework."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FrameworkVersion(models.Model):
    """One published version: the `ladders/v1` document exactly as validated."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.JSONField()
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON.")
    changelog = models.TextField(blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="frameworkversion_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="frameworkversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.key} v{self.number}"


class Draft(models.Model):
    """The working copy an editor changes; publishing turns it into the next version.

    It always holds a valid `ladders/v1` document: edits that do not validate are refused with
    their messages, so a draft can be published at any moment.
    """

    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, related_name="draft")
    document = models.JSONField()
    base_version = models.ForeignKey(
        FrameworkVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version this draft started from.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"draft of {self.framework.key}"
