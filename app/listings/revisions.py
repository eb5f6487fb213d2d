"""Revisions of published listings.

An owner's edit of a published listing is stored as a revision awaiting review while the published
text stays visible; a reviewer of the listing's region publishes it (the edit is then applied and
the listing's revision number goes up), returns or rejects it; the owner may withdraw it.
The feature (demands, achievements) supplies the `Editor` that applies an edit, so a revision runs
exactly the rules of a direct edit: once on a trial basis when proposed, for real when published.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal, access_of
from app.core.clock import utcnow
from app.core.enums import ListingStatus, RevisionStatus
from app.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from app.core.i18n import msg, term
from app.core.identifiers import mask_phone
from app.core.pagination import PageParams
from app.core.validation_text import validation_message
from app.db.repository import fetch_page
from app.events import recording as audit
from app.events.transitions import transition
from app.listings.kinds import REVISIONS, Listing, Revision, kind_of
from app.listings.lifecycle import authorize
from app.listings.schemas import RevisionRead
from app.listings.state import Actor

# Applies validated changes (the update schema's JSON) to a listing and records `<kind>.<verb>`.
Editor = Callable[[AsyncSession, Principal, Listing, dict[str, Any], str], Awaitable[None]]


class RevisionAction(StrEnum):
    WITHDRAW = "withdraw"  # the owner
    PUBLISH = "publish"  # a reviewer
    RETURN = "return"  # a reviewer, with a reason
    REJECT = "reject"  # a reviewer, with a reason


# What the listing's audit trail shows of a revision at each step.
_RECORDED = ("id", "status", "changes", "review_reason")

_OUTCOMES = {
    RevisionAction.WITHDRAW: RevisionStatus.WITHDRAWN,
    RevisionAction.PUBLISH: RevisionStatus.PUBLISHED,
    RevisionAction.RETURN: RevisionStatus.RETURNED,
    RevisionAction.REJECT: RevisionStatus.REJECTED,
}


def may_see_revisions(principal: Principal | None, listing: Listing) -> bool:
    """The owner and the listing's reviewers; to anyone else proposed edits do not exist."""
    return access_of(principal).may_see_revisions(listing)


def shown_changes(principal: Principal | None, listing: Listing, revision: Revision) -> dict[str, Any]:
    """The revision's changes as `principal` may read them: a reviewer reads contacts and confidential
    detail while reviewing the edit; once decided they are the owner's again (masked, withheld)."""
    changes = dict(revision.changes)
    if access_of(principal).sees_revision_unmasked(listing, revision.status):
        return changes
    if changes.get("contact_phone"):
        changes["contact_phone"] = mask_phone(changes["contact_phone"])
    if "confidential_detail" in changes:
        changes["confidential_detail"] = None
    return changes


def to_read(principal: Principal | None, listing: Listing, revision: Revision) -> RevisionRead:
    read = RevisionRead.model_validate(revision)
    return read.model_copy(update={"changes": shown_changes(principal, listing, revision)})


async def list_for(
    session: AsyncSession, principal: Principal | None, listing: Listing, page: PageParams
) -> tuple[Sequence[Revision], int]:
    """One page of the listing's revisions, newest first, and how many there are."""
    if not may_see_revisions(principal, listing):
        raise NotFound(msg("No revisions of {kind} {id}", kind=term(kind_of(listing)), id=listing.id))
    model = REVISIONS[type(listing)]
    statement = select(model).where(model.listing_id == listing.id).order_by(model.id.desc())
    rows, total = await fetch_page(session, statement, limit=page.limit, offset=page.offset)
    return cast(list[Revision], rows), total


async def get_for(
    session: AsyncSession, principal: Principal | None, listing: Listing, revision_id: int
) -> Revision:
    model = REVISIONS[type(listing)]
    revision = cast(Revision | None, await session.get(model, revision_id))
    if revision is None or revision.listing_id != listing.id or not may_see_revisions(principal, listing):
        raise NotFound(
            msg(
                "No revision {revision_id} of {kind} {id}",
                revision_id=revision_id,
                kind=term(kind_of(listing)),
                id=listing.id,
            )
        )
    return revision


async def pending_ids(session: AsyncSession, model: type[Listing], listing_ids: list[int]) -> dict[int, int]:
    """listing id -> id of its revision awaiting review, for the listings that have one."""
    if not listing_ids:
        return {}
    revision = REVISIONS[model]
    rows = await session.execute(
        select(revision.listing_id, revision.id).where(
            revision.listing_id.in_(listing_ids), revision.status == RevisionStatus.SUBMITTED
        )
    )
    return {row.listing_id: row.id for row in rows}


async def propose(
    session: AsyncSession,
    principal: Principal,
    listing: Listing,
    changes: dict[str, Any],
    editor: Editor,
) -> Revision:
    """Store an edit of a published listing for review, after checking it on a trial basis."""
    if not principal.access.may_edit_listing(listing):
        raise Forbidden("Only the owning organization may edit it", code="not_listing_owner")
    if listing.status != ListingStatus.PUBLISHED:
        raise InvalidTransition(
            msg("A {status} listing takes no revisions; edit a draft directly", status=listing.status),
            code="not_published",
        )
    if not changes:
        raise ValidationFailed("the revision changes nothing", field="body")
    if (await pending_ids(session, type(listing), [listing.id])).get(listing.id) is not None:
        raise Conflict("A revision of this listing awaits review already", code="revision_pending")
    await _trial_run(session, principal, listing, changes, editor)
    model = REVISIONS[type(listing)]
    revision = model(
        listing_id=listing.id,
        changes=changes,
        status=RevisionStatus.SUBMITTED,
        base_version=listing.version,
        created_by_id=principal.user_id,
    )
    session.add(revision)
    try:
        await session.flush()
    except IntegrityError as race:  # a concurrent request won between the check above and here
        raise Conflict("A revision of this listing awaits review already", code="revision_pending") from race
    await _record(session, principal, listing, revision, "revision_submit")
    return revision


async def act(
    session: AsyncSession,
    principal: Principal,
    listing: Listing,
    revision: Revision,
    action: RevisionAction,
    *,
    reason: str | None,
    editor: Editor,
) -> Revision:
    actor = Actor.OWNER if action == RevisionAction.WITHDRAW else Actor.REVIEWER
    authorize(principal, listing, actor)
    if action in (RevisionAction.RETURN, RevisionAction.REJECT) and not reason:
        raise ValidationFailed(msg("a reason is required to {action}", action=action.value), field="reason")
    if revision.status != RevisionStatus.SUBMITTED:
        raise InvalidTransition(
            msg(
                "cannot {action} a revision that is {status}",
                action=action.value,
                status=revision.status,
            ),
            code="invalid_transition",
        )
    # The revision is claimed first: of reviewers acting at once, one moves it and the others find
    # it settled (409), before any of them touches the listing.
    await _settle(session, principal, listing, revision, action, reason)
    if action == RevisionAction.PUBLISH:
        await _apply(session, principal, listing, revision, editor)
    return revision


async def _trial_run(
    session: AsyncSession, principal: Principal, listing: Listing, changes: dict[str, Any], editor: Editor
) -> None:
    """Run the edit inside a savepoint that is always rolled back: the same rules as a direct edit,
    nothing written. The listing is reloaded afterwards, as the rollback expired it."""
    savepoint = await session.begin_nested()
    try:
        await editor(session, principal, listing, changes, "update")
    finally:
        await savepoint.rollback()
        await session.refresh(listing)


async def _apply(
    session: AsyncSession, principal: Principal, listing: Listing, revision: Revision, editor: Editor
) -> None:
    if listing.status != ListingStatus.PUBLISHED:
        raise InvalidTransition(
            msg("The listing is {status} now; reject or withdraw the revision", status=listing.status),
            code="not_published",
        )
    if listing.version != revision.base_version:
        raise Conflict(
            "The listing changed since this revision was proposed; reject it and propose again",
            code="listing_changed",
        )
    try:
        await editor(session, principal, listing, revision.changes, "revision_apply")
    except ValidationError as invalid:  # e.g. a deadline that has passed while under review
        raise Conflict(
            msg("The revision no longer validates: {error}", error=validation_message(invalid.errors()[0])),
            code="revision_invalid",
        ) from invalid
    listing.revision += 1
    listing.reviewed_by_id = principal.user_id
    await session.flush()


async def _settle(
    session: AsyncSession,
    principal: Principal,
    listing: Listing,
    revision: Revision,
    action: RevisionAction,
    reason: str | None,
) -> None:
    values: dict[str, Any] = {"status": _OUTCOMES[action]}
    if action != RevisionAction.WITHDRAW:
        values |= {"reviewed_by_id": principal.user_id, "reviewed_at": utcnow(), "review_reason": reason}
    if action == RevisionAction.PUBLISH:
        values["published_revision"] = listing.revision + 1  # what applying it makes the listing
    await transition(
        session,
        principal.actor,
        revision,
        f"{kind_of(listing)}.revision_{action.value}",
        expected={"status": RevisionStatus.SUBMITTED},
        values=values,
        audited=_RECORDED,
        entity_type=kind_of(listing),
        entity_id=listing.id,
        conflict=Conflict("The revision changed meanwhile; read it again", code="concurrent_change"),
    )


async def _record(
    session: AsyncSession, principal: Principal, listing: Listing, revision: Revision, verb: str
) -> None:
    await audit.record(
        session,
        principal.actor,
        f"{kind_of(listing)}.{verb}",
        entity_type=kind_of(listing),
        entity_id=listing.id,
        after=audit.snapshot(revision, _RECORDED),
    )
