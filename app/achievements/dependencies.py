from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from app.achievements.schemas import AchievementFilter
from app.auth.dependencies import OptionalPrincipalDep
from app.core.enums import AchievementLevel, IpForm, MaturityStage, TransferMode
from app.core.query_parameters import check_range
from app.core.schemas import MAX_ID, EntityId
from app.db.dependencies import SessionDep
from app.listings import service as listings
from app.models import Achievement

TrlQuery = Annotated[int | None, Query(ge=1, le=9, description="Technology readiness level bound")]
PriceQuery = Annotated[int | None, Query(ge=0, le=MAX_ID, description="Asking price bound in fen")]


async def visible_achievement(
    achievement_id: EntityId, session: SessionDep, principal: OptionalPrincipalDep
) -> Achievement:
    return await listings.get_visible(session, principal, Achievement, achievement_id)


async def achievement_filter(
    transfer_mode: Annotated[TransferMode | None, Query(description="Offers this transfer mode")] = None,
    trl_from: TrlQuery = None,
    trl_to: TrlQuery = None,
    stage: MaturityStage | None = None,
    level: AchievementLevel | None = None,
    ip_form: IpForm | None = None,
    price_from_fen: PriceQuery = None,
    price_to_fen: PriceQuery = None,
    include_negotiable: Annotated[
        bool, Query(description="Keep negotiable (面议) achievements in a price range; false drops them")
    ] = True,
) -> AchievementFilter:
    check_range("trl_from", trl_from, "trl_to", trl_to)
    check_range("price_from_fen", price_from_fen, "price_to_fen", price_to_fen)
    return AchievementFilter(
        transfer_mode=transfer_mode,
        trl_from=trl_from,
        trl_to=trl_to,
        stage=stage,
        level=level,
        ip_form=ip_form,
        price_from_fen=price_from_fen,
        price_to_fen=price_to_fen,
        include_negotiable=include_negotiable,
    )


VisibleAchievementDep = Annotated[Achievement, Depends(visible_achievement)]


AchievementFilterDep = Annotated[AchievementFilter, Depends(achievement_filter)]
