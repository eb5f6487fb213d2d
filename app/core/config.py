"""Settings: one class, read from the environment (and .env) through the cached `get_settings()`."""

from __future__ import annotations

import secrets
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.core.i18n import Language

DEV_SECRET_FILE = Path(".techtransfer-secret")
MIN_SECRET_LENGTH = 32


SUPPORTED_DRIVERS = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_DRIVERS = {
    "postgres://": "postgresql+asyncpg://",
    "postgresql://": "postgresql+asyncpg://",
    "sqlite://": "sqlite+aiosqlite://",
}


class InsecureConfiguration(RuntimeError):
    """Production was asked to start with a setting that is only safe for development."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TECHTRANSFER_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    # The language of messages for people (problem details, validation and import row errors) when
    # a request's Accept-Language names none of the supported ones.
    language: Language = Language.ZH
    database_url: str = Field(
        default="sqlite+aiosqlite:///./techtransfer.db",
        validation_alias=AliasChoices("DATABASE_URL", "TECHTRANSFER_DATABASE_URL"),
    )
    # The schema owner's connection, for migrations; unset, DATABASE_URL is used. On PostgreSQL in
    # production the app connects as a role set up by `techtransfer db grant-app-role`, which may
    # only add to and read the audit and event logs, and migrations run as the owner.
    migration_database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("MIGRATION_DATABASE_URL", "TECHTRANSFER_MIGRATION_DATABASE_URL"),
    )
    database_echo: bool = False
    secret_key: SecretStr | None = None

    jwt_issuer: str = "techtransfer"
    jwt_audience: str = "techtransfer-api"
    access_token_minutes: int = Field(default=15, ge=1, le=120)
    refresh_token_days: int = Field(default=14, ge=1, le=90)

    # argon2id cost. The defaults are RFC 9106's second recommendation; production refuses less than
    # OWASP's minimum (19 MiB, 2 passes). Tests lower them to keep the suite fast.
    password_hash_time_cost: int = Field(default=3, ge=1, le=20)
    password_hash_memory_kib: int = Field(default=65536, ge=8, le=4_194_304)

    login_window_seconds: int = Field(default=900, ge=1)
    # Failed sign-ins within the window: to one account from one address (that address is then
    # refused for it), to one account from anywhere (a distributed guess), from one address at all.
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_account_everywhere: int = Field(default=100, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    # Proxies whose X-Forwarded-For is believed (addresses or networks, as uvicorn takes them). Empty:
    # none, so the client address is the connection's own and no caller can claim another's.
    trusted_proxies: list[str] = Field(default_factory=list)

    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Bulk import: the largest file and row count accepted, and the row count above which an import
    # runs as a background job instead of inside the request.
    import_max_bytes: int = Field(default=20 * 1_048_576, ge=1024)
    import_max_rows: int = Field(default=50_000, ge=1)
    import_job_threshold_rows: int = Field(default=200, ge=1)
    import_max_errors: int = Field(default=1000, ge=1)
    # The background worker (app.worker). A claimed job is leased for `worker_lease_seconds` and the
    # lease renewed every third of it while the job runs; a lease that runs out (the process died)
    # makes the job claimable again. Idle workers look for work every `worker_poll_seconds`. A failed
    # attempt is retried after base * 2^(attempt-1) seconds, at most `worker_retry_max_seconds`.
    # `techtransfer serve` runs a worker inside each server process unless --no-worker.
    worker_in_server: bool = True
    worker_lease_seconds: float = Field(default=60.0, gt=0)
    worker_poll_seconds: float = Field(default=1.0, gt=0)
    worker_retry_base_seconds: float = Field(default=10.0, ge=0)
    worker_retry_max_seconds: float = Field(default=3600.0, ge=0)
    worker_event_batch: int = Field(default=200, ge=1)
    cors_origins: list[str] = Field(default_factory=list)
    cors_allow_credentials: bool = False
    # The matching index (app/matching, tantivy): a directory the worker writes and every server
    # process reads; none keeps it in memory (tests; a single process that rebuilds it at start).
    index_dir: Path | None = Path("techtransfer-index")
    # Readers look for the writer's new commits at most this often (a search may lag by as much).
    index_refresh_seconds: float = Field(default=1.0, ge=0)
    # A deployment's own domain terms, one per line, kept whole by the segmenter beside the bundled ones.
    match_terms_file: Path | None = None

    # Technology-contract registration (app/contracts). The 2026 measures' exact figures and start
    # are not verified (DOMAIN.md): each is configuration. Contracts signed before the date are
    # registered under the 2001 rules by default.
    contract_rules_2026_from: date = date(2026, 1, 1)
    contract_review_working_days: int = Field(default=15, ge=1, le=365)
    contract_expert_review_working_days: int = Field(default=30, ge=1, le=365)
    # 技术交易额 from which a registration goes to expert review (5,000,000 CNY, in fen).
    contract_expert_review_from_fen: int = Field(default=500_000_000, ge=0, le=2**53 - 1)
    contract_2001_calendar_days: int = Field(default=30, ge=1, le=365)
    # The registration number's layout over year, area (the point's six-digit code) and serial; it
    # must make 16 digits (checked at start-up by app.contracts.numbers.check_template).
    contract_number_template: str = "{year:04d}{area}{serial:06d}"
    # Phrases the pre-check flags as possibly restrictive clauses (技术合同认定规则: 非法垄断技术、
    # 妨碍技术进步); a deployment adds its own.
    contract_restrictive_phrases: list[str] = Field(
        default_factory=lambda: [
            "不得改进",
            "不得自行改进",
            "改进成果归出让方",
            "无偿回授",
            "独占回授",
            "不得从其他渠道",
            "不得对专利有效性提出异议",
            "不得提出无效",
            "限制产品数量",
            "限制销售渠道",
            "不得出口",
        ]
    )
    # How long an Idempotency-Key's answer is kept (and the key refused with another request).
    idempotency_key_hours: int = Field(default=24, ge=1, le=24 * 30)

    @model_validator(mode="after")
    def _refuse_unsafe_cors(self) -> Settings:
        if self.cors_allow_credentials and "*" in self.cors_origins:
            raise ValueError("CORS: a wildcard origin cannot be combined with credentials")
        return self

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _async_driver(cls, url: str | None) -> str | None:
        """postgres:// and postgresql:// (what hosting providers hand out) and plain sqlite:// get the
        async driver this service runs on."""
        if url is None:
            return None
        for plain, driver in _DRIVERS.items():
            if url.startswith(plain):
                url = driver + url[len(plain) :]
        if not url.startswith(SUPPORTED_DRIVERS):
            raise ValueError(
                f"{url.split(':', 1)[0]!r} is not a database this service runs on; use "
                "sqlite+aiosqlite:///./techtransfer.db or postgresql+asyncpg://user:password@host:5432/name"
            )
        return url

    @property
    def owner_database_url(self) -> str:
        """Where migrations run: the schema owner's connection."""
        return self.migration_database_url or self.database_url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def signing_key(self) -> str:
        """The JWT signing secret; development keeps a generated one in a local file."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return _development_secret()

    def check_production_ready(self) -> None:
        """Refuse to serve production with a missing or weak secret."""
        if self.environment != "production":
            return
        key = self.secret_key.get_secret_value() if self.secret_key else ""
        if len(key) < MIN_SECRET_LENGTH or key in _KNOWN_DEFAULTS:
            raise InsecureConfiguration(
                f"TECHTRANSFER_SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} "
                "characters in production"
            )
        if self.password_hash_time_cost < 2 or self.password_hash_memory_kib < 19456:
            raise InsecureConfiguration(
                "password hashing below OWASP's argon2id minimum (19456 KiB, 2 passes)"
            )


_KNOWN_DEFAULTS = frozenset({"changeme", "secret", "change-me", "development"})


@lru_cache(maxsize=1)
def _development_secret() -> str:
    if DEV_SECRET_FILE.exists():
        return DEV_SECRET_FILE.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    DEV_SECRET_FILE.write_text(key, encoding="utf-8")
    DEV_SECRET_FILE.chmod(0o600)
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
