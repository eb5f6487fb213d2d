"""A bulk import too large to run inside its request, run in the background with its progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import ImportKind, JobStatus
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, UTCDateTime, enum_type


class ImportJob(IdMixin, TimestampMixin, Base):
    __tablename__ = "import_jobs"

    kind: Mapped[ImportKind] = mapped_column(enum_type(ImportKind, "kind"))
    status: Mapped[JobStatus] = mapped_column(enum_type(JobStatus, "status"), index=True)
    is_dry_run: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    file_name: Mapped[str] = mapped_column(String(255))
    organization_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("organizations.id"), index=True)
    # Who uploaded it: a user, or (created_by_id None) an organization's API key. The job runs with
    # their permissions as they are when it runs, read afresh (app.imports.authorization).
    created_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    created_by_api_key_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("api_keys.id"))
    total_rows: Mapped[int] = mapped_column(default=0)
    # "validating" or "storing" while running; processed_rows counts the rows done in that phase.
    phase: Mapped[str | None] = mapped_column(String(16))
    processed_rows: Mapped[int] = mapped_column(default=0, server_default="0")
    created_count: Mapped[int] = mapped_column(default=0, server_default="0")
    skipped_count: Mapped[int] = mapped_column(default=0, server_default="0")
    error_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # [{row, column, code, message}], at most Settings.import_max_errors of them.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    detail: Mapped[str | None] = mapped_column(Text)
    # When it last reported progress (the worker's lease on the `jobs` row says whether it is alive).
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ImportUpload(Base):
    """The uploaded file of a queued import, kept until its job finishes (then deleted with it done),
    so that any worker process, the one after a crash included, can run the import."""

    __tablename__ = "import_uploads"

    import_job_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    file_format: Mapped[str] = mapped_column(String(8))
    content: Mapped[bytes] = mapped_column(LargeBinary)
