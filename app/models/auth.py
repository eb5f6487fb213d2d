"""Credentials other than passwords: refresh tokens, API keys, and login throttle counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, BigIntId, IdMixin, UTCDateTime, utcnow


class RefreshToken(IdMixin, Base):
    """A refresh token, stored as a SHA-256 digest. Tokens rotated from one login share a family."""

    __tablename__ = "refresh_tokens"

    user_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("users.id"), index=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiKey(IdMixin, Base):
    """A machine client's key, scoped to one organization. Only its digest is kept."""

    __tablename__ = "api_keys"

    organization_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))


class LoginThrottle(Base):
    """Failed sign-in attempts per key ("account:<e-mail digest>", "address:<ip>") in the window."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
