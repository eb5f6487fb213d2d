"""The tables that hang off each listing kind: revisions and confidential-detail access requests."""

from __future__ import annotations

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
    model = listing if isinstance(listing, type) else type(listing)
    return model.__tablename__[:-1]
