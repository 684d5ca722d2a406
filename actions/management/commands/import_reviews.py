"""Import past post-incident reviews from a JSON file, all or nothing (the format of POST /api/import/reviews/)."""

import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from actions.importing import ImportRefused, import_reviews

KINDS = ("incidents", "timeline_events", "reviews", "factors", "links", "actions")


class Command(BaseCommand):
    help = (
        'Import incidents with their reviews, causal-factor charts and actions from a JSON file ({"records": […]}, '
        "as POST /api/import/reviews/ takes). Nothing is written unless every record is valid; records imported "
        "before (same incident source and external_id) are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file, or - for standard input.")
        parser.add_argument(
            "--user",
            help="Import as this user: recorded in history as who did it, and held to their permissions "
            "(a lead of each incident's team). Without it the import is recorded without a user and not checked.",
        )
        parser.add_argument(
            "--check", action="store_true", help="Check the file and say what would happen; write nothing."
        )

    def handle(self, *args, file, user=None, check=False, **options):
        document = self.read(file)
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"No user “{user}”.")
        try:
            result = import_reviews(document, by=by, check_permissions=by is not None, dry_run=check)
        except ImportRefused as refused:
            for line in refused.problems:
                self.stderr.write(line)
            verb = "may not be imported by " + user if refused.forbidden else "invalid"
            raise CommandError(f"Nothing was imported: {len(refused.problems)} problem(s), {verb}.") from None
        counts = ", ".join(f"{result.counts[kind]:,} {kind.replace('_', ' ')}" for kind in KINDS)
        if check:
            self.stdout.write(
                f"The file is valid: {result.created:,} records would be imported ({counts}), "
                f"{result.skipped:,} were imported before. Nothing was written."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(f"Imported {result.created:,} records ({counts}); ")
            + f"skipped {result.skipped:,} imported before."
        )

    def read(self, file):
        try:
            text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.") from None
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as error:
            raise CommandError(f"{file} is not JSON: {error}") from None
