"""What bounds a search's ranking on PostgreSQL (see core.search.postgres.run): a newest-first index,
and `head_vector` (the title and keywords alone) with a GIN index of its own. SQLite needs neither."""

from django.db import migrations

POSTGRES = [
    """
    ALTER TABLE core_searchdocument ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(keywords, '')), 'A')
    ) STORED
    """,
    "CREATE INDEX search_document_head_vector ON core_searchdocument USING gin (head_vector)",
    # A search's newest matches, for a word so common that ranking every match would cost too much.
    "CREATE INDEX search_document_newest ON core_searchdocument (occurred_at DESC NULLS LAST, id DESC)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_document_newest",
    "DROP INDEX IF EXISTS search_document_head_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS head_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_pending_tasks")]

    operations = [
        migrations.RunPython(_run(POSTGRES), _run(POSTGRES_REVERSE)),
    ]
