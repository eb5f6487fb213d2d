"""The `techtransfer` command: serve, database migrations, the first administrator, demo data, import."""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import socket
import sys
import time
from collections.abc import Coroutine
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn

from app import migrate, setup_errors
from app.core.config import Settings, get_settings
from app.core.enums import ImportKind, LabelledEnum, LocalIndustry, TechField
from app.core.errors import SetupMistake
from app.core.i18n import set_language
from app.db import roles
from app.demo import DEFAULT_SEED
from app.demo.network import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD, NAMED_ACCOUNTS

app = typer.Typer(
    help="The one-network technology-transfer API.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # main() explains set-up mistakes in one line
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
holidays_app = typer.Typer(help="The official holiday calendar.", no_args_is_help=True)
app.add_typer(holidays_app, name="holidays")
industries_app = typer.Typer(
    help="The mapping of technology fields to the city's priority industries.", no_args_is_help=True
)
app.add_typer(industries_app, name="industries")
index_app = typer.Typer(help="The matching index (search and recommendations).", no_args_is_help=True)
app.add_typer(index_app, name="index")

ResultT = TypeVar("ResultT")
EnumT = TypeVar("EnumT", bound=LabelledEnum)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    demo: Annotated[
        bool, typer.Option(help="Load the demo network if the database has none (development only)")
    ] = False,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Run a background worker in each server process")
    ] = True,
    migrate_first: Annotated[
        bool,
        typer.Option(
            "--migrate/--no-migrate",
            help="Bring the schema up to date first (--no-migrate where migrations run apart, as the owner)",
        ),
    ] = True,
) -> None:
    """Bring the schema up to date, then serve the API (and, unless --no-worker, the background work)."""
    if not worker:
        # The server processes are started by uvicorn from app.main:create_app and read the setting.
        os.environ["TECHTRANSFER_WORKER_IN_SERVER"] = "false"
    settings = get_settings()
    settings.check_production_ready()
    if demo:
        _refuse_demo_in_production(settings, "--demo")
    listening = _listen(host, port)  # a taken port is said before anything else runs
    if migrate_first:
        migrate.upgrade(settings.owner_database_url)
    if demo:
        _load_demo(settings, DEFAULT_SEED, only_if_empty=True)
        _print_demo_guide(f"Open http://{host}:{port}/docs")
    typer.echo(f"Serving on http://{host}:{port} — API docs at http://{host}:{port}/docs")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        fd=listening.fileno(),
        workers=workers,
        reload=reload,
        # X-Forwarded-For only from the configured proxies; uvicorn would otherwise trust 127.0.0.1,
        # and any local caller could then claim another address (and dodge its sign-in throttle).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or "",
        log_level=os.environ.get("TECHTRANSFER_LOG_LEVEL", "info"),
    )


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or one clear line and exit 1 when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        reason = error.strerror or str(error)
        raise SetupMistake(
            f"Cannot listen on {host}:{port}: {reason}. Is another server running there? "
            "Stop it, or pick another port with --port."
        ) from None
    listening.listen(2048)
    listening.set_inheritable(True)
    return listening


@app.command("worker")
def worker_command(
    with_modules: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            help="Also run the job kinds and consumers of this module (its register(registry)); repeatable",
        ),
    ] = None,
    until_idle: Annotated[
        bool, typer.Option(help="Exit once no job is due and every consumer has caught up")
    ] = False,
) -> None:
    """Run background jobs and event consumers until stopped (SIGTERM or Ctrl-C).

    Several workers may run at once on PostgreSQL; on SQLite they take turns. A job in progress when
    the worker stops is given back and runs again on the next worker."""
    from app.background import run_worker  # noqa: PLC0415 - keeps CLI start-up light

    settings = get_settings()
    migrate.upgrade(settings.owner_database_url)
    asyncio.run(run_worker(settings, with_modules or [], until_idle=until_idle))


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
    migrate.upgrade(settings.owner_database_url)
    user_id = _run_or_exit(_create_admin(email, password, display_name))
    typer.echo(f"Created system administrator {email} (user {user_id})")


@app.command("demo-data")
def demo_data(
    seed: Annotated[int, typer.Option(help="Seed of the generated demands and achievements")] = DEFAULT_SEED,
) -> None:
    """Fill the database with the demo Lianyungang network (idempotent; development only).

    Organizations, accounts for every role, about 300 achievements and 100 demands; what exists
    already is kept, so a second run creates nothing.
    """
    settings = get_settings()
    _refuse_demo_in_production(settings, "demo-data")
    migrate.upgrade(settings.owner_database_url)
    _load_demo(settings, seed, only_if_empty=False)
    _print_demo_guide("Start the API with `techtransfer serve`, open http://127.0.0.1:8000/docs")


@app.command("import")
def import_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A .xlsx or .csv file")
    ],
    kind: Annotated[ImportKind, typer.Option(help="What the file holds")],
    organization: Annotated[int, typer.Option(min=1, help="The owning organization's id")],
    dry_run: Annotated[bool, typer.Option(help="Check every row and report, writing nothing")] = False,
    as_user: Annotated[
        str | None, typer.Option(help="Act as this member (e-mail); default: the organization's owner")
    ] = None,
) -> None:
    """Import demands or achievements from a spreadsheet laid out as the template: all rows or none.

    Rows whose client_key was imported before are skipped, so running it twice creates nothing new.
    """
    from app.imports.offline import ImportFailed, import_file, row_error_line  # noqa: PLC0415 - light start-up

    settings = get_settings()
    set_language(settings.language)  # row errors read in the deployment's language
    migrate.upgrade(settings.owner_database_url)
    with _ImportProgress() as progress:
        try:
            report = asyncio.run(
                import_file(
                    settings, file, kind, organization, dry_run=dry_run, as_user=as_user, progress=progress
                )
            )
        except ImportFailed as failure:
            progress.stop()
            for line in failure.errors:
                typer.echo(line, err=True)
            typer.echo(f"error: {failure}", err=True)
            raise typer.Exit(code=1) from None
    for error in report.errors:
        typer.echo(row_error_line(error.row, error.column, error.code, error.message), err=True)
    verb = "would create" if dry_run else "created"
    typer.echo(
        f"{report.total_rows} rows: {verb} {report.created_count}, skipped {report.skipped_count} "
        f"(imported before), {report.error_count} errors"
    )
    if report.error_count:
        raise typer.Exit(code=1)


def on_terminal() -> bool:
    """Whether progress bars have a terminal to draw on (a pipe or CI gets the summary only)."""
    return sys.stdout.isatty() and sys.stderr.isatty()


class _ImportProgress:
    """A rich progress bar with one task per phase of the import (validating, then storing)."""

    def __init__(self) -> None:
        from rich.progress import Progress  # noqa: PLC0415

        # Without a terminal (a pipe, CI) a bar would print stray labels; only the summary is shown.
        self._progress = Progress(transient=False, disable=not on_terminal())
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _ImportProgress:
        self._progress.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._progress.stop()

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase not in self._tasks:
            label = {"validating": "Validating", "storing": "Storing"}.get(phase, phase)
            self._tasks[phase] = self._progress.add_task(label, total=total)
        self._progress.update(self._tasks[phase], completed=done)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrate.upgrade(get_settings().owner_database_url, revision)


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base")]) -> None:
    """Revert migrations down to REVISION."""
    migrate.downgrade(get_settings().owner_database_url, revision)


@db_app.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    migrate.current(get_settings().owner_database_url)


@db_app.command("grant-app-role")
def db_grant_app_role(
    role: Annotated[str, typer.Argument(help="The PostgreSQL role the application connects as")],
) -> None:
    """Give ROLE what the application needs, with the audit and event logs append-only for it
    (PostgreSQL; run as the schema owner after each upgrade)."""
    try:
        asyncio.run(roles.grant_app_role(get_settings().owner_database_url, role))
    except (roles.NotPostgres, ValueError) as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{role} may now use the database; the audit and event logs are append-only for it.")


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
    migrate.upgrade(settings.owner_database_url)
    typer.echo(_run_or_exit(load_holiday_year(settings, year, replace=replace)))


@industries_app.command("list")
def industries_list() -> None:
    """Show each technology field with the local industries it maps to."""
    from app.bootstrap import industry_mappings  # noqa: PLC0415

    settings = get_settings()
    migrate.upgrade(settings.owner_database_url)
    for mapping in _run_or_exit(industry_mappings(settings)):
        industries = _industries(mapping.local_industries)
        typer.echo(f"{_named(mapping.tech_field)}: {industries} (version {mapping.version})")


@industries_app.command("set")
def industries_set(
    field: Annotated[str, typer.Argument(help="The technology field: its key (agriculture) or label (农业)")],
    local_industries: Annotated[
        list[str] | None,
        typer.Argument(help="Its local industries, by key (marine) or label (海洋); all of them"),
    ] = None,
    none: Annotated[bool, typer.Option("--none", help="Map the field to no local industry")] = False,
) -> None:
    """Map FIELD to exactly LOCAL_INDUSTRIES (recorded in the audit log as the system's change).

    Listings of the field that name no local industry of their own count under these at once.
    Example: techtransfer industries set 农业 现代农业 海洋
    """
    from app.bootstrap import set_industry_mapping  # noqa: PLC0415

    tech_field = _choice(TechField, field, "technology field")
    wanted = [_choice(LocalIndustry, name, "local industry") for name in local_industries or []]
    if none == bool(wanted):
        raise _usage_mistake("name its local industries, or give --none to map it to none")
    if len(set(wanted)) != len(wanted):
        raise _usage_mistake("name each local industry once")
    settings = get_settings()
    migrate.upgrade(settings.owner_database_url)
    before, after = _run_or_exit(set_industry_mapping(settings, tech_field, wanted))
    if after.version == before.version:
        typer.echo(f"{_named(tech_field)}: {_industries(after.local_industries)} already; nothing changed")
        return
    typer.echo(
        f"{_named(tech_field)}: {_industries(before.local_industries)} -> "
        f"{_industries(after.local_industries)} (version {after.version})"
    )


@index_app.command("rebuild")
def index_rebuild() -> None:
    """Build the matching index again from the database (TECHTRANSFER_INDEX_DIR), with a progress bar.

    Needed after a database is restored from a backup; a missing index is rebuilt by the worker on
    its own. Run it while no worker writes the index (it says so if one does).
    """
    from app.bootstrap import rebuild_index  # noqa: PLC0415

    settings = get_settings()
    migrate.upgrade(settings.owner_database_url)
    started = time.perf_counter()
    with ExitStack() as stack:
        count = _run_or_exit(rebuild_index(settings, _Bar(stack, "Listings")))
    typer.echo(f"Matching index: {count} published listings in {time.perf_counter() - started:.1f} s")


def _choice(enum: type[EnumT], text: str, what: str) -> EnumT:
    """A member of `enum` by its key (any case) or its Chinese label, or a usage mistake naming them."""
    for member in enum:
        if text.strip().lower() == member.value or text.strip() == member.label:
            return member
    raise _usage_mistake(f"{text!r} is no {what}; one of: {', '.join(_named(member) for member in enum)}")


def _usage_mistake(message: str) -> typer.Exit:
    """Says `message` in one line on stderr; raise what it returns to exit with status 2, as for any
    other misuse of the command line."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _named(member: LabelledEnum) -> str:
    return f"{member.label} ({member.value})"


def _industries(industries: list[LocalIndustry]) -> str:
    return "、".join(_named(industry) for industry in industries) or "none"


async def _create_admin(email: str, password: str, display_name: str) -> int:
    from app.bootstrap import create_system_admin  # noqa: PLC0415 - keeps CLI start-up light

    return await create_system_admin(
        get_settings(), email=email, password=password, display_name=display_name
    )


def _refuse_demo_in_production(settings: Settings, what: str) -> None:
    if settings.environment == "production":
        raise typer.BadParameter(f"{what} is refused in production", param_hint=what)


class _Bar:
    """A progress bar, opened at the first report (which knows the total)."""

    def __init__(self, stack: ExitStack, label: str) -> None:
        self._stack = stack
        self._label = label
        self._bar: Any = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not on_terminal():
            return  # without a terminal the bar would print a stray label; the summary follows
        if self._bar is None:
            self._bar = self._stack.enter_context(typer.progressbar(length=total, label=self._label))
        self._bar.update(done - self._shown)
        self._shown = done


def _load_demo(settings: Settings, seed: int, *, only_if_empty: bool) -> None:
    from app.bootstrap import load_demo  # noqa: PLC0415

    started = time.perf_counter()
    with ExitStack() as stack:
        progress = _Bar(stack, "Listings")
        summary = _run_or_exit(load_demo(settings, seed, only_if_empty=only_if_empty, progress=progress))
    if summary is None:
        typer.echo("Demo data: already loaded")
    elif not summary.created_anything:
        typer.echo("Demo data: everything is there already; nothing created")
    else:
        typer.echo(
            f"Demo data (seed {seed}) loaded in {time.perf_counter() - started:.1f} s: "
            f"{summary.regions} functional zones, {summary.organizations} organizations, "
            f"{summary.users} accounts, {summary.memberships} memberships, "
            f"{summary.role_grants} role grants, "
            f"{summary.achievements} achievements ({summary.patents} patents), {summary.demands} demands, "
            f"{summary.packages} achievement packages, {summary.contracts} technology contracts "
            f"({summary.registrations} registered), {summary.targets} statistics targets"
        )


def _print_demo_guide(where: str) -> None:
    typer.echo(f'\n{where} and sign in with "Authorize" (username = e-mail):')
    typer.echo(f"  {DEMO_ADMIN_EMAIL:<30} system administrator, password {DEMO_ADMIN_PASSWORD}")
    for account in NAMED_ACCOUNTS:
        typer.echo(f"  {account.email:<30} {account.purpose}")
    typer.echo(
        "  kangrui-pharma@example.com, jsou-ttc@example.com, …: the owner of each other demo organization"
        " (its contact_email, which administrators see)"
    )
    typer.echo(f"Every demo account except the administrator has the password {DEMO_PASSWORD}.")
    typer.echo(
        "Search in Chinese: GET /api/v1/demands?q=锂电池, GET /api/v1/achievements?q=复合材料; "
        "post a demand as enterprise@example.com, publish it as reviewer@example.com (see the README)."
    )
    typer.echo(
        "Achievement packages: GET /api/v1/packages; city-admin@ and haizhou-admin@example.com curate them."
    )
    typer.echo(
        "Dashboard: /dashboard on the same server; sign in as city-admin@example.com "
        "(haizhou-registrar@example.com sees its overdue queue there).\n"
    )


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
    try:
        app()
    except Exception as error:
        explained = setup_errors.explain(error, get_settings_or_none())
        if explained is None:
            raise
        typer.echo(f"error: {explained}", err=True)
        sys.exit(1)


def get_settings_or_none() -> Settings | None:
    try:
        return get_settings()
    except Exception:
        return None
