"""Queries over the audit log for the administrators' API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import PageParams
from app.db.repository import fetch_page
from app.models import AuditEvent


async def list_events(
    session: AsyncSession,
    page: PageParams,
    *,
    entity_type: str | None,
    entity_id: str | None,
    action: str | None,
    actor_user_id: int | None,
) -> tuple[list[AuditEvent], int]:
    """One page of audit events, newest first, equal to every filter given, and how many there are."""
    statement = select(AuditEvent)
    for column, value in (
        (AuditEvent.entity_type, entity_type),
        (AuditEvent.entity_id, entity_id),
        (AuditEvent.action, action),
        (AuditEvent.actor_user_id, actor_user_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    statement = statement.order_by(AuditEvent.id.desc())
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)
