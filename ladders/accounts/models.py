"""Invitations: an admin adds a person; they get a link to set a password and sign in.

Only the SHA-256 of a link's token is stored, so a copy of the database cannot be used to accept
an invitation. A person has at most one open invitation: a new one supersedes the older ones.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models


class Invitation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text="When a newer invitation for the same person replaced it."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(accepted_at__isnull=True, superseded_at__isnull=True),
                name="invitation_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(superseded_at__isnull=True),
                name="invitation_not_accepted_and_superseded",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation for {self.person}"


class ApiToken(models.Model):
    """A personal access token for the REST API. The secret is shown once, at creation; only its
    SHA-256 is kept, with a short visible prefix so people can tell their tokens apart."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(
        max_length=16, unique=True, help_text="Shown in lists, e.g. lad_3f9a2c1b."
    )
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    read_only = models.BooleanField(default=False, help_text="May only read (GET), never change.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name})"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
