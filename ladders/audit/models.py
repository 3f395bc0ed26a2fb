"""The append-only audit log: certifications, revocations, publishes and role changes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    FRAMEWORK_PUBLISH = "framework.publish", "Framework published"
    FRAMEWORK_INSTALL = "framework.install", "Framework installed"
    ROLE_CHANGE = "person.role", "Role changed"
    MANAGER_CHANGE = "person.manager", "Manager changed"
    POSITION_CHANGE = "person.position", "Position changed"
    PEOPLE_IMPORT = "people.import", "People imported"
    INVITATION = "person.invite", "Person invited"
    ATTAINMENT_CERTIFY = "attainment.certify", "Milestone certified"
    ATTAINMENT_REVOKE = "attainment.revoke", "Milestone revoked"


class AuditEvent(models.Model):
    """One recorded action. Rows are only ever inserted: the model refuses updates and deletes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True, help_text="Kept if the user goes.")
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target = models.CharField(max_length=200, help_text="What it was done to, e.g. framework key.")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("audit events are append-only")
