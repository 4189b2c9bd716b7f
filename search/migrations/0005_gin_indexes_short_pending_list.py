"""The GIN indexes on PostgreSQL keep a short pending list: 256 kB rather
than the default 4 MB. Nothing to do on SQLite.

New entries wait in an unsorted list that every search reads in full until a
vacuum or a full list merges it. After a rebuild of the index (or where
autovacuum lags) that was some 370 pages per search on each index, and the
planner costed the full-text index so high that it read every article's
tsvector instead:
  before: Seq Scan on search_articledocument (vector @@ 'tave:* & neldasa:*',
    17,667 buffers); 18.7 ms; with the index forced, Bitmap Index Scan on
    search_articledocument_tsv, 374 buffers, 14.4 ms
  after:  Bitmap Index Scan on search_articledocument_tsv, 9 buffers; 0.4 ms
No list at all (fastupdate off) made writes ten times slower: 100,000 keys
into the trigram index took 21.6 s against 2.2 s, and 3.6 s with this list.
"""

from django.db import migrations

INDEXES = ["search_searchentry_key_trgm", "search_articledocument_tsv"]


def short_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(
                f"ALTER INDEX {index} SET (gin_pending_list_limit = 256)"
            )
            # Merge what already waits.
            schema_editor.execute(
                "SELECT gin_clean_pending_list(%s::regclass)", [index]
            )


def default_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_key_statistics")]

    operations = [migrations.RunPython(short_pending_list, default_pending_list)]
