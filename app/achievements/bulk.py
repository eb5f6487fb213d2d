"""Many achievements at once, for a bulk import: the rows and audit events `service.create` makes,
built so that a batch is inserted with one statement per table. The import checked beforehand what
`create` checks row by row (membership, region, client_key); tests/imports/test_same_as_api.py holds
the two paths to the same result."""

from __future__ import annotations

from typing import Any

from app.achievements import service
from app.achievements.schemas import AchievementCreate, PatentRead, patent_type
from app.auth.principal import Principal
from app.core.enums import ListingStatus
from app.models import Achievement, Patent


def search_fields(data: AchievementCreate) -> tuple[list[str | None], list[str]]:
    """What `service.create` tokenizes into search_text: (fields, keywords)."""
    return [data.title, data.abstract, data.public_summary], [*data.keywords, *data.application_industries]


def draft(principal: Principal, region_id: int, data: AchievementCreate, search_text: str) -> Achievement:
    fields = data.model_dump(exclude={"organization_id", "region_id", "patents"})
    return Achievement(
        **fields,
        organization_id=data.organization_id,
        region_id=region_id,
        status=ListingStatus.DRAFT,
        created_by_id=principal.user_id,
        search_text=search_text,
    )


def children(achievement: Achievement, data: AchievementCreate) -> list[Patent]:
    """The patent rows of a stored (flushed) achievement."""
    return [
        Patent(
            achievement_id=achievement.id,
            application_number=patent.application_number,
            patent_type=patent_type(patent.application_number),
            status=patent.status,
            title=patent.title,
        )
        for patent in data.patents
    ]


def snapshot(achievement: Achievement, patents: list[Patent]) -> dict[str, Any]:
    return service._snapshot(achievement, [PatentRead.model_validate(patent) for patent in patents])
