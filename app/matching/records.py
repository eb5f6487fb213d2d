"""Plain records in, ranked and explained results out: the engine's whole vocabulary.

Values are the application's stable keys ("new_materials", "joint_development"), never labels; the
engine compares them and leaves wording to `explain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    DEMAND = "demand"
    ACHIEVEMENT = "achievement"
    PACKAGE = "package"


@dataclass(frozen=True, slots=True)
class Listing:
    """One listing as the index holds it: only what may be shown to anyone who may see the listing
    (never confidential detail), plus what structured scoring and the hard filters need.

    `modes` are a demand's cooperation modes or an achievement's transfer modes; `price_fen` is a
    demand's budget or an achievement's asking price, None when negotiable (面议)."""

    id: int
    kind: Kind
    title: str
    body: str = ""
    keywords: tuple[str, ...] = ()
    number: str | None = None
    tech_field: str | None = None
    local_industries: tuple[str, ...] = ()
    organization_id: int | None = None
    region_id: int | None = None
    # The region's ancestors, nearest first (district, then city): "same district" or "same city".
    region_path: tuple[int, ...] = ()
    modes: tuple[str, ...] = ()
    price_fen: int | None = None
    trl: int | None = None
    demand_type: str | None = None
    published_on: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class Need:
    """What to match: a demand (or any free text) looking for achievements, or an achievement looking
    for demands. `text` is searched; the other fields are scored when given."""

    text: str
    keywords: tuple[str, ...] = ()
    tech_field: str | None = None
    local_industries: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    price_fen: int | None = None
    trl: int | None = None
    demand_type: str | None = None
    region_path: tuple[int, ...] = ()
    # Never matched with itself (a listing of `listing_kind`) or with its own organization's listings.
    listing_id: int | None = None
    listing_kind: Kind | None = None
    organization_id: int | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """Hard filters: a result outside them is never returned, whatever its score."""

    kind: Kind = Kind.ACHIEVEMENT
    today: date | None = None  # listings whose valid_until is before it are expired
    tech_field: str | None = None
    exclude_ids: frozenset[int] = frozenset()
    exclude_organization_id: int | None = None
    # Only these ids (the caller's visibility, or SQL filters already applied), when given.
    only_ids: frozenset[int] | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """One structured feature's part in a result's score, with what it compared."""

    feature: str
    score: float  # weight × feature value, added to the text score
    detail: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Result:
    listing_id: int
    score: float
    text_score: float
    # Query words found in the listing (as the index holds them), strongest first.
    matched_terms: tuple[str, ...]
    # All of the query's required words were found (the strict pass), or only some.
    complete: bool
    contributions: tuple[Contribution, ...]
