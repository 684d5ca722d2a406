from django.contrib import admin, messages

from incidents.models import IntakeSource


@admin.register(IntakeSource)
class IntakeSourceAdmin(admin.ModelAdmin):
    """Intake sources. The token is shown once, in a message after the source is created (or re-issued)."""

    list_display = ["name", "kind", "team", "active", "token_prefix", "last_received_at"]
    list_filter = ["kind", "active", "team"]
    search_fields = ["name"]
    readonly_fields = ["token_prefix", "last_received_at", "created_at", "updated_at"]
    fields = [
        "name",
        "kind",
        "team",
        "service_label",
        "severity_label",
        "severity_map",
        "default_severity",
        "active",
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
