from __future__ import annotations

from datetime import datetime

from pydantic import Field

from app.core.enums import WorkStatus
from app.core.schemas import OutputModel


class JobRead(OutputModel):
    """A job of the background worker. Its payload is not shown: the resource it works for is."""

    id: int
    kind: str
    status: WorkStatus = Field(description="queued, running, succeeded, failed (retried at run_after), dead")
    attempts: int = Field(description="Claims so far; an attempt whose worker died counts")
    max_attempts: int
    run_after: datetime = Field(description="Not run before this instant (a retry's back-off)")
    lease_expires_at: datetime | None = Field(description="While running: claimable again after this")
    last_error: str | None
    entity_type: str | None = Field(description="The resource the job works for, e.g. import_job")
    entity_id: str | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ConsumerRead(OutputModel):
    """An event consumer's position in the event log."""

    consumer: str
    last_event_id: int = Field(description="Every event up to this id has been handled")
    failures: int = Field(description="Failed attempts at the next events (0 when healthy)")
    retry_after: datetime | None
    last_error: str | None
    updated_at: datetime
