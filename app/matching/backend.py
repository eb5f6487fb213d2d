"""The seam between the engine and an index: what the engine asks, in terms any BM25 index answers.

The engine analyzes text and builds a `QueryPlan`; a backend turns it into its own query (tantivy's
Query objects here; an OpenSearch `bool` query of `term` clauses with boosts elsewhere) and gives
back scored hits with the listing's stored record. See docs/decisions.md, "The matching engine".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from app.matching.records import Filters, Kind, Listing


@dataclass(frozen=True, slots=True)
class IndexedListing:
    """A listing with its text analyzed: what a backend stores."""

    listing: Listing
    title: tuple[str, ...]
    keywords: tuple[str, ...]  # the keywords' words
    keyword_terms: tuple[str, ...]  # each keyword whole
    body: tuple[str, ...]
    chars: tuple[str, ...]
    # The listing's unit vector in the topic model (float16 bytes), when the engine has a model:
    # stored with it, so a match reads 400 candidates' vectors instead of computing them.
    topic: bytes | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """One form of a query word: the word itself or a synonym, with its weight."""

    text: str
    weight: float = 1.0
    # Look for it as a run of single characters too (a character, or a word no dictionary knows).
    as_chars: bool = False


@dataclass(frozen=True, slots=True)
class Concept:
    """A query word and its synonyms: a listing has the concept if it has any of the forms."""

    forms: tuple[Term, ...]
    required: bool
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class QueryPlan:
    concepts: tuple[Concept, ...]
    # Whole keywords of the need, matched against the listings' whole keywords.
    keywords: tuple[str, ...] = ()
    # A listing number, found exactly.
    number: str | None = None
    # Soft preference for a technology field, added to the text score of listings in it.
    prefer_tech_field: str | None = None
    prefer_tech_field_boost: float = 0.0


@dataclass(frozen=True)
class Hit:
    listing: Listing
    score: float
    # The distinct words the listing holds (title, keywords, body) and those of its title and
    # keywords, space-separated UTF-8 as stored: decoded only when asked, for the few hits whose
    # matched terms are shown or whose words feed the query back.
    stored_words: bytes
    stored_lead: bytes = b""
    topic: bytes | None = None

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(self.stored_words.decode().split())

    @cached_property
    def title_and_keyword_words(self) -> tuple[str, ...]:
        return tuple(self.stored_lead.decode().split())


class IndexBackend(Protocol):
    def begin_write(self) -> None:
        """Hold the index's writer until the next commit (no other process writes meanwhile)."""

    def upsert(self, documents: Sequence[IndexedListing]) -> None: ...

    def delete(self, keys: Iterable[tuple[Kind, int]]) -> None: ...

    def delete_all(self) -> None: ...

    def commit(self) -> None:
        """Make every change so far durable and visible to searches."""

    def abort(self) -> None:
        """Drop the uncommitted changes and the writer."""

    def refresh(self) -> None:
        """See what another process committed."""

    def search(self, plan: QueryPlan, filters: Filters, limit: int) -> list[Hit]: ...

    def search_ids(self, plan: QueryPlan, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """The (id, score) of the best `limit` matches, without reading their records."""

    def document_frequency(self, kind: Kind, word: str) -> int:
        """How many listings of `kind` hold `word` in any word field."""

    def count(self, kind: Kind) -> int: ...

    def get(self, kind: Kind, listing_id: int) -> Listing | None: ...
