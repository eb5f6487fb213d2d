"""Recommendations and ad-hoc matching: what a client sends and reads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from app.achievements.schemas import AchievementRead
from app.core.enums import (
    CooperationMode,
    DeclineReason,
    DemandType,
    LocalIndustry,
    MatchStatus,
    TechField,
    TransferMode,
)
from app.core.schemas import EntityId, Fen, InputModel, OutputModel
from app.demands.schemas import DemandRead

MatchText = Annotated[str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)]
Keyword = Annotated[str, StringConstraints(min_length=1, max_length=50, strip_whitespace=True)]


class ContributionRead(OutputModel):
    """One structured feature's part in the score: `score` is its weight times its value (-1 to 1),
    added to the text score (0 to 1, the best text match of the query scoring 1)."""

    feature: Literal[
        "tech_field", "local_industry", "modes", "price", "maturity", "region", "freshness", "topic"
    ]
    score: float
    detail: dict[str, Any] = Field(description="What the feature compared, by stable keys")


class _Explained(OutputModel):
    score: float = Field(description="The ranking score: text score plus the contributions")
    text_score: float = Field(description="How well the words match, 0 to 1 (1: the query's best)")
    matched_terms: list[str] = Field(description="Words of the need the listing holds, longest first")
    complete: bool = Field(description="The listing holds every required word of the need")
    contributions: list[ContributionRead]
    explanation: str = Field(description="Why, in a sentence to read to an enterprise (Chinese by default)")


class AchievementMatch(_Explained):
    achievement: AchievementRead


class DemandMatch(_Explained):
    demand: DemandRead


class MatchQuery(InputModel):
    """A need in free text, matched against the published listings (anyone may ask; the structured
    fields are optional and scored when given: cooperation modes against achievements' transfer
    modes, transfer modes against demands' cooperation modes)."""

    text: MatchText
    keywords: list[Keyword] = Field(default_factory=list, max_length=20)
    tech_field: TechField | None = None
    local_industry: LocalIndustry | None = None
    demand_type: DemandType | None = None
    cooperation_modes: list[CooperationMode] = Field(default_factory=list, max_length=9)
    transfer_modes: list[TransferMode] = Field(default_factory=list, max_length=5)
    budget_fen: Fen | None = Field(default=None, description="Omitted: negotiable (面议)")
    trl: int | None = Field(default=None, ge=1, le=9)
    region_id: EntityId | None = None


class SavedMatchRead(OutputModel):
    """A recommendation kept for a demand's owner, with where they are with it."""

    id: int
    demand_id: int
    achievement_id: int
    achievement_title: str
    status: MatchStatus
    score: float = Field(description="The engine's score when it was saved")
    matched_terms: list[str]
    contributions: list[ContributionRead]
    explanation: str
    decline_reason: DeclineReason | None
    decline_note: str | None
    created_at: datetime
    updated_at: datetime


class MatchActionBody(InputModel):
    """`reason` (and optionally `note`) when dismissing; nothing otherwise."""

    reason: DeclineReason | None = None
    note: Annotated[str, StringConstraints(max_length=500, strip_whitespace=True)] | None = None
