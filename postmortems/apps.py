from django.apps import AppConfig


class PostmortemsConfig(AppConfig):
    name = "postmortems"
    verbose_name = "Post-incident reviews"

    def ready(self):
        from core.panels import register_panel
        from postmortems import search
        from postmortems.panels import incident_review_context

        search.connect()
        register_panel(
            "incident_detail_side", "postmortems/inc/_incident_review.html", context=incident_review_context, order=10
        )
