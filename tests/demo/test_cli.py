"""`techtransfer demo-data` is refused in production before it touches the database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from app import cli, migrate
from app.core.config import Settings


def test_demo_data_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    production = Settings.model_validate(
        {
            "environment": "production",
            "database_url": "sqlite+aiosqlite:///./never-created.db",
            "secret_key": "production-secret-" + "p" * 40,
        }
    )
    monkeypatch.setattr(cli, "get_settings", lambda: production)

    def no_migration(*_: object) -> None:
        raise AssertionError("the database must not be touched")

    monkeypatch.setattr(migrate, "upgrade", no_migration)
    result = CliRunner().invoke(cli.app, ["demo-data", "--seed", "1"])
    assert result.exit_code == 2
    assert "refused in production" in result.output
