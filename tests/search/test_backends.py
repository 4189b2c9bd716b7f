"""Each database gets the indexes its backend relies on, and uses them."""

import pytest
from django.db import connection

from search import engine
from tests.factories import make_film

pytestmark = pytest.mark.django_db


def table_names() -> set[str]:
    return set(connection.introspection.table_names(include_views=False))


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_sqlite_indexes_article_text_with_fts5():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'search_articledocument'"
        )
        triggers = {row[0] for row in cursor.fetchall()}
    assert "search_articlefts" in table_names()
    assert triggers == {
        "search_articlefts_insert",
        "search_articlefts_update",
        "search_articlefts_delete",
    }


def query_plan(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tables this small are cheaper to scan: ask whether an index
            # *can* serve every branch of the query, as it must at scale.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    "query", ["busan", "train to bu", "busan train", "seo-hyeon", "kang soo-yeun"]
)
def test_spellings_are_found_through_indexes_never_a_table_scan(query):
    make_film(title="Train to Busan")

    plan = query_plan(*engine.spellings_sql(query))
    if connection.vendor == "postgresql":
        plan += query_plan(*engine.spellings_sql(query, similar=True))

    if connection.vendor == "postgresql":
        assert "Seq Scan" not in plan
        assert "Index" in plan
    else:
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan
        assert "SCAN search_searchentry" not in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_postgresql_has_trigram_and_full_text_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
    assert "search_searchentry_key_trgm" in index_names("search_searchentry")
    assert "search_articledocument_tsv" in index_names("search_articledocument")
    assert "search_articlefts" not in table_names()


def storage_options(relation: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [relation])
        return set(cursor.fetchone()[0] or [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_postgresql_gin_indexes_keep_a_short_pending_list():
    """Every search reads the pending entries in full until they are merged."""
    short = "gin_pending_list_limit=256"
    assert short in storage_options("search_searchentry_key_trgm")
    assert short in storage_options("search_articledocument_tsv")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgresql_keeps_fine_statistics_of_the_keys():
    """Enough to tell a common word start from a rare one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'search_searchentry'::regclass AND attname = 'key'"
        )
        assert cursor.fetchone() == (1000,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's TOAST")
def test_postgresql_keeps_article_vectors_in_their_rows():
    """A query that matches most articles reads their rows, not TOAST."""
    assert "toast_tuple_target=8160" in storage_options("search_articledocument")
