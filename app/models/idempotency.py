"""Idempotency keys (the `Idempotency-Key` header) on requests that must not happen twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin, UTCDateTime, utcnow


class IdempotencyKey(IdMixin, Base):
    """A client's Idempotency-Key on a create or submit: claimed before the work (committed on its
    own, so a second request sees it in progress), completed with the response in the work's
    transaction, released when the work fails, and forgotten after it expires."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("caller", "key"),)

    # Who sent it ("user:12", "api_key:3"): a key is the caller's own.
    caller: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    # SHA-256 of the method, the route and the body: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    completed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[Any] = mapped_column(JSON, nullable=True)
    response_headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
