"""An imported listing is stored as the API stores one: the same columns, search text, patents and
audit event. The import stores rows in batches (app/<feature>/bulk.py) rather than calling the
feature's create row by row; this is what holds the two paths together.

Each case creates a listing through the API, exports it, and imports the export under a new key."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import Achievement, AuditEvent, Demand, Patent
from tests.achievements import support as achievements
from tests.demands import support as demands
from tests.factories import Account
from tests.imports.support import read_csv, upload

_NOT_COMPARED = {"id", "client_key", "created_at", "updated_at"}


async def _export_and_reimport(
    client: AsyncClient, owner: Account, kind: str, organization_id: object
) -> None:
    exported = await client.get(
        f"/api/v1/{kind}/export", params={"scope": "mine", "format": "csv"}, headers=owner.headers
    )
    header, row = read_csv(exported.content)
    row[header.index("客户编号")] = "IMPORTED-1"
    content = ("\ufeff" + ",".join(header) + "\r\n" + ",".join(f'"{cell}"' for cell in row) + "\r\n").encode()
    response = await upload(client, owner, kind, organization_id, content, filename="again.csv")
    assert response.status_code == 201, response.text
    assert response.json()["created_count"] == 1


async def _stored(
    db: async_sessionmaker[AsyncSession], model: type[Demand] | type[Achievement], org: object
) -> list[Any]:
    async with db() as session:
        rows = list(
            await session.scalars(select(model).where(model.organization_id == org).order_by(model.id))
        )
        assert len(rows) == 2
        return rows


def _columns(listing: Demand | Achievement) -> dict[str, Any]:
    return {
        c.key: getattr(listing, c.key) for c in type(listing).__table__.columns if c.key not in _NOT_COMPARED
    }


async def _creation_event(db: async_sessionmaker[AsyncSession], entity: str, entity_id: int) -> AuditEvent:
    async with db() as session:
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.entity_type == entity, AuditEvent.entity_id == str(entity_id))
        )
        assert event is not None
        return event


async def test_an_imported_demand_is_stored_as_the_api_stores_it(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await demands.poster(client)
    await demands.create(
        client,
        owner,
        org["id"],
        valid_until="2099-12-31",
        confidentiality="nda",
        confidential_detail="底价 80 万",
    )
    await _export_and_reimport(client, owner, "demands", org["id"])
    by_api, imported = await _stored(db, Demand, org["id"])
    assert imported.client_key == "IMPORTED-1"
    assert _columns(imported) == _columns(by_api)
    api_event = await _creation_event(db, "demand", by_api.id)
    import_event = await _creation_event(db, "demand", imported.id)
    assert (import_event.action, import_event.actor_user_id) == ("demand.create", owner.id)
    assert import_event.after == api_event.after


async def test_an_imported_achievement_is_stored_as_the_api_stores_it(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await achievements.owner_of(client)
    # The template has no column for a patent's title (the owner adds it afterwards).
    patents = [
        {"application_number": "201710601862.3", "status": "granted"},
        {"application_number": "95115608.X"},
    ]
    await achievements.create(client, owner, org["id"], patents=patents, asking_price_fen=12_345_678)
    await _export_and_reimport(client, owner, "achievements", org["id"])
    by_api, imported = await _stored(db, Achievement, org["id"])
    assert _columns(imported) == _columns(by_api)
    async with db() as session:
        stored = await session.execute(
            select(
                Patent.achievement_id,
                Patent.application_number,
                Patent.patent_type,
                Patent.status,
                Patent.title,
            )
            .where(Patent.achievement_id.in_([by_api.id, imported.id]))
            .order_by(Patent.id)
        )
        rows = stored.all()
    assert [row[1:] for row in rows if row[0] == imported.id] == [
        row[1:] for row in rows if row[0] == by_api.id
    ]
    assert len(rows) == 4
    api_event = await _creation_event(db, "achievement", by_api.id)
    import_event = await _creation_event(db, "achievement", imported.id)
    assert import_event.after == api_event.after
