from django.contrib import admin

from .models import CheckIn, CheckInRating


class CheckInRatingInline(admin.TabularInline):
    model = CheckInRating
    extra = 0
    readonly_fields = ["skill_key", "rater_role", "milestone", "comment", "updated_at"]
    can_delete = False


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["person", "as_of", "state", "framework"]
    list_filter = ["state"]
    search_fields = ["person__name"]
    readonly_fields = ["uuid", "snapshot", "version", "created_by", "agreed_by", "agreed_at"]
    inlines = [CheckInRatingInline]
