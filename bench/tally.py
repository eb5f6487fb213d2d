"""Tally benchmark (issue 15, item 6): the statistics endpoint against its own GROUP BY sent bare.

    python bench/tally.py [--n 1000000] [--runs 50] [--seed 7] [--postgres URL]

Creates a scratch PostgreSQL database (dropped at the end), migrates it, adds three functional zones
under the city, and writes N registration-ledger rows with COPY, generated deterministically from the
seed: registered contracts over 2019-01-01 .. 2026-11-30, more each year, sellers in the districts,
the zones and the city itself, buyers in the network or outside it (NULL), with changes (a pair of
rows each, some moving the contract to another type) and cancellations. The ledger's rows are
written in the order of their dates, as registrars append them. Each contract has its (minimal,
registered or cancelled) `contracts` row, since the ledger's foreign key is enforced. Then VACUUM
ANALYZE, and for two requests of a city administrator:

- a year (2025) by region x contract type,
- a month (2025-06) by technology field,

it times (a) the endpoint through the app in this process (httpx's ASGITransport: no server, no
sockets; the client's own work is in the figure) and (b) the very statement the app sends for that
tally (captured from the app's connection), sent through asyncpg on a connection of its own, with
its parameters. The two alternate, run by run, after a warm-up; p50/p95 over `--runs` runs each.
The app's figure includes the whole request: the caller loaded from its token (one statement), the
region tree (one statement), the tally, the roll-up, the labels and the JSON.

The last line is

    tally n=1000000 api_p95_ms=… sql_p95_ms=… ratio=…

for the worse of the two requests (the larger api_p95 / sql_p95); the goal is a ratio of at most 1.5.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import os
import random
import secrets
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import migrate
from app.core.config import Settings
from app.core.enums import (
    ContractRuleSet,
    ContractSubtype,
    ContractType,
    IpForm,
    LegalPersonType,
    PartyKind,
    PlanCategory,
    TechField,
)
from app.main import create_app
from app.models import User
from app.users import service as users_service

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
GOAL = 1.5
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2026, 11, 30)
COPY_BATCH = 50_000
ADMIN = ("bench-admin@example.com", "bench-password-1234")
ZONES = ("经济技术开发区", "高新区", "徐圩新区")
REQUESTS: tuple[tuple[str, dict[str, str | int]], ...] = (
    ("a year by region x contract type", {"by": "region,contract_type", "year": 2025}),
    ("a month by technology field", {"by": "tech_field", "from": "2025-06-01", "to": "2025-06-30"}),
)
SUBTYPES = {
    ContractType.DEVELOPMENT: ContractSubtype.COMMISSIONED_DEVELOPMENT,
    ContractType.TRANSFER: ContractSubtype.PATENT_TRANSFER,
    ContractType.LICENSE: ContractSubtype.PATENT_LICENSE,
    ContractType.CONSULTING: ContractSubtype.CONSULTING,
    ContractType.SERVICE: ContractSubtype.SERVICE,
}
LEGAL = {
    PartyKind.ENTERPRISE: LegalPersonType.DOMESTIC_ENTERPRISE,
    PartyKind.UNIVERSITY: LegalPersonType.HIGHER_EDUCATION,
    PartyKind.RESEARCH_INSTITUTE: LegalPersonType.RESEARCH_INSTITUTION,
    PartyKind.OTHER: LegalPersonType.INDIVIDUAL,
}
CONTRACT_COLUMNS = (
    "id", "organization_id", "region_id", "status", "rule_set", "contract_type", "subtype",
    "project_name", "signed_on", "seller_name", "seller_country_code", "seller_legal_person_type",
    "buyer_name", "buyer_country_code", "buyer_legal_person_type", "buyer_region_id", "tech_field",
    "ip_type", "plan_category", "total_fen", "deductions_fen", "technical_income_fen", "findings",
    "registration_number", "registered_on", "cancelled_on", "created_at", "updated_at", "version",
)  # fmt: skip
_ENTERED_ON = 3  # the position of entered_on in ENTRY_COLUMNS
ENTRY_COLUMNS = (
    "contract_id", "kind", "sequence", "entered_on", "entered_year", "entered_month", "count_delta",
    "total_fen_delta", "technical_income_fen_delta", "iur_delta", "counted_type", "tech_field",
    "seller_region_id", "buyer_region_id", "seller_kind", "buyer_kind", "ip_type", "plan_category",
    "seller_name", "buyer_name", "registration_number", "reason", "terms", "created_at",
)  # fmt: skip


_TYPES, _TYPE_WEIGHTS = list(ContractType), list(itertools.accumulate((30, 8, 4, 12, 46)))
_FIELDS, _IP_FORMS, _KINDS = list(TechField), list(IpForm), list(PartyKind)
_SELLER_WEIGHTS = list(itertools.accumulate((70, 8, 15, 7)))
_BUYER_WEIGHTS = list(itertools.accumulate((85, 3, 4, 8)))
_PLANS, _PLAN_WEIGHTS = list(PlanCategory), list(itertools.accumulate((2, 3, 5, 10, 80)))
_ACADEMIA = frozenset({PartyKind.UNIVERSITY, PartyKind.RESEARCH_INSTITUTE})


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- the data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Terms:
    contract_type: ContractType
    tech_field: TechField
    seller_kind: PartyKind
    buyer_kind: PartyKind
    ip_type: IpForm
    plan_category: PlanCategory
    total: int
    deducted: int

    @property
    def income(self) -> int:
        return self.total - self.deducted

    @property
    def iur(self) -> int:
        kinds = {self.seller_kind, self.buyer_kind}
        return int(PartyKind.ENTERPRISE in kinds and bool(kinds & _ACADEMIA))


class Generator:
    """Contracts and their ledger rows, the same for a seed: about 1.08 rows per contract."""

    def __init__(self, seed: int, sellers: list[int], buyers: list[int], codes: dict[int, str]) -> None:
        self.rng = random.Random(seed)
        self.sellers, self.buyers, self.codes = sellers, buyers, codes
        self.seller_names = [f"连云港卖方单位{n:04d}" for n in range(3000)]
        self.buyer_names = [f"买方单位{n:05d}" for n in range(20000)]
        # More contracts each year (weights by day: the year's index + 1).
        days = (LAST_DAY - FIRST_DAY).days + 1
        self.days = [FIRST_DAY + timedelta(days=n) for n in range(days)]
        self.day_weights = list(itertools.accumulate(day.year - FIRST_DAY.year + 1 for day in self.days))
        self.serials: dict[tuple[int, str], int] = {}

    def terms(self) -> Terms:
        rng = self.rng
        total = int(rng.lognormvariate(13.5, 1.3)) * 100  # fen; a median of about 7,300 yuan x 100
        return Terms(
            rng.choices(_TYPES, cum_weights=_TYPE_WEIGHTS)[0],
            rng.choice(_FIELDS),
            rng.choices(_KINDS, cum_weights=_SELLER_WEIGHTS)[0],
            rng.choices(_KINDS, cum_weights=_BUYER_WEIGHTS)[0],
            rng.choice(_IP_FORMS),
            rng.choices(_PLANS, cum_weights=_PLAN_WEIGHTS)[0],
            total,
            rng.randrange(0, total // 5 + 1),
        )

    def number(self, day: date, region: int) -> str:
        code = self.codes[region]
        serial = self.serials.get((day.year, code), 0) + 1
        self.serials[(day.year, code)] = serial
        return f"{day.year}{code}{serial:06d}"

    def contracts(self, rows: int) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
        """(contract row, its ledger rows) until `rows` ledger rows are made."""
        rng, made, contract_id = self.rng, 0, 0
        now = datetime(2026, 12, 1, tzinfo=UTC)
        while made < rows:
            contract_id += 1
            day = rng.choices(self.days, cum_weights=self.day_weights)[0]
            seller_region = rng.choice(self.sellers)
            buyer_region = rng.choice(self.buyers) if rng.random() < 0.6 else None
            seller, buyer = rng.choice(self.seller_names), rng.choice(self.buyer_names)
            terms = self.terms()
            number = self.number(day, seller_region)
            history = [(day, 1, terms, "registration")]
            if rng.random() < 0.05 and made + 3 <= rows:
                later = min(LAST_DAY, day + timedelta(days=rng.randrange(1, 200)))
                # Three changes in ten move the contract to other groups; the rest change its amount.
                moved = rng.random() < 0.3
                changed = self.terms() if moved else dataclasses.replace(terms, total=terms.total + 100)
                history += [(later, -1, terms, "change"), (later, 1, changed, "change")]
                day, terms = later, changed
            cancelled_on = None
            if rng.random() < 0.02 and made + len(history) < rows:
                cancelled_on = min(LAST_DAY, day + timedelta(days=rng.randrange(1, 200)))
                history.append((cancelled_on, -1, terms, "cancellation"))
            history = history[: rows - made]
            entries = []
            for sequence, (on, sign, entered, kind) in enumerate(history, start=1):
                entries.append(
                    (
                        contract_id, kind, sequence,
                        on, on.year, on.month, sign, sign * entered.total, sign * entered.income,
                        sign * entered.iur, entered.contract_type.value, entered.tech_field.value,
                        seller_region, buyer_region, entered.seller_kind.value, entered.buyer_kind.value,
                        entered.ip_type.value, entered.plan_category.value, seller, buyer, number, "",
                        "{}", now,
                    )
                )  # fmt: skip
            made += len(entries)
            contract = (
                contract_id, 1, seller_region, "cancelled" if cancelled_on else "registered",
                _rule_set(history[0][0]).value,
                terms.contract_type.value, SUBTYPES[terms.contract_type].value, "技术合同", history[0][0],
                seller, "CHN", LEGAL[terms.seller_kind].value, buyer, "CHN", LEGAL[terms.buyer_kind].value,
                buyer_region, terms.tech_field.value, terms.ip_type.value, terms.plan_category.value,
                terms.total, terms.deducted, terms.income, "[]", number, history[0][0], cancelled_on,
                now, now, 1,
            )  # fmt: skip
            yield contract, entries


def _rule_set(signed_on: date) -> ContractRuleSet:
    return ContractRuleSet.RULES_2026 if signed_on.year >= 2026 else ContractRuleSet.RULES_2001


# --- the database --------------------------------------------------------------------------------


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _server(url: str) -> str:
    return _dsn(make_url(url).set(database="postgres").render_as_string(hide_password=False))


async def _admin(server: str, statement: str) -> None:
    connection = await asyncpg.connect(_server(server))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _exists(server: str, name: str) -> bool:
    connection = await asyncpg.connect(_server(server))
    try:
        return bool(await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await connection.close()


async def seed(url: str, rows: int, seed_value: int) -> float:
    """The zones, one seller organization, the contracts and N ledger rows; the seconds it took."""
    started = time.perf_counter()
    connection = await asyncpg.connect(_dsn(url))
    try:
        city = await connection.fetchval("SELECT id FROM regions WHERE code = '320700'")
        for name in ZONES:
            await connection.execute(
                "INSERT INTO regions (name, level, parent_id, is_active, created_at, updated_at, version) "
                "VALUES ($1, 'zone', $2, true, now(), now(), 1)",
                name,
                city,
            )
        found = await connection.fetch("SELECT id, code, parent_id FROM regions")
        regions = {row["id"]: (row["code"], row["parent_id"]) for row in found}
        # A zone registers under its nearest coded region (the city here).
        codes = {rid: code or regions[parent][0] for rid, (code, parent) in regions.items()}
        await connection.execute(
            "INSERT INTO organizations (id, name, kind, legal_person_type, credit_code, region_id, "
            "created_at, updated_at, version) VALUES (1, '连云港基准测试单位', 'enterprise', '100', "
            "'91320700MA0000000X', $1, now(), now(), 1)",
            city,
        )
        sellers = sorted(regions)  # the city itself, its six districts and counties, three zones
        generator = Generator(seed_value, sellers, sorted(regions), codes)
        contracts: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        for contract, its_entries in generator.contracts(rows):
            contracts.append(contract)
            entries.extend(its_entries)
        print(
            f"  generated {len(contracts):,} contracts in {time.perf_counter() - started:.1f} s", flush=True
        )
        # The ledger is appended to as registrars work: its rows lie in the order of their dates.
        entries.sort(key=lambda entry: entry[_ENTERED_ON])
        made = 0
        for start in range(0, len(contracts), COPY_BATCH):
            await _copy(connection, "contracts", CONTRACT_COLUMNS, contracts[start : start + COPY_BATCH])
        for start in range(0, len(entries), COPY_BATCH):
            made += await _copy(
                connection, "registration_entries", ENTRY_COLUMNS, entries[start : start + COPY_BATCH]
            )
            print(f"\r  {made:,} ledger rows", end="", flush=True)
        print(f"\r  {made:,} ledger rows in {time.perf_counter() - started:.1f} s", flush=True)
        await connection.execute(
            "SELECT setval(pg_get_serial_sequence('contracts', 'id'), max(id)) FROM contracts"
        )
        await connection.execute("VACUUM ANALYZE contracts")
        await connection.execute("VACUUM ANALYZE registration_entries")
    finally:
        await connection.close()
    return time.perf_counter() - started


async def _copy(
    connection: asyncpg.Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> int:
    await connection.copy_records_to_table(table, records=rows, columns=columns)
    return len(rows)


# --- the measurement -----------------------------------------------------------------------------


@dataclass
class Figures:
    api: list[float]
    sql: list[float]

    def line(self, title: str) -> str:
        api50, api95 = _p(self.api, 0.5), _p(self.api, 0.95)
        sql50, sql95 = _p(self.sql, 0.5), _p(self.sql, 0.95)
        return (
            f"{title:<34} api p50 {api50:6.1f} p95 {api95:6.1f} ms   sql p50 {sql50:6.1f} p95 {sql95:6.1f} ms"
            f"   ratio p95 {api95 / sql95:4.2f}"
        )

    @property
    def ratio(self) -> float:
        return _p(self.api, 0.95) / _p(self.sql, 0.95)


async def measure(url: str, runs: int, warm_up: int) -> list[tuple[str, Figures, dict[str, Any]]]:
    settings = Settings.model_validate(
        {
            "environment": "production",
            "database_url": url,
            "secret_key": secrets.token_urlsafe(48),
            "worker_in_server": False,
            "index_dir": None,
            "access_token_minutes": 60,
        }
    )
    app = create_app(settings)
    async with app.state.sessionmaker() as session:
        if await session.scalar(select(User.id).where(User.email == ADMIN[0])) is None:
            await users_service.create_system_admin(
                session, email=ADMIN[0], password=ADMIN[1], display_name="基准"
            )
            await session.commit()
    transport = httpx.ASGITransport(app=app)
    results = []
    baseline = await asyncpg.connect(_dsn(url))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            form = {"username": ADMIN[0], "password": ADMIN[1]}
            token = (await client.post("/api/v1/auth/token", data=form)).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            for title, params in REQUESTS:

                async def api(params: dict[str, str | int] = params) -> dict[str, Any]:
                    answer = await client.get("/api/v1/statistics/tally", params=params, headers=headers)
                    if answer.status_code != 200:
                        raise SystemExit(f"the app answered {answer.status_code}: {answer.text}")
                    body: dict[str, Any] = answer.json()
                    return body

                # What the app sends for the tally, as the driver receives it: text and arguments.
                with _driver_calls() as calls:
                    app_body = await api()
                sql, arguments = next(
                    (query, args) for query, args in calls if "registration_entries" in query
                )
                bare = await baseline.fetch(sql, *arguments)
                figures = Figures([], [])
                for run in range(warm_up + runs):
                    # Alternate which goes first, so that neither always follows the other.
                    for side in ("api", "sql") if run % 2 == 0 else ("sql", "api"):
                        started = time.perf_counter()
                        if side == "api":
                            await api()
                        else:
                            await baseline.fetch(sql, *arguments)
                        elapsed = (time.perf_counter() - started) * 1000
                        if run >= warm_up:
                            (figures.api if side == "api" else figures.sql).append(elapsed)
                plan = await baseline.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *arguments)
                about = {
                    "rows": len(app_body["rows"]),
                    "groups": len(bare),
                    "count": app_body["totals"]["count"],
                    "sql": " ".join(sql.split()),
                    "plan": [row[0] for row in plan],
                }
                results.append((title, figures, about))
    finally:
        await baseline.close()
        await app.state.engine.dispose()
    return results


@contextmanager
def _driver_calls() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """The (query, arguments) of every `fetch` on an asyncpg connection while the block runs (the
    app sends its tally with it, app.db.reader)."""
    calls: list[tuple[str, tuple[Any, ...]]] = []
    original = asyncpg.Connection.fetch

    async def fetch(self: asyncpg.Connection, query: str, *args: Any, **kwargs: Any) -> Any:
        calls.append((query, args))
        return await original(self, query, *args, **kwargs)

    asyncpg.Connection.fetch = fetch
    try:
        yield calls
    finally:
        asyncpg.Connection.fetch = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="ledger rows")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL; a scratch database is made")
    parser.add_argument("--plans", action="store_true", help="print the full EXPLAIN ANALYZE plans")
    parser.add_argument(
        "--keep", metavar="NAME", help="(development) seed database NAME once, reuse it, never drop it"
    )
    args = parser.parse_args()

    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    name = args.keep or f"tt_tally_bench_{uuid.uuid4().hex[:8]}"
    url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    fresh = not args.keep or not asyncio.run(_exists(args.postgres, name))
    if fresh:
        asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{name}"'))
    try:
        migrate.upgrade(url)
        if fresh:
            seconds = asyncio.run(seed(url, args.n, args.seed))
            print(f"seeded {args.n:,} ledger rows (with their contracts) in {seconds:.1f} s; ANALYZE done")
        results = asyncio.run(measure(url, args.runs, args.warm_up))
    finally:
        if not args.keep:
            asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(
        "app in this process through httpx's ASGITransport; the same statement through asyncpg; "
        f"{args.runs} runs each after {args.warm_up} warm-up, alternating"
    )
    for title, figures, about in results:
        print(figures.line(title))
        counted = f"{about['rows']} rows from {about['groups']} groups, {about['count']:,} contracts counted"
        print(f"{'':<34} {counted}")
        plan = about["plan"]
        summary = [line.strip() for line in plan if "Scan" in line or "Execution Time" in line]
        for line in plan if args.plans else summary:
            print(f"{'':<34} {line}")
    pooled = Figures([t for _, f, _ in results for t in f.api], [t for _, f, _ in results for t in f.sql])
    print(pooled.line("both requests pooled"))
    title, worst, _ = max(results, key=lambda item: item[1].ratio)
    print(f"load average {os.getloadavg()[0]:.1f} at the end; the summary is the worse request ({title})")
    print(
        f"tally n={args.n} api_p95_ms={_p(worst.api, 0.95):.1f} sql_p95_ms={_p(worst.sql, 0.95):.1f} "
        f"ratio={worst.ratio:.2f}"
    )


if __name__ == "__main__":
    main()
