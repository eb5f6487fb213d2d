"""Achievement packages: lists, creation, a package with its versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.auth.dependencies import OptionalPrincipalDep, PrincipalDep
from app.core.enums import LocalIndustry
from app.core.pagination import CREATED, Page, PageDep, etag, page_of, set_location
from app.core.problems import problem_responses
from app.core.schemas import NO_NUL_PATTERN, EntityId
from app.db.dependencies import SessionDep
from app.listings.search_index import index_for
from app.packages import presenter, service
from app.packages.dependencies import CuratedPackageDep, VisiblePackageDep
from app.packages.schemas import PackageCreate, PackageRead, PackageScope, PackageSummary, VersionRead

router = APIRouter(prefix="/packages", tags=["packages"])


@router.get("", operation_id="list_packages", responses=problem_responses(401, 422, 500))
async def list_packages(
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipalDep,
    page: PageDep,
    scope: Annotated[
        PackageScope, Query(description="public: published packages; mine: the packages you curate")
    ] = PackageScope.PUBLIC,
    region_id: Annotated[EntityId | None, Query(description="Includes the region's districts")] = None,
    industry: LocalIndustry | None = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=NO_NUL_PATTERN,
            description="Search the title, summary, theme and achievements of the version shown; public "
            "lists rank the best matches first and each item carries a marked `snippet`",
        ),
    ] = None,
) -> Page[PackageSummary]:
    """Packages with a published version, newest publication first (best match first with `q`);
    `scope=mine` adds your drafts."""
    search = service.PackageSearch(q, index_for(request.app.state.settings)) if q else None
    items, total = await service.list_packages(
        session, principal, page, scope=scope, region_id=region_id, industry=industry, search=search
    )
    return page_of(items, total, page)


@router.post(
    "",
    operation_id="create_package",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **problem_responses(401, 403, 404, 413, 422, 500)},
)
async def create_package(
    body: PackageCreate, request: Request, session: SessionDep, principal: PrincipalDep, response: Response
) -> PackageRead:
    """Start a package for a region you administer; its version 1 is a draft (city or district admins)."""
    package, _ = await service.create_package(session, principal, body)
    response.headers["ETag"] = etag("package", package.id, package.version)
    set_location(request, response, "get_package", package_id=package.id)
    return await presenter.package_read(session, package, is_curator=True)


@router.get("/{package_id}", operation_id="get_package", responses=problem_responses(401, 404, 422, 500))
async def get_package(seen: VisiblePackageDep, session: SessionDep, response: Response) -> PackageRead:
    """A package: its latest published version with members, and its versions (drafts for curators)."""
    response.headers["ETag"] = etag("package", seen.package.id, seen.package.version)
    return await presenter.package_read(session, seen.package, is_curator=seen.is_curator)


@router.post(
    "/{package_id}/versions",
    operation_id="create_package_version",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **problem_responses(401, 403, 404, 409, 422, 500)},
)
async def create_package_version(
    package: CuratedPackageDep,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> VersionRead:
    """The next version, a draft copied from the latest published one (none while a draft exists)."""
    version = await service.create_next_version(session, principal, package)
    response.headers["ETag"] = etag(service.VERSION_KIND, version.id, version.version)
    set_location(request, response, "get_package_version", package_id=package.id, number=version.number)
    return await presenter.version_read(session, package, version)
