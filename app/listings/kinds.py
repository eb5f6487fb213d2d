"""The tables that hang off each listing kind (revisions and confidential-detail access requests),
and how a kind is read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.db.dialect import Db
from app.events.transitions import entity_type_of
from app.listings.schemas import ListingRead
from app.models import (
    Achievement,
    AchievementAccessRequest,
    AchievementRevision,
    Demand,
    DemandAccessRequest,
    DemandRevision,
)

Listing = Demand | Achievement
Revision = DemandRevision | AchievementRevision
AccessRequest = DemandAccessRequest | AchievementAccessRequest

REVISIONS: dict[type[Listing], type[Revision]] = {Demand: DemandRevision, Achievement: AchievementRevision}
ACCESS_REQUESTS: dict[type[Listing], type[AccessRequest]] = {
    Demand: DemandAccessRequest,
    Achievement: AchievementAccessRequest,
}


def kind_of(listing: Listing | type[Listing]) -> str:
    """`demand` or `achievement`: the prefix of audit actions and the entity type."""
    return entity_type_of(listing if isinstance(listing, type) else type(listing))


ListingT = TypeVar("ListingT", Demand, Achievement)


@dataclass(frozen=True, slots=True)
class ReadKind(Generic[ListingT]):
    """How a listing kind is read (app.listings.reading): the public view in Core, everyone else's
    through the feature's presenter."""

    model: type[ListingT]
    read_model: type[ListingRead]
    number_prefix: str  # XQ, CG
    # What a caller reads of a batch of these listings (the feature's service.to_read).
    to_read: Callable[[AsyncSession, Principal | None, Sequence[ListingT]], Awaitable[Sequence[ListingRead]]]
    # Columns the kind adds to a public row (an achievement's patents, aggregated), for a database.
    extra_columns: Callable[[Db], Sequence[ColumnElement[Any]]] = field(default=lambda _db: ())

    @property
    def name(self) -> str:
        return kind_of(self.model)
