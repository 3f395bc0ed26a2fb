"""Invitations: an admin adds a person; they get a link to set a password and sign in.

Only the SHA-256 of a link's token is stored, so a copy of the database cannot be used to accept
an invitation. A person has at most one open invitation: a new one supersedes the older ones.
"""

from __future__ import annotations

import uuid

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
