"""An organization's API keys for machine clients."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from app.auth.dependencies import PrincipalDep
from app.core.pagination import CREATED, Page, PageDep, page_of, set_location
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.organizations import api_keys
from app.organizations.dependencies import OrganizationDep
from app.organizations.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead

router = APIRouter(prefix="/organizations/{organization_id}/api-keys", tags=["api-keys"])


@router.get("", operation_id="list_api_keys", responses=problem_responses(401, 403, 404, 422, 500))
async def list_keys(
    organization: OrganizationDep, session: SessionDep, principal: PrincipalDep, page: PageDep
) -> Page[ApiKeyRead]:
    """The organization's keys (never their secrets)."""
    items, total = await api_keys.list_keys(session, principal, organization, page)
    return page_of([ApiKeyRead.model_validate(k) for k in items], total, page)


@router.post(
    "",
    operation_id="create_api_key",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **problem_responses(401, 403, 404, 413, 422, 500)},
)
async def create_key(
    body: ApiKeyCreate,
    request: Request,
    organization: OrganizationDep,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> ApiKeyCreated:
    """Create a key; the secret is in this response only."""
    key, secret = await api_keys.create(session, principal, organization, body)
    set_location(request, response, "get_api_key", organization_id=organization.id, key_id=key.id)
    return ApiKeyCreated.model_validate({**ApiKeyRead.model_validate(key).model_dump(), "key": secret})


@router.get("/{key_id}", operation_id="get_api_key", responses=problem_responses(401, 403, 404, 422, 500))
async def get_api_key(
    key_id: EntityId, organization: OrganizationDep, session: SessionDep, principal: PrincipalDep
) -> ApiKeyRead:
    """One key (never its secret)."""
    return ApiKeyRead.model_validate(await api_keys.get_key(session, principal, organization, key_id))


@router.delete(
    "/{key_id}",
    operation_id="revoke_api_key",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
)
async def revoke_key(
    key_id: EntityId, organization: OrganizationDep, session: SessionDep, principal: PrincipalDep
) -> None:
    """Revoke a key; it stops working on its next request."""
    await api_keys.revoke(session, principal, organization, key_id)
