from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import TRANSITION_FIELDS, ActionItem, RemedialFinding, ReminderSent
from core.admin import VisibleToAdminMixin
from core.forms import ValidatedModelForm


class RemedialFindingInline(admin.TabularInline):
    model = RemedialFinding
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(ActionItem)
class ActionItemAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    """Actions' fields; status and verification move through the action page or the API, which record why."""

    form = ValidatedModelForm
    readonly_fields = [*TRANSITION_FIELDS, "opened_at"]
    list_display = ["title", "category", "status", "team", "owner", "due_date", "verification"]
    list_filter = ["category", "status", "verification", "team"]
    search_fields = ["title", "description"]
    raw_id_fields = ["review", "owner"]
    filter_horizontal = ["services"]
    inlines = [RemedialFindingInline]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["user", "date", "kind", "action_count", "sent_at"]
    list_filter = ["kind", "date"]
