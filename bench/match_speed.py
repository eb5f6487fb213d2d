"""Matching speed and memory: the engine against plain tantivy and bm25s on the same synthetic library.

    .venv/bin/python bench/match_speed.py [--sizes 100000,1000000] [--queries 300] [--long-queries 100]
                                          [--seed 20261201] [--bm25s-max-rows 200000] [--data FILE.tsv]
                                          [--commit-every 50000] [--systems engine,tantivy,bm25s]

The library. N achievements generated at run time, deterministically from `--seed`, never written
to the repository. Their words come from the CSL sample (../shared/data/csl/dev.tsv): its titles and
abstracts are cut by the engine's own analyzer (folding, jieba-rs with the domain dictionary) into
whole words, which form the vocabulary, ranked by how often CSL uses them. A document is a mixture:
each picks one CSL record as its topic and draws every word either from that record (a share:
60 % of the title, 30 % of the body, 60 % of the keywords) or from the whole vocabulary by a
Zipf-Mandelbrot law, p(rank) ∝ (rank + q)^-s, with q and s fitted to CSL's own rank-frequency curve
(s ≈ 1.1; plain Zipf from rank 1 would give the most frequent word 9 % of all words, where CSL,
stop words gone, gives it 0.5 %). The topic part gives what a real library has and independent words
lack: listings that share a topic's rare words (so a query's strict pass finds some, and feedback and
the topic model see a signal). Lengths: the topic record's title length (4–16 words), 3–5 keywords
(CSL keyword phrases, drawn the same way), a body of 120–200 words (achievement descriptions are longer than
CSL's abstracts, median 66 words). Structured fields from a seeded generator: the technology field
(the topic's discipline mapped to one of the 11 fields, 90 % of the time), TRL, asking price (40 %
negotiable), transfer modes, region (district and city), local industries, publication date,
validity. The vocabulary is CSL's 37k words and does not grow with N as a real one would, so at 1M
every word is in hundreds of listings: posting lists are, if anything, longer than a real library's.

Same tokens everywhere. A document is generated as whole words; each word's search-mode tokens
(what `Analyzer.words` gives for it: 锂离子电池 → 离子, 电池, 锂离子, 锂离子电池) are looked up once
per vocabulary word, so no side pays for analysis at build time and all get the very same tokens (the
analyzer gives the same tokens for the words joined by spaces: checked on CSL). The engine receives
`IndexedListing` records (title, keywords, body tokens; each keyword whole; the CJK characters) through
`add_prepared`; tantivy one whitespace-tokenized text field of the same title, keyword and body tokens;
bm25s the same token lists. Queries are text: every side analyzes the query at query time (the
engine inside `match`, the baselines with the same `Analyzer.words`), and that is timed on every side.

Queries, the same for every N (from their own random streams): short ones, 5–10 distinct words from a
fresh synthetic achievement, with its technology field; long ones, a full synthetic demand (a title,
80 body words, 3 keywords, field, cooperation modes, budget, demand type, region, organization). The
engine answers `Engine.match(need, Filters(kind=ACHIEVEMENT, today=…), limit=20)`: strict and relaxed
passes, feedback, 400 candidates re-ranked with structured features and the topic model, the
unexpired filter. tantivy answers the OR of the query's distinct tokens over its one field, top 20 by
BM25, and reads the 20 ids from its store; bm25s `retrieve(k=20)` over the same tokens.

Each system runs in its own process (this script re-invoked with `--child`), which generates the
library itself, so the peak RSS figures (getrusage maxrss in that process) do not mix; every process
carries the same overhead (Python, numpy, the analyzer's dictionary, the generator: the "base"
column) and, while building, one generated chunk of `--commit-every` listings (about 330 MB for
50,000). The library is generated a chunk at a time, whole, before the system sees it; then the
system adds the chunk and commits (the engine: `add_prepared` in batches of 5,000 and `commit`, which
waits for tantivy's merges; tantivy: `add_document` of the joined tokens, `commit` and
`wait_merging_threads`, a writer per chunk as the engine has). Build time is the wall time of those
calls, plus the engine's `fit_topics` (first, on the first 20,000 listings, which is what the topic
model samples down to anyway) and its `with_topics` (each listing's vector, stored with it), and
bm25s's `index`. Why chunks and a commit each: when the
next batch was generated between two adds, the indexing threads kept working while it ran, out of
the clock, and that hid half of plain tantivy's build (300k listings: 4.3 s measured that way, 8.2 s
with everything generated first; the engine, whose work is mostly in the calling thread, 27 against
34 s). "cpu" is the process's CPU time over the build minus the generator's, all threads.
Indexes live in a temporary directory on disk. Latency: 20 warm-up queries, then the short and long
queries one after another; p50/p95/p99 in ms over each kind and over all (the summary's p95 is over
all), and "cpu p50/p95", the CPU time of the calling thread per query (every system here answers in
the calling thread), which the machine's other load inflates less than the wall time. "overlap" is
the mean share of tantivy's top 20 also in the other system's top 20 (bm25s close to 1: the two
baselines do the same work). Peak RSS counts the pages of the memory-mapped index files a process
has touched (file-backed: the kernel can drop them), so the engine's line after the table splits its
memory after each phase into anonymous and file-backed. bm25s keeps everything in memory (issue 14
reports 14 GB at 1M on this machine), so it is skipped above `--bm25s-max-rows` with the reason printed.

Ends with `match_speed n=… engine_p95_ms=… tantivy_p95_ms=… engine_build_s=… tantivy_build_s=…
engine_rss_mb=…` for the largest N run. Goal at 1M: p95 and build at most twice tantivy's, peak RSS at
most 4 GB. A figure printer: it exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.enums import CooperationMode, DemandType, LocalIndustry, TechField, TransferMode  # noqa: E402
from app.matching.backend import IndexedListing  # noqa: E402
from app.matching.records import Filters, Kind, Listing, Need  # noqa: E402
from app.matching.text import Analyzer  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "csl" / "dev.tsv"
SYSTEMS = ("engine", "tantivy", "bm25s")
TODAY = date(2026, 12, 1)
LIMIT = 20
GENERATION_BATCH = 5_000  # listings per generated batch (and per add_prepared call)
TOPIC_SAMPLE = 20_000
WARM_UP = 20
WRITER_HEAP = 200_000_000  # the engine's writer heap (TantivyIndex's default), for the baseline too
RSS_GOAL_MB = 4096

# Random streams: the library, short queries, long queries, warm-up queries, field assignment.
_LIBRARY, _SHORT, _LONG, _WARM, _FIELDS = range(5)
_TITLE_TOPIC_SHARE = 0.6
_BODY_TOPIC_SHARE = 0.3
_KEYWORD_TOPIC_SHARE = 0.6
_FIELD_FROM_TOPIC = 0.9
_NEGOTIABLE_SHARE = 0.4
_CITIES, _DISTRICTS_PER_CITY = 3, 8

TECH_FIELDS = tuple(member.value for member in TechField)
TRANSFER_MODES = tuple(member.value for member in TransferMode)
COOPERATION_MODES = tuple(member.value for member in CooperationMode if member != CooperationMode.OTHER)
DEMAND_TYPES = tuple(member.value for member in DemandType)
LOCAL_INDUSTRIES = tuple(member.value for member in LocalIndustry)


# -- the synthetic library -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ragged:
    """Rows of ids of different lengths, flat: row i is flat[starts[i] : starts[i] + lengths[i]]."""

    flat: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[Sequence[int]]) -> Ragged:
        lengths = np.array([len(row) for row in rows], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
        return cls(flat, starts, lengths)


@dataclass(frozen=True, slots=True)
class Expansion:
    """What each vocabulary word becomes (its tokens, or its characters), applied to whole batches."""

    strings: np.ndarray  # the distinct strings (objects)
    table: Ragged  # per word, indexes into `strings`

    @classmethod
    def of(cls, rows: Sequence[Sequence[str]]) -> Expansion:
        index: dict[str, int] = {}
        id_rows = [[index.setdefault(string, len(index)) for string in row] for row in rows]
        strings = np.empty(len(index), dtype=object)
        strings[:] = list(index)
        return cls(strings, Ragged.of(id_rows))

    def expand(self, ids: np.ndarray, offsets: np.ndarray) -> tuple[list[str], list[int]]:
        """The strings of the words `ids`, flat, and where each row (`offsets` of `ids`) starts."""
        lengths = self.table.lengths[ids]
        ends = np.cumsum(lengths)
        positions = (
            np.arange(int(ends[-1]) if len(ends) else 0)
            - np.repeat(ends - lengths, lengths)
            + np.repeat(self.table.starts[ids], lengths)
        )
        strings: list[str] = self.strings[self.table.flat[positions]].tolist()
        return strings, np.concatenate([[0], ends])[offsets].tolist()


@dataclass(frozen=True, slots=True)
class Batch:
    """Generated listings as word ids, before they become records: `offsets[i]:offsets[i+1]`."""

    first_id: int
    templates: np.ndarray
    title: np.ndarray
    title_offsets: np.ndarray
    body: np.ndarray
    body_offsets: np.ndarray
    keywords: np.ndarray
    keyword_offsets: np.ndarray
    tech_fields: np.ndarray
    trl: np.ndarray
    price_fen: np.ndarray  # -1: negotiable
    mode_bits: np.ndarray
    districts: np.ndarray
    industries: np.ndarray  # -1: none
    organizations: np.ndarray
    published_days_ago: np.ndarray
    valid_days: np.ndarray  # -1: never expires

    def __len__(self) -> int:
        return len(self.templates)


def zipf_mandelbrot(counts: np.ndarray) -> np.ndarray:
    """Cumulative probabilities p(rank) ∝ (rank + q)^slope, q and slope fitted (least squares in
    log-log) to `counts` sorted from the most frequent; words seen fewer than 3 times are left out
    of the fit, since their counts are ties that say little about the curve."""
    ranks = np.arange(1, len(counts) + 1, dtype=np.float64)
    fitted = counts >= 3 if int((counts >= 3).sum()) >= 20 else np.ones(len(counts), dtype=bool)
    frequency = np.log(counts[fitted].astype(np.float64))
    best = (math.inf, 0.0, -1.0)
    for q in (0, 1, 2, 5, 10, 20, 40, 60, 80, 100, 120, 150, 200, 300):
        shifted = np.log(ranks[fitted] + q)
        slope, intercept = np.polyfit(shifted, frequency, 1)
        error = float(np.mean((frequency - (slope * shifted + intercept)) ** 2))
        if error < best[0]:
            best = (error, float(q), float(slope))
    probabilities = (ranks + best[1]) ** best[2]
    return np.cumsum(probabilities / probabilities.sum())


class Library:
    """The vocabulary and topics taken from CSL, and the generator of listings and queries."""

    def __init__(self, data: Path, seed: int) -> None:
        self.seed = seed
        self.analyzer = Analyzer()
        records = _read_csl(data)
        word_rows, keyword_rows = self._vocabulary(records)
        self.titles = Ragged.of([row[0] for row in word_rows])
        self.bodies = Ragged.of([row[1] for row in word_rows])
        self.topic_keywords = Ragged.of(keyword_rows)
        disciplines = sorted({discipline for *_, discipline in records})
        assignment = np.random.default_rng([seed, _FIELDS]).integers(0, len(TECH_FIELDS), len(disciplines))
        field_of = dict(zip(disciplines, assignment.tolist(), strict=True))
        self.topic_fields = np.array([field_of[discipline] for *_, discipline in records], dtype=np.int64)
        self.templates = len(records)

    def _vocabulary(
        self, records: list[tuple[str, str, tuple[str, ...], str]]
    ) -> tuple[list[tuple[list[int], list[int]]], list[list[int]]]:
        analyzer = self.analyzer
        tokens: dict[str, tuple[str, ...]] = {}

        def whole_words(text: str) -> list[str]:
            # The analyzer's own precise cut (search mode adds the sub-words, from `tokens` below);
            # words it would drop entirely (stop words, punctuation, bare numbers) are left out.
            kept = []
            for raw in analyzer._segmenter.cut(analyzer.fold(text)):
                word = raw.strip()
                if word not in tokens:
                    tokens[word] = tuple(analyzer.words(word))
                if tokens[word]:
                    kept.append(word)
            return kept

        cut = [(whole_words(title), whole_words(abstract)) for title, abstract, _, _ in records]
        counts: dict[str, int] = {}
        for title, body in cut:
            for word in chain(title, body):
                counts[word] = counts.get(word, 0) + 1
        self.words = sorted(counts, key=lambda word: (-counts[word], word))
        rank = {word: index for index, word in enumerate(self.words)}
        self.word_strings = np.array(self.words, dtype=object)
        self.word_tokens = Expansion.of([tokens[word] for word in self.words])
        self.word_chars = Expansion.of([analyzer.chars(word) for word in self.words])
        self.word_cdf = zipf_mandelbrot(np.array([counts[word] for word in self.words]))

        keyword_counts: dict[str, int] = {}
        for _, _, keywords, _ in records:
            for keyword in keywords:
                keyword_counts[keyword] = keyword_counts.get(keyword, 0) + 1
        self.keywords = sorted(keyword_counts, key=lambda keyword: (-keyword_counts[keyword], keyword))
        keyword_rank = {keyword: index for index, keyword in enumerate(self.keywords)}
        self.keyword_tokens = [tuple(analyzer.words(keyword)) for keyword in self.keywords]
        self.keyword_terms = [analyzer.keyword(keyword) for keyword in self.keywords]
        self.keyword_chars = [analyzer.chars(keyword) for keyword in self.keywords]
        self.keyword_cdf = zipf_mandelbrot(np.array([keyword_counts[k] for k in self.keywords]))
        word_rows = [([rank[w] for w in title], [rank[w] for w in body]) for title, body in cut]
        keyword_rows = [[keyword_rank[k] for k in keywords] for _, _, keywords, _ in records]
        return word_rows, keyword_rows

    # -- generation ------------------------------------------------------------------------------

    def batch(self, stream: int, first_id: int, count: int, *, body_words: int | None = None) -> Batch:
        """`count` listings from ids `first_id` on; the same arguments give the same listings."""
        rng = np.random.default_rng([self.seed, stream, first_id])
        templates = rng.integers(0, self.templates, count)
        title_lengths = np.clip(self.titles.lengths[templates], 4, 16)
        body_lengths = (
            np.full(count, body_words, dtype=np.int64) if body_words else rng.integers(120, 201, count)
        )
        keyword_counts = rng.integers(3, 6, count)
        title = _mixed(rng, templates, title_lengths, self.titles, _TITLE_TOPIC_SHARE, self.word_cdf)
        body = _mixed(rng, templates, body_lengths, self.bodies, _BODY_TOPIC_SHARE, self.word_cdf)
        keywords = _mixed(
            rng, templates, keyword_counts, self.topic_keywords, _KEYWORD_TOPIC_SHARE, self.keyword_cdf
        )
        fields = np.where(
            rng.random(count) < _FIELD_FROM_TOPIC,
            self.topic_fields[templates],
            rng.integers(0, len(TECH_FIELDS), count),
        )
        # Asking prices from 100 thousand to 50 million yuan, log-uniform, in fen.
        prices = np.where(
            rng.random(count) < _NEGOTIABLE_SHARE,
            -1,
            (10 ** rng.uniform(5, 7.7, count) * 100).astype(np.int64),
        )
        mode_bits = rng.random((count, len(TRANSFER_MODES))) < 0.35
        mode_bits[np.arange(count), rng.integers(0, len(TRANSFER_MODES), count)] = True
        return Batch(
            first_id=first_id,
            templates=templates,
            title=title[0],
            title_offsets=title[1],
            body=body[0],
            body_offsets=body[1],
            keywords=keywords[0],
            keyword_offsets=keywords[1],
            tech_fields=fields,
            trl=rng.integers(1, 10, count),
            price_fen=prices,
            mode_bits=mode_bits,
            districts=rng.integers(0, _CITIES * _DISTRICTS_PER_CITY, count),
            industries=np.where(rng.random(count) < 0.5, rng.integers(0, len(LOCAL_INDUSTRIES), count), -1),
            organizations=rng.integers(1, 20_001, count),
            published_days_ago=rng.integers(0, 3 * 365, count),
            valid_days=np.where(rng.random(count) < 0.7, -1, rng.integers(30, 1000, count)),
        )

    def listings(self, first_id: int, count: int) -> list[IndexedListing]:
        """Achievements `first_id` … `first_id + count - 1` of the library, as the engine indexes them.
        Whole batches are expanded to tokens and characters at once (numpy), since a Python loop over
        every word costs more than some of the systems measured."""
        batch = self.batch(_LIBRARY, first_id, count)
        title_tokens, title_token_at = self.word_tokens.expand(batch.title, batch.title_offsets)
        body_tokens, body_token_at = self.word_tokens.expand(batch.body, batch.body_offsets)
        title_chars, title_char_at = self.word_chars.expand(batch.title, batch.title_offsets)
        body_chars, body_char_at = self.word_chars.expand(batch.body, batch.body_offsets)
        title_words = self.word_strings[batch.title].tolist()
        body_words = self.word_strings[batch.body].tolist()
        keywords = batch.keywords.tolist()
        title_at, body_at, keyword_at = (
            batch.title_offsets.tolist(),
            batch.body_offsets.tolist(),
            batch.keyword_offsets.tolist(),
        )
        published_days_ago, valid_days = batch.published_days_ago.tolist(), batch.valid_days.tolist()
        districts, industries, prices = (
            batch.districts.tolist(),
            batch.industries.tolist(),
            batch.price_fen.tolist(),
        )
        tech_fields, organizations, trls = (
            batch.tech_fields.tolist(),
            batch.organizations.tolist(),
            batch.trl.tolist(),
        )
        mode_bits = batch.mode_bits.tolist()
        found = []
        for row in range(count):
            keyword_ids = list(dict.fromkeys(keywords[keyword_at[row] : keyword_at[row + 1]]))
            listing_id = first_id + row
            published = TODAY - timedelta(days=published_days_ago[row])
            district, industry, price = districts[row], industries[row], prices[row]
            listing = Listing(
                id=listing_id,
                kind=Kind.ACHIEVEMENT,
                title="".join(title_words[title_at[row] : title_at[row + 1]]),
                body="".join(body_words[body_at[row] : body_at[row + 1]]),
                keywords=tuple(self.keywords[i] for i in keyword_ids),
                number=f"A-{published.year}-{listing_id:07d}",
                tech_field=TECH_FIELDS[tech_fields[row]],
                local_industries=(LOCAL_INDUSTRIES[industry],) if industry >= 0 else (),
                organization_id=organizations[row],
                region_id=_district_id(district),
                region_path=_region_path(district),
                modes=tuple(mode for mode, on in zip(TRANSFER_MODES, mode_bits[row], strict=True) if on),
                price_fen=price if price >= 0 else None,
                trl=trls[row],
                published_on=published,
                valid_until=TODAY + timedelta(days=valid_days[row]) if valid_days[row] >= 0 else None,
            )
            chars = title_chars[title_char_at[row] : title_char_at[row + 1]]
            for i in keyword_ids:
                chars += self.keyword_chars[i]
            chars += body_chars[body_char_at[row] : body_char_at[row + 1]]
            found.append(
                IndexedListing(
                    listing=listing,
                    title=tuple(title_tokens[title_token_at[row] : title_token_at[row + 1]]),
                    keywords=tuple(chain.from_iterable(self.keyword_tokens[i] for i in keyword_ids)),
                    keyword_terms=tuple(dict.fromkeys(self.keyword_terms[i] for i in keyword_ids)),
                    body=tuple(body_tokens[body_token_at[row] : body_token_at[row + 1]]),
                    chars=tuple(chars),
                )
            )
        return found

    # -- queries ---------------------------------------------------------------------------------

    def short_needs(self, count: int, stream: int = _SHORT) -> list[Need]:
        """5–10 distinct words of a fresh achievement, with its technology field."""
        batch = self.batch(stream, 0, count)
        rng = np.random.default_rng([self.seed, stream, 1 << 40])
        needs = []
        for row in range(count):
            title = batch.title[batch.title_offsets[row] : batch.title_offsets[row + 1]].tolist()
            body = batch.body[batch.body_offsets[row] : batch.body_offsets[row + 1]].tolist()
            distinct = list(dict.fromkeys(title + body))
            size = min(int(rng.integers(5, 11)), len(distinct))
            chosen = rng.choice(len(distinct), size=size, replace=False)
            needs.append(
                Need(
                    text=" ".join(self.words[distinct[i]] for i in sorted(chosen.tolist())),
                    tech_field=TECH_FIELDS[int(batch.tech_fields[row])],
                )
            )
        return needs

    def long_needs(self, count: int, stream: int = _LONG) -> list[Need]:
        """Full synthetic demands: title, 80 body words, 3 keywords and the structured fields."""
        batch = self.batch(stream, 0, count, body_words=80)
        rng = np.random.default_rng([self.seed, stream, 1 << 40])
        needs = []
        for row in range(count):
            title = batch.title[batch.title_offsets[row] : batch.title_offsets[row + 1]].tolist()
            body = batch.body[batch.body_offsets[row] : batch.body_offsets[row + 1]].tolist()
            keywords = list(
                dict.fromkeys(
                    batch.keywords[batch.keyword_offsets[row] : batch.keyword_offsets[row + 1]].tolist()
                )
            )[:3]
            district = int(batch.districts[row])
            price = int(batch.price_fen[row])
            modes = rng.choice(len(COOPERATION_MODES), size=int(rng.integers(1, 3)), replace=False)
            industry = int(batch.industries[row])
            needs.append(
                Need(
                    text=" ".join(self.words[i] for i in title + body),
                    keywords=tuple(self.keywords[i] for i in keywords),
                    tech_field=TECH_FIELDS[int(batch.tech_fields[row])],
                    local_industries=(LOCAL_INDUSTRIES[industry],) if industry >= 0 else (),
                    modes=tuple(COOPERATION_MODES[i] for i in sorted(modes.tolist())),
                    price_fen=price if price >= 0 else None,
                    demand_type=DEMAND_TYPES[int(rng.integers(0, len(DEMAND_TYPES)))],
                    region_path=_region_path(district),
                    organization_id=int(batch.organizations[row]),
                )
            )
        return needs

    def query_tokens(self, need: Need) -> list[str]:
        """The distinct tokens of a need's text and keywords, as the baselines query them."""
        return list(dict.fromkeys(self.analyzer.words(" ".join([need.text, *need.keywords]))))


def _mixed(
    rng: np.random.Generator,
    templates: np.ndarray,
    lengths: np.ndarray,
    topic: Ragged,
    share: float,
    cdf: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Word ids for rows of `lengths`: each from the row's topic record with probability `share`,
    otherwise from the whole vocabulary (cumulative `cdf`). Returns the ids and the row offsets."""
    total = int(lengths.sum())
    owner = np.repeat(templates, lengths)
    ids = np.minimum(np.searchsorted(cdf, rng.random(total) * cdf[-1], side="right"), len(cdf) - 1)
    available = topic.lengths[owner]
    from_topic = (rng.random(total) < share) & (available > 0)
    picked = topic.starts[owner[from_topic]] + (
        rng.random(int(from_topic.sum())) * available[from_topic]
    ).astype(np.int64)
    ids[from_topic] = topic.flat[picked]
    return ids, np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


def _district_id(district: int) -> int:
    return 1000 + district


def _region_path(district: int) -> tuple[int, ...]:
    return (_district_id(district), 100 + district // _DISTRICTS_PER_CITY)


def _read_csl(path: Path) -> list[tuple[str, str, tuple[str, ...], str]]:
    """(title, abstract, keywords, discipline) of each record of a CSL-format TSV."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (
                row["title"].strip(),
                row["abstract"].strip(),
                tuple(k.strip() for k in row["keywords"].split("_") if k.strip()),
                row["discipline"].strip(),
            )
            for row in reader
            if row.get("title")
        ]


# -- one system, in its own process --------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What a child process measures: `n` listings, committed every `commit_every`, then queries."""

    n: int
    commit_every: int
    needs: list[Need]
    warm: list[Need]


@dataclass
class BuildClock:
    """Wall time in the system's calls, and CPU time of the build minus the generator's."""

    wall: float = 0.0
    generator_cpu: float = 0.0
    started_cpu: float = 0.0
    chunk_mb: float = 0.0  # what one generated chunk adds to the process's memory

    def __post_init__(self) -> None:
        self.started_cpu = time.process_time()

    def chunks(self, library: Library, n: int, size: int) -> Iterator[list[IndexedListing]]:
        """The library in chunks of about `size` listings, each generated whole before the system
        sees it (batch by batch, so the listings do not depend on `size`)."""
        chunk: list[IndexedListing] = []
        anonymous = _memory_now().get("anon", 0.0)
        for first_id, count in _batches(n):
            began = time.thread_time()
            chunk.extend(library.listings(first_id, count))
            self.generator_cpu += time.thread_time() - began
            if len(chunk) >= size or first_id + count > n:
                self.chunk_mb = self.chunk_mb or _memory_now().get("anon", 0.0) - anonymous
                yield chunk
                chunk = []
                _progress(first_id + count - 1, n)

    def cpu(self) -> float:
        return time.process_time() - self.started_cpu - self.generator_cpu


def _batches(n: int) -> Iterator[tuple[int, int]]:
    """(first id, count) of each generated batch; ids run from 1 to n."""
    for start in range(0, n, GENERATION_BATCH):
        yield start + 1, min(GENERATION_BATCH, n - start)


def _progress(done: int, n: int) -> None:
    if done % 100_000 == 0 or done == n:
        print(f"  {done:,}/{n:,} listings", file=sys.stderr, flush=True)


def _directory_mb(path: Path) -> float:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file()) / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _memory_now() -> dict[str, float]:
    """Peak RSS so far, and the current RSS split into anonymous memory and file pages (the index's
    memory-mapped files, which the kernel can drop), in MB."""
    found = {"peak": _peak_rss_mb()}
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("RssAnon", "RssFile"):
                found[name[3:].lower()] = int(value.split()[0]) / 1024
    return found


def run_engine(library: Library, run: Run, workdir: Path) -> dict[str, Any]:
    from app.matching.engine import Engine  # noqa: PLC0415 - only this child needs it

    engine = Engine.open(workdir / "engine")
    clock = BuildClock()
    # The topic model first, on the first 20,000 listings (the generator draws listings independently,
    # so they are as good a sample as any; the model samples a larger library down to as many), so
    # every listing is stored with its vector as a rebuild stores it (app.listings.search_index).
    began_cpu = time.thread_time()
    sample = library.listings(1, min(TOPIC_SAMPLE, run.n))
    clock.generator_cpu += time.thread_time() - began_cpu
    began = time.perf_counter()
    engine.fit_topics(sample)
    topics = time.perf_counter() - began
    clock.wall += topics
    del sample
    phases = {"topics": _memory_now()}
    for chunk in clock.chunks(library, run.n, run.commit_every):
        began = time.perf_counter()
        for start in range(0, len(chunk), GENERATION_BATCH):
            engine.add_prepared(engine.with_topics(chunk[start : start + GENERATION_BATCH]))
        engine.commit()
        clock.wall += time.perf_counter() - began
        del chunk  # before the next one is generated
    phases["index"] = _memory_now()
    build_cpu = clock.cpu()
    filters = Filters(kind=Kind.ACHIEVEMENT, today=TODAY)

    def answer(need: Need) -> list[int]:
        return [result.listing_id for result in engine.match(need, filters, limit=LIMIT).results]

    result = _measure(answer, run)
    phases["queries"] = _memory_now()
    result.update(
        build_s=clock.wall,
        build_cpu_s=build_cpu,
        chunk_mb=clock.chunk_mb,
        topics_s=topics,
        index_mb=_directory_mb(workdir / "engine"),
        rss_phases_mb=phases,
    )
    return result


def run_tantivy(library: Library, run: Run, workdir: Path) -> dict[str, Any]:
    import tantivy  # noqa: PLC0415 - only this child needs it
    from tantivy import Occur, Query  # noqa: PLC0415

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
    schema = builder.build()
    (workdir / "tantivy").mkdir()
    index = tantivy.Index(schema, path=str(workdir / "tantivy"))
    clock = BuildClock()
    for chunk in clock.chunks(library, run.n, run.commit_every):
        began = time.perf_counter()
        # A writer per chunk, committed and its merges awaited, as the engine's commit does.
        writer = index.writer(WRITER_HEAP, 0)
        for document in chunk:
            text = " ".join(chain(document.title, document.keywords, document.body))
            writer.add_document(tantivy.Document(id=document.listing.id, text=text))
        writer.commit()
        writer.wait_merging_threads()
        clock.wall += time.perf_counter() - began
        del chunk  # before the next one is generated
    began = time.perf_counter()
    index.reload()
    clock.wall += time.perf_counter() - began
    build_cpu = clock.cpu()

    def answer(need: Need) -> list[int]:
        tokens = library.query_tokens(need)
        if not tokens:
            return []
        query = Query.boolean_query([(Occur.Should, Query.term_query(schema, "text", t)) for t in tokens])
        searcher = index.searcher()
        hits = searcher.search(query, limit=LIMIT, count=False).hits
        return [int(searcher.doc(address).get_first("id") or 0) for _, address in hits]

    result = _measure(answer, run)
    result.update(
        build_s=clock.wall,
        build_cpu_s=build_cpu,
        chunk_mb=clock.chunk_mb,
        index_mb=_directory_mb(workdir / "tantivy"),
    )
    return result


def run_bm25s(library: Library, run: Run, workdir: Path) -> dict[str, Any]:
    import bm25s  # noqa: PLC0415 - only this child needs it

    clock = BuildClock()
    corpus: list[list[str]] = []
    for chunk in clock.chunks(library, run.n, run.commit_every):
        began = time.thread_time()
        corpus.extend([*d.title, *d.keywords, *d.body] for d in chunk)
        clock.generator_cpu += time.thread_time() - began
        del chunk  # before the next one is generated
    began = time.perf_counter()
    model = bm25s.BM25(method="lucene")
    model.index(corpus, show_progress=False)
    clock.wall = time.perf_counter() - began
    build_cpu = clock.cpu()
    del corpus

    def answer(need: Need) -> list[int]:
        tokens = library.query_tokens(need)
        if not tokens:
            return []
        documents, scores = model.retrieve([tokens], k=min(LIMIT, run.n), show_progress=False)
        return [int(doc) + 1 for doc, score in zip(documents[0], scores[0], strict=True) if score > 0]

    result = _measure(answer, run)
    result.update(build_s=clock.wall, build_cpu_s=build_cpu, chunk_mb=clock.chunk_mb, index_mb=None)
    return result


def _measure(answer: Callable[[Need], list[int]], run: Run) -> dict[str, Any]:
    for need in run.warm:
        answer(need)
    latencies, cpu, answers = [], [], []
    for need in run.needs:
        began, began_cpu = time.perf_counter(), time.thread_time()
        found = answer(need)
        latencies.append((time.perf_counter() - began) * 1000)
        cpu.append((time.thread_time() - began_cpu) * 1000)
        answers.append(found)
    return {"latencies_ms": latencies, "cpu_ms": cpu, "answers": answers}


def child(args: argparse.Namespace) -> None:
    library = Library(args.data, args.seed)
    needs = library.short_needs(args.queries) + library.long_needs(args.long_queries)
    warm = library.short_needs(WARM_UP // 2, _WARM) + library.long_needs(WARM_UP - WARM_UP // 2, _WARM + 10)
    base = _peak_rss_mb()
    system = {"engine": run_engine, "tantivy": run_tantivy, "bm25s": run_bm25s}[args.child]
    with tempfile.TemporaryDirectory(prefix="match_speed_") as directory:
        result = system(library, Run(args.n, args.commit_every, needs, warm), Path(directory))
    result.update(rss_mb=_peak_rss_mb(), base_rss_mb=base, vocabulary=len(library.words))
    args.result.write_text(json.dumps(result), encoding="utf-8")


# -- the parent: runs each system, prints the figures --------------------------------------------


def spawn(system: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = Path(handle.name)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        *("--child", system, "--n", str(n), "--result", str(result_path)),
        *("--seed", str(args.seed), "--queries", str(args.queries), "--long-queries", str(args.long_queries)),
        *("--data", str(args.data), "--commit-every", str(args.commit_every)),
    ]
    began = time.perf_counter()
    try:
        subprocess.run(command, check=True)  # noqa: S603 - this very script, our own arguments
        result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
    finally:
        result_path.unlink(missing_ok=True)
    print(f"  {system}: done in {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    return result


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    p50, p95, p99 = np.percentile(np.array(values), [50, 95, 99])
    return float(p50), float(p95), float(p99)


def overlap(answers: list[list[int]], reference: list[list[int]]) -> float:
    shares = [len(set(a) & set(r)) / len(r) for a, r in zip(answers, reference, strict=True) if r]
    return sum(shares) / len(shares) if shares else math.nan


def report(n: int, results: dict[str, dict[str, Any]], skipped: dict[str, str], short: int) -> None:
    print(f"\nn={n:,} achievements (vocabulary {next(iter(results.values()))['vocabulary']:,} words)")
    header = (
        f"{'system':<8}{'build s':>9}{'cpu s':>8}{'rss MB':>8}{'base MB':>8}{'disk MB':>8}"
        f"{'short p50/p95/p99 ms':>24}{'long p50/p95/p99 ms':>24}{'all p50/p95/p99 ms':>24}"
        f"{'cpu p50/p95':>14}{'overlap':>8}"
    )
    print(header)
    reference = results.get("tantivy", {}).get("answers")
    for system in SYSTEMS:
        if system in skipped:
            print(f"{system:<8}skipped: {skipped[system]}")
            continue
        if system not in results:
            continue
        result = results[system]
        latencies = result["latencies_ms"]
        columns = [percentiles(latencies[:short]), percentiles(latencies[short:]), percentiles(latencies)]
        shown = ["/".join(f"{value:.1f}" for value in column) for column in columns]
        cpu = "/".join(f"{value:.1f}" for value in percentiles(result["cpu_ms"])[:2])
        disk = f"{result['index_mb']:.0f}" if result["index_mb"] is not None else "-"
        shared = overlap(result["answers"], reference) if reference else math.nan
        print(
            f"{system:<8}{result['build_s']:>9.1f}{result['build_cpu_s']:>8.1f}{result['rss_mb']:>8.0f}"
            f"{result['base_rss_mb']:>8.0f}{disk:>8}{shown[0]:>24}{shown[1]:>24}{shown[2]:>24}{cpu:>14}"
            f"{shared:>8.2f}"
        )
    if "engine" in results:
        engine = results["engine"]
        print(
            f"engine: topic model {engine['topics_s']:.1f} s of its build; one generated chunk "
            f"{engine['chunk_mb']:,.0f} MB of every process's peak; memory after each phase, MB:"
        )
        for phase, memory in engine["rss_phases_mb"].items():
            print(
                f"  {phase:<8} peak RSS {memory['peak']:>6,.0f}   now: anonymous "
                f"{memory.get('anon', 0):>6,.0f} + file-backed {memory.get('file', 0):>6,.0f}"
            )
    if "engine" in results and "tantivy" in results:
        engine, tantivy = results["engine"], results["tantivy"]
        p95_ratio = percentiles(engine["latencies_ms"])[1] / percentiles(tantivy["latencies_ms"])[1]
        build_ratio = engine["build_s"] / tantivy["build_s"]
        print(
            f"engine/tantivy: p95 ×{p95_ratio:.2f} (goal ≤ 2), build ×{build_ratio:.2f} (goal ≤ 2); "
            f"engine peak RSS {engine['rss_mb']:.0f} MB (goal ≤ {RSS_GOAL_MB})"
        )


def parent(args: argparse.Namespace) -> None:
    sizes = [int(size) for size in args.sizes.split(",")]
    systems = [system for system in args.systems.split(",") if system]
    print(
        f"match_speed: sizes {sizes}, {args.queries} short + {args.long_queries} long queries, "
        f"seed {args.seed}, "
        f"data {args.data}, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    summary = None
    bm25s_rss: dict[int, float] = {}
    for n in sizes:
        results: dict[str, dict[str, Any]] = {}
        skipped: dict[str, str] = {}
        for system in systems:
            if system == "bm25s" and n > args.bm25s_max_rows:
                skipped[system] = _bm25s_skipped(n, args.bm25s_max_rows, bm25s_rss)
                continue
            print(f"n={n:,}: {system}", file=sys.stderr, flush=True)
            results[system] = spawn(system, n, args)
            if system == "bm25s":
                bm25s_rss[n] = results[system]["rss_mb"]
        report(n, results, skipped, args.queries)
        if "engine" in results and "tantivy" in results:
            engine, tantivy = results["engine"], results["tantivy"]
            summary = (
                f"match_speed n={n} engine_p95_ms={percentiles(engine['latencies_ms'])[1]:.1f} "
                f"tantivy_p95_ms={percentiles(tantivy['latencies_ms'])[1]:.1f} "
                f"engine_build_s={engine['build_s']:.1f} tantivy_build_s={tantivy['build_s']:.1f} "
                f"engine_rss_mb={engine['rss_mb']:.0f}"
            )
    print(f"\nload average {os.getloadavg()[0]:.1f}")
    if summary:
        print(summary)


def _bm25s_skipped(n: int, max_rows: int, measured: dict[int, float]) -> str:
    reason = (
        f"n={n:,} is above --bm25s-max-rows={max_rows:,}: it holds the token lists and its score matrix "
        "in memory (issue 14 reports 14 GB at 1M on this machine)"
    )
    if measured:
        largest = max(measured)
        reason += f"; its peak RSS here was {measured[largest]:,.0f} MB at n={largest:,}"
    return reason


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000", help="library sizes, comma-separated")
    parser.add_argument("--queries", type=int, default=300, help="short queries")
    parser.add_argument("--long-queries", type=int, default=100, help="long queries (full demands)")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--bm25s-max-rows", type=int, default=200_000)
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="which of engine,tantivy,bm25s")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--commit-every", type=int, default=50_000, help="listings generated, added and committed at a time"
    )
    parser.add_argument("--child", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
