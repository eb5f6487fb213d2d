"""Sign-up, the caller's profile, and platform role grants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.auth.dependencies import ActorDep, AdminDep, PrincipalDep, SettingsDep
from app.core.enums import PlatformRole
from app.core.pagination import (
    CREATED,
    IfMatchDep,
    Page,
    PageDep,
    check_if_match,
    etag,
    page_of,
    set_location,
    sort_query,
)
from app.core.problems import problem_responses
from app.core.schemas import NO_NUL_PATTERN, EntityId
from app.db.dependencies import SessionDep
from app.users import service
from app.users.dependencies import CurrentUserDep, VisibleUserDep
from app.users.schemas import (
    MeRead,
    PasswordChange,
    RoleGrantCreate,
    RoleGrantRead,
    UserCreate,
    UserRead,
    UserStatusUpdate,
    UserUpdate,
)

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    operation_id="sign_up",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **problem_responses(409, 413, 422, 500)},
)
async def sign_up(
    body: UserCreate, request: Request, session: SessionDep, actor: ActorDep, response: Response
) -> UserRead:
    """Create an account. Roles and memberships are granted separately."""
    user = await service.sign_up(session, actor, body)
    set_location(request, response, "get_user", user_id=user.id)
    return UserRead.model_validate(user)


@router.get("/me", operation_id="get_me", responses=problem_responses(401, 403, 404, 500))
async def get_me(user: CurrentUserDep, session: SessionDep, response: Response) -> MeRead:
    """The signed-in user with the roles and memberships in force right now, with the names of
    their organizations and of the regions their roles are bound to."""
    response.headers["ETag"] = etag("user", user.id, user.version)
    return await service.me(session, user)


@router.patch(
    "/me", operation_id="update_me", responses=problem_responses(401, 403, 404, 412, 413, 422, 428, 500)
)
async def update_me(
    body: UserUpdate,
    user: CurrentUserDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> UserRead:
    """Change your display name or phone (needs If-Match)."""
    check_if_match(if_match, "user", user.id, user.version)
    user = await service.update_profile(session, principal, user, body)
    response.headers["ETag"] = etag("user", user.id, user.version)
    return UserRead.model_validate(user)


@router.post(
    "/me/password",
    operation_id="change_password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 413, 422, 429, 500),
)
async def change_password(
    body: PasswordChange,
    user: CurrentUserDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> None:
    """Change your password (wrong guesses are throttled like sign-in); all your sessions end."""
    await service.change_password(session, settings, principal, user, body)


@router.get("", operation_id="list_users", responses=problem_responses(401, 403, 422, 500))
async def list_users(
    session: SessionDep,
    _admin: AdminDep,
    page: PageDep,
    q: Annotated[
        str | None, Query(max_length=100, pattern=NO_NUL_PATTERN, description="E-mail or name fragment")
    ] = None,
    role: PlatformRole | None = None,
    sort: Annotated[str | None, sort_query(service.SORTABLE)] = None,
) -> Page[UserRead]:
    """All users (city and system administrators)."""
    items, total = await service.list_users(session, page, q=q, role=role, sort=sort)
    return page_of([UserRead.model_validate(u) for u in items], total, page)


@router.get("/{user_id}", operation_id="get_user", responses=problem_responses(401, 404, 422, 500))
async def get_user(user: VisibleUserDep) -> UserRead:
    """One user: yourself, or anyone for administrators."""
    return UserRead.model_validate(user)


@router.get(
    "/{user_id}/roles", operation_id="list_user_roles", responses=problem_responses(401, 404, 422, 500)
)
async def list_roles(
    user: VisibleUserDep, session: SessionDep, page: PageDep, include_revoked: bool = False
) -> Page[RoleGrantRead]:
    """The user's platform roles (with revoked ones as history if asked)."""
    grants, total = await service.list_role_grants(session, user.id, page, include_revoked=include_revoked)
    return page_of(await service.role_grant_reads(session, grants), total, page)


@router.post(
    "/{user_id}/roles",
    operation_id="grant_role",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **problem_responses(401, 403, 404, 409, 413, 422, 500)},
)
async def grant_role(
    body: RoleGrantCreate,
    request: Request,
    user: VisibleUserDep,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> RoleGrantRead:
    """Grant a platform role (broker, registrar, district/city/system administrator)."""
    grant = await service.grant_role(session, principal, user, body)
    set_location(request, response, "get_user_role", user_id=user.id, grant_id=grant.id)
    return (await service.role_grant_reads(session, [grant]))[0]


@router.get(
    "/{user_id}/roles/{grant_id}",
    operation_id="get_user_role",
    responses=problem_responses(401, 404, 422, 500),
)
async def get_user_role(grant_id: EntityId, user: VisibleUserDep, session: SessionDep) -> RoleGrantRead:
    """One role grant of the user, in force or revoked."""
    grant = await service.get_role_grant(session, user, grant_id)
    return (await service.role_grant_reads(session, [grant]))[0]


@router.delete(
    "/{user_id}/roles/{grant_id}",
    operation_id="revoke_role",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 422, 500),
)
async def revoke_role(
    grant_id: EntityId, user: VisibleUserDep, session: SessionDep, principal: PrincipalDep
) -> None:
    """Revoke a role grant; it takes effect on the holder's next request."""
    await service.revoke_role(session, principal, user, grant_id)


@router.put(
    "/{user_id}/status",
    operation_id="set_user_status",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
)
async def set_status(
    body: UserStatusUpdate, user: VisibleUserDep, session: SessionDep, principal: AdminDep
) -> UserRead:
    """Deactivate or reactivate an account (city and system administrators)."""
    return UserRead.model_validate(await service.set_active(session, principal, user, body.is_active))
