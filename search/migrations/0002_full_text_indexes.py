"""The indexes only one database has: pg_trgm and GIN indexes on PostgreSQL,
an FTS5 table kept in step by triggers on SQLite. Each step does nothing on
the other database."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

POSTGRESQL_FORWARDS = [
    # Keys compare byte by byte, as on SQLite: then a plain B-tree index
    # serves both LIKE 'prefix%' and ORDER BY key, so a limit stops early.
    'ALTER TABLE search_searchentry ALTER COLUMN key TYPE varchar(200) COLLATE "C"',
    'ALTER TABLE search_searchentry ALTER COLUMN folded TYPE varchar(200) COLLATE "C"',
    # Trigram similarity for typo tolerance, on whole spellings only.
    "CREATE INDEX search_searchentry_key_trgm ON search_searchentry "
    "USING gin (key gin_trgm_ops) WHERE whole",
    # Stored, so that matching never parses a document again: with a common
    # word the planner may prefer reading every row to the index.
    "ALTER TABLE search_articledocument ADD COLUMN vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, document)) STORED",
    "CREATE INDEX search_articledocument_tsv ON search_articledocument "
    "USING gin (vector)",
]
POSTGRESQL_BACKWARDS = [
    'ALTER TABLE search_searchentry ALTER COLUMN key TYPE varchar(200) COLLATE "default"',
    'ALTER TABLE search_searchentry ALTER COLUMN folded TYPE varchar(200) COLLATE "default"',
    "DROP INDEX IF EXISTS search_articledocument_tsv",
    "ALTER TABLE search_articledocument DROP COLUMN IF EXISTS vector",
    "DROP INDEX IF EXISTS search_searchentry_key_trgm",
]

# An external-content FTS5 table: the words live once, in
# search_articledocument, and the triggers keep the index in step with it.
SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE search_articlefts USING fts5(document, "
    "content='search_articledocument', content_rowid='article_id')",
    "CREATE TRIGGER search_articlefts_insert AFTER INSERT ON search_articledocument "
    "BEGIN INSERT INTO search_articlefts(rowid, document) "
    "VALUES (new.article_id, new.document); END",
    "CREATE TRIGGER search_articlefts_delete AFTER DELETE ON search_articledocument "
    "BEGIN INSERT INTO search_articlefts(search_articlefts, rowid, document) "
    "VALUES ('delete', old.article_id, old.document); END",
    "CREATE TRIGGER search_articlefts_update AFTER UPDATE ON search_articledocument "
    "BEGIN INSERT INTO search_articlefts(search_articlefts, rowid, document) "
    "VALUES ('delete', old.article_id, old.document); "
    "INSERT INTO search_articlefts(rowid, document) "
    "VALUES (new.article_id, new.document); END",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS search_articlefts_update",
    "DROP TRIGGER IF EXISTS search_articlefts_delete",
    "DROP TRIGGER IF EXISTS search_articlefts_insert",
    "DROP TABLE IF EXISTS search_articlefts",
]


def run_for(vendor, statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == vendor:
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entries")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(
            run_for("postgresql", POSTGRESQL_FORWARDS),
            run_for("postgresql", POSTGRESQL_BACKWARDS),
        ),
        migrations.RunPython(
            run_for("sqlite", SQLITE_FORWARDS),
            run_for("sqlite", SQLITE_BACKWARDS),
        ),
    ]
