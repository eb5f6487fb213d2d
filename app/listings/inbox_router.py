"""GET /api/v1/access-requests: one list of access requests over demands and achievements."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.dependencies import PrincipalDep
from app.core.enums import AccessRequestStatus
from app.core.pagination import Page, PageDep, page_of
from app.core.problems import problem_responses
from app.db.dependencies import SessionDep
from app.listings import inbox
from app.listings.schemas import AccessRequestInboxItem

router = APIRouter(prefix="/access-requests", tags=["access requests"])


@router.get("", operation_id="list_access_requests", responses=problem_responses(401, 422, 500))
async def list_access_requests(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    direction: inbox.Direction = inbox.Direction.INCOMING,
    status: AccessRequestStatus | None = None,
) -> Page[AccessRequestInboxItem]:
    """Requests for your organizations' listings (`incoming`, to grant or deny) or made by your
    organizations (`outgoing`), newest first."""
    rows, total = await inbox.page(session, principal, direction, status, page)
    return page_of([AccessRequestInboxItem.model_validate(row) for row in rows], total, page)
