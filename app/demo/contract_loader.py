"""Loading the demo's technology contracts: registered ones with their ledger entries and numbers, a few
awaiting a registrar, and the city's targets, inserted in bulk.

The rows are what the contracts service would have stored: the columns as `app.contracts.terms`
lays them out, the deadline by the rule set's clock on the official calendar, registration numbers
from the points' counters (claimed in order, unique and gap-free; the counters are left at the last
serial, so the next registration through the API continues from there) and the ledger entry from
`app.contracts.service.entry_values`, dated the day of registration. No audit or event rows per
contract: like the listings, they carry a made-up past the services would stamp with "now".
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import service as contracts
from app.contracts.clocks import ClockRules, clock_for, rule_set_for
from app.contracts.numbers import registration_number
from app.core.clock import CHINA_STANDARD_TIME
from app.core.config import Settings
from app.core.enums import (
    AttachmentKind,
    ContractStatus,
    RegistrationEntryKind,
    TargetMetric,
)
from app.core.workdays import OfficialCalendar
from app.demo.contract_templates import EXTERNAL_BUYERS, ExternalBuyer
from app.demo.contracts import YEARS, DemoContract, generate
from app.demo.network import CITY, HAIZHOU, owner_email
from app.demo.network_loader import Placed
from app.demo.summary import DemoSummary
from app.holidays import service as holidays
from app.models import (
    Contract,
    ContractAttachment,
    ContractDeduction,
    ContractPayment,
    Organization,
    Region,
    RegistrationCounter,
    RegistrationEntry,
    StatisticsTarget,
)

BATCH_SIZE = 100
# Fixed, like the organizations: another seed (which varies the listings) adds no second history.
CONTRACTS_SEED = 2026
CITY_REGISTRAR = "registrar@example.com"
DISTRICT_REGISTRARS = {HAIZHOU: "haizhou-registrar@example.com"}
# The city's targets (工作目标) for the demo's three years, oldest first: 技术合同成交额 in 万元 and
# 产学研 projects. The contracts (app.demo.contracts.YEAR_TOTAL_WAN) make the first year one above
# target, the second just short, and the current one on its way.
TARGET_WAN = (9_000, 12_500, 15_000)
TARGET_IUR = (90, 120, 150)
TARGET_SOURCE = "演示数据：连云港市科技局年度工作目标"


@dataclass(frozen=True, slots=True)
class _Party:
    """A stored party's columns, and where its registrations are numbered (its coded region)."""

    columns: dict[str, Any]
    region_id: int | None
    point: Region | None = None


async def load_contracts(
    session: AsyncSession,
    now: datetime,
    organizations: dict[str, Placed],
    users: dict[str, int],
    summary: DemoSummary,
    settings: Settings,
) -> None:
    """Add the demo contracts not stored yet (by seller and project name) and the city's targets.
    The contracts are dated up to today: a later load adds the registrations of the days since."""
    today = now.astimezone(CHINA_STANDARD_TIME).date()
    first_year = today.year - YEARS + 1
    calendar = await holidays.official_calendar(session, first_year - 1, today.year + 1)
    rng = random.Random(CONTRACTS_SEED)  # noqa: S311 - reproducible demo data, not a secret
    generated = generate(rng, today, partial(calendar.is_working_day, assume_weekdays=True))
    stored = await _stored(session, [placed.id for placed in organizations.values()])
    missing = [item for item in generated if (organizations[item.seller].id, item.project_name) not in stored]
    if missing:
        parties, region_ids = await _parties(session, organizations)
        registrars = {region_ids[code]: users[email] for code, email in DISTRICT_REGISTRARS.items()}
        rules = ClockRules.from_settings(settings)
        builder = _Rows(parties, organizations, users, (registrars, users[CITY_REGISTRAR]), rules, calendar)
        numbered = await _numbered(session, builder, missing, settings.contract_number_template)
        await _insert(session, builder, missing, numbered, summary)
    await _targets(session, first_year, now, summary)


async def _stored(session: AsyncSession, organization_ids: list[int]) -> set[tuple[int, str]]:
    statement = select(Contract.organization_id, Contract.project_name).where(
        Contract.organization_id.in_(organization_ids)
    )
    return {(organization_id, name) for organization_id, name in await session.execute(statement)}


async def _parties(
    session: AsyncSession, organizations: dict[str, Placed]
) -> tuple[dict[str, _Party], dict[str, int]]:
    """The demo organizations as contract parties, by key (the columns `app.contracts.terms` stores),
    the external buyers' regions by area code, and the region ids by code."""
    regions = {region.id: region for region in await session.scalars(select(Region))}
    keys = {placed.id: key for key, placed in organizations.items()}
    rows = await session.scalars(select(Organization).where(Organization.id.in_(list(keys))))
    parties = {}
    for organization in rows:
        point = _coded(regions, organization.region_id)
        columns = {
            "name": organization.name,
            "organization_id": organization.id,
            "country_code": "CHN",
            "area_code": point.code if point else None,
            "legal_person_type": organization.legal_person_type,
            "credit_code": organization.credit_code,
        }
        parties[keys[organization.id]] = _Party(columns, organization.region_id, point)
    by_code = {region.code: region.id for region in regions.values() if region.code and region.is_active}
    parties |= {
        f"external:{buyer.area_code}": _Party({}, by_code.get(buyer.area_code)) for buyer in EXTERNAL_BUYERS
    }
    return parties, by_code


def _coded(regions: dict[int, Region], region_id: int | None) -> Region | None:
    """The region, or its nearest ancestor with a GB/T 2260 code (repository.coded_ancestor)."""
    seen: set[int] = set()
    while region_id is not None and region_id not in seen:
        seen.add(region_id)
        region = regions.get(region_id)
        if region is None:
            return None
        if region.code is not None:
            return region
        region_id = region.parent_id
    return None


class _Rows:
    """A generated contract's rows, completed with the stored organizations, accounts and regions."""

    def __init__(
        self,
        parties: dict[str, _Party],
        organizations: dict[str, Placed],
        users: dict[str, int],
        registrars: tuple[dict[int, int], int],
        rules: ClockRules,
        calendar: OfficialCalendar,
    ) -> None:
        self.parties = parties
        self.organizations = organizations
        self.users = users
        # The districts' registrars by region id, and the city's for the others.
        self.registrars, self.city_registrar = registrars
        self.rules = rules
        self.calendar = calendar

    def seller(self, item: DemoContract) -> _Party:
        return self.parties[item.seller]

    def point(self, item: DemoContract) -> Region | None:
        return self.parties[item.seller].point

    def registrar(self, item: DemoContract) -> int:
        """The seller district's registrar where it has one, else the city's."""
        return self.registrars.get(self.organizations[item.seller].region_id, self.city_registrar)

    def contract(self, item: DemoContract, number: str | None, point_id: int | None) -> dict[str, Any]:
        seller = self.seller(item)
        buyer = self._buyer(item.buyer)
        rule_set = rule_set_for(item.signed_on, self.rules)
        technical_income = item.total_fen - item.deductions_fen
        clock = clock_for(rule_set, technical_income, self.rules)
        # As contracts.service.deadline counts it (a year not loaded by the Monday–Friday rule).
        due_on, provisional = (
            self.calendar.provisional_due(item.submitted_on, clock.days)
            if clock.working_days
            else (item.submitted_on + timedelta(days=clock.days), False)
        )
        submitted_at = _at(item.submitted_on, item.minute)
        registrar = self.registrar(item)
        accepted_at = _at(item.accepted_on, item.minute + 30) if item.accepted_on else None
        decided_at = _at(item.registered_on, item.minute + 60) if item.registered_on else None
        version = {ContractStatus.SUBMITTED: 2, ContractStatus.ACCEPTED: 3}.get(item.status, 4)
        return {
            "organization_id": seller.columns["organization_id"],
            "region_id": self.organizations[item.seller].region_id,
            "status": item.status,
            "rule_set": rule_set,
            "contract_type": item.contract_type,
            "subtype": item.subtype,
            "project_name": item.project_name,
            "signed_on": item.signed_on,
            "valid_from": item.signed_on,
            "valid_to": item.valid_to,
            **{f"seller_{name}": value for name, value in seller.columns.items()},
            **buyer,
            "tech_field": item.tech_field,
            "ip_type": item.ip_type,
            "plan_category": item.plan_category,
            "socio_economic_objective": None,
            "expected_investment_fen": item.expected_investment_fen,
            "expected_output_fen": item.expected_output_fen,
            "content_summary": item.content_summary,
            "price_terms": item.price_terms,
            "total_fen": item.total_fen,
            "deductions_fen": item.deductions_fen,
            "technical_income_fen": technical_income,
            "disputed": False,
            "deal_id": None,
            "filed_by_id": self.users[owner_email(item.seller)],
            "submitted_at": submitted_at,
            "clock_started_on": item.submitted_on,
            "due_on": due_on,
            "due_on_provisional": provisional,
            "expert_review": clock.expert_review,
            "accepted_at": accepted_at,
            "accepted_by_id": registrar if accepted_at else None,
            "decided_at": decided_at,
            "decided_by_id": registrar if decided_at else None,
            "findings": [],
            "registration_number": number,
            "registration_point_id": point_id,
            "registered_on": item.registered_on,
            "cancelled_on": None,
            "created_at": submitted_at - timedelta(hours=2),
            "updated_at": decided_at or accepted_at or submitted_at,
            "version": version,
        }

    def _buyer(self, buyer: str | ExternalBuyer) -> dict[str, Any]:
        if isinstance(buyer, str):
            party = self.parties[buyer]
            return {f"buyer_{name}": value for name, value in party.columns.items()} | {
                "buyer_region_id": party.region_id
            }
        return {
            "buyer_name": buyer.name,
            "buyer_organization_id": None,
            "buyer_country_code": "CHN",
            "buyer_area_code": buyer.area_code,
            "buyer_legal_person_type": buyer.legal_person_type,
            "buyer_credit_code": buyer.credit_code,
            "buyer_region_id": self.parties[f"external:{buyer.area_code}"].region_id,
        }


async def _numbered(
    session: AsyncSession, builder: _Rows, items: list[DemoContract], template: str
) -> list[tuple[str | None, int | None]]:
    """Each contract's registration number and point, the registered ones numbered in the order
    they were registered from where each point's counter stands; the counters are moved on."""
    points = {item: builder.point(item) for item in items}
    keys = {
        (point.id, item.registered_on.year)
        for item, point in points.items()
        if point is not None and item.registered_on is not None
    }
    pairs = tuple_(RegistrationCounter.point_region_id, RegistrationCounter.year)
    statement = select(RegistrationCounter).where(pairs.in_(sorted(keys)))
    existing = {(row.point_region_id, row.year): row.last_serial for row in await session.scalars(statement)}
    serials = dict(existing)
    numbers: list[tuple[str | None, int | None]] = []
    for item, point in points.items():
        if item.registered_on is None or point is None or point.code is None:
            numbers.append((None, None))
            continue
        key = (point.id, item.registered_on.year)
        serials[key] = serials.get(key, 0) + 1
        numbers.append((registration_number(template, key[1], point.code, serials[key]), point.id))
    for (point_id, year), last in serials.items():
        if (point_id, year) in existing:
            await session.execute(
                update(RegistrationCounter)
                .where(RegistrationCounter.point_region_id == point_id, RegistrationCounter.year == year)
                .values(last_serial=last)
            )
    new = [
        {"point_region_id": point_id, "year": year, "last_serial": last}
        for (point_id, year), last in sorted(serials.items())
        if (point_id, year) not in existing
    ]
    if new:
        await session.execute(insert(RegistrationCounter), new)
    return numbers


async def _insert(
    session: AsyncSession,
    builder: _Rows,
    items: list[DemoContract],
    numbered: list[tuple[str | None, int | None]],
    summary: DemoSummary,
) -> None:
    rows = [builder.contract(item, *number) for item, number in zip(items, numbered, strict=True)]
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        ids = (
            await session.scalars(
                insert(Contract).returning(Contract.id, sort_by_parameter_order=True), batch
            )
        ).all()
        for contract_id, row in zip(ids, batch, strict=True):
            row["id"] = contract_id
    await _lines(session, items, rows)
    entries = [
        contracts.entry_values(
            Contract(**row),  # a transient copy of the stored row, read by the ledger's builder
            RegistrationEntryKind.REGISTRATION,
            sign=1,
            sequence=1,
            on=item.registered_on,
            reason="",
            by=row["decided_by_id"],
        )
        | {"created_at": row["decided_at"]}
        for item, row in zip(items, rows, strict=True)
        if item.registered_on is not None
    ]
    for start in range(0, len(entries), BATCH_SIZE):
        await session.execute(insert(RegistrationEntry), entries[start : start + BATCH_SIZE])
    summary.contracts += len(rows)
    summary.registrations += len(entries)


async def _lines(
    session: AsyncSession, items: Sequence[DemoContract], rows: Sequence[dict[str, Any]]
) -> None:
    deductions, payments, attachments = [], [], []
    for item, row in zip(items, rows, strict=True):
        contract_id = row["id"]
        deductions += [
            {"contract_id": contract_id, "position": position, "item": name, "amount_fen": amount}
            for position, (name, amount) in enumerate(item.deductions, 1)
        ]
        payments += [
            {"contract_id": contract_id, "position": position, "due_on": due, "amount_fen": amount}
            | {"condition": condition}
            for position, (due, amount, condition) in enumerate(item.payments, 1)
        ]
        attachments.append(
            {
                "contract_id": contract_id,
                "position": 1,
                "kind": AttachmentKind.CONTRACT_TEXT,
                "file_name": f"{item.project_name}合同.pdf",
                "media_type": "application/pdf",
                "size_bytes": 180_000 + 4_096 * len(item.project_name),
                "sha256": None,
            }
        )
    for model, values in (
        (ContractDeduction, deductions),
        (ContractPayment, payments),
        (ContractAttachment, attachments),
    ):
        for start in range(0, len(values), BATCH_SIZE * 5):
            await session.execute(insert(model), values[start : start + BATCH_SIZE * 5])


async def _targets(session: AsyncSession, first_year: int, now: datetime, summary: DemoSummary) -> None:
    """The city's targets for the demo's years, where none is set."""
    city = await session.scalar(select(Region.id).where(Region.code == CITY))
    if city is None:
        return
    wanted = {
        (metric, first_year + index): value
        for index in range(YEARS)
        for metric, value in (
            (TargetMetric.TOTAL_FEN, TARGET_WAN[index] * 1_000_000),
            (TargetMetric.IUR_PROJECTS, TARGET_IUR[index]),
        )
    }
    statement = select(StatisticsTarget.metric, StatisticsTarget.year).where(
        StatisticsTarget.region_id == city, StatisticsTarget.year >= first_year
    )
    existing = set((await session.execute(statement)).all())
    rows = [
        {"metric": metric, "region_id": city, "year": year, "value": value, "source": TARGET_SOURCE}
        | {"created_at": now, "updated_at": now, "version": 1}
        for (metric, year), value in wanted.items()
        if (metric, year) not in existing
    ]
    if rows:
        await session.execute(insert(StatisticsTarget), rows)
    summary.targets += len(rows)


def _at(day: date, minute: int) -> datetime:
    """An instant of a working day in Lianyungang (from 09:00), in UTC."""
    start = datetime.combine(day, time(9), CHINA_STANDARD_TIME)
    return (start + timedelta(minutes=minute)).astimezone(UTC)
