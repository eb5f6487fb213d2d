"""Work the CLI does outside a request: the first administrator, the demo network, a holiday year."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import ValidationError

from app.auth.principal import Principal
from app.core.config import Settings
from app.core.enums import LocalIndustry, TechField
from app.core.errors import DomainError
from app.core.pagination import etag
from app.db.session import create_engine, create_sessionmaker
from app.demo.loader import DemoDataUnavailable, DemoSummary, ProgressHook, has_demo_data, load_demo_data
from app.events.recording import SYSTEM_ACTOR
from app.holidays import package_source
from app.holidays import service as holidays
from app.industries import service as industries
from app.industries.schemas import IndustryMappingRead
from app.listings import search_index
from app.models import CalendarYear
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
    except DomainError as error:
        raise BootstrapFailed(error.detail) from error
    except ValidationError as error:
        # Never str(error): pydantic's message repeats the input, here the password.
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise BootstrapFailed(problems) from None
    finally:
        await engine.dispose()


async def load_demo(
    settings: Settings, seed: int, *, only_if_empty: bool, progress: ProgressHook | None = None
) -> DemoSummary | None:
    """Load the demo network (and its administrator) in one transaction; None when `only_if_empty`
    and a demo organization exists already."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            if only_if_empty and await has_demo_data(session):
                return None
            return await load_demo_data(session, seed, progress=progress, settings=settings)
    except DemoDataUnavailable as error:
        raise BootstrapFailed(str(error)) from error
    finally:
        await engine.dispose()


async def load_holiday_year(settings: Settings, year: int, *, replace: bool) -> str:
    days = package_source.package_days(year)
    if not days:
        raise BootstrapFailed(
            f"{package_source.package_label()} has no schedule for {year}; upgrade it first"
        )
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            existing = await session.get(CalendarYear, year)
            if existing is not None and not replace:
                return f"{year} is already loaded ({existing.source}); use --replace to load it again"
            if_match = etag("calendar-year", year, existing.version) if existing else None
            system = Principal(actor=SYSTEM_ACTOR)
            await holidays.replace_year(
                session, system, year, days, source=package_source.package_label(), if_match=if_match
            )
    finally:
        await engine.dispose()
    return f"Loaded {len(days)} days of {year} from {package_source.package_label()}"


async def industry_mappings(settings: Settings) -> list[IndustryMappingRead]:
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            return await industries.list_fields(session, None)
    finally:
        await engine.dispose()


async def set_industry_mapping(
    settings: Settings, field: TechField, local_industries: Sequence[LocalIndustry]
) -> tuple[IndustryMappingRead, IndustryMappingRead]:
    """Map `field` to `local_industries` as the system (audited like an administrator's edit);
    the mapping before and after."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            before = await industries.get_field(session, field)
            if_match = etag(industries.ETAG_KIND, field.value, before.version)
            system = Principal(actor=SYSTEM_ACTOR)
            after = await industries.set_field(session, system, field, local_industries, if_match=if_match)
            return before, after
    except DomainError as error:
        raise BootstrapFailed(error.detail) from error
    finally:
        await engine.dispose()


async def rebuild_index(settings: Settings, progress: Callable[[int, int], None] | None = None) -> int:
    """Build the matching index again from the database (`techtransfer index rebuild`); how many
    listings it holds. Refused while another process writes the index."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            return await search_index.rebuild(session, search_index.index_for(settings), progress)
    except (ValueError, search_index.IndexBusy) as error:
        if isinstance(error, search_index.IndexBusy) or "LockBusy" in str(error):
            raise BootstrapFailed(
                "another process is writing the matching index (a worker or a server with its worker); "
                "stop it, or let it rebuild: it queues a rebuild itself when the index is missing"
            ) from None
        raise
    finally:
        await engine.dispose()
