"""A draft version's members: add, change (note, position), remove, reorder.

Each change rewrites the draft's member rows after a compare-and-set on the draft (If-Match), so
positions stay 1..n without gaps. Only published achievements within their deadline join; one that
does not exist, or is not public, is refused with the same answer, so drafts of others stay unseen.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound
from app.core.i18n import msg
from app.listings.visibility import PUBLIC_STATUSES
from app.packages import presenter, repository
from app.packages.schemas import MAX_MEMBERS, MemberAdd, MemberOrder, MemberUpdate
from app.packages.service import DraftEdit, claim_draft, require_draft_at

Members = list[tuple[int, str | None]]  # (achievement id, note), in order


async def add(edit: DraftEdit, data: MemberAdd) -> None:
    members = await _editable(edit)
    if any(achievement_id == data.achievement_id for achievement_id, _ in members):
        raise Conflict(
            msg("Achievement {achievement_id} is a member already", achievement_id=data.achievement_id),
            code="already_member",
        )
    if len(members) >= MAX_MEMBERS:
        raise Conflict(
            msg("A version holds at most {limit} achievements", limit=MAX_MEMBERS),
            code="too_many_members",
        )
    await require_published(edit.session, data.achievement_id)
    index = len(members) if data.position is None else min(data.position, len(members) + 1) - 1
    changed = [*members[:index], (data.achievement_id, data.note), *members[index:]]
    await _store(edit, "member_add", members, changed)


async def update(edit: DraftEdit, achievement_id: int, data: MemberUpdate) -> None:
    members = await _editable(edit)
    index = _index_of(members, achievement_id)
    note = data.note if "note" in data.model_fields_set else members[index][1]
    changed = [member for member in members if member[0] != achievement_id]
    target = index if data.position is None else min(data.position, len(members)) - 1
    changed.insert(target, (achievement_id, note))
    await _store(edit, "member_update", members, changed)


async def remove(edit: DraftEdit, achievement_id: int) -> None:
    members = await _editable(edit)
    _index_of(members, achievement_id)
    changed = [member for member in members if member[0] != achievement_id]
    await _store(edit, "member_remove", members, changed)


async def reorder(edit: DraftEdit, data: MemberOrder) -> None:
    members = await _editable(edit)
    notes = dict(members)
    if sorted(data.achievement_ids) != sorted(notes):
        # The body is valid on its own; it disagrees with the members stored now.
        raise Conflict(
            "The order must list every member's achievement id exactly once", code="member_order_mismatch"
        )
    changed = [(achievement_id, notes[achievement_id]) for achievement_id in data.achievement_ids]
    await _store(edit, "member_reorder", members, changed)


async def require_published(session: AsyncSession, achievement_id: int) -> None:
    achievement = (await repository.achievements(session, [achievement_id])).get(achievement_id)
    if achievement is None or achievement.status not in PUBLIC_STATUSES:
        raise Conflict(
            msg("Achievement {achievement_id} is not a published achievement", achievement_id=achievement_id),
            code="achievement_not_published",
        )
    if not presenter.is_available(achievement):
        raise Conflict(
            msg("Achievement {achievement_id} is closed or past its deadline", achievement_id=achievement_id),
            code="achievement_not_published",
        )


async def _editable(edit: DraftEdit) -> Members:
    """The draft's members, once the draft is known to be one and at the version the caller read."""
    require_draft_at(edit.version, edit.if_match)
    rows = await repository.members(edit.session, edit.version.id)
    return [(row.achievement_id, row.note) for row in rows]


def _index_of(members: Members, achievement_id: int) -> int:
    for index, (member_id, _) in enumerate(members):
        if member_id == achievement_id:
            return index
    raise NotFound(
        msg("Achievement {achievement_id} is not a member of this version", achievement_id=achievement_id),
        code="not_a_member",
    )


async def _store(edit: DraftEdit, verb: str, before: Members, after: Members) -> None:
    number = edit.version.number
    await claim_draft(
        edit,
        {},
        verb,
        before={"number": number, "members": _listed(before)},
        after={"number": number, "members": _listed(after)},
    )
    await repository.replace_members(edit.session, edit.version.id, after)


def _listed(members: Members) -> list[dict[str, object]]:
    return [{"achievement_id": achievement_id, "note": note} for achievement_id, note in members]
