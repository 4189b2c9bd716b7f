"""Article tsvectors stay in their rows on PostgreSQL rather than in the TOAST
table. Nothing to do on SQLite.

A short query word ("torm", "z") is in most articles, and then the planner
rightly reads the table rather than the index; but it does not count that
each stored tsvector (4.4 kB on average) had to be fetched back from TOAST,
three or four pages more per article:
  before: Seq Scan on search_articledocument (vector @@ 'torm:*', 3,991 of
    5,000 rows, 17,667 buffers); 35.7 ms warm
  after:  Bitmap Heap Scan on search_articledocument <- Bitmap Index Scan on
    search_articledocument_tsv (4,000 buffers); 6.4 ms warm. A query that
    matches every article: Seq Scan, 5,000 buffers, 9.3 ms.
Rows up to a page (8,160 bytes) stay whole; longer articles are still stored
out of line.
"""

from django.db import migrations

FORWARDS = [
    "ALTER TABLE search_articledocument SET (toast_tuple_target = 8160)",
    # Store the rows already there again, under the new target.
    "UPDATE search_articledocument SET document = document",
]
BACKWARDS = ["ALTER TABLE search_articledocument RESET (toast_tuple_target)"]


def run(statements):
    def run_on_postgresql(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run_on_postgresql


class Migration(migrations.Migration):
    dependencies = [("search", "0005_gin_indexes_short_pending_list")]

    operations = [migrations.RunPython(run(FORWARDS), run(BACKWARDS))]
