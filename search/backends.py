"""What differs between databases, behind one small contract. The engine asks
a backend for conditions and subqueries; it never writes vendor SQL itself."""

from __future__ import annotations

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

# Shortest key worth a similarity search: below it, one letter is too much
# of the word for trigrams to tell a slip from another name.
FUZZY_MIN_LENGTH = 5
# pg_trgm's default (0.3) lets the index return thousands of candidates for
# a long name; one slipped letter in a title or name still scores above 0.45.
TRIGRAM_THRESHOLD = 0.45


class Backend:
    def prefix(self, field: str, value: str) -> Q:
        """Rows whose `field` starts with `value`, through an index."""
        raise NotImplementedError

    def similar_spellings(self, entries: QuerySet, value: str) -> QuerySet | None:
        """Whole spellings within a typo of `value`, closest first, if the
        database can tell."""
        return None

    # The full-text query language: "and", "or", a word start, and the SQL
    # that selects the ids of the articles matching an expression of them.
    ALL_OF: str
    ANY_OF: str
    WORD_START: str
    MATCHING_SQL: str

    def articles_matching(self, terms: list[list[tuple[str, ...]]]) -> RawSQL:
        """Ids of articles whose text has every term (any of its spellings,
        each a group of word starts). Words are letters and digits only
        (search.text), so quoting them is all the escaping either needs."""
        expression = self.ALL_OF.join(
            "("
            + self.ANY_OF.join(
                "("
                + self.ALL_OF.join(self.WORD_START.format(word) for word in words)
                + ")"
                for words in options
            )
            + ")"
            for options in terms
        )
        return RawSQL(self.MATCHING_SQL, [expression])


class SQLiteBackend(Backend):
    ALL_OF, ANY_OF, WORD_START = " AND ", " OR ", '"{}"*'
    MATCHING_SQL = (
        "SELECT rowid FROM search_articlefts WHERE search_articlefts MATCH %s"
    )

    def prefix(self, field: str, value: str) -> Q:
        # A range rather than LIKE: SQLite only uses an index for LIKE on a
        # NOCASE column; keys are lower case, so BINARY order serves.
        return Q(**{f"{field}__gte": value, f"{field}__lt": value + "\U0010ffff"})


class PostgreSQLBackend(Backend):
    ALL_OF, ANY_OF, WORD_START = " & ", " | ", "'{}':*"
    # vector: a generated column the migrations add on PostgreSQL.
    MATCHING_SQL = (
        "SELECT article_id FROM search_articledocument "
        "WHERE vector @@ to_tsquery('simple'::regconfig, %s)"
    )

    def prefix(self, field: str, value: str) -> Q:
        # The keys' "C" collation lets a plain B-tree index serve LIKE 'value%'.
        return Q(**{f"{field}__startswith": value})

    def similar_spellings(self, entries: QuerySet, value: str) -> QuerySet | None:
        if len(value) < FUZZY_MIN_LENGTH:
            return None
        # The % operator is what the partial GIN index serves: similarity
        # above pg_trgm.similarity_threshold, set by set_trigram_threshold().
        return (
            entries.filter(TrigramSimilar(F("key"), value), whole=True)
            .alias(similarity=TrigramSimilarity("key", value))
            .order_by("-similarity", "key")
        )


def set_trigram_threshold(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection, the similarity the % operator asks."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A placeholder setting until pg_trgm loads, so it is safe to set
            # before the migrations have created the extension.
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(TRIGRAM_THRESHOLD)],
            )


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    return SQLiteBackend()
