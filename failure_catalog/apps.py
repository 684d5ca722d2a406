from django.apps import AppConfig


class FailureCatalogConfig(AppConfig):
    name = "failure_catalog"
    verbose_name = "Failure catalog"

    def ready(self):
        from django.db.models.signals import post_save

        from core.panels import register_panel
        from failure_catalog import panels
        from services.models import Service

        post_save.connect(apply_tier_policy_to_service, sender=Service, dispatch_uid="failure_catalog.tier_policy")
        register_panel(
            "service_detail_main",
            "failure_catalog/inc/_service_resilience.html",
            context=panels.service_resilience_context,
            order=50,
            stylesheet="hindsight/failure_catalog.css",
        )
        register_panel(
            "review_detail_main",
            "failure_catalog/inc/_review_guardrails.html",
            context=panels.review_guardrails_context,
            order=50,
            stylesheet="hindsight/failure_catalog.css",
        )


def apply_tier_policy_to_service(sender, instance, raw=False, **kwargs):
    """A new service, or one whose tier changed, gets its tier policy's requirements (and loses another tier's)."""
    if raw:
        return
    from failure_catalog.requirements import sync_tier_requirements

    sync_tier_requirements(services=[instance])
