"""The engine: listings in, ranked and explained results out.

A query's words become concepts (a word and its synonyms); the rarest are required in a strict pass,
and the pass is relaxed to "any of them" only when it finds too little, so a listing with every word
ranks above one with some. Long texts keep their most telling words (IDF). Matching adds pseudo-
relevance feedback (words the best first-pass matches share, added with a small weight: it finds
listings on the same topic that use other words) and re-ranks the best candidates with structured
features. Search (`search`) keeps to the words: strict tier first, no feedback, no features.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from app.matching import features
from app.matching.backend import Concept, Hit, IndexBackend, IndexedListing, QueryPlan, Term
from app.matching.config import MatchConfig
from app.matching.records import Contribution, Filters, Kind, Listing, Need, Result
from app.matching.synonyms import Synonyms, bundled_groups
from app.matching.tantivy_index import TantivyIndex
from app.matching.text import Analyzer, is_cjk
from app.matching.topics import TopicModel, decoded

# What a listing number looks like (D-2026-000123, A2026000123): letters, digits and dashes.
_NUMBER = re.compile(r"^[A-Za-z]{1,4}-?[0-9]{4}-?[0-9]{3,8}$")
_SUB_WORD_WEIGHT = 0.3


def _combined(text_score: float, contributions: Sequence[Contribution]) -> float:
    """Relevance (the text score plus the topic's nearness) scaled by the structured features:
    each feature moves a listing by a share of its relevance, so features order relevant listings
    but never lift one that shares nothing with the need (a same-field, in-budget listing about
    something else stays near zero)."""
    relevance = text_score + sum(c.score for c in contributions if c.feature == "topic")
    structured = sum(c.score for c in contributions if c.feature != "topic")
    return max(relevance, 0.0) * max(1.0 + structured, 0.05)


def _topic_words(document: IndexedListing) -> tuple[str, ...]:
    return (*document.title, *document.keywords, *document.body)


def _itself(need: Need, kind: Kind) -> frozenset[int]:
    """The need's own listing, when it is of the kind searched (a demand's id says nothing of the
    achievement with the same number)."""
    if need.listing_id is None or need.listing_kind not in (None, kind):
        return frozenset()
    return frozenset({need.listing_id})


def _by_score(hits: list[tuple[int, float]]) -> list[tuple[int, float]]:
    return sorted(hits, key=lambda hit: (-hit[1], hit[0]))


@dataclass(frozen=True, slots=True)
class Found:
    """A search's ranked listing ids: every match, or the best `limit` when there are more."""

    ids: tuple[int, ...]
    # How many of `ids`, from the first, hold every required word (the rest hold some).
    complete: int


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    text_score: float
    contributions: tuple[Contribution, ...]
    hit: Hit


@dataclass(frozen=True, slots=True)
class Page:
    results: tuple[Result, ...]
    # How many listings matched (at least), for a page's total.
    total: int


class Engine:
    def __init__(
        self, backend: IndexBackend, analyzer: Analyzer, synonyms: Synonyms, config: MatchConfig
    ) -> None:
        self.backend = backend
        self.analyzer = analyzer
        self.synonyms = synonyms
        self.config = config
        self.topics: TopicModel | None = None

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        config: MatchConfig | None = None,
        extra_terms: Iterable[str] = (),
        synonym_groups: Iterable[Sequence[str]] | None = None,
        writer_threads: int = 0,
    ) -> Engine:
        """An engine on a tantivy index at `path` (in memory when None)."""
        config = config or MatchConfig()
        analyzer = Analyzer(extra_terms)
        groups = bundled_groups() if synonym_groups is None else synonym_groups
        backend = TantivyIndex(path, weights=config.fields, threads=writer_threads)
        return cls(backend, analyzer, Synonyms(analyzer, groups), config)

    def set_synonyms(self, groups: Iterable[Sequence[str]]) -> None:
        self.synonyms = Synonyms(self.analyzer, groups)

    # -- indexing --------------------------------------------------------------------------------

    def prepare(self, listing: Listing, *, with_topic: bool = True) -> IndexedListing:
        """Analyze a listing's text (the costly part of indexing, and free of the index), and give it
        its topic vector unless told not to (a rebuild trains the model first)."""
        analyzer = self.analyzer
        keyword_text = " ".join(listing.keywords)
        prepared = IndexedListing(
            listing=listing,
            title=tuple(analyzer.words(listing.title)),
            keywords=tuple(analyzer.words(keyword_text)),
            keyword_terms=tuple(dict.fromkeys(t for k in listing.keywords if (t := analyzer.keyword(k)))),
            body=tuple(analyzer.words(listing.body)),
            chars=tuple(analyzer.chars(f"{listing.title} {keyword_text} {listing.body}")),
        )
        return self.with_topics([prepared])[0] if with_topic else prepared

    def with_topics(self, documents: Sequence[IndexedListing], batch: int = 5000) -> list[IndexedListing]:
        """`documents` with their vectors in the current topic model (as they are, without one),
        computed `batch` at a time."""
        if self.topics is None:
            return list(documents)
        found: list[IndexedListing] = []
        for start in range(0, len(documents), batch):
            part = documents[start : start + batch]
            encoded = self.topics.encoded([_topic_words(d) for d in part])
            found.extend(replace(d, topic=vector) for d, vector in zip(part, encoded, strict=True))
        return found

    def add(self, listings: Iterable[Listing]) -> None:
        self.backend.upsert([self.prepare(listing) for listing in listings])

    def add_prepared(self, documents: Sequence[IndexedListing]) -> None:
        self.backend.upsert(documents)

    def fit_topics(self, documents: Sequence[IndexedListing]) -> None:
        """Train the topic model on `documents` (the library, or a sample of it)."""
        self.topics = TopicModel.fit([_topic_words(d) for d in documents])

    def remove(self, keys: Iterable[tuple[Kind, int]]) -> None:
        self.backend.delete(keys)

    def commit(self) -> None:
        self.backend.commit()

    # -- queries ---------------------------------------------------------------------------------

    def plan(
        self,
        text: str,
        kind: Kind,
        keywords: Sequence[str] = (),
        *,
        strict: bool,
        total: int | None = None,
        cut: Sequence[str] | None = None,
    ) -> QueryPlan:
        """The concepts of `text` (and `keywords`), rarest required when `strict`; `total` is the
        number of listings of `kind` and `cut` the words of text and keywords, when the caller has
        them already."""
        config = self.config
        total = max(self.backend.count(kind) if total is None else total, 1)
        joined = " ".join([text, *keywords])
        cut = self.analyzer.words(joined) if cut is None else cut
        words = self.analyzer.query_words(joined, cut)
        frequency = Counter(cut)
        scored = []
        for word, whole in words:
            df = self.backend.document_frequency(kind, word)
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            scored.append(
                (idf * (1 + math.log(frequency[word] or 1)) * (1 if whole else 0.5), word, whole, df)
            )
        scored.sort(key=lambda item: (-item[0], item[1]))
        kept = scored[: config.max_query_terms]
        requirable = [
            (score, word)
            for score, word, whole, df in kept
            if whole and 0 < df <= config.common_share * total
        ]
        required = {word for _, word in requirable[: config.max_required_terms]} if strict else set()
        concepts = []
        for _, word, whole, df in kept:
            as_chars = is_cjk(word) and (len(word) == 1 or df == 0)
            forms = [Term(word, 1.0, as_chars)]
            forms += [Term(other, config.synonym_weight) for other in self.synonyms.of(word)]
            weight = 1.0 if whole else _SUB_WORD_WEIGHT
            concepts.append(Concept(tuple(forms), required=word in required, weight=weight))
        number = self._number(text)
        keyword_terms = tuple(dict.fromkeys(t for k in keywords if (t := self.analyzer.keyword(k))))
        return QueryPlan(tuple(concepts), keywords=keyword_terms, number=number)

    def search(self, text: str, filters: Filters, *, limit: int = 1000) -> Found:
        """Listings for a search box, best first, at most `limit`: a listing number finds that listing
        alone; otherwise those with every required word, then (only when they are fewer than
        `min_strict_hits`) those with some, each tier by BM25, ties by id. The tiers are chosen by how
        many listings match, not by the page asked for, so every page of one query reads the same
        ranking."""
        number = self._number(text)
        if number is not None:
            hits = self.backend.search_ids(QueryPlan((), number=number), filters, limit)
            if hits:
                ids = tuple(listing_id for listing_id, _ in _by_score(hits))
                return Found(ids, len(ids))
        strict = self.plan(text, filters.kind, strict=True)
        enough = self.config.min_strict_hits
        hits = self.backend.search_ids(strict, filters, max(limit, enough))
        ranked = [listing_id for listing_id, _ in _by_score(hits)]
        if not any(concept.required for concept in strict.concepts):
            return Found(tuple(ranked[:limit]), 0)
        complete = len(ranked)
        if complete < enough:
            relaxed = replace(strict, concepts=tuple(replace(c, required=False) for c in strict.concepts))
            seen = set(ranked)
            more = self.backend.search_ids(relaxed, filters, limit)
            ranked += [listing_id for listing_id, _ in _by_score(more) if listing_id not in seen]
        ranked = ranked[:limit]
        return Found(tuple(ranked), min(complete, len(ranked)))

    def highlight_words(self, text: str) -> tuple[str, ...]:
        """The folded words (and synonyms) a search for `text` looks for, longest first: what a
        snippet marks."""
        words = {word for word, _ in self.analyzer.query_words(text)}
        words |= {other for word in list(words) for other in self.synonyms.of(word)}
        return tuple(sorted(words, key=lambda word: (-len(word), word)))

    @staticmethod
    def _number(text: str) -> str | None:
        stripped = text.strip()
        return stripped.upper() if _NUMBER.match(stripped) else None

    def match(self, need: Need, filters: Filters, *, limit: int = 20, offset: int = 0) -> Page:
        """Listings for a need: text retrieval with feedback, then structured re-ranking."""
        config = self.config
        filters = replace(
            filters,
            exclude_ids=filters.exclude_ids | _itself(need, filters.kind),
            exclude_organization_id=need.organization_id
            if need.organization_id is not None
            else filters.exclude_organization_id,
        )
        # Counting the listings walks the kind's postings (4 ms at 1M): once per match, not per use.
        total = self.backend.count(filters.kind)
        # The need's words, cut once: for the plan and for the topic model.
        cut = self.analyzer.words(" ".join([need.text, *need.keywords]))
        strict = self.plan(need.text, filters.kind, need.keywords, strict=True, total=total, cut=cut)
        relaxed = replace(strict, concepts=tuple(replace(c, required=False) for c in strict.concepts))
        # Feedback comes from the need's own field when it has one: the words a topic shares there.
        in_field = replace(filters, tech_field=filters.tech_field or need.tech_field)
        first = self.backend.search(strict, in_field, config.feedback_docs)
        complete = {hit.listing.id for hit in first} if any(c.required for c in strict.concepts) else set()
        if len(first) < config.feedback_docs:
            first = self.backend.search(relaxed, in_field, config.feedback_docs)
        if not first and in_field != filters:
            first = self.backend.search(relaxed, filters, config.feedback_docs)
        best = first[0].score if first else 0.0
        expanded = self._with_feedback(relaxed, first, filters.kind, total)
        if need.tech_field and config.features.tech_field:
            expanded = replace(
                expanded,
                prefer_tech_field=need.tech_field,
                prefer_tech_field_boost=config.features.tech_field * best,
            )
        candidates = self.backend.search(expanded, filters, max(config.candidates, offset + limit))
        words = {form.text for concept in strict.concepts for form in concept.forms}
        for_field = expanded.prefer_tech_field_boost
        # The text score alone: the field's preference helped fetch the candidates; the features
        # weigh the field again.
        text_scores = [
            hit.score - (for_field if hit.listing.tech_field == need.tech_field else 0.0)
            for hit in candidates
        ]
        ranked = self._rerank(need, candidates, text_scores, filters, cut)
        page = tuple(
            Result(
                listing_id=item.hit.listing.id,
                score=item.score,
                text_score=item.text_score,
                matched_terms=self._matched(item.hit, words),  # the page's only: splits its words
                complete=item.hit.listing.id in complete,
                contributions=item.contributions,
            )
            for item in ranked[offset : offset + limit]
        )
        return Page(page, total=len(ranked))

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _matched(hit: Hit, words: set[str]) -> tuple[str, ...]:
        return tuple(sorted((word for word in words if word in hit.words), key=lambda w: (-len(w), w)))

    def _with_feedback(self, plan: QueryPlan, hits: list[Hit], kind: Kind, total: int) -> QueryPlan:
        """Add the words the best first-pass hits share (title and keywords), weighted by how well
        each hit scored and how rare the word is: RM3-style pseudo-relevance feedback."""
        config = self.config
        if not hits or config.feedback_terms <= 0:
            return plan
        present = {form.text for concept in plan.concepts for form in concept.forms}
        best = hits[0].score or 1.0
        weights: defaultdict[str, float] = defaultdict(float)
        for hit in hits:
            for word in hit.title_and_keyword_words:
                if word not in present and len(word) > 1:
                    weights[word] += hit.score / best
        # A word only one hit has says nothing about the topic the hits share.
        shared = [
            (word, weight) for word, weight in weights.items() if weight >= 1.5 * (hits[-1].score / best)
        ]
        if not shared:
            return plan
        total = max(total, 1)
        scored = []
        for word, weight in shared:
            df = self.backend.document_frequency(kind, word)
            if df == 0 or df > config.common_share * total:
                continue
            scored.append((weight * math.log(1 + total / df), word))
        scored.sort(key=lambda item: (-item[0], item[1]))
        top = scored[: config.feedback_terms]
        if not top:
            return plan
        peak = top[0][0]
        extra = tuple(
            Concept((Term(word),), required=False, weight=config.feedback_weight * score / peak)
            for score, word in top
        )
        return replace(plan, concepts=plan.concepts + extra)

    def _rerank(
        self,
        need: Need,
        candidates: list[Hit],
        text_scores: list[float],
        filters: Filters,
        query_words: Sequence[str],
    ) -> list[_Scored]:
        """The candidates by their combined score, best first (ties by id)."""
        if not candidates:
            return []
        best = max(text_scores) or 1.0
        similarity = self._topic_similarity(query_words, candidates)
        scored = []
        for position, hit in enumerate(candidates):
            text_score = text_scores[position] / best
            found = features.contributions(need, hit.listing, self.config, filters.today)
            if similarity is not None:
                found.append(
                    Contribution("topic", self.config.features.topic * float(similarity[position]), {})
                )
            contributions = tuple(found)
            scored.append(_Scored(_combined(text_score, contributions), text_score, contributions, hit))
        scored.sort(key=lambda item: (-item.score, item.hit.listing.id))
        return scored

    def _topic_similarity(self, query_words: Sequence[str], candidates: list[Hit]) -> np.ndarray | None:
        """Cosine similarity of the query and each candidate in the topic model (None without one):
        the candidates' stored vectors, or (indexed before the model, or without one) computed from
        their words."""
        if self.topics is None or not self.config.features.topic:
            return None
        query = self.topics.vectors([query_words])[0]
        stored = [hit.topic is not None and len(hit.topic) == 2 * len(query) for hit in candidates]
        vectors = np.zeros((len(candidates), len(query)), dtype=np.float32)
        if any(stored):
            rows = [i for i, ok in enumerate(stored) if ok]
            vectors[rows] = decoded([candidates[i].topic or b"" for i in rows])
        if not all(stored):
            rows = [i for i, ok in enumerate(stored) if not ok]
            vectors[rows] = self.topics.vectors([candidates[i].words for i in rows])
        return np.asarray(vectors @ query)
