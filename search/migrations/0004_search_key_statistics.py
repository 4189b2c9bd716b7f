"""Finer statistics of the keys on PostgreSQL, so that the planner tells a
common word start from a rare one. Nothing to do on SQLite."""

from django.db import migrations

# With the default 100 histogram buckets, a prefix range such as "yang%" (a
# surname: 19,000 entries) or "kyujoo%" (466) fell inside one bucket and was
# costed as a few rows either way. The any-order branch ("kyu-joo yang") then
# hashed every entry of the common word before probing the rare one:
#   before: Hash Semi Join; Hash <- Index Scan using search_entry_whole_key
#     (key 'yang%', 19,117 rows, 17,580 buffers); 88.8 ms
#   after:  Nested Loop Semi Join; Index Scan using search_entry_whole_key
#     (key 'kyujoo%', 466 rows) -> Index Only Scan using
#     search_entry_spelling_key (1 probe each); 11.6 ms
# and for "jeon hayi", with the rare word last, HashAggregate of the 434
# spellings of "hayi%", then a probe of "jeon%" within each: 11.4 ms.
FORWARDS = [
    "ALTER TABLE search_searchentry ALTER COLUMN key SET STATISTICS 1000",
    "ANALYZE search_searchentry",
]
BACKWARDS = ["ALTER TABLE search_searchentry ALTER COLUMN key SET STATISTICS -1"]


def run(statements):
    def run_on_postgresql(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run_on_postgresql


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fill_search_index")]

    operations = [migrations.RunPython(run(FORWARDS), run(BACKWARDS))]
