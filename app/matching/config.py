"""The engine's tunable numbers and tables, in one place, with defaults a broker would defend.

Every structured feature gives a value in [-1, 1]; its weight scales it into the score, beside the
text score, which is normalized to [0, 1] per query (the best text match scores 1). So a weight of
0.3 means: this feature at its best is worth 30 % of the best text match.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Demand cooperation modes (CooperationMode) against achievement transfer modes (TransferMode): the
# transfer modes that serve each cooperation mode.
DEFAULT_MODE_COMPATIBILITY: Mapping[str, frozenset[str]] = {
    "transfer": frozenset({"transfer"}),
    "license": frozenset({"license", "transfer"}),
    "joint_development": frozenset({"joint_development"}),
    "commissioned_development": frozenset({"joint_development", "service"}),
    "consulting": frozenset({"service"}),
    "service": frozenset({"service"}),
    "equity": frozenset({"equity"}),
    "new_venture": frozenset({"equity", "joint_development"}),
}

# Demand types that want a technology ready to use (TRL 6 and up), and those that take earlier stages.
DEFAULT_MATURE_DEMAND_TYPES = frozenset(
    {"technical_renovation", "product_upgrade", "equipment_improvement", "technology_transaction"}
)
DEFAULT_EARLY_DEMAND_TYPES = frozenset({"key_technology", "overseas_cooperation"})


@dataclass(frozen=True, slots=True)
class FieldWeights:
    """BM25 boosts per indexed field. A whole keyword shared with the need is the strongest sign; the
    title and the keywords' words count as much as the body's, since an abstract repeats its title's
    words (boosting them twice over ranked listings that merely name a word in the title above those
    about it: nDCG@10 0.50 with title ×3, 0.53 with ×1, on bench/match_quality.py); single characters
    only rescue what no word found."""

    title: float = 1.0
    keywords: float = 1.0
    keyword_exact: float = 4.0
    body: float = 1.0
    chars: float = 0.3
    number: float = 50.0


@dataclass(frozen=True, slots=True)
class FeatureWeights:
    tech_field: float = 0.9
    local_industry: float = 0.1
    modes: float = 0.1
    price: float = 0.15
    maturity: float = 0.3
    region: float = 0.08
    freshness: float = 0.04
    # Nearness in the topic model (app.matching.topics), for listings that share few words.
    topic: float = 1.0


@dataclass(frozen=True, slots=True)
class MatchConfig:
    fields: FieldWeights = field(default_factory=FieldWeights)
    features: FeatureWeights = field(default_factory=FeatureWeights)
    # Technology fields that are near each other (pairs, either way): half the same-field credit.
    related_fields: frozenset[frozenset[str]] = frozenset()
    mode_compatibility: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: dict(DEFAULT_MODE_COMPATIBILITY)
    )
    mature_demand_types: frozenset[str] = DEFAULT_MATURE_DEMAND_TYPES
    early_demand_types: frozenset[str] = DEFAULT_EARLY_DEMAND_TYPES
    # A long text keeps its most telling words (by IDF) up to this many.
    max_query_terms: int = 24
    # Words in more than this share of the listings are never required (they would sort nothing).
    common_share: float = 0.1
    # At most this many of the rarest words are required in the strict pass.
    max_required_terms: int = 4
    # The strict pass is enough when it finds this many (or the page asked for more).
    min_strict_hits: int = 20
    # Candidates re-ranked by structured scoring: the text's best this many. 300 rather than 400:
    # bench/match_quality.py gives the same nDCG@10 and Recall@50 within 0.001 (two seeds), and a
    # match reads and scores a quarter fewer records.
    candidates: int = 300
    # Pseudo-relevance feedback: words taken from the best `feedback_docs` text matches, at most
    # `feedback_terms` of them, each weighted `feedback_weight` of an original word.
    feedback_docs: int = 10
    feedback_terms: int = 25
    feedback_weight: float = 0.6
    # Synonyms count this much of the word itself.
    synonym_weight: float = 0.8
    # Freshness: a listing published this many days ago scores half.
    freshness_half_life_days: int = 365
    # Far over budget: an asking price this many times the budget scores -1.
    price_far_over: float = 3.0
