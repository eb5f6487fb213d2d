"""The worker's durable queue (`jobs`) and the consumers' positions in the event log (`event_cursors`).

Written only by `app.worker`: features enqueue through `app.worker.queue.enqueue` and register what
runs a kind of job or consumes events; they never touch these tables themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import WorkStatus
from app.db.base import Base, IdMixin, TimestampMixin, UTCDateTime, enum_type, utcnow


class Job(IdMixin, TimestampMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = (
        # The claim's scan: due work by status, oldest first.
        Index("ix_jobs_status_run_after", "status", "run_after"),
        Index("ix_jobs_entity", "entity_type", "entity_id"),
        CheckConstraint("attempts >= 0 AND max_attempts >= 1", name="attempts"),
    )

    kind: Mapped[str] = mapped_column(String(80), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[WorkStatus] = mapped_column(enum_type(WorkStatus, "status"), default=WorkStatus.QUEUED)
    # Claims so far, the one running included; a lease that expired counts as an attempt.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    max_attempts: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # Not claimed before this instant (a retry's back-off, or work scheduled for later).
    run_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # The resource the job works for (an import job), whose own API shows the job's progress.
    entity_type: Mapped[str | None] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(50))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EventCursor(Base):
    """How far one consumer has read the `events` table, and what holds it back."""

    __tablename__ = "event_cursors"

    consumer: Mapped[str] = mapped_column(String(80), primary_key=True)
    # Every event with an id up to this one has been handled (or was not for this consumer).
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Missing ids up to here are final (rolled back, or a sequence's cached values), not in flight.
    gaps_final_through: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # A gap was seen below `pending_through` while transactions were running; once every
    # transaction older than `pending_marker` has ended, the gaps up to there are final.
    pending_marker: Mapped[int | None] = mapped_column(BigInteger)
    pending_through: Mapped[int | None] = mapped_column(BigInteger)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    retry_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
