"""Creating the first administrator outside a request (used by the CLI)."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import select

from app.core.config import Settings
from app.core.enums import PlatformRole
from app.core.errors import DomainError
from app.db.session import create_engine, create_sessionmaker
from app.models import RoleGrant
from app.users import service as users


class BootstrapFailed(RuntimeError):
    pass


async def create_system_admin(settings: Settings, *, email: str, password: str, display_name: str) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            user = await users.create_system_admin(
                session, email=email, password=password, display_name=display_name
            )
            return user.id
    except (DomainError, ValidationError) as error:
        raise BootstrapFailed(str(error)) from error
    finally:
        await engine.dispose()


async def ensure_demo_admin(settings: Settings, email: str, password: str) -> bool:
    """Create the documented demo administrator unless a system administrator exists already."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            existing = await session.scalar(
                select(RoleGrant.id).where(RoleGrant.role == PlatformRole.SYSTEM_ADMIN).limit(1)
            )
    finally:
        await engine.dispose()
    if existing is not None:
        return False
    await create_system_admin(settings, email=email, password=password, display_name="Demo administrator")
    return True
