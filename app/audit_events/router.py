"""Reading the audit log (city and system administrators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.audit_events import service
from app.audit_events.schemas import AuditEventRead
from app.auth.dependencies import AdminDep
from app.core.pagination import Page, PageDep, page_of
from app.core.problems import problem_responses
from app.core.schemas import NO_NUL_PATTERN, EntityId
from app.db.dependencies import SessionDep

router = APIRouter(prefix="/audit-events", tags=["audit"])


@router.get("", operation_id="list_audit_events", responses=problem_responses(401, 403, 422, 500))
async def list_audit_events(
    session: SessionDep,
    _admin: AdminDep,
    page: PageDep,
    entity_type: Annotated[str | None, Query(max_length=50, pattern=NO_NUL_PATTERN)] = None,
    entity_id: Annotated[str | None, Query(max_length=50, pattern=NO_NUL_PATTERN)] = None,
    action: Annotated[str | None, Query(max_length=80, pattern=NO_NUL_PATTERN)] = None,
    actor_user_id: Annotated[EntityId | None, Query()] = None,
) -> Page[AuditEventRead]:
    """Audit events, newest first, filtered by entity, action or actor."""
    items, total = await service.list_events(
        session,
        page,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        actor_user_id=actor_user_id,
    )
    return page_of([AuditEventRead.model_validate(e) for e in items], total, page)
