from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import VisibleToAdminMixin
from core.forms import ValidatedModelForm
from postmortems.models import CausalFactor, CausalLink, Review, RootCauseClass


@admin.register(RootCauseClass)
class RootCauseClassAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


class CausalFactorInline(admin.TabularInline):
    model = CausalFactor
    extra = 0
    fields = ["description", "kind", "category", "is_root_cause", "is_symptom"]


class CausalLinkInline(admin.TabularInline):
    model = CausalLink
    extra = 0
    raw_id_fields = ["cause", "effect"]


@admin.register(Review)
class ReviewAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    form = ValidatedModelForm
    list_display = ["incident", "status", "owner", "primary_class", "published_at", "version"]
    list_filter = ["status", "primary_class"]
    search_fields = ["incident__title", "summary"]
    list_select_related = ["incident", "owner", "primary_class"]
    raw_id_fields = ["incident", "owner", "facilitator", "published_by", "reopened_by"]
    filter_horizontal = ["authors", "secondary_classes"]
    readonly_fields = ["version"]
    inlines = [CausalFactorInline, CausalLinkInline]

    def has_change_permission(self, request, obj=None):
        """A read-only (published) review opens for reading only: a lead reopens it on its page first."""
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_read_only())
