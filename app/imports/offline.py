"""`techtransfer import FILE`: the same import as the API's, run from the command line in one
transaction, acting as a member of the organization."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import identity
from app.auth import service as auth_service
from app.auth.principal import Principal
from app.core.config import Settings
from app.core.enums import ImportKind, MembershipRole, MembershipStatus
from app.core.errors import DomainError, NotFound
from app.core.i18n import Text, msg, render, set_language
from app.db.session import create_engine, create_sessionmaker
from app.events.recording import AuditActor
from app.imports import service
from app.imports.schemas import ImportReport
from app.models import Membership, User
from app.tabular.reading import check_size, file_format, read_sheet


class ImportFailed(RuntimeError):
    """The import was refused; `report` holds the row errors when rows were to blame."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


async def import_file(
    settings: Settings,
    path: Path,
    kind: ImportKind,
    organization_id: int,
    *,
    dry_run: bool,
    as_user: str | None,
    progress: service.ProgressHook | None = None,
) -> ImportReport:
    """Read, validate and (unless `dry_run`) store the file; raises ImportFailed when refused."""
    set_language(settings.language)
    engine = create_engine(settings.database_url)
    try:
        data = await asyncio.to_thread(path.read_bytes)
        check_size(len(data), settings.import_max_bytes)
        sheet = read_sheet(data, file_format(path.name, None), max_rows=settings.import_max_rows)
        async with create_sessionmaker(engine)() as session, session.begin():
            principal = await acting_principal(session, organization_id, as_user)
            return await service.run(
                session,
                principal,
                kind,
                organization_id,
                sheet,
                dry_run=dry_run,
                max_errors=settings.import_max_errors,
                progress=progress,
            )
    except service.ImportRejected as rejected:
        lines = [row_error_line(e.row, e.column, e.code, e.message) for e in rejected.row_errors]
        raise ImportFailed(render(rejected.detail), lines) from None
    except DomainError as error:
        raise ImportFailed(render(error.detail)) from None
    finally:
        await engine.dispose()


def row_error_line(row: int, column: str | None, code: str, message: Text) -> str:
    """One row error as the command line prints it, in the deployment's language."""
    return render(
        msg(
            "row {row}, {column}: {code}: {message}",
            row=row,
            column=column or "-",
            code=code,
            message=message,
        )
    )


async def acting_principal(session: AsyncSession, organization_id: int, email: str | None) -> Principal:
    """The user the import acts as: `email`, or else the organization's first owner."""
    if email is not None:
        user = await auth_service.user_by_email(session, email)
    else:
        user = await session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organization_id == organization_id,
                Membership.role == MembershipRole.OWNER,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(Membership.id)
            .limit(1)
        )
    if user is None or not user.is_active:
        who = email or f"an active owner of organization {organization_id}"
        raise NotFound(msg("No user {who}; name one with --as-user", who=who))
    return await identity.user_principal(session, user.id, AuditActor(user_id=user.id))
