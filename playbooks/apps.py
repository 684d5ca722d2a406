from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "playbooks"
    verbose_name = "Playbooks and runbooks"

    def ready(self):
        from playbooks import panels, reminders, search

        search.connect()
        panels.register()
        reminders.register()
