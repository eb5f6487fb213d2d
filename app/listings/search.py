"""Searching listings by text (`q`).

Published listings are searched by the matching engine (app.matching, through the index the worker
keeps in step): its ranked ids, at most `MAX_RESULTS`, become an (id, rank) selectable that the list's
SQL joins, so every other filter, the visibility rules, the count, the sort and the pagination stay in
SQL and the same on SQLite and PostgreSQL. The index lags a change by seconds; the SQL conditions still
hold (a listing closed since is left out by them, not by the index).

A caller's own listings (scope=mine) and those under review are mostly drafts and submissions, which
the index never holds: they are searched in SQL over `search_text` (FTS5 on SQLite, tsvector on
PostgreSQL), tokens OR-ed, a listing with more and rarer ones first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.sql import Subquery

from app.db import dialect
from app.listings.search_index import SearchIndex
from app.matching.records import Filters, Kind
from app.matching.snippet import Highlighter
from app.matching.tokenizer import tokens

MAX_QUERY_TOKENS = 32
# The most results a search ranks; a front end shows pages of 20, and a query with more matches
# than this is better narrowed (a field, a region) than paged through.
MAX_RESULTS = 1000


def query_tokens(query: str) -> list[str]:
    """Distinct tokens of `query`, in order, at most MAX_QUERY_TOKENS."""
    return list(dict.fromkeys(tokens(query)))[:MAX_QUERY_TOKENS]


def ranked_matches(db: dialect.Db, table_name: str, words: list[str]) -> Subquery:
    """(id, rank) of the rows of `table_name` whose search_text has any of `words` (SQL search)."""
    return dialect.text_matches(db, table_name, words)


async def engine_ids(
    index: SearchIndex, kind: str, q: str, *, tech_field: str | None, today: date | None
) -> tuple[int, ...]:
    """The published listings of `kind` the engine finds for `q`, best first, at most MAX_RESULTS.
    `today` leaves out what expired before it (None keeps them); `tech_field` narrows the search in
    the index, so that the best matches of that field fill MAX_RESULTS."""
    filters = Filters(kind=Kind(kind), today=today, tech_field=tech_field)
    engine = index.for_reading()
    found = await asyncio.to_thread(engine.search, q, filters, limit=MAX_RESULTS)
    return found.ids


# A listing's public text, most telling first: where a snippet is looked for.
SNIPPET_FIELDS = ("abstract", "description", "public_summary", "summary", "title")


class Snippets:
    """Snippets for the items of one search's page: the query's words are folded and compiled once."""

    def __init__(self, index: SearchIndex, q: str) -> None:
        engine = index.engine
        self._highlighter = Highlighter(engine.highlight_words(q), engine.analyzer.fold_aligned)

    def of(self, values: Mapping[str, Any]) -> str | None:
        """The passage of the first of the item's SNIPPET_FIELDS that holds a word of the query."""
        for name in SNIPPET_FIELDS:
            found = self._highlighter.snippet(str(values.get(name) or ""))
            if found is not None:
                return found
        return None


def snippets_for(q: str | None, index: SearchIndex | None) -> Snippets | None:
    return Snippets(index, q) if q and index is not None else None
