"""The /api/v1 router: one include per feature."""

from __future__ import annotations

from fastapi import APIRouter

from app.achievements.router import ROUTES as ACHIEVEMENT_ROUTES
from app.achievements.router import router as achievements_router
from app.audit_events.router import router as audit_router
from app.auth.dependencies import declare_anonymous_access
from app.auth.router import router as auth_router
from app.contracts.router import router as contracts_router
from app.demands.router import ROUTES as DEMAND_ROUTES
from app.demands.router import router as demands_router
from app.holidays.router import router as holidays_router
from app.imports.router import router as imports_router
from app.industries.router import router as industries_router
from app.jobs.router import router as jobs_router
from app.listings.inbox_router import router as access_requests_router
from app.listings.public_routes import add_public_routes
from app.matches.router import router as matches_router
from app.meta.router import router as meta_router
from app.organizations.api_keys_router import router as api_keys_router
from app.organizations.members_router import router as members_router
from app.organizations.router import router as organizations_router
from app.packages.router import router as packages_router
from app.packages.versions_router import router as package_versions_router
from app.regions.router import router as regions_router
from app.statistics.router import router as statistics_router
from app.users.router import router as users_router

api_router = APIRouter(prefix="/api/v1")
# FastAPI tries the routers in this order and stops at the first that matches (it does not skip a
# router by its prefix), so the public listing reads, the busiest routes, come first.
for feature_router in (
    # First: it answers 405 for other methods on its GET-only paths under a listing's id, which the
    # listing kinds' /{id}/{action} routes would otherwise take.
    matches_router,
    achievements_router,
    demands_router,
    packages_router,
    package_versions_router,
    access_requests_router,
    auth_router,
    users_router,
    regions_router,
    organizations_router,
    members_router,
    api_keys_router,
    imports_router,
    audit_router,
    jobs_router,
    contracts_router,
    statistics_router,
    holidays_router,
    industries_router,
    meta_router,
):
    api_router.include_router(feature_router)
declare_anonymous_access(api_router.routes)


def add_public_reads(router: APIRouter) -> None:
    """The anonymous list and get of each listing kind (app.listings.public_routes), as routes of
    `router` itself: the app adds them ahead of everything else. Inside api_router they would be
    found only after FastAPI walks its included routers (and theirs) a few times per request, which
    cost an anonymous get about 0.15 ms of its CPU."""
    for kind in (ACHIEVEMENT_ROUTES, DEMAND_ROUTES):
        add_public_routes(
            router, api_router.prefix + kind.prefix, kind.reads, kind.feature_filter, kind.conditions
        )
