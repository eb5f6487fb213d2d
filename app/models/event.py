"""The durable event log: one row per recorded change, read in id order by the worker's consumers.

Written only by `app.events.record`, in the same transaction as the change and its audit event, so
a consumer never sees a change that was rolled back and never misses one that was committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, BigIntId, IdMixin, UTCDateTime, utcnow


class Event(IdMixin, Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_entity", "entity_type", "entity_id"),)

    # Same name as the audit event's action, e.g. "demand.publish".
    type: Mapped[str] = mapped_column(String(80), index=True)
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(50))
    actor_user_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    actor_api_key_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("api_keys.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    request_id: Mapped[str | None] = mapped_column(String(64))
