"""Scientific and technological achievements: the listing routes (app.listings.kind_router) for this
kind."""

from __future__ import annotations

from app.achievements import service
from app.achievements.columns import ACHIEVEMENT_COLUMNS
from app.achievements.dependencies import achievement_filter, visible_achievement
from app.achievements.kind import ACHIEVEMENT
from app.achievements.schemas import AchievementRead, AchievementUpdate
from app.listings.kind_router import KindRoutes, Wording, build_router

ROUTES = KindRoutes(
    spec=ACHIEVEMENT,
    update_schema=AchievementUpdate,
    read_model=AchievementRead,
    reads=service.READS,
    columns=ACHIEVEMENT_COLUMNS,
    feature_filter=achievement_filter,
    conditions=service.conditions,
    visible=visible_achievement,
    create=service.create,
    update=service.update,
    editor=service.edit,
    to_read=service.to_read,
    wording=Wording(
        list="Search and filter achievements; published ones by default, without confidential detail.",
        create="List an achievement of your organization; it starts as a draft.",
        update="Edit a draft or returned achievement (needs If-Match); `patents` replaces the whole set.",
        get=(
            "One achievement (drafts only for their organization and reviewers). The confidential detail "
            "is included for the owner and, under a granted access request, for the grantee (the "
            "release is logged)."
        ),
    ),
)
router = build_router(ROUTES)
