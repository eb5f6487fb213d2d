"""Who is calling: resolves a bearer token (JWT or API key) to a Principal, reading roles afresh."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import identity, repository
from app.auth.principal import Principal
from app.core.config import Settings
from app.core.enums import ApiKeyScope, PlatformRole
from app.core.errors import Forbidden, Unauthorized
from app.core.security import decode_access_token, digest, digests_equal
from app.db.dependencies import SessionDep
from app.events.recording import AuditActor

API_KEY_MARK = "ttk_"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    auto_error=False,
    description="A JWT access token from /api/v1/auth/token, or an organization's API key (ttk_...)",
)


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def request_actor(request: Request) -> AuditActor:
    """The audit actor of an anonymous request: only where it came from."""
    return AuditActor(
        request_id=request.scope.get("state", {}).get("request_id"),
        client_address=request.client.host if request.client else None,
    )


ActorDep = Annotated[AuditActor, Depends(request_actor)]


async def _optional_principal(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    token: Annotated[str | None, Depends(_bearer)],
) -> Principal | None:
    if not token:
        return None
    if token.startswith(API_KEY_MARK):
        return await _api_key_principal(session, token, actor, request.method)
    return await _user_principal(session, settings, token, actor)


async def _user_principal(
    session: AsyncSession, settings: Settings, token: str, actor: AuditActor
) -> Principal:
    claims = decode_access_token(
        token, key=settings.signing_key(), issuer=settings.jwt_issuer, audience=settings.jwt_audience
    )
    return await identity.user_principal(session, claims.user_id, actor, family_id=claims.session_id)


async def _api_key_principal(session: AsyncSession, token: str, actor: AuditActor, method: str) -> Principal:
    invalid = Unauthorized("Invalid or revoked API key", code="invalid_api_key")
    try:
        prefix, secret = token.removeprefix(API_KEY_MARK).split("_", 1)
    except ValueError:
        raise invalid from None
    key = await repository.api_key_by_prefix(session, prefix)
    if key is None or not digests_equal(key.key_hash, digest(secret)):
        raise invalid
    principal = identity.api_key_principal(key, actor)
    if method not in SAFE_METHODS and ApiKeyScope.WRITE not in principal.scopes:
        raise Forbidden("This API key may only read", code="insufficient_scope")
    return principal


async def _required_principal(
    principal: Annotated[Principal | None, Depends(_optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in, or send an API key")
    return principal


OptionalPrincipalDep = Annotated[Principal | None, Depends(_optional_principal)]
PrincipalDep = Annotated[Principal, Depends(_required_principal)]


def declare_anonymous_access(routes: Iterable[Any]) -> None:
    """Let the OpenAPI document say which operations anonymous callers may use as well.

    FastAPI declares the bearer scheme as required wherever the token is read, optional or not. An
    operation whose caller is optional (OptionalPrincipalDep and never PrincipalDep) gets the empty
    requirement beside it, `security: [{bearer}, {}]` (OpenAPI: "{} means anonymous access is
    supported"), so generated clients may call the public reads without a token. Derived from the
    dependencies, so a new public read is declared without anyone remembering to. Call it on a
    router's routes once they are all added and before an app serves them (app.api does)."""
    for route in _api_routes(routes):
        if route.include_in_schema and _anonymous_allowed(route.dependant):
            # FastAPI appends a list in openapi_extra to the one it built: [{bearer}] + [{}].
            route.openapi_extra = {**(route.openapi_extra or {}), "security": [{}]}


def _api_routes(routes: Iterable[Any]) -> Iterable[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # An included router: FastAPI (since 0.16x) keeps it as one entry and reads its routes lazily.
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _api_routes(included.routes)


def _anonymous_allowed(dependant: Dependant) -> bool:
    calls = list(_calls(dependant))
    optional = any(call is _optional_principal for call in calls)
    return optional and not any(call is _required_principal for call in calls)


def _calls(dependant: Dependant) -> Iterable[Any]:
    yield dependant.call
    for child in dependant.dependencies:
        yield from _calls(child)


def require_roles(*roles: PlatformRole) -> object:
    """Dependency: the caller must hold one of `roles` (read from the database on this request)."""

    async def _check(principal: PrincipalDep) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden("Your role does not allow this", code="role_required")
        return principal

    return Depends(_check)


AdminDep = Annotated[Principal, require_roles(PlatformRole.CITY_ADMIN, PlatformRole.SYSTEM_ADMIN)]
SystemAdminDep = Annotated[Principal, require_roles(PlatformRole.SYSTEM_ADMIN)]
