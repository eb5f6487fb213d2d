"""The demo's technology contracts (pure, deterministic): three years of registrations across the city's
districts, growing year on year with the registration points' seasons (quiet around the Spring
Festival, busy in June and at the year's end), and a few awaiting a registrar.

A contract is generated for every working day of the three years the way it would have been
registered, then the ones registered after today are dropped: the same seed gives the same contracts
whatever the day, and a later load adds only the registrations of the days since.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from app.contracts.kinds import SUBTYPES
from app.core.enums import (
    ContractStatus,
    ContractSubtype,
    ContractType,
    IpForm,
    LocalIndustry,
    OrganizationKind,
    PlanCategory,
    TechField,
)
from app.demo.common import wan_to_fen
from app.demo.contract_templates import (
    EXTERNAL_BUYERS,
    FIELD_BUYERS,
    NAMING,
    PHASES,
    SELLERS,
    ExternalBuyer,
)
from app.demo.network import ENTERPRISES, ORGANIZATION_BY_KEY

WorkingDay = Callable[[date], bool]
_K = TypeVar("_K")

YEARS = 3
# Registrations in the three years and their 成交额 in 万元, the current year's counted over all of it
# (a year's amounts are scaled to its figure, so the story is the same whatever the seed).
YEAR_COUNTS = (140, 175, 215)
YEAR_TOTAL_WAN = (9_600.0, 12_200.0, 15_400.0)
# The registration points' months: quiet at the Spring Festival, a half-year and a year-end rush.
MONTH_WEIGHTS = (0.5, 0.4, 0.9, 0.9, 1.0, 1.3, 0.9, 0.8, 1.1, 0.8, 1.1, 1.6)

_T, _S = ContractType, ContractSubtype
_ACADEMIC_TYPES = {_T.DEVELOPMENT: 40, _T.SERVICE: 25, _T.TRANSFER: 15, _T.LICENSE: 8, _T.CONSULTING: 12}
_ENTERPRISE_TYPES = {_T.DEVELOPMENT: 25, _T.SERVICE: 50, _T.TRANSFER: 8, _T.LICENSE: 5, _T.CONSULTING: 12}
_SUBTYPES: dict[ContractType, dict[ContractSubtype, int]] = {
    _T.DEVELOPMENT: {_S.COMMISSIONED_DEVELOPMENT: 70, _S.COOPERATIVE_DEVELOPMENT: 30},
    _T.TRANSFER: {
        _S.PATENT_TRANSFER: 60,
        _S.PATENT_APPLICATION_TRANSFER: 15,
        _S.TECHNICAL_SECRET_TRANSFER: 25,
    },
    _T.LICENSE: {_S.PATENT_LICENSE: 75, _S.TECHNICAL_SECRET_LICENSE: 25},
    _T.CONSULTING: {_S.CONSULTING: 1},
    _T.SERVICE: {_S.SERVICE: 85, _S.TRAINING: 15},
}
# Median amounts in 万元 by type (a development contract of about 45 万元, consulting of 8 万元).
_MEDIAN_WAN = {
    _T.DEVELOPMENT: 45.0,
    _T.TRANSFER: 80.0,
    _T.LICENSE: 50.0,
    _T.CONSULTING: 8.0,
    _T.SERVICE: 18.0,
}
# (chance, item, share of 成交额 from, to): the non-technical costs a registrar deducts.
_DEDUCTIONS = {
    _S.COMMISSIONED_DEVELOPMENT: (0.3, "采购试验设备及仪器", 0.10, 0.30),
    _S.COOPERATIVE_DEVELOPMENT: (0.25, "购置原材料及零部件", 0.08, 0.25),
    _S.SERVICE: (0.12, "检测耗材及试剂", 0.05, 0.15),
    _S.PATENT_TRANSFER: (0.08, "样机及配套设备", 0.10, 0.25),
    _S.TECHNICAL_SECRET_TRANSFER: (0.15, "生产线专用设备", 0.15, 0.35),
}
_PLANS = {PlanCategory.NONE: 80, PlanCategory.MUNICIPAL: 10, PlanCategory.PROVINCIAL: 6}
_PLANS |= {PlanCategory.MINISTRY: 3, PlanCategory.NATIONAL: 1}
_NETWORK_BUYER_SHARE = 0.62


@dataclass(frozen=True, slots=True)
class DemoContract:
    """A contract as the seller filed it and how far it got; the loader adds the ids, the rule set,
    the deadline and the registration number."""

    seller: str  # OrgSpec key
    buyer: str | ExternalBuyer  # an OrgSpec key, or a party outside the network
    status: ContractStatus
    contract_type: ContractType
    subtype: ContractSubtype
    tech_field: TechField
    ip_type: IpForm
    plan_category: PlanCategory
    subject: str
    project_name: str
    signed_on: date
    valid_to: date
    total_fen: int
    submitted_on: date
    accepted_on: date | None
    registered_on: date | None
    minute: int  # of the working day (from 09:00) the registrar decided, or the seller submitted
    deductions: tuple[tuple[str, int], ...] = ()
    payments: tuple[tuple[date, int, str], ...] = ()
    expected_investment_fen: int | None = None
    expected_output_fen: int | None = None

    @property
    def deductions_fen(self) -> int:
        return sum(amount for _, amount in self.deductions)

    @property
    def content_summary(self) -> str:
        return NAMING[self.subtype][1].format(subject=self.subject)

    @property
    def price_terms(self) -> str:
        parts = "，".join(f"{condition}支付{_wan(amount)}万元" for _, amount, condition in self.payments)
        return f"合同总价{_wan(self.total_fen)}万元，{parts}。"


@dataclass(frozen=True, slots=True)
class Pending:
    seller: str
    buyer: str
    subject: str
    subtype: ContractSubtype
    tech_field: TechField
    wan: float
    submitted_working_days_ago: int
    status: ContractStatus


# Awaiting a registrar: two past their deadline (15 working days under the 2026 measures), one
# accepted and one just submitted. Three are 海州区's (its registrar's queue), one 徐圩新区's (the
# city's registrar's).
PENDING = (
    Pending(
        "jsou", "haizhiyuan-seafood", "紫菜多糖提取纯化", _S.COMMISSIONED_DEVELOPMENT,
        TechField.AGRICULTURE, 86.0, 24, ContractStatus.SUBMITTED,
    ),
    Pending(
        "hhit", "gangcheng-equipment", "港口起重机远程状态监测系统", _S.SERVICE,
        TechField.ELECTRONIC_INFORMATION, 42.0, 6, ContractStatus.ACCEPTED,
    ),
    Pending(
        "lyg-agri", "tianyuan-rice", "富硒水稻优质高产栽培", _S.SERVICE,
        TechField.AGRICULTURE, 15.0, 1, ContractStatus.SUBMITTED,
    ),
    Pending(
        "cas-energy", "shenghai-petrochem", "化工园区VOCs深度治理", _S.COMMISSIONED_DEVELOPMENT,
        TechField.ENVIRONMENT, 320.0, 22, ContractStatus.SUBMITTED,
    ),
)  # fmt: skip


@dataclass
class _Names:
    """Project names unique per seller: a subject's later contracts of a kind are its phases."""

    used: dict[str, set[str]] = field(default_factory=dict)

    def unique(self, seller: str, base: str) -> str:
        taken = self.used.setdefault(seller, set())
        for phase in PHASES:
            if base + phase not in taken:
                taken.add(base + phase)
                return base + phase
        name = f"{base}（{len(taken) + 1}）"
        taken.add(name)
        return name


@dataclass(frozen=True, slots=True)
class _Draft:
    """What the seller agreed with the buyer, before the dates of its way to registration."""

    seller: str
    buyer: str | ExternalBuyer
    subject: str
    tech_field: TechField
    contract_type: ContractType
    subtype: ContractSubtype
    ip_type: IpForm
    plan_category: PlanCategory
    wan: float  # before the year's scale
    deduction: tuple[str, float] | None  # the item and its share of 成交额
    minute: int

    def amounts(self, scale: float) -> tuple[int, tuple[tuple[str, int], ...]]:
        """成交额 in fen and the deductions, the amount scaled to its year's figure."""
        total = wan_to_fen(max(round(self.wan * scale, 1), 0.5))
        if self.deduction is None:
            return total, ()
        item, share = self.deduction
        amount = _round_wan(total * share)
        return total, ((item, amount),) if 0 < amount < total else ()


def generate(rng: random.Random, today: date, working: WorkingDay) -> list[DemoContract]:
    """The registered contracts of the current year and the two before, up to `today`, oldest
    first, then the ones awaiting a registrar."""
    first_year = today.year - YEARS + 1
    sellers = list(SELLERS)
    seller_weights = [SELLERS[key][0] for key in sellers]
    drafts: list[tuple[date, _Draft]] = []
    scales: dict[int, float] = {}
    for index, (count, figure) in enumerate(zip(YEAR_COUNTS, YEAR_TOTAL_WAN, strict=True)):
        year = first_year + index
        days = {month: _working_days(year, month, working) for month in range(1, 13)}
        of_year = []
        for _ in range(count):
            month = rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
            registered_on = rng.choice(days[month])
            seller = rng.choices(sellers, weights=seller_weights)[0]
            of_year.append((registered_on, _draft(rng, seller)))
        scales[year] = figure / sum(draft.wan for _, draft in of_year)
        drafts += of_year
    drafts.sort(key=lambda pair: (pair[0], pair[1].minute))
    names = _Names()
    contracts = []
    for registered_on, draft in drafts:
        submitted_on = _shift(registered_on, -rng.randint(2, 10), working)
        accepted_on = _shift(submitted_on, 1, working)
        dates = (submitted_on, accepted_on, registered_on)
        scale = scales[registered_on.year]
        contracts.append(_contract(rng, draft, names, dates, ContractStatus.REGISTERED, scale))
    kept = [contract for contract in contracts if contract.registered_on and contract.registered_on <= today]
    return kept + [_pending(rng, item, names, today, working) for item in PENDING]


def _draft(rng: random.Random, seller: str) -> _Draft:
    spec = ORGANIZATION_BY_KEY[seller]
    subject = rng.choice(SELLERS[seller][1])
    academic = spec.kind in (OrganizationKind.UNIVERSITY, OrganizationKind.RESEARCH_INSTITUTE)
    if subject.subtypes:
        subtype = rng.choice(subject.subtypes)
        contract_type = _type_of(subtype)
    else:
        contract_type = _pick(rng, _ACADEMIC_TYPES if academic else _ENTERPRISE_TYPES)
        subtype = _pick(rng, _SUBTYPES[contract_type])
    wan = _MEDIAN_WAN[contract_type] * math.exp(rng.gauss(0, 0.8))
    if rng.random() < 0.02:
        wan *= 6  # now and then an industrialisation project
    return _Draft(
        seller=seller,
        buyer=_buyer(rng, seller, subject.field),
        subject=rng.choice(subject.names),
        tech_field=subject.field,
        contract_type=contract_type,
        subtype=subtype,
        ip_type=_ip_type(rng, subtype, subject.field),
        plan_category=_pick(rng, _PLANS),
        wan=min(wan, 2000.0),
        deduction=_deduction(rng, subtype),
        minute=rng.randrange(8 * 60),
    )


def _type_of(subtype: ContractSubtype) -> ContractType:
    return next(kind for kind, subtypes in SUBTYPES.items() if subtype in subtypes)


def _pending(
    rng: random.Random, item: Pending, names: _Names, today: date, working: WorkingDay
) -> DemoContract:
    submitted_on = _shift(today, -item.submitted_working_days_ago, working)
    accepted_on = _shift(submitted_on, 1, working) if item.status == ContractStatus.ACCEPTED else None
    draft = _Draft(
        seller=item.seller,
        buyer=item.buyer,
        subject=item.subject,
        tech_field=item.tech_field,
        contract_type=_type_of(item.subtype),
        subtype=item.subtype,
        ip_type=IpForm.NONE,
        plan_category=PlanCategory.MUNICIPAL,
        wan=item.wan,
        deduction=_deduction(rng, item.subtype),
        minute=rng.randrange(8 * 60),
    )
    return _contract(rng, draft, names, (submitted_on, accepted_on, None), item.status, 1.0)


def _contract(
    rng: random.Random,
    draft: _Draft,
    names: _Names,
    dates: tuple[date, date | None, date | None],
    status: ContractStatus,
    scale: float,
) -> DemoContract:
    submitted_on, accepted_on, registered_on = dates
    signed_on = submitted_on - timedelta(days=rng.randint(5, 60))
    valid_to = signed_on + timedelta(days=rng.choice((180, 365, 365, 540, 730, 1095)))
    total, deductions = draft.amounts(scale)
    transfer = draft.contract_type in (_T.TRANSFER, _T.LICENSE)
    return DemoContract(
        seller=draft.seller,
        buyer=draft.buyer,
        status=status,
        contract_type=draft.contract_type,
        subtype=draft.subtype,
        tech_field=draft.tech_field,
        ip_type=draft.ip_type,
        plan_category=draft.plan_category,
        subject=draft.subject,
        project_name=names.unique(draft.seller, NAMING[draft.subtype][0].format(subject=draft.subject)),
        signed_on=signed_on,
        valid_to=valid_to,
        total_fen=total,
        submitted_on=submitted_on,
        accepted_on=accepted_on,
        registered_on=registered_on,
        minute=draft.minute,
        deductions=deductions,
        payments=_payments(rng, signed_on, valid_to, total),
        expected_investment_fen=_round_wan(total * rng.uniform(2, 6)) if transfer else None,
        expected_output_fen=_round_wan(total * rng.uniform(5, 20)) if transfer else None,
    )


def _pick(rng: random.Random, weights: dict[_K, int]) -> _K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _ip_type(rng: random.Random, subtype: ContractSubtype, tech_field: TechField) -> IpForm:
    if subtype in (_S.TECHNICAL_SECRET_TRANSFER, _S.TECHNICAL_SECRET_LICENSE):
        return IpForm.TECHNICAL_SECRET
    if subtype == _S.PATENT_APPLICATION_TRANSFER:
        return IpForm.INVENTION_PATENT
    if subtype in (_S.PATENT_TRANSFER, _S.PATENT_LICENSE):
        return IpForm.INVENTION_PATENT if rng.random() < 0.7 else IpForm.UTILITY_MODEL
    if subtype in (_S.COMMISSIONED_DEVELOPMENT, _S.COOPERATIVE_DEVELOPMENT):
        roll = rng.random()
        if roll < 0.25:
            return IpForm.INVENTION_PATENT
        if roll < 0.35:
            software = tech_field == TechField.ELECTRONIC_INFORMATION
            return IpForm.SOFTWARE_COPYRIGHT if software else IpForm.UTILITY_MODEL
    return IpForm.NONE


def _deduction(rng: random.Random, subtype: ContractSubtype) -> tuple[str, float] | None:
    rule = _DEDUCTIONS.get(subtype)
    if rule is None or rng.random() >= rule[0]:
        return None
    return rule[1], rng.uniform(rule[2], rule[3])


def _buyer(rng: random.Random, seller: str, tech_field: TechField) -> str | ExternalBuyer:
    industries: tuple[LocalIndustry, ...] = FIELD_BUYERS[tech_field]
    candidates = [spec.key for spec in ENTERPRISES if spec.industry in industries and spec.key != seller]
    if candidates and rng.random() < _NETWORK_BUYER_SHARE:
        return rng.choice(candidates)
    return rng.choice(EXTERNAL_BUYERS)


def _payments(
    rng: random.Random, signed_on: date, valid_to: date, total: int
) -> tuple[tuple[date, int, str], ...]:
    if total < wan_to_fen(20) or rng.random() < 0.3:
        return ((signed_on + timedelta(days=15), total, "合同签订后"),)
    first = _round_wan(total * rng.choice((0.3, 0.4, 0.5)))
    return (
        (signed_on + timedelta(days=15), first, "合同签订后"),
        (valid_to, total - first, "验收合格后"),
    )


def _working_days(year: int, month: int, working: WorkingDay) -> list[date]:
    day = date(year, month, 1)
    days = []
    while day.month == month:
        if working(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _shift(day: date, count: int, working: WorkingDay) -> date:
    """`count` working days after `day` (before it when negative)."""
    step = timedelta(days=1 if count > 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if working(day):
            remaining -= 1
    return day


def _round_wan(fen: float) -> int:
    """To the nearest 1,000 元 (0.1 万元), as contracts state amounts."""
    return round(fen / 100_000) * 100_000


def _wan(fen: int) -> str:
    return f"{fen / 1_000_000:g}"
