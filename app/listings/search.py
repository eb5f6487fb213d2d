"""Full-text search over listings' `search_text`, on SQLite (FTS5, bm25) and PostgreSQL (tsvector).

The query is tokenized exactly as the documents were (app.matching.tokenizer) and its tokens are
OR-ed: a listing matching more of them, and rarer ones, ranks higher. Both backends return a
(id, rank) selectable where a higher rank is better.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table, text
from sqlalchemy.sql import Subquery

from app.matching.tokenizer import tokens

MAX_QUERY_TOKENS = 32


def query_tokens(query: str) -> list[str]:
    """Distinct tokens of `query`, in order, at most MAX_QUERY_TOKENS."""
    return list(dict.fromkeys(tokens(query)))[:MAX_QUERY_TOKENS]


def ranked_matches(table_name: str, dialect: str, words: list[str]) -> Subquery:
    """(id, rank) of the rows of `table_name` whose search_text has any of `words`."""
    if dialect == "postgresql":
        return _postgres(table_name, words)
    return _sqlite(table_name, words)


def _sqlite(table_name: str, words: list[str]) -> Subquery:
    fts = table(f"{table_name}_fts", column("rowid"))
    # Tokens are word characters only; quoting makes FTS5 read each as one literal term.
    expression = " OR ".join(f'"{word}"' for word in words)
    match: ColumnElement[bool] = literal_column(f"{table_name}_fts").op("MATCH")(expression)
    # bm25() is lower for better matches; negate it so that, as on PostgreSQL, higher is better.
    rank = (-func.bm25(literal_column(f"{table_name}_fts"))).label("rank")
    statement: Select[tuple[int, float]] = select(fts.c.rowid.label("id"), rank).where(match)
    return statement.subquery("matches")


def _postgres(table_name: str, words: list[str]) -> Subquery:
    # search_vector is a stored generated column (to_tsvector('simple', search_text)) with a GIN
    # index: ts_rank reads it instead of re-parsing search_text for every matching row.
    listings = table(table_name, column("id"), column("search_vector"))
    vector = listings.c.search_vector
    query = func.to_tsquery(text("'simple'"), " | ".join(f"'{word}'" for word in words))
    statement: Select[tuple[int, float]] = select(
        listings.c.id, func.ts_rank(vector, query).label("rank")
    ).where(vector.op("@@")(query))
    return statement.subquery("matches")
