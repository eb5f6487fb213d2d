"""Package rules: creating a package, the next version, editing a draft, publishing.

Every change is a compare-and-set on the row it changes (the draft version's `version` column, which
is also its ETag; the package's version numbers) and is audited as `package.<verb>` on the package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.enums import LocalIndustry, PackageVersionStatus
from app.core.errors import Conflict, DomainError, InvalidTransition, PreconditionFailed, Unauthorized
from app.core.i18n import msg
from app.core.pagination import PageParams, check_if_match
from app.db import dialect
from app.db.repository import fetch_page
from app.events import recording as audit
from app.events.transitions import transition
from app.listings import search as listing_search
from app.listings.search_index import PACKAGE, SearchIndex
from app.models import AchievementPackage, PackageVersion
from app.packages import access, presenter, repository
from app.packages.schemas import PackageCreate, PackageScope, PackageSummary, VersionUpdate
from app.regions import service as regions

VERSION_KIND = "package-version"


@dataclass(frozen=True, slots=True)
class DraftEdit:
    """A curator's write to a version of a package, with the ETag they read it at (If-Match)."""

    session: AsyncSession
    principal: Principal
    package: AchievementPackage
    version: PackageVersion
    if_match: str


# Which versions a package has: the latest (maybe a draft) and the one the public reads.
_POINTERS = ("latest_number", "published_number")
_VERSION_AUDITED = ("number", "status", "title", "summary", "based_on", "published_at")


async def list_packages(
    session: AsyncSession,
    principal: Principal | None,
    page: PageParams,
    *,
    scope: PackageScope,
    region_id: int | None,
    industry: LocalIndustry | None,
    search: PackageSearch | None = None,
) -> tuple[list[PackageSummary], int]:
    """One page of package summaries in `scope` (`region_id` includes its districts), and the total.
    A search of the public list goes through the matching index (published versions), best first; a
    curator's own list (drafts too) is searched in SQL for the text as typed."""
    if scope == PackageScope.MINE and principal is None:
        raise Unauthorized("scope=mine needs a signed-in caller")
    curated = access.curated_regions(principal)
    region_ids = await regions.subtree_ids(session, region_id) if region_id is not None else None
    public = scope == PackageScope.PUBLIC
    matches = None
    if search is not None and public:
        ids = await listing_search.engine_ids(search.index, PACKAGE, search.q, tech_field=None, today=None)
        if not ids:
            return [], 0
        matches = dialect.ranked_ids(session, ids)
    statement = repository.listing(
        published_only=public,
        curated=curated,
        region_ids=region_ids,
        industry=industry,
        matches=matches,
        text=search.q.strip() if search is not None and not public else None,
    )
    items, total = await fetch_page(session, statement, limit=page.limit, offset=page.offset)
    summaries = await presenter.summaries(session, items, curated=curated, latest=not public)
    if search is not None:
        snippets = listing_search.Snippets(search.index, search.q)
        summaries = [
            item.model_copy(update={"snippet": snippets.of({"summary": item.summary, "title": item.title})})
            for item in summaries
        ]
    return summaries, total


@dataclass(frozen=True, slots=True)
class PackageSearch:
    """A package list's `q`, with the index that answers it."""

    q: str
    index: SearchIndex


async def create_package(
    session: AsyncSession, principal: Principal, data: PackageCreate
) -> tuple[AchievementPackage, PackageVersion]:
    region_id = await access.curating_region(session, principal, data.region_id)
    package = AchievementPackage(
        region_id=region_id,
        industry=data.industry,
        theme=data.theme,
        latest_number=1,
        created_by_id=principal.user_id,
    )
    session.add(package)
    await session.flush()
    version = PackageVersion(
        package_id=package.id,
        number=1,
        status=PackageVersionStatus.DRAFT,
        title=data.title,
        summary=data.summary,
        created_by_id=principal.user_id,
    )
    session.add(version)
    await session.flush()
    after = audit.snapshot(package, ("region_id", "industry", "theme")) | _snapshot(version, [])
    await record(session, principal, package, "create", after=after)
    return package, version


async def create_next_version(
    session: AsyncSession, principal: Principal, package: AchievementPackage
) -> PackageVersion:
    """Version n+1 as a draft, copied from the latest published version n."""
    current = package.latest_number
    if package.published_number != current:
        raise Conflict(
            msg("Version {current} is still a draft: edit or publish it", current=current),
            code="package_draft_exists",
        )
    published = await repository.version(session, package.id, current)
    if published is None:  # the package row names it, so it exists
        raise Conflict(msg("Version {current} is missing", current=current), code="concurrent_change")
    members = [(row.achievement_id, row.note) for row in await repository.members(session, published.id)]
    draft = PackageVersion(
        package_id=package.id,
        number=current + 1,
        status=PackageVersionStatus.DRAFT,
        title=published.title,
        summary=published.summary,
        based_on=current,
        created_by_id=principal.user_id,
    )
    await transition(
        session,
        principal.actor,
        package,
        "package.version_create",
        expected={"latest_number": current, "published_number": current},
        values={"latest_number": current + 1},
        audited=_POINTERS,
        after=_snapshot(draft, members),
        entity_type="package",
        conflict=Conflict("The package changed meanwhile; read it again", code="concurrent_change"),
    )
    session.add(draft)
    await session.flush()
    await repository.replace_members(session, draft.id, members)

    return draft


async def update_version(edit: DraftEdit, data: VersionUpdate) -> None:
    require_draft_at(edit.version, edit.if_match)
    members = await _member_pairs(edit.session, edit.version)
    await claim_draft(
        edit, data.model_dump(exclude_unset=True), "version_update", audited=lambda v: _snapshot(v, members)
    )


async def publish(edit: DraftEdit) -> None:
    """Publish a draft: from now on it never changes, and it is what the public reads."""
    session, version = edit.session, edit.version
    require_draft_at(version, edit.if_match)
    members = await _member_pairs(session, version)
    if not members:
        raise Conflict("A package is published with at least one achievement", code="package_version_empty")
    stored = await repository.achievements(session, [achievement_id for achievement_id, _ in members])
    gone = [a.id for a in stored.values() if not presenter.is_available(a)]
    if gone:
        raise Conflict(
            msg("These members are no longer published achievements; remove them first: {gone}", gone=gone),
            code="achievement_not_published",
        )
    now = utcnow()
    published = {"status": PackageVersionStatus.PUBLISHED, "published_at": now}
    await claim_draft(
        edit,
        published | {"published_by_id": edit.principal.user_id},
        "version_publish",
        audited=lambda v: _snapshot(v, members),
    )
    # The package's pointer moves with the version, as part of the change recorded above.
    await transition(
        session,
        edit.principal.actor,
        edit.package,
        "package.version_publish",
        expected={"latest_number": version.number},
        values={"published_number": version.number, "published_at": now},
        audited=_POINTERS,
        conflict=Conflict("The package changed meanwhile; read it again", code="concurrent_change"),
        recorded=False,
    )


def require_draft_at(version: PackageVersion, if_match: str) -> None:
    """A published version is immutable (409, whatever the If-Match); a draft needs the current ETag."""
    if version.status != PackageVersionStatus.DRAFT:
        raise InvalidTransition(
            msg(
                "Version {number} is published and cannot change; create the next version",
                number=version.number,
            ),
            code="package_version_published",
        )
    check_if_match(if_match, VERSION_KIND, version.id, version.version)


async def claim_draft(
    edit: DraftEdit,
    values: dict[str, Any],
    verb: str,
    *,
    audited: Callable[[PackageVersion], dict[str, Any]] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Change the draft WHERE it is still the draft at the version read; bumps its version (its ETag).

    On PostgreSQL the UPDATE also locks the row, so concurrent edits of one draft queue up behind it
    and then find the version changed (412), or published (409)."""
    await transition(
        edit.session,
        edit.principal.actor,
        edit.version,
        f"package.{verb}",
        expected={"status": PackageVersionStatus.DRAFT},
        values=values,
        audited=audited or (lambda v: audit.snapshot(v, _VERSION_AUDITED)),
        before=before,
        after=after,
        entity_type="package",
        entity_id=edit.package.id,
        conflict=_draft_conflict,
    )


def _draft_conflict(version: PackageVersion) -> DomainError:
    if version.status != PackageVersionStatus.DRAFT:
        return InvalidTransition(
            msg("Version {number} was published meanwhile", number=version.number),
            code="package_version_published",
        )
    return PreconditionFailed("The version was changed by someone else; read it again")


async def record(
    session: AsyncSession,
    principal: Principal,
    package: AchievementPackage,
    verb: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any],
) -> None:
    await audit.record(
        session,
        principal.actor,
        f"package.{verb}",
        entity_type="package",
        entity_id=package.id,
        before=before,
        after=after,
    )


def _snapshot(version: PackageVersion, members: list[tuple[int, str | None]]) -> dict[str, Any]:
    return audit.snapshot(version, _VERSION_AUDITED) | {
        "members": [{"achievement_id": achievement_id, "note": note} for achievement_id, note in members]
    }


async def _member_pairs(session: AsyncSession, version: PackageVersion) -> list[tuple[int, str | None]]:
    return [(row.achievement_id, row.note) for row in await repository.members(session, version.id)]
