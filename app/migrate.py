"""Run Alembic programmatically (the CLI and the tests use this), wherever the package is installed."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.core.errors import SetupMistake

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    _check_sqlite_folder(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def current(database_url: str) -> None:
    command.current(alembic_config(database_url), verbose=False)


def check(database_url: str) -> None:
    command.check(alembic_config(database_url))


def _check_sqlite_folder(database_url: str) -> None:
    """An SQLite file needs a folder this user may write to. Said here, in one line, before the
    driver's worker thread fails on it (and prints its own traceback as the process exits)."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return  # the URL itself is reported by whoever uses it
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    folder = Path(url.database).resolve().parent
    if not folder.is_dir():
        raise SetupMistake(
            f"The folder of the SQLite file {url.database!r} does not exist: create {str(folder)!r} "
            "or point DATABASE_URL elsewhere"
        )
    if not os.access(folder, os.W_OK):
        raise SetupMistake(f"This user may not write to {str(folder)!r}, the SQLite file's folder")
