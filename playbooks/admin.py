from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from playbooks.models import Playbook, PlaybookUse


@admin.register(Playbook)
class PlaybookAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "team", "last_reviewed_on", "review_due_on"]
    list_filter = ["kind", "team"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["services", "classes"]
    raw_id_fields = ["source_incidents", "source_reviews"]


@admin.register(PlaybookUse)
class PlaybookUseAdmin(admin.ModelAdmin):
    list_display = ["playbook", "incident", "outcome", "by", "created_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["playbook", "incident", "by"]
