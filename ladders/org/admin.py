from django.contrib import admin

from .models import Person, Position, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Reporting lines, roles and positions change through the People pages, where the rules
    (no loops, always an admin, audited) apply; here they are read-only."""

    list_display = ["name", "email", "team", "manager", "role", "is_active"]
    list_filter = ["role", "is_active", "team"]
    list_select_related = ["team", "manager"]
    search_fields = ["name", "email"]
    readonly_fields = ["uuid", "manager", "role", "created_at"]
    fields = ["uuid", "name", "email", "team", "manager", "role", "user", "is_active", "created_at"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # add people on /people/new/ or by CSV import


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "framework", "track_key", "level_code", "started_on", "ended_on"]
    list_select_related = ["person", "framework"]
    search_fields = ["person__name", "person__email", "track_key", "level_code"]
    readonly_fields = [f.name for f in Position._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # set positions on a person's page: it closes the previous one

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
