from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import ActionItem, RemedialFinding, ReminderSent
from core.admin import VisibleToAdminMixin


class RemedialFindingInline(admin.TabularInline):
    model = RemedialFinding
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(ActionItem)
class ActionItemAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "category", "status", "team", "owner", "due_date", "verification"]
    list_filter = ["category", "status", "verification", "team"]
    search_fields = ["title", "description"]
    raw_id_fields = ["review", "owner", "recurrence_incident", "verified_by"]
    filter_horizontal = ["services"]
    inlines = [RemedialFindingInline]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["user", "date", "kind", "action_count", "sent_at"]
    list_filter = ["kind", "date"]
