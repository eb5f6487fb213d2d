"""Matching quality: demand → achievement, graded, against BM25 over the same tokens.

    .venv/bin/python bench/match_quality.py [--data FILE.tsv] [--demands 500] [--seed 20261201]

The protocol of ../shared/data/csl/README.md. Every record of the TSV (title, abstract, keywords
joined with `_`, discipline, category) is an achievement whose technology field is its category. A
demand is one record's title and keywords with the same field; that record is left out of its own
results. Grade 2: same discipline and at least one shared keyword; 1: same discipline; 0 otherwise.
`discipline` is used for grading only: nothing of it reaches the engine.

Three rankings over the same demands and the same tokens (the engine's analyzer: folding, jieba-rs
search mode, the domain dictionary, stop words): (a) plain BM25 (bm25s, Lucene variant) over title,
keywords and abstract as one text; (b) the same with a hard filter on the demand's field; (c) the
engine through its public interface (`Engine.match`). Prints nDCG@10 and Recall@50 (relevant: grade
≥ 1) for each, then one summary line. A figure printer: it exits 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.matching.engine import Engine  # noqa: E402
from app.matching.records import Filters, Kind, Listing, Need  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "csl" / "dev.tsv"
NDCG_AT = 10
RECALL_AT = 50


@dataclass(frozen=True)
class Record:
    title: str
    abstract: str
    keywords: tuple[str, ...]
    discipline: str
    category: str


def load(path: Path) -> list[Record]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Record(
                title=row["title"].strip(),
                abstract=row["abstract"].strip(),
                keywords=tuple(k.strip() for k in row["keywords"].split("_") if k.strip()),
                discipline=row["discipline"].strip(),
                category=row["category"].strip(),
            )
            for row in reader
            if row.get("title")
        ]


def grades(records: list[Record], demand: int) -> dict[int, int]:
    """The graded relevant records of demand `demand` (itself excluded)."""
    own = records[demand]
    keywords = set(own.keywords)
    found = {}
    for index, record in enumerate(records):
        if index == demand or record.discipline != own.discipline:
            continue
        found[index] = 2 if keywords & set(record.keywords) else 1
    return found


def ndcg(ranked: list[int], graded: dict[int, int], at: int) -> float:
    gains = [graded.get(doc, 0) for doc in ranked[:at]]
    dcg = sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal_gains = sorted(graded.values(), reverse=True)[:at]
    ideal = sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(ideal_gains))
    return dcg / ideal if ideal else 0.0


def recall(ranked: list[int], graded: dict[int, int], at: int) -> float:
    if not graded:
        return 0.0
    return len(set(ranked[:at]) & graded.keys()) / len(graded)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--demands", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()

    records = load(args.data)
    print(f"data: {args.data} ({len(records)} records)")
    demands = random.Random(args.seed).sample(range(len(records)), min(args.demands, len(records)))

    began = time.perf_counter()
    engine = Engine.open(None)
    documents = [
        engine.prepare(
            Listing(
                id=index,
                kind=Kind.ACHIEVEMENT,
                title=record.title,
                body=record.abstract,
                keywords=record.keywords,
                tech_field=record.category,
            )
        )
        for index, record in enumerate(records)
    ]
    # As a rebuild does (app.listings.search_index): the topic model first, then each listing stored
    # with its vector.
    engine.fit_topics(documents)
    engine.add_prepared(engine.with_topics(documents))
    engine.commit()
    print(f"engine index and topic model: {time.perf_counter() - began:.1f} s")

    analyzer = engine.analyzer
    corpus = [analyzer.words(" ".join([r.title, *r.keywords, r.abstract])) for r in records]
    bm25 = bm25s.BM25(method="lucene")
    bm25.index(corpus, show_progress=False)
    categories = np.array([record.category for record in records])

    totals: dict[str, list[float]] = defaultdict(list)
    began = time.perf_counter()
    for demand in demands:
        record = records[demand]
        graded = grades(records, demand)
        query = analyzer.words(" ".join([record.title, *record.keywords]))
        mask = np.ones(len(records), dtype=np.float32)
        mask[demand] = 0
        field_mask = mask * (categories == record.category)
        for name, weights in (("bm25", mask), ("bm25field", field_mask)):
            ranked = _bm25(bm25, query, weights, RECALL_AT)
            totals[f"{name}_ndcg"].append(ndcg(ranked, graded, NDCG_AT))
            totals[f"{name}_recall"].append(recall(ranked, graded, RECALL_AT))
        page = engine.match(
            Need(
                text=record.title,
                keywords=record.keywords,
                tech_field=record.category,
                listing_id=demand,
                listing_kind=Kind.ACHIEVEMENT,
            ),
            Filters(kind=Kind.ACHIEVEMENT),
            limit=RECALL_AT,
        )
        ranked = [result.listing_id for result in page.results]
        totals["engine_ndcg"].append(ndcg(ranked, graded, NDCG_AT))
        totals["engine_recall"].append(recall(ranked, graded, RECALL_AT))
    print(f"{len(demands)} demands in {time.perf_counter() - began:.1f} s")

    mean = {name: sum(values) / len(values) for name, values in totals.items()}
    print(f"{'ranking':<28}{'nDCG@10':>10}{'Recall@50':>12}")
    for label, name in (
        ("(a) BM25", "bm25"),
        ("(b) BM25 + field filter", "bm25field"),
        ("(c) engine", "engine"),
    ):
        print(f"{label:<28}{mean[name + '_ndcg']:>10.3f}{mean[name + '_recall']:>12.3f}")
    print(
        f"match_quality engine_ndcg10={mean['engine_ndcg']:.3f} bm25_ndcg10={mean['bm25_ndcg']:.3f} "
        f"bm25field_ndcg10={mean['bm25field_ndcg']:.3f} engine_recall50={mean['engine_recall']:.3f} "
        f"bm25field_recall50={mean['bm25field_recall']:.3f}"
    )


def _bm25(model: bm25s.BM25, query: list[str], weights: np.ndarray, k: int) -> list[int]:
    if not query:
        return []
    documents, scores = model.retrieve([query], k=k, show_progress=False, weight_mask=weights)
    return [int(doc) for doc, score in zip(documents[0], scores[0], strict=True) if score > 0]


if __name__ == "__main__":
    main()
