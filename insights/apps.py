from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self):
        from core.panels import register_panel
        from insights import signals
        from insights.panels import service_reliability_context

        signals.connect()
        register_panel(
            "service_detail_main",
            "insights/panels/_service_reliability.html",
            context=service_reliability_context,
            order=50,
            stylesheet="hindsight/insights.css",
        )
