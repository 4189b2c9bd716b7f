"""The GIN indexes on PostgreSQL take new entries straight into the index
rather than into a pending list. Nothing to do on SQLite.

With fastupdate (the default) new entries wait in an unsorted list that every
search reads in full until a vacuum merges it; after a rebuild of the index
(or where autovacuum lags) that was some 370 pages per search, and it made the
planner cost the index so high that it read every article's tsvector instead:
  before: Seq Scan on search_articledocument (vector @@ 'tave:* & neldasa:*',
    17,667 buffers); 18.7 ms; with the index forced, Bitmap Index Scan on
    search_articledocument_tsv, 374 buffers, 14.4 ms
  after:  Bitmap Index Scan on search_articledocument_tsv, 9 buffers; 0.4 ms
The trigram index had 387 such pages. Writes are slower by a little: articles
change rarely, and search entries are rewritten per film or person.
"""

from django.db import migrations

INDEXES = ["search_searchentry_key_trgm", "search_articledocument_tsv"]


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
            # Merge what already waits; from now on nothing does.
            schema_editor.execute(
                "SELECT gin_clean_pending_list(%s::regclass)", [index]
            )


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_key_statistics")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
