"""Applying a lifecycle action to a demand or an achievement: authorization, compare-and-set, audit."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from app.core.i18n import msg
from app.events.transitions import transition
from app.listings.kinds import kind_of
from app.listings.state import TRANSITIONS, Actor, IllegalTransition, ListingAction, next_status
from app.models import Achievement, Demand

Listing = Demand | Achievement
ListingT = TypeVar("ListingT", Demand, Achievement)
_AUDITED = ("status", "review_reason", "revision")


async def apply_action(
    session: AsyncSession,
    principal: Principal,
    listing: ListingT,
    action: ListingAction,
    *,
    reason: str | None,
) -> ListingT:
    rule = TRANSITIONS[action]
    authorize(principal, listing, rule.actor)
    if rule.needs_reason and not reason:
        raise ValidationFailed(msg("a reason is required to {action}", action=action.value), field="reason")
    try:
        target = next_status(action, listing.status)
    except IllegalTransition as illegal:
        raise InvalidTransition(
            msg("cannot {action} a listing that is {status}", action=action.value, status=illegal.status)
        ) from illegal
    model = type(listing)
    await transition(
        session,
        principal.actor,
        listing,
        f"{kind_of(model)}.{action.value}",
        expected={"status": listing.status},
        values={"status": target, **_stamps(model, action, principal, reason)},
        audited=_AUDITED,
        conflict=Conflict("The listing changed meanwhile; read it again", code="concurrent_change"),
    )
    return listing


def authorize(principal: Principal, listing: Listing, actor: Actor) -> None:
    """The owner's members act as the owner; reviewers of the listing's region as the reviewer."""
    if actor == Actor.OWNER:
        if not principal.access.may_edit_listing(listing):
            raise Forbidden("Only the owning organization may do this", code="not_listing_owner")
        return
    if not principal.access.may_review_listing(listing):
        raise Forbidden(
            "Only a transfer agency or an administrator of the listing's region reviews it",
            code="not_reviewer",
        )


def _stamps(
    model: type[Listing], action: ListingAction, principal: Principal, reason: str | None
) -> dict[str, Any]:
    now = utcnow()
    stamps: dict[str, Any] = {}
    if action == ListingAction.SUBMIT:
        stamps |= {"submitted_at": now, "review_reason": None}
    elif action == ListingAction.PUBLISH:
        stamps |= {"published_at": now, "reviewed_by_id": principal.user_id, "review_reason": None}
        stamps["revision"] = model.revision + 1
    elif action in (ListingAction.RETURN, ListingAction.REJECT):
        stamps |= {"reviewed_by_id": principal.user_id, "review_reason": reason}
    elif action == ListingAction.CLOSE:
        stamps["closed_at"] = now
    return stamps
