from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made from a person's page (the link is shown once); here they are read.

    Deleting an open invitation withdraws it: its link then counts as unknown.
    """

    list_display = ["person", "created_by", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["person", "created_by"]
    list_filter = ["accepted_at", "superseded_at"]
    search_fields = ["person__name", "person__email"]
    exclude = ["token_hash"]
    readonly_fields = [f.name for f in Invitation._meta.fields if f.name != "token_hash"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
