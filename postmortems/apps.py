from django.apps import AppConfig


class PostmortemsConfig(AppConfig):
    name = "postmortems"
    verbose_name = "Post-incident reviews"

    def ready(self):
        from postmortems import search

        search.connect()
