from django.contrib import admin

from .models import Framework, FrameworkVersion


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """Frameworks come from published files; the admin only marks templates."""

    list_display = ["key", "name", "is_template", "created_at"]
    search_fields = ["key", "name"]
    fields = ["key", "name", "is_template"]
    readonly_fields = ["key", "name"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # install with `ladders manage framework_install FILE`


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "published_at", "published_by"]
    list_select_related = ["framework", "published_by"]
    readonly_fields = [f.name for f in FrameworkVersion._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # versions are made by publishing, which validates the document

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # published versions are immutable
