from django.contrib import admin

from accounts.models import ApiToken, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens by owner; the key is stored only as a hash, so it is shown nowhere (issue one with
    `manage.py create_api_token`). Deleting a token revokes it."""

    list_display = ["token_prefix", "user", "name", "created_at"]
    search_fields = ["user__username", "name", "token_prefix"]
    list_select_related = ["user"]
    fields = ["user", "name", "token_prefix", "created_at"]
    readonly_fields = ["user", "token_prefix", "created_at"]

    def has_add_permission(self, request):
        return False
