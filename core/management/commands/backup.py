"""Back up the database to one file (`make backup`)."""

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from core.backup import backup, is_postgresql


class Command(BaseCommand):
    help = "Write the whole database to one file: pg_dump's custom format on PostgreSQL, a SQLite copy otherwise."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="The file to write (default: var/backups/hindsight-<time>.<dump|sqlite3>)."
        )

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        if not output:
            suffix = "dump" if is_postgresql(connection.settings_dict) else "sqlite3"
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            output = settings.VAR_DIR / "backups" / f"hindsight-{stamp}.{suffix}"
        backup(connection, output)
        self.stdout.write(self.style.SUCCESS(f"Backed up to {output}"))
