from django.core.management.base import BaseCommand
from django.db import transaction

from demo.actions import seed_actions
from demo.failure_catalog import seed_failure_catalog
from demo.incidents import seed_incidents
from demo.insights import seed_slos_and_rollups, seed_trends
from demo.intake import seed_intake
from demo.organisation import DEMO_PASSWORD, DEMO_USERNAME, seed_organisation
from demo.reviews import seed_reviews


class Command(BaseCommand):
    help = "Fill the database with a believable demo organisation. Safe to run again: the second run changes nothing."

    @transaction.atomic
    def handle(self, *args, **options):
        # Each step finds its rows by natural key and creates only what is missing.
        organisation = seed_organisation()
        seed_incidents(organisation)
        seed_intake()
        seed_reviews()  # after the incidents: reviews are written for the incidents already there
        seed_actions()  # it hangs actions off the published reviews
        seed_trends()  # two recurrence stories with reviews and actions of their own
        seed_failure_catalog()  # its guardrails come from published reviews, its gate reads actions
        seed_slos_and_rollups()  # last: every rollup from everything above
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Sign in as {DEMO_USERNAME} / {DEMO_PASSWORD}")
