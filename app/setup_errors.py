"""Set-up mistakes a newcomer makes, explained in one line with a hint instead of a traceback.

A wrong database URL, a database that does not exist or cannot be reached, an SQLite file whose
folder is missing or read-only: each surfaces deep inside SQLAlchemy, Alembic or a driver as a long
traceback. `explain` walks the exception's chain and names the mistake; anything it does not
recognise is left to propagate as it is (a real bug should keep its traceback).
"""

from __future__ import annotations

import errno
import socket
import sqlite3
from collections.abc import Callable

import asyncpg
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from app.core.config import Settings
from app.core.errors import SetupMistake

EXAMPLES = "sqlite+aiosqlite:///./techtransfer.db or postgresql+asyncpg://user:password@host:5432/name"


def explain(error: BaseException, settings: Settings | None) -> str | None:
    """One line saying what is wrong and what to do, or None for an error that is not a set-up mistake."""
    url = settings.owner_database_url if settings is not None else "DATABASE_URL"
    for cause in _chain(error):
        for applies, message in _RULES:
            if applies(cause):
                return message(cause, url)
    return None


def _refused(cause: BaseException) -> bool:
    return isinstance(cause, ConnectionRefusedError) or (
        isinstance(cause, OSError) and cause.errno in (errno.ECONNREFUSED, errno.EHOSTUNREACH)
    )


def _sqlite(text: str) -> Callable[[BaseException], bool]:
    return lambda cause: isinstance(cause, sqlite3.OperationalError) and text in str(cause)


def _settings_message(cause: BaseException, _url: str) -> str:
    assert isinstance(cause, ValidationError)  # noqa: S101 - only called for one
    problems = "; ".join(
        f"{'.'.join(map(str, error['loc'])) or 'settings'}: {error['msg'].removeprefix('Value error, ')}"
        for error in cause.errors()
    )
    return f"The configuration is not valid: {problems}"


_RULES: list[tuple[Callable[[BaseException], bool], Callable[[BaseException, str], str]]] = [
    (lambda cause: isinstance(cause, SetupMistake), lambda cause, _: str(cause)),
    (lambda cause: isinstance(cause, ValidationError), _settings_message),
    (
        lambda cause: isinstance(cause, ArgumentError | NoSuchModuleError),
        lambda _, url: (
            f"DATABASE_URL {_safe(url)!r} is not a database URL this service speaks; use {EXAMPLES}"
        ),
    ),
    (
        lambda cause: isinstance(cause, asyncpg.InvalidCatalogNameError),
        lambda cause, url: (
            f"{_where(url)}: {cause}. Create it first (createdb {_database(url)}) or fix DATABASE_URL"
        ),
    ),
    (
        lambda cause: isinstance(
            cause, asyncpg.InvalidAuthorizationSpecificationError | asyncpg.InvalidPasswordError
        ),
        lambda cause, url: f"{_where(url)}: {cause}. Check the user and password in DATABASE_URL",
    ),
    (
        lambda cause: isinstance(cause, socket.gaierror),
        lambda _, url: f"{_where(url)}: its host name does not resolve. Check the host in DATABASE_URL",
    ),
    (
        _refused,
        lambda _, url: (
            f"{_where(url)}: nothing answers there. Is PostgreSQL running, and are the host and port right?"
        ),
    ),
    (
        _sqlite("unable to open database file"),
        lambda _, url: (
            f"Cannot open the SQLite file of {_safe(url)!r}: does its folder exist, and may this user "
            "write there? Create the folder or point DATABASE_URL elsewhere"
        ),
    ),
    (
        _sqlite("readonly database"),
        lambda _, url: f"The SQLite file of {_safe(url)!r} is read-only for this user; make it writable",
    ),
]


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.rsplit("@", maxsplit=1)[-1]


def _where(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "The database"
    return f"The database {parsed.database!r} on {parsed.host or 'localhost'}:{parsed.port or 5432}"


def _database(url: str) -> str:
    try:
        return make_url(url).database or "techtransfer"
    except ArgumentError:
        return "techtransfer"
