from django.contrib import admin, messages

from core.admin import VisibleToAdminMixin
from core.forms import ValidatedModelForm
from incidents.models import Incident, IncidentTag, IntakeSource, SuspectDeployment, TimelineEvent


class TimelineEventInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    fields = ["occurred_at", "kind", "text", "author", "source"]
    raw_id_fields = ["author"]


class IncidentTagInline(admin.TabularInline):
    model = IncidentTag
    extra = 0
    fields = ["kind", "value", "service"]
    raw_id_fields = ["service"]


@admin.register(Incident)
class IncidentAdmin(VisibleToAdminMixin, admin.ModelAdmin):
    """Incidents with their timeline and tags. Status changes belong to the incident page (it writes the timeline)."""

    list_display = ["reference", "title", "severity", "status", "team", "started_at", "restricted"]
    list_filter = ["status", "severity", "kind", "restricted", "exclude_from_metrics", "team"]
    search_fields = ["title", "summary"]
    list_select_related = ["team"]
    date_hierarchy = "started_at"
    raw_id_fields = ["commander", "reporter", "intake_source"]
    filter_horizontal = ["services", "allowed_teams"]
    form = ValidatedModelForm
    readonly_fields = ["status", "group_key", "created_at", "updated_at"]
    inlines = [TimelineEventInline, IncidentTagInline]

    def has_delete_permission(self, request, obj=None):
        """Deleting an incident archives it, on its page or through the API, so that it can be restored."""
        return False

    def get_search_results(self, request, queryset, search_term):
        """Also find an incident by its reference (INC-42)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_reference = self.get_queryset(request).by_reference(search_term)
        return queryset | by_reference, may_have_duplicates


@admin.register(SuspectDeployment)
class SuspectDeploymentAdmin(VisibleToAdminMixin, admin.ModelAdmin):
    """Suspects are scored by the correlation task and decided on the incident page; here they are for reading."""

    list_display = ["incident", "deployment", "score", "state", "decided_by", "decided_at"]
    list_filter = ["state"]
    search_fields = ["incident__title", "deployment__version", "deployment__service__slug"]
    list_select_related = ["incident", "deployment__service", "decided_by"]
    readonly_fields = [
        "incident",
        "deployment",
        "score",
        "reasons",
        "decided_by",
        "decided_at",
        "confirmed_tag",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(IntakeSource)
class IntakeSourceAdmin(admin.ModelAdmin):
    """Intake sources. The token is shown once, in a message after the source is created (or re-issued)."""

    list_display = ["name", "kind", "team", "active", "token_prefix", "last_received_at"]
    list_filter = ["kind", "active", "team"]
    search_fields = ["name"]
    readonly_fields = ["token_prefix", "last_received_at", "created_at", "updated_at"]
    fields = [
        *IntakeSource.EDITABLE_FIELDS,
        "token_prefix",
        "last_received_at",
        "created_at",
        "updated_at",
    ]
    actions = ["issue_new_tokens"]

    def save_model(self, request, obj, form, change):
        key = None if change else obj.issue_token()
        super().save_model(request, obj, form, change)
        if key:
            self._show_token(request, obj, key)

    @admin.action(description="Issue a new token (the old one stops working)")
    def issue_new_tokens(self, request, queryset):
        for source in queryset:
            key = source.issue_token()
            source.save(update_fields=["token_hash", "token_prefix", "updated_at"])
            self._show_token(request, source, key)

    def _show_token(self, request, source, key):
        messages.warning(
            request,
            f"Token for {source.name}: {key} — copy it now; it is stored only as a hash and will not be shown again.",
        )
