"""The /api/v1 router: one include per feature."""

from __future__ import annotations

from fastapi import APIRouter

from app.achievements.router import router as achievements_router
from app.audit_events.router import router as audit_router
from app.auth.router import router as auth_router
from app.demands.router import router as demands_router
from app.holidays.router import router as holidays_router
from app.imports.router import router as imports_router
from app.meta.router import router as meta_router
from app.organizations.api_keys_router import router as api_keys_router
from app.organizations.members_router import router as members_router
from app.organizations.router import router as organizations_router
from app.regions.router import router as regions_router
from app.users.router import router as users_router

api_router = APIRouter(prefix="/api/v1")
for feature_router in (
    auth_router,
    users_router,
    regions_router,
    organizations_router,
    members_router,
    api_keys_router,
    demands_router,
    achievements_router,
    imports_router,
    audit_router,
    holidays_router,
    meta_router,
):
    api_router.include_router(feature_router)
