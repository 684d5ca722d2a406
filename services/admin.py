from django.contrib import admin

from services.models import Dependency, Deployment, Service


class DependencyInline(admin.TabularInline):
    model = Dependency
    fk_name = "service"
    extra = 1
    autocomplete_fields = ["depends_on"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "tier"]
    list_filter = ["tier", "team"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DependencyInline]


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ["service", "version", "environment", "status", "started_at", "source"]
    list_filter = ["status", "environment", "strategy"]
    search_fields = ["service__name", "version", "commit_sha", "external_id"]
    list_select_related = ["service"]
    date_hierarchy = "started_at"
