"""Listings benchmark (issue 4): the app against a bare Starlette + asyncpg baseline, same run, same data.

    python bench/listings.py [--rows 100000] [--duration 10] [--reseed] [--signed-in]

Seeds (once; reused while it holds --rows benchmark rows) a scratch PostgreSQL database with the
schema, the demo network and N published achievements, builds the matching index from it with
`techtransfer index rebuild` (once per seeding, in --index-dir), starts the app and the baseline with
uvicorn (one worker each, both on that index), checks that both answer every benchmark request with
the same JSON, prints EXPLAIN ANALYZE summaries of the app's statements, then measures throughput and
latency of a filtered list, a Chinese search (`q`, through the engine) and a get by id, alternating
app and baseline, and the search again with one client. The last line is the SUMMARY; the goals are
app throughput >= 0.5x the baseline's and a search p95 (under --connections, 10 by default) below
50 ms at 100,000 achievements (100 ms at 1,000,000). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx
import listings_explain
import listings_load
import listings_seed
from listings_load import Measurement, Server

from app import migrate
from app.core.enums import TechField

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/techtransfer_bench"
GOAL = 0.5
# The search's p95 through the API, by library size (issue 14).
SEARCH_P95_GOAL_MS = {100_000: 50.0, 1_000_000: 100.0}
SEARCHES = (
    "锂电池", "复合材料", "水产养殖", "图像识别", "深度学习", "污水处理", "催化剂", "纳米材料", "传感器",
    "中药提取", "土壤修复", "风力发电", "无人机", "钢铁冶炼", "纺织印染", "混凝土", "光纤通信", "数控机床",
    "海洋生物", "番茄栽培", "疫苗", "船舶设计", "电动汽车", "太阳能电池", "石墨烯",
)  # fmt: skip
SIGNED_IN_ACCOUNT = ("broker-wang@example.com", "demo-password")  # a member of no owning organization


@dataclass(frozen=True, slots=True)
class Endpoint:
    key: str
    title: str
    paths: list[str]


@dataclass
class Result:
    endpoint: Endpoint
    app: Measurement
    baseline: Measurement
    signed_in: Measurement | None = None

    @property
    def ratio(self) -> float:
        return self.app.rps / self.baseline.rps if self.baseline.rps else 0.0


def main() -> int:
    args = _arguments()
    database_url = args.database_url
    dsn = listings_seed.server_dsn(database_url)
    seeded = _ensure_seeded(database_url, args.rows, reseed=args.reseed)
    index_dir = _ensure_indexed(database_url, Path(args.index_dir), rebuild=seeded)
    endpoints, case = asyncio.run(_workload(dsn, random.Random(args.seed)))
    case["index_dir"] = str(index_dir)
    use_wrk = args.loadgen == "wrk" or (args.loadgen == "auto" and listings_load.wrk_available())
    if args.loadgen == "wrk" and not listings_load.wrk_available():
        raise SystemExit("wrk is not installed (apt-get install -y wrk); or use --loadgen httpx")
    print(f"load generator: {'wrk (1 thread)' if use_wrk else 'httpx asyncio (wrk not found)'}, "
          f"{args.connections} connections; {args.duration:g} s per server and endpoint "
          f"({args.search_duration:g} s for search) "
          f"in {args.rounds} alternating slices, after {args.warmup:g} s of warm-up each")  # fmt: skip
    print(_machine_line("before"))
    app_env = _app_env(database_url) | {"TECHTRANSFER_INDEX_DIR": str(index_dir)}
    app = Server("app", "app.main:create_app", args.app_port, app_env, factory=True)
    baseline_env = {"DATABASE_URL": dsn, "TECHTRANSFER_INDEX_DIR": str(index_dir)}
    baseline = Server("baseline", "listings_baseline:app", args.baseline_port, baseline_env, factory=False)
    try:
        for server in (app, baseline):
            server.wait_ready(endpoints[2].paths[0])
        _verify(app, baseline, endpoints)
        _print_plans(asyncio.run(listings_explain.explain_all(database_url, dsn, case)), verbose=args.plans)
        results = [_measure(endpoint, app, baseline, args, use_wrk) for endpoint in endpoints]
        one_client = _one_client(endpoints[1], app, baseline, args, use_wrk)
        if args.signed_in:
            token = _sign_in(app)
            for result in results:
                result.signed_in = _measure_one(result.endpoint, app, args, use_wrk, token)
    finally:
        app.stop()
        baseline.stop()
    print(_machine_line("after"))
    _report(results, one_client, args.rows)
    return 0


def _machine_line(when: str) -> str:
    """Load average: other work on this small machine (a test suite, say) skews the figures."""
    one, five, _ = os.getloadavg()
    busy = "  (busy: other processes compete for the cores; figures will be noisy)" if one > 1.0 else ""
    return f"machine {when}: {os.cpu_count()} cores, load average {one:.2f} (1 min) {five:.2f} (5 min){busy}"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="benchmark achievements (default 100000)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per server and endpoint")
    parser.add_argument(
        "--search-duration", type=float, default=10,
        help="seconds per server for search",
    )  # fmt: skip
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds per server and endpoint")
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternating slices (app,baseline,baseline,app)"
    )
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the scratch database again")
    parser.add_argument("--signed-in", action="store_true", help="also measure the app with a bearer token")
    parser.add_argument("--plans", action="store_true", help="print the full EXPLAIN ANALYZE plans")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="scratch database (dropped and recreated when seeding)",
    )  # fmt: skip
    parser.add_argument(
        "--index-dir", default=os.environ.get("BENCH_INDEX_DIR", "bench-index"),
        help="the scratch database's matching index (built when the database is seeded)",
    )  # fmt: skip
    parser.add_argument("--app-port", type=int, default=8101)
    parser.add_argument("--baseline-port", type=int, default=8102)
    parser.add_argument("--seed", type=int, default=7, help="seed of the request mix")
    return parser.parse_args()


def _ensure_seeded(database_url: str, rows: int, *, reseed: bool) -> bool:
    """Seed the scratch database unless it holds `rows` benchmark rows; whether it seeded."""
    found = asyncio.run(listings_seed.count_rows(database_url))
    if found == rows and not reseed:
        print(f"database: reusing {database_url} ({rows} benchmark achievements; --reseed to rebuild)")
        migrate.upgrade(database_url)  # the schema may have moved on since it was seeded
        return False
    print(f"database: seeding {database_url} with {rows} achievements (found {found or 0})")
    listings_seed.seed(database_url, rows)
    return True


def _ensure_indexed(database_url: str, index_dir: Path, *, rebuild: bool) -> Path:
    """The matching index of the scratch database, built with the CLI when the database was seeded
    now or the directory holds no built index (its marker, app.listings.search_index)."""
    index_dir = index_dir.resolve()
    if not rebuild and (index_dir / "built-from-database").exists():
        print(f"index: reusing {index_dir}")
        return index_dir
    print(f"index: building {index_dir} (techtransfer index rebuild)")
    env = os.environ | {"DATABASE_URL": database_url, "TECHTRANSFER_INDEX_DIR": str(index_dir)}
    began = time.perf_counter()
    command = Path(sys.executable).parent / "techtransfer"  # installed beside this Python (README)
    subprocess.run([str(command), "index", "rebuild"], env=env, check=True)  # noqa: S603
    print(f"index: built in {time.perf_counter() - began:.1f} s")
    return index_dir


def _app_env(database_url: str) -> dict[str, str]:
    """Production settings: a real secret, no debug echo; tokens outlive the run."""
    return {
        "DATABASE_URL": database_url,
        "TECHTRANSFER_ENVIRONMENT": "production",
        "TECHTRANSFER_SECRET_KEY": secrets.token_urlsafe(48),
        "TECHTRANSFER_DATABASE_ECHO": "false",
        "TECHTRANSFER_ACCESS_TOKEN_MINUTES": "60",
    }


async def _workload(dsn: str, rng: random.Random) -> tuple[list[Endpoint], dict[str, Any]]:
    """The request paths of each endpoint, and one representative case of each for EXPLAIN."""
    connection = await asyncpg.connect(dsn)
    try:
        ids = [row[0] for row in await connection.fetch(
            "SELECT id FROM achievements WHERE client_key LIKE 'bench-%' AND status = 'published' ORDER BY id"
        )]  # fmt: skip
        city = await connection.fetchval("SELECT id FROM regions WHERE parent_id IS NULL ORDER BY id LIMIT 1")
        districts = [
            row[0] for row in await connection.fetch("SELECT id FROM regions WHERE parent_id = $1", city)
        ]
    finally:
        await connection.close()
    base = "/api/v1/achievements"
    listed = []
    for _ in range(60):
        query: dict[str, Any] = {
            "tech_field": rng.choice(list(TechField)).value,
            "trl_from": rng.randint(3, 7),
        }
        query["region_id"] = rng.choice([*districts, city])
        query |= {"sort": "newest", "limit": 20, "offset": rng.choice((0, 0, 0, 20, 40))}
        listed.append(f"{base}?{urlencode(query)}")
    searched = [f"{base}?{urlencode({'q': q, 'limit': 20})}" for q in SEARCHES]
    sampled = rng.sample(ids, min(2000, len(ids)))
    got = [f"{base}/{achievement_id}" for achievement_id in sampled]
    endpoints = [
        Endpoint(
            "list", "list with filters (tech_field, trl_from, region_id; sort=newest, limit=20)", listed
        ),
        Endpoint("search", f"Chinese full-text search (q=, limit=20; {len(searched)} queries)", searched),
        Endpoint("get", f"get by id ({len(got)} ids)", got),
    ]
    case = {"tech_field": "new_materials", "trl_from": 4, "region_id": districts[0], "q": "锂电池",
            "id": sampled[0], "page_ids": ids[:20]}  # fmt: skip
    return endpoints, case


def _verify(app: Server, baseline: Server, endpoints: list[Endpoint]) -> None:
    """Both servers answer 200 with equal JSON (and ETag) to every list/search path and 60 ids."""
    checked = 0
    with httpx.Client(timeout=30) as client:
        for endpoint in endpoints:
            for path in endpoint.paths[:60]:
                ours, theirs = client.get(app.base_url + path), client.get(baseline.base_url + path)
                if ours.status_code != 200 or theirs.status_code != 200:
                    raise SystemExit(f"{path}: app {ours.status_code}, baseline {theirs.status_code}")
                if ours.json() != theirs.json() or ours.headers.get("etag") != theirs.headers.get("etag"):
                    raise SystemExit(
                        f"{path}: the app and the baseline answer differently\n{_diff(ours, theirs)}"
                    )
                checked += 1
    print(f"responses: app and baseline answer the same JSON to all {checked} checked requests")


def _diff(ours: httpx.Response, theirs: httpx.Response) -> str:
    a, b = ours.json(), theirs.json()
    items_a, items_b = a.get("items", [a]), b.get("items", [b])
    for left, right in zip(items_a, items_b, strict=False):
        for key in left.keys() | right.keys():
            if key not in left or key not in right or left[key] != right[key]:
                return f"  {key}: app {left.get(key, '(absent)')!r} / baseline {right.get(key, '(absent)')!r}"
    return f"  total/length: app {a.get('total')} {len(items_a)} / baseline {b.get('total')} {len(items_b)}"


def _print_plans(plans: list[listings_explain.Plan], *, verbose: bool) -> None:
    print("\nEXPLAIN ANALYZE of the app's statements (one representative request each):")
    for plan in plans:
        indexes = ", ".join(plan.indexes) or "no index"
        seq = f"; seq scan on {', '.join(plan.seq_scans)}" if plan.seq_scans else ""
        print(f"  {plan.label:<26} {plan.milliseconds:8.2f} ms  {indexes}{seq}")
        if verbose:
            print("\n".join(f"      {line}" for line in plan.lines))


def _measure(
    endpoint: Endpoint, app: Server, baseline: Server, args: argparse.Namespace, use_wrk: bool
) -> Result:
    print(f"measuring {endpoint.key} ...", file=sys.stderr)
    for server in (app, baseline):
        _slice(server, endpoint.paths, args.warmup, args.connections, use_wrk, None)
    totals = {app.name: Measurement(), baseline.name: Measurement()}
    for round_number in range(args.rounds):
        order = (app, baseline) if round_number % 2 == 0 else (baseline, app)
        for server in order:
            seconds = _duration(endpoint, args) / args.rounds
            totals[server.name].add(_slice(server, endpoint.paths, seconds, args.connections, use_wrk, None))
    return Result(endpoint, totals[app.name], totals[baseline.name])


def _one_client(
    endpoint: Endpoint, app: Server, baseline: Server, args: argparse.Namespace, use_wrk: bool
) -> dict[str, Measurement]:
    """The endpoint's latency with one connection (no queue: a request's own time), app then baseline."""
    print(f"measuring {endpoint.key} with one client ...", file=sys.stderr)
    found = {}
    for server in (app, baseline):
        _slice(server, endpoint.paths, args.warmup, 1, use_wrk, None)
        found[server.name] = _slice(server, endpoint.paths, _duration(endpoint, args) / 2, 1, use_wrk, None)
    return found


def _measure_one(
    endpoint: Endpoint, server: Server, args: argparse.Namespace, use_wrk: bool, token: str
) -> Measurement:
    _slice(server, endpoint.paths, args.warmup, args.connections, use_wrk, token)
    return _slice(server, endpoint.paths, _duration(endpoint, args), args.connections, use_wrk, token)


def _duration(endpoint: Endpoint, args: argparse.Namespace) -> float:
    return float(args.search_duration if endpoint.key == "search" else args.duration)


def _slice(
    server: Server, paths: list[str], seconds: float, connections: int, use_wrk: bool, token: str | None
) -> Measurement:
    run = listings_load.run_wrk if use_wrk else listings_load.run_httpx
    authorization = f"Bearer {token}" if token else None
    cpu_before = server.cpu_seconds()
    measured = run(server.base_url, paths, seconds, connections, authorization)
    measured.cpu_seconds = server.cpu_seconds() - cpu_before
    return measured


def _sign_in(app: Server) -> str:
    email, password = SIGNED_IN_ACCOUNT
    response = httpx.post(f"{app.base_url}/api/v1/auth/token", data={"username": email, "password": password})
    response.raise_for_status()
    return str(response.json()["access_token"])


def _report(results: list[Result], one_client: dict[str, Measurement], rows: int) -> None:
    print(f"\nResults ({rows} benchmark achievements, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC); "
          "server CPU is the uvicorn process's, 100% = one core")  # fmt: skip
    for result in results:
        print(f"\n{result.endpoint.title}")
        print(f"  {'':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'CPU':>7}{'requests':>10}{'errors':>8}")
        lines = [("app (anonymous)", result.app), ("baseline", result.baseline)]
        if result.signed_in is not None:
            lines.append(("app (signed in)", result.signed_in))
        for label, measured in lines:
            print(f"  {label:<18}{_figures(measured)}")
        signed = (
            f"; signed in / baseline = {result.signed_in.rps / result.baseline.rps:.2f}"
            if result.signed_in
            else ""
        )
        print(f"  ratio app / baseline = {result.ratio:.2f}{signed}")
    print("\nthe same search with one client (each request's own time, no queue)")
    print(f"  {'':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'CPU':>7}{'requests':>10}{'errors':>8}")
    for label, measured in one_client.items():
        print(f"  {label:<18}{_figures(measured)}")
    ratios = {result.endpoint.key: result.ratio for result in results}
    least = min(ratios.values())
    errors = sum(result.app.errors + result.baseline.errors for result in results)
    verdict = "PASS" if least >= GOAL and not errors else "FAIL"
    figures = " ".join(f"{key}_ratio={ratios[key]:.2f}" for key in ("list", "search", "get"))
    search = next(result for result in results if result.endpoint.key == "search")
    search_p95 = search.app.percentile_ms(95)
    p95_goal = SEARCH_P95_GOAL_MS.get(rows)
    if p95_goal is not None and search_p95 >= p95_goal:
        verdict = "FAIL"
    alone = one_client["app"].percentile_ms(95)
    searched = (
        f"search_p95_ms={search_p95:.1f} baseline_search_p95_ms={search.baseline.percentile_ms(95):.1f} "
        f"search_p95_ms_one_client={alone:.1f}"
        + (f" search_p95_goal_ms={p95_goal:g}" if p95_goal is not None else "")
    )
    print(
        f"\nSUMMARY listings rows={rows} {figures} min_ratio={least:.2f} goal={GOAL:.2f} {searched} {verdict}"
    )


def _figures(measured: Measurement) -> str:
    latency = f"{measured.percentile_ms(50):>9.1f}{measured.percentile_ms(95):>9.1f}"
    counts = f"{measured.requests:>10}{measured.errors:>8}"
    return f"{measured.rps:>9.1f}{latency}{measured.cpu_percent:>6.0f}%{counts}"


if __name__ == "__main__":
    sys.exit(main())
