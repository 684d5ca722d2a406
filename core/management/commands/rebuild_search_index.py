"""Rewrite every search document from the apps' feeds (after a restore, or to pick up a new feed)."""

from django.core.management.base import BaseCommand, CommandError

from core import search


class Command(BaseCommand):
    help = "Rewrite the search index from incidents, reviews, playbooks… (all types, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("types", nargs="*", help="Document types to rebuild (default: all).")

    def handle(self, *types, **options):
        unknown = sorted(set(types) - set(search.FEEDS))
        if unknown:
            raise CommandError(
                f"Unknown document types: {', '.join(unknown)}. Known: {', '.join(sorted(search.FEEDS))}."
            )
        written = search.rebuild(types or None, out=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {written} search documents."))
