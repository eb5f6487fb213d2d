"""The embedded index: tantivy (a Rust library, BM25, segments on disk, no server).

Text arrives analyzed (app.matching.text), joined with spaces and split again by tantivy's whitespace
tokenizer, so the index and the queries agree on words without a tokenizer in Rust. Each kind of
listing has an index of its own (`TantivyIndex`); each listing is one document keyed "<kind>:<id>",
and an update deletes the key and adds the new document in the same commit. The structured record
rides along as stored JSON (an array of the fields, without the body text), for scoring and
explanations, with the listing's words and topic vector: bytes fields that are stored and not indexed
(as a raw text field, each record became one term of several kilobytes in the term dictionary, and
committing 20,000 listings took 15.5 s instead of 0.9 s).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import threading
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Query

from app.matching.backend import Concept, Hit, IndexedListing, QueryPlan
from app.matching.config import FieldWeights
from app.matching.records import Filters, Kind, Listing

# valid_until of a listing that never expires, as a day number.
_NEVER = date.max.toordinal()
_WORD_FIELDS = ("title", "keywords", "body")
_LISTING_FIELDS = tuple(field.name for field in dataclasses.fields(Listing))
# Positions in the stored record (an array in _LISTING_FIELDS' order).
_BODY = _LISTING_FIELDS.index("body")
_KIND = _LISTING_FIELDS.index("kind")
_TUPLES = tuple(
    _LISTING_FIELDS.index(name) for name in ("keywords", "local_industries", "region_path", "modes")
)
_DATES = tuple(_LISTING_FIELDS.index(name) for name in ("published_on", "valid_until"))
# 2: the record is stored bytes, no longer an indexed text field; its words one string
# 3: an index per kind in subdirectories; the topic vector, words and lead stored beside the record,
#    itself an array without the body
_SCHEMA_VERSION = "3"


_VERSION_FILE = "schema-version"


def _clear_if_outdated(path: Path) -> None:
    """Empty a directory that holds an index of another layout (a release changed the fields): it
    cannot be opened with this schema, and the application builds it again from the database, as
    for a new directory (app.listings.search_index). The version file is written before the kinds'
    indexes are made, so a process opening the directory while another makes them (two workers
    starting at once) does not take the half-made layout for an old one and delete it."""
    path.mkdir(parents=True, exist_ok=True)
    version = path / _VERSION_FILE
    if version.exists():
        outdated = version.read_text(encoding="utf-8").strip() != _SCHEMA_VERSION
    else:
        outdated = (path / "meta.json").exists()  # the first layout: one index, no version file
    if outdated:
        for entry in path.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    if outdated or not version.exists():
        # Written whole and renamed into place: another process never reads it half-written.
        temporary = path / f".{_VERSION_FILE}.{os.getpid()}"
        temporary.write_text(_SCHEMA_VERSION, encoding="utf-8")
        temporary.replace(version)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("keywords", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("keyword_exact", tokenizer_name="raw", index_option="freq")
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("chars", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("number", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("tech_field", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("organization_id", indexed=True, fast=True)
    builder.add_integer_field("valid_until", indexed=True, fast=True)
    builder.add_bytes_field("record", stored=True, indexed=False)
    builder.add_bytes_field("topic", stored=True, indexed=False)
    # The listing's distinct words and those of its title and keywords, space-separated UTF-8: apart
    # from the record, so a match decodes them only for the hits that need them.
    builder.add_bytes_field("words", stored=True, indexed=False)
    builder.add_bytes_field("lead", stored=True, indexed=False)
    return builder.build()


def _record_json(document: IndexedListing) -> bytes:
    """The listing as a JSON array of its fields in order, dates as day numbers, without its body: a
    match decodes 300 records, and the body (an abstract, a kilobyte) is what decoding cost most;
    its words are stored apart (`words`), and nothing scored or shown from a hit needs its text.
    Field by field rather than dataclasses.asdict, which deep-copies every value."""
    listing = document.listing
    values = [getattr(listing, name) for name in _LISTING_FIELDS]
    values[_BODY] = ""
    for index in _DATES:
        if values[index] is not None:
            values[index] = values[index].toordinal()
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


def _joined(*parts: Iterable[str]) -> bytes:
    """Distinct words, space-separated (words hold no spaces: the index splits on them too)."""
    return " ".join(dict.fromkeys(chain(*parts))).encode()


def _unexpired(
    searcher: tantivy.Searcher, query: tantivy.Query, limit: int, today: date | None
) -> list[tuple[float, tantivy.DocAddress]]:
    """The best `limit` hits of `query` whose deadline is not before `today` (all, when None): read
    from the fast field, fetching more while expired ones leave the page short."""
    fetch = limit
    while True:
        hits = searcher.search(query, limit=fetch, count=False).hits
        if today is None:
            return list(hits[:limit])
        ends = searcher.fast_field_values("valid_until", [address for _, address in hits])
        day = today.toordinal()
        kept = [hit for hit, end in zip(hits, ends, strict=True) if end is None or end >= day]
        if len(kept) >= limit or len(hits) < fetch:
            return kept[:limit]
        fetch *= 4


def _listing_from(document: tantivy.Document) -> Listing:
    """The stored listing (without its body: `_record_json`)."""
    stored = document.get_first("record")
    values = json.loads(stored if isinstance(stored, bytes) else str(stored))
    values[_KIND] = Kind(values[_KIND])
    for index in _TUPLES:
        values[index] = tuple(values[index])
    for index in _DATES:
        if values[index] is not None:
            values[index] = date.fromordinal(values[index])
    return Listing(*values)


class _Part:
    """The index of one kind of listing, with its writer while one is open."""

    def __init__(self, index: tantivy.Index) -> None:
        self.index = index
        self.writer: tantivy.IndexWriter | None = None


class TantivyIndex:
    """An index per kind of listing (demands, achievements, packages), in subdirectories of `path`
    (or in memory, with `path` None). A kind of its own rather than a `kind` term every query must
    match: a required term or range in the query keeps tantivy from skipping blocks of postings that
    cannot reach the top (block-max WAND), and at 300,000 listings the kind and expiry filters alone
    cost a match's p95 12 of 44 ms. Expiry is checked on the hits instead (few listings are expired).
    One writer per directory: tantivy locks it, so a second process that tries to write fails
    instead of corrupting the index."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        weights: FieldWeights | None = None,
        writer_heap_bytes: int = 200_000_000,
        threads: int = 0,
    ) -> None:
        self.schema = _schema()
        self.weights = weights or FieldWeights()
        if path is not None:
            _clear_if_outdated(path)
            self._parts = {kind: _Part(self._on_disk(path / kind.value)) for kind in Kind}
        else:
            self._parts = {kind: _Part(tantivy.Index(self.schema)) for kind in Kind}
        self._heap = writer_heap_bytes
        self._threads = threads
        self._lock = threading.Lock()
        self.refresh()

    def _on_disk(self, directory: Path) -> tantivy.Index:
        directory.mkdir(parents=True, exist_ok=True)
        return tantivy.Index(self.schema, path=str(directory), reuse=True)

    # -- writing ---------------------------------------------------------------------------------

    def _writer(self, kind: Kind) -> tantivy.IndexWriter:
        part = self._parts[kind]
        if part.writer is None:
            # The achievements take the memory; demands and packages are a fraction of them.
            heap = self._heap if kind == Kind.ACHIEVEMENT else max(self._heap // 4, 15_000_000)
            part.writer = part.index.writer(heap, self._threads)
        return part.writer

    def begin_write(self) -> None:
        """Take every kind's writer now (tantivy's lock on each directory, across processes), so that
        no other process writes until this one commits: a rebuild holds them from before it reads
        the database. A ValueError (LockBusy) when another writer holds one; then none is held."""
        with self._lock:
            try:
                for kind in Kind:
                    self._writer(kind)
            except BaseException:
                self._drop_writers()
                raise

    def upsert(self, documents: Sequence[IndexedListing]) -> None:
        with self._lock:
            for document in documents:
                listing = document.listing
                writer = self._writer(listing.kind)
                key = f"{listing.kind.value}:{listing.id}"
                writer.delete_documents_by_term("key", key)
                writer.add_document(self._document(key, document))

    def _document(self, key: str, document: IndexedListing) -> tantivy.Document:
        listing = document.listing
        fields: dict[str, Any] = {
            "key": key,
            "id": listing.id,
            "title": " ".join(document.title),
            "keywords": " ".join(document.keywords),
            "body": " ".join(document.body),
            "chars": " ".join(document.chars),
            "valid_until": listing.valid_until.toordinal() if listing.valid_until else _NEVER,
            "organization_id": listing.organization_id if listing.organization_id is not None else -1,
        }
        result = tantivy.Document(**fields)
        result.add_bytes("record", _record_json(document))
        result.add_bytes("words", _joined(document.title, document.keywords, document.body))
        result.add_bytes("lead", _joined(document.title, document.keywords))
        if document.topic is not None:
            result.add_bytes("topic", document.topic)
        for term in document.keyword_terms:
            result.add_text("keyword_exact", term)
        if listing.number:
            result.add_text("number", listing.number.upper())
        if listing.tech_field:
            result.add_text("tech_field", listing.tech_field)
        return result

    def delete(self, keys: Iterable[tuple[Kind, int]]) -> None:
        with self._lock:
            for kind, listing_id in keys:
                self._writer(kind).delete_documents_by_term("key", f"{kind.value}:{listing_id}")

    def delete_all(self) -> None:
        with self._lock:
            for kind in Kind:
                self._writer(kind).delete_all_documents()

    def commit(self) -> None:
        """Commit each kind written to. Not one transaction across kinds: a failure between two
        commits leaves the consumer's events unacknowledged, and their upserts are idempotent."""
        with self._lock:
            for part in self._parts.values():
                if part.writer is not None:
                    part.writer.commit()
                    part.writer.wait_merging_threads()
                    part.writer = None
        self.refresh()

    def abort(self) -> None:
        """Drop what was written since the last commit and let go of the writers (after a failure)."""
        with self._lock:
            self._drop_writers()

    def _drop_writers(self) -> None:
        for part in self._parts.values():
            if part.writer is not None:
                part.writer.rollback()
                part.writer = None

    def refresh(self) -> None:
        """See what another process committed."""
        for part in self._parts.values():
            part.index.reload()

    # -- reading ---------------------------------------------------------------------------------

    def count(self, kind: Kind) -> int:
        return int(self._parts[kind].index.searcher().num_docs)

    def document_frequency(self, kind: Kind, word: str) -> int:
        searcher = self._parts[kind].index.searcher()
        return max(int(searcher.doc_freq(name, word)) for name in _WORD_FIELDS)

    def get(self, kind: Kind, listing_id: int) -> Listing | None:
        searcher = self._parts[kind].index.searcher()
        query = Query.term_query(self.schema, "key", f"{kind.value}:{listing_id}")
        hits = searcher.search(query, limit=1, count=False).hits
        if not hits:
            return None
        return _listing_from(searcher.doc(hits[0][1]))

    def _hits(
        self, plan: QueryPlan, filters: Filters, limit: int
    ) -> tuple[tantivy.Searcher, list[tuple[float, tantivy.DocAddress]]]:
        """The searcher of the kind's index and the best `limit` unexpired hits of `plan`."""
        searcher = self._parts[filters.kind].index.searcher()
        query = self._query(plan, filters)
        if query is None or limit <= 0:
            return searcher, []
        return searcher, _unexpired(searcher, query, limit, filters.today)

    def search(self, plan: QueryPlan, filters: Filters, limit: int) -> list[Hit]:
        searcher, hits = self._hits(plan, filters, limit)
        found: list[Hit] = []
        for score, address in hits:
            document = searcher.doc(address)
            topic = document.get_first("topic")
            found.append(
                Hit(
                    listing=_listing_from(document),
                    score=float(score),
                    stored_words=bytes(document.get_first("words") or b""),
                    stored_lead=bytes(document.get_first("lead") or b""),
                    topic=bytes(topic) if topic is not None else None,
                )
            )
        return found

    def search_ids(self, plan: QueryPlan, filters: Filters, limit: int) -> list[tuple[int, float]]:
        searcher, hits = self._hits(plan, filters, limit)
        if not hits:
            return []
        # Ids from the fast field: a search box wants hundreds of ids, and reading the stored record
        # of each (a kilobyte of JSON) would cost more than the search itself.
        ids = searcher.fast_field_values("id", [address for _, address in hits])
        return [
            (int(listing_id or 0), float(score)) for (score, _), listing_id in zip(hits, ids, strict=True)
        ]

    # -- queries ---------------------------------------------------------------------------------

    def _query(self, plan: QueryPlan, filters: Filters) -> tantivy.Query | None:
        text: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for concept in plan.concepts:
            forms = self._forms(concept)
            if not forms:
                continue
            if concept.required:
                text.append((Occur.Must, Query.boolean_query(forms)))
            else:
                # An optional concept's forms go in side by side with the other clauses: the score
                # is the same sum, and tantivy prunes a flat disjunction of terms (block-max WAND)
                # but not nested ones (at 1M listings a match's 400 candidates took 24 ms nested, 13
                # ms flat, p50).
                text.extend(forms)
        for keyword in plan.keywords:
            exact = Query.term_query(self.schema, "keyword_exact", keyword)
            text.append((Occur.Should, Query.boost_query(exact, self.weights.keyword_exact)))
        if plan.number:
            number = Query.term_query(self.schema, "number", plan.number.upper())
            text.append((Occur.Should, Query.boost_query(number, self.weights.number)))
        if not text:
            return None
        clauses = [(Occur.Must, Query.boolean_query(text))]
        if plan.prefer_tech_field and plan.prefer_tech_field_boost:
            preferred = Query.term_query(self.schema, "tech_field", plan.prefer_tech_field)
            clauses.append((Occur.Should, Query.const_score_query(preferred, plan.prefer_tech_field_boost)))
        clauses.extend(self._filters(filters))
        return Query.boolean_query(clauses)

    def _forms(self, concept: Concept) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """A clause per form and field, any of which finds the concept."""
        boosts = (
            ("title", self.weights.title),
            ("keywords", self.weights.keywords),
            ("body", self.weights.body),
        )
        forms: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for form in concept.forms:
            weight = concept.weight * form.weight
            for field, boost in boosts:
                term = Query.term_query(self.schema, field, form.text)
                forms.append((Occur.Should, Query.boost_query(term, boost * weight)))
            if form.as_chars:
                chars: list[str | tuple[int, str]] = list(form.text)
                inner = (
                    Query.term_query(self.schema, "chars", chars[0])
                    if len(chars) == 1
                    else Query.phrase_query(self.schema, "chars", chars)
                )
                forms.append((Occur.Should, Query.boost_query(inner, self.weights.chars * weight)))
        return forms

    def _filters(self, filters: Filters) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """The filters the query holds: the kind is the index searched, expiry is checked on the
        hits (`_unexpired`)."""
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if filters.tech_field is not None:
            clauses.append((Occur.Must, Query.term_query(self.schema, "tech_field", filters.tech_field)))
        if filters.exclude_organization_id is not None:
            own = Query.term_query(self.schema, "organization_id", filters.exclude_organization_id)
            clauses.append((Occur.MustNot, own))
        clauses.extend(
            (Occur.MustNot, Query.term_query(self.schema, "id", listing_id))
            for listing_id in sorted(filters.exclude_ids)
        )
        if filters.only_ids is not None:
            allowed = Query.term_set_query(self.schema, "id", sorted(filters.only_ids))
            clauses.append((Occur.Must, allowed))
        return clauses
