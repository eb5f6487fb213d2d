"""The `techtransfer` command: serve, database migrations, and the first administrator."""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
from collections.abc import Coroutine
from typing import Annotated, Any, TypeVar

import typer
import uvicorn

from app import migrate
from app.core.config import get_settings

app = typer.Typer(help="The one-network technology-transfer API.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
holidays_app = typer.Typer(help="The official holiday calendar.", no_args_is_help=True)
app.add_typer(holidays_app, name="holidays")

ResultT = TypeVar("ResultT")

DEMO_ADMIN_EMAIL = "admin@example.com"
DEMO_ADMIN_PASSWORD = "demo-admin-password"  # noqa: S105 - documented, and refused outside development


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    demo: Annotated[bool, typer.Option(help="Create the demo administrator (development only)")] = False,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
) -> None:
    """Bring the schema up to date, then serve the API."""
    settings = get_settings()
    settings.check_production_ready()
    if demo and settings.environment == "production":
        raise typer.BadParameter("--demo is refused in production", param_hint="--demo")
    migrate.upgrade(settings.database_url)
    if demo:
        _ensure_demo_admin()
    typer.echo(f"Serving on http://{host}:{port} — API docs at http://{host}:{port}/docs")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        log_level=os.environ.get("TECHTRANSFER_LOG_LEVEL", "info"),
    )


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True, help="The administrator's e-mail")],
    display_name: Annotated[str, typer.Option(help="Name shown in the audit log")] = "System administrator",
    password_env: Annotated[
        str | None, typer.Option(help="Read the password from this environment variable instead of a prompt")
    ] = None,
) -> None:
    """Create a user holding the system_admin role (e.g. the first administrator)."""
    password = os.environ.get(password_env, "") if password_env else getpass.getpass("Password: ")
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    user_id = _run_or_exit(_create_admin(email, password, display_name))
    typer.echo(f"Created system administrator {email} (user {user_id})")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrate.upgrade(get_settings().database_url, revision)


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base")]) -> None:
    """Revert migrations down to REVISION."""
    migrate.downgrade(get_settings().database_url, revision)


@db_app.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    migrate.current(get_settings().database_url)


@holidays_app.command("load")
def holidays_load(
    year: Annotated[int, typer.Argument(min=2000, max=2100, help="The year to load")],
    replace: Annotated[bool, typer.Option(help="Replace the year if it is already loaded")] = False,
) -> None:
    """Load YEAR's holidays and make-up working days from the installed chinese-calendar release.

    Upgrade the package first (pip install -U chinese-calendar) once the State Council has published
    the year's schedule; or post the days to PUT /api/v1/holidays/years/{year}.
    """
    from app.bootstrap import load_holiday_year  # noqa: PLC0415

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    typer.echo(_run_or_exit(load_holiday_year(settings, year, replace=replace)))


async def _create_admin(email: str, password: str, display_name: str) -> int:
    from app.bootstrap import create_system_admin  # noqa: PLC0415 - keeps CLI start-up light

    return await create_system_admin(
        get_settings(), email=email, password=password, display_name=display_name
    )


def _ensure_demo_admin() -> None:
    from app.bootstrap import ensure_demo_admin  # noqa: PLC0415

    created = asyncio.run(ensure_demo_admin(get_settings(), DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))
    if created:
        typer.echo(f"Demo administrator: {DEMO_ADMIN_EMAIL} (password in the README)")


def _run_or_exit(work: Coroutine[Any, Any, ResultT]) -> ResultT:
    """Run `work`; a refusal is one clear line on stderr and exit status 1, not a traceback."""
    from app.bootstrap import BootstrapFailed  # noqa: PLC0415

    try:
        return asyncio.run(work)
    except BootstrapFailed as failure:
        typer.echo(f"error: {failure}", err=True)
        raise typer.Exit(code=1) from None


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app()
