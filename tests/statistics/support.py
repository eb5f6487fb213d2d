"""Statistics over HTTP: tallies read as a dashboard reads them, and contracts registered on a fixed day."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.contracts import support as contracts
from tests.factories import Account

URL = "/api/v1/statistics"
FIGURES = ("count", "total_fen", "technical_income_fen", "iur_count")


async def tally(client: AsyncClient, who: Account, **params: Any) -> dict[str, Any]:
    response = await client.get(f"{URL}/tally", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def figures(row: dict[str, Any] | None) -> tuple[int, int, int, int]:
    """A row's (or the totals') four figures; a missing row is all zero."""
    if row is None:
        return (0, 0, 0, 0)
    return (row["count"], row["total_fen"], row["technical_income_fen"], row["iur_count"])


def row(body: dict[str, Any], **keys: Any) -> dict[str, Any] | None:
    """The row whose key values are `keys` (None when the tally has no such row)."""
    found = [r for r in body["rows"] if all(r["keys"][name]["value"] == v for name, v in keys.items())]
    assert len(found) <= 1, found
    return found[0] if found else None


def moved(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[int, ...]:
    return tuple(a - b for a, b in zip(figures(after), figures(before), strict=True))


def summed(body: dict[str, Any]) -> tuple[int, ...]:
    return tuple(sum(r[name] for r in body["rows"]) for name in FIGURES)


async def city_admin(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> Account:
    return await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)


async def district_admin(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], code: str = factories.HAIZHOU_CODE
) -> Account:
    return await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, code)


def external_buyer(**overrides: Any) -> dict[str, Any]:
    """A buyer outside the network (Beijing)."""
    return {
        "name": "北京某科技有限公司",
        "area_code": "110108",
        "legal_person_type": "100",
        "credit_code": factories.credit_code(),
        **overrides,
    }


async def register(client: AsyncClient, parties: contracts.Parties, **overrides: Any) -> dict[str, Any]:
    """A contract filed by the parties' seller and registered; amounts with payments that add up."""
    total = overrides.get("total_fen", 120_000_000)
    overrides.setdefault("payments", [{"due_on": "2026-12-15", "amount_fen": total, "condition": "签订后"}])
    return await contracts.registered(client, parties, **overrides)


async def change(
    client: AsyncClient, parties: contracts.Parties, contract: dict[str, Any], **overrides: Any
) -> dict[str, Any]:
    """A change registration: the contract's terms with `overrides`, by the registrar."""
    total = overrides.get("total_fen", contract["total_fen"])
    overrides.setdefault("payments", [{"due_on": "2026-12-15", "amount_fen": total, "condition": "签订后"}])
    body = {**contracts.terms(parties.buyer["id"]), **overrides, "reason": "双方协商变更合同金额"}
    response = await client.post(
        f"{contracts.URL}/{contract['id']}/change", json=body, headers=parties.registrar.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def cancel(client: AsyncClient, parties: contracts.Parties, contract: dict[str, Any]) -> None:
    response = await contracts.act(client, parties.registrar, contract["id"], "cancel", reason="合同解除")
    assert response.status_code == 200, response.text
