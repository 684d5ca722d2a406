"""The full-text indexes over search documents, in each database's own terms (see core.search)."""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE core_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(keywords, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON core_searchdocument USING gin (search_vector)",
    # Serves the typo fallback: known words like a misspelled one (`word % 'conection'`).
    "CREATE INDEX search_term_trigram ON core_searchterm USING gin (word gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_term_trigram",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS search_vector",
]

FTS_COLUMNS = "title, keywords, summary, body"
SQLITE = [
    f"""CREATE VIRTUAL TABLE core_searchdocument_fts USING fts5({FTS_COLUMNS},
        content='core_searchdocument', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER core_searchdocument_fts_insert AFTER INSERT ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.keywords, new.summary, new.body); END""",
    f"""CREATE TRIGGER core_searchdocument_fts_delete AFTER DELETE ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.keywords, old.summary, old.body); END""",
    f"""CREATE TRIGGER core_searchdocument_fts_update AFTER UPDATE ON core_searchdocument BEGIN
        INSERT INTO core_searchdocument_fts(core_searchdocument_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.keywords, old.summary, old.body);
        INSERT INTO core_searchdocument_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.keywords, new.summary, new.body); END""",
    """CREATE VIRTUAL TABLE core_searchterm_trigram USING fts5(word, content='core_searchterm',
        content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER core_searchterm_trigram_insert AFTER INSERT ON core_searchterm BEGIN
        INSERT INTO core_searchterm_trigram(rowid, word) VALUES (new.id, new.word); END""",
    """CREATE TRIGGER core_searchterm_trigram_delete AFTER DELETE ON core_searchterm BEGIN
        INSERT INTO core_searchterm_trigram(core_searchterm_trigram, rowid, word) VALUES ('delete', old.id, old.word); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_searchterm_trigram_delete",
    "DROP TRIGGER IF EXISTS core_searchterm_trigram_insert",
    "DROP TABLE IF EXISTS core_searchterm_trigram",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS core_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS core_searchdocument_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_search_documents")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
