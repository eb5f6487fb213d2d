"""Many demands at once, for a bulk import: the rows and audit events `service.create` makes, built so
that a batch is inserted with one statement per table. The import checked beforehand what `create`
checks row by row (membership, region, client_key); tests/imports/test_same_as_api.py holds the two
paths to the same result."""

from __future__ import annotations

from typing import Any

from app.auth.principal import Principal
from app.core.enums import ListingStatus
from app.demands.schemas import DemandCreate
from app.demands.service import AUDITED
from app.events import recording as audit
from app.models import Demand


def search_fields(data: DemandCreate) -> tuple[list[str | None], list[str]]:
    """What `service.create` tokenizes into search_text: (fields, keywords)."""
    return [data.title, data.description], data.keywords


def draft(principal: Principal, region_id: int, data: DemandCreate, search_text: str) -> Demand:
    fields = data.model_dump(exclude={"organization_id", "region_id", "is_budget_negotiable"})
    return Demand(
        **fields,
        is_budget_negotiable=bool(data.is_budget_negotiable),
        organization_id=data.organization_id,
        region_id=region_id,
        status=ListingStatus.DRAFT,
        created_by_id=principal.user_id,
        search_text=search_text,
    )


def snapshot(demand: Demand, _children: list[Any]) -> dict[str, Any]:
    return audit.snapshot(demand, AUDITED)
