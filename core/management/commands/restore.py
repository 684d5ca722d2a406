"""Restore a backup into an empty database (`make restore FILE=…`)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from config.env import database_from_url
from core.backup import restore


class Command(BaseCommand):
    help = "Restore a file `manage.py backup` wrote into an empty database (the configured one, or --database-url)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL's.")

    def handle(self, *args, file, database_url=None, **options):
        database = database_from_url(database_url) if database_url else settings.DATABASES["default"]
        restore(database, file)
        self.stdout.write(self.style.SUCCESS(f"Restored {file} into {database['NAME']}."))
        self.stdout.write(
            "Then run `manage.py migrate` (if this release is newer) and `manage.py rebuild_search_index`."
        )
