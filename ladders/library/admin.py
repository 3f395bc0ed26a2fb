from django.contrib import admin

from .models import Framework, FrameworkVersion


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "is_template", "created_at"]
    search_fields = ["key", "name"]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "published_at", "published_by"]
    list_select_related = ["framework", "published_by"]
    readonly_fields = [f.name for f in FrameworkVersion._meta.fields]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # published versions are immutable
