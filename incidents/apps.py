from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self):
        from incidents import search
        from incidents.correlation import signals

        signals.connect()
        search.connect()
