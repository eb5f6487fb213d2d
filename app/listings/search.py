"""Full-text search over listings' `search_text`, on SQLite (FTS5, bm25) and PostgreSQL (tsvector).

The query is tokenized exactly as the documents were (app.matching.tokenizer) and its tokens are
OR-ed: a listing matching more of them, and rarer ones, ranks higher. Both backends return a
(id, rank) selectable where a higher rank is better.
"""

from __future__ import annotations

from sqlalchemy.sql import Subquery

from app.db import dialect
from app.matching.tokenizer import tokens

MAX_QUERY_TOKENS = 32


def query_tokens(query: str) -> list[str]:
    """Distinct tokens of `query`, in order, at most MAX_QUERY_TOKENS."""
    return list(dict.fromkeys(tokens(query)))[:MAX_QUERY_TOKENS]


def ranked_matches(db: dialect.Db, table_name: str, words: list[str]) -> Subquery:
    """(id, rank) of the rows of `table_name` whose search_text has any of `words`."""
    return dialect.text_matches(db, table_name, words)
