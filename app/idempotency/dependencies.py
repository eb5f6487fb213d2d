"""The Idempotency-Key header as a dependency.

Declare `IdempotencyDep` as the route's FIRST parameter: the key is claimed before the request's own
session opens (on SQLite that session takes the write lock at once, and the claim's own transaction
would wait for it). Replays are answered only after the caller is authenticated (`Idempotency.check`,
called by the route once its principal is resolved): a key is scoped to a verified user id or to a
digest of the API key, never to what an unauthenticated request claims to be.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.dependencies import API_KEY_MARK
from app.core.config import Settings
from app.core.errors import Unauthorized
from app.core.security import decode_access_token
from app.idempotency import service
from app.idempotency.service import StoredResponse

REPLAYED_HEADER = "Idempotent-Replayed"
# The headers of an answer worth giving again.
_KEPT_HEADERS = ("Location", "ETag")


class Replayed(Exception):
    """Not an error: the earlier answer, to be given again."""

    def __init__(self, stored: StoredResponse) -> None:
        super().__init__("replayed")
        self.stored = stored


@dataclass
class Idempotency:
    """A request's key: inert without one; else claimed (ours to complete) or answered before."""

    claim_id: int | None = None
    stored: StoredResponse | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def check(self) -> None:
        """Give the earlier answer instead of doing the work again (call once authenticated)."""
        if self.stored is not None:
            raise Replayed(self.stored)

    async def complete(self, session: AsyncSession, status_code: int, body: BaseModel, headers: Any) -> None:
        if self.claim_id is None:
            return
        kept = {name: headers[name] for name in _KEPT_HEADERS if name in headers}
        stored = StoredResponse(status_code, jsonable_encoder(body), kept)
        await service.complete(session, self.claim_id, stored)


async def _idempotency(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=8,
            max_length=200,
            description="A unique key (8–200 characters, e.g. a UUID) that makes a retry of this "
            "request safe: the same key and body answer as the first time, for 24 hours",
        ),
    ] = None,
) -> AsyncIterator[Idempotency]:
    caller = _caller(request) if idempotency_key else None
    if idempotency_key is None or caller is None:
        # No key, or a caller who will be refused anyway (401): nothing to claim.
        yield Idempotency()
        return
    settings: Settings = request.app.state.settings
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    fingerprint = await _fingerprint(request)
    ttl = timedelta(hours=settings.idempotency_key_hours)
    claimed = await service.claim(sessionmaker, caller, idempotency_key, fingerprint, ttl)
    handle = Idempotency(claim_id=claimed.claim_id, stored=claimed.stored)
    try:
        yield handle
    except BaseException:
        if handle.claim_id is not None:
            await service.release(sessionmaker, handle.claim_id)
        raise


IdempotencyDep = Annotated[Idempotency, Depends(_idempotency, scope="function")]


def _caller(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    if token.startswith(API_KEY_MARK):
        return "api_key:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    settings: Settings = request.app.state.settings
    try:
        claims = decode_access_token(
            token, key=settings.signing_key(), issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )
    except Unauthorized:
        return None
    return f"user:{claims.user_id}"


async def _fingerprint(request: Request) -> str:
    raw = await request.body()
    try:
        body: Any = json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    except ValueError:
        body = raw.decode("utf-8", "replace")
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    parts = [request.method, path, json.dumps(request.path_params, sort_keys=True, default=str), body]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


async def _on_replayed(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, Replayed):
        raise exc
    stored = exc.stored
    headers = {**stored.headers, REPLAYED_HEADER: "true"}
    return JSONResponse(stored.body, status_code=stored.status_code, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(Replayed, _on_replayed)
