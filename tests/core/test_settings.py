"""Settings: production refuses unsafe values; development keeps a generated secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core import config
from app.core.config import InsecureConfiguration, Settings
from app.main import create_app

STRONG = "s" * 48


def production(**values: object) -> Settings:
    return Settings.model_validate({"environment": "production", "secret_key": STRONG, **values})


@pytest.mark.parametrize("secret", [None, "", "changeme", "short-secret"])
def test_production_refuses_a_missing_or_weak_secret(secret: str | None) -> None:
    settings = production(secret_key=secret)
    with pytest.raises(InsecureConfiguration, match="TECHTRANSFER_SECRET_KEY"):
        settings.check_production_ready()
    with pytest.raises(InsecureConfiguration):
        create_app(settings)


def test_production_refuses_cheap_password_hashing() -> None:
    with pytest.raises(InsecureConfiguration, match="argon2id"):
        production(password_hash_time_cost=1).check_production_ready()
    production().check_production_ready()  # the defaults are fine


def test_cors_wildcard_with_credentials_is_refused() -> None:
    with pytest.raises(ValidationError, match="wildcard"):
        Settings.model_validate({"cors_origins": ["*"], "cors_allow_credentials": True})


def test_database_url_is_read_from_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@db:5432/tt")
    assert Settings().database_url == "postgresql+asyncpg://u@db:5432/tt"
    assert not Settings().is_sqlite


def test_development_generates_and_keeps_a_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config, "DEV_SECRET_FILE", tmp_path / ".techtransfer-secret")
    config._development_secret.cache_clear()
    first = Settings(environment="development").signing_key()
    config._development_secret.cache_clear()
    assert Settings(environment="development").signing_key() == first
    assert len(first) >= config.MIN_SECRET_LENGTH
    assert (tmp_path / ".techtransfer-secret").stat().st_mode & 0o077 == 0
    config._development_secret.cache_clear()
