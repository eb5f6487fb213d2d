"""Idempotency keys in the database, scoped to the caller and expiring.

A key is claimed before the request's work, in a transaction of its own, so that a second request
with it sees it in progress (409); the work's transaction stores the answer on it (so the answer and
the work commit together); a request that fails releases its claim, so the client may retry. The same
key with a different request (method, route or body) is refused (422). A claim left in progress by a
crashed process is taken over after `ABANDONED_AFTER`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import utcnow
from app.core.errors import Conflict, ValidationFailed
from app.models import IdempotencyKey

ABANDONED_AFTER = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    body: Any
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of claiming a key: ours to complete (`claim_id`), or answered before (`stored`)."""

    claim_id: int | None = None
    stored: StoredResponse | None = None


async def claim(
    sessionmaker: async_sessionmaker[AsyncSession], caller: str, key: str, fingerprint: str, ttl: timedelta
) -> Claim:
    async with sessionmaker() as session:
        now = utcnow()
        await session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.caller == caller, IdempotencyKey.expires_at <= now)
        )
        existing = await session.scalar(
            select(IdempotencyKey).where(IdempotencyKey.caller == caller, IdempotencyKey.key == key)
        )
        if existing is not None:
            outcome = _existing(existing, fingerprint)
            if outcome is not None:
                return outcome
            await session.delete(existing)  # abandoned by a crashed request: take it over
            await session.flush()
        row = IdempotencyKey(
            caller=caller,
            key=key,
            fingerprint=fingerprint,
            completed=False,
            expires_at=now + ttl,
            created_at=now,
        )
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:
            # Another request claimed it between our read and our insert: it is in progress.
            raise _in_progress() from None
        return Claim(claim_id=row.id)


def _existing(row: IdempotencyKey, fingerprint: str) -> Claim | None:
    if not row.completed and utcnow() - row.created_at < ABANDONED_AFTER:
        raise _in_progress()
    if row.fingerprint != fingerprint:
        raise ValidationFailed(
            "This Idempotency-Key was used with a different request",
            field="Idempotency-Key",
            location="header",
            error_code="idempotency_key_reused",
        )
    if row.completed and row.status_code is not None:
        return Claim(stored=StoredResponse(row.status_code, row.response_body, dict(row.response_headers)))
    return None


def _in_progress() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is still in progress; retry shortly",
        code="idempotency_key_in_progress",
    )


async def complete(session: AsyncSession, claim_id: int, response: StoredResponse) -> None:
    """Store the answer on the claim, in the work's own transaction."""
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.id == claim_id)
        .values(
            completed=True,
            status_code=response.status_code,
            response_body=response.body,
            response_headers=response.headers,
        )
    )


async def release(sessionmaker: async_sessionmaker[AsyncSession], claim_id: int) -> None:
    """Forget a claim whose request failed (nothing of it was stored)."""
    async with sessionmaker() as session:
        await session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.id == claim_id, IdempotencyKey.completed.is_(False))
        )
        await session.commit()
