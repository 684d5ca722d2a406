from django.core.management.base import BaseCommand
from django.db import transaction

from demo.intake import seed_intake
from demo.organisation import DEMO_PASSWORD, DEMO_USERNAME, seed_organisation


class Command(BaseCommand):
    help = "Fill the database with a believable demo organisation. Safe to run again: the second run changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        # Each step finds its rows by natural key and creates only what is missing.
        seed_organisation()
        seed_intake()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Sign in at http://127.0.0.1:8000/ as {DEMO_USERNAME} / {DEMO_PASSWORD}")
