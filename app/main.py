"""Application factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from app.api import add_public_reads, api_router
from app.background import background_registry
from app.contracts.numbers import check_template
from app.core.config import Settings, get_settings
from app.core.middleware import (
    BodySizeLimitMiddleware,
    HttpConventionsMiddleware,
    LanguageMiddleware,
    RequestIdMiddleware,
)
from app.core.problems import install_problem_handlers
from app.core.query_parameters import refuse_unknown_query_parameters
from app.core.security import configure_password_hashing, warm_password_hasher
from app.dashboard.page import install as install_dashboard
from app.db.reader import Reader
from app.db.session import create_engine, create_sessionmaker
from app.health.router import router as health_router
from app.idempotency.dependencies import install as install_idempotency
from app.listings import search_index
from app.matching.tokenizer import warm_up as warm_up_tokenizer
from app.worker.runner import Worker

logger = logging.getLogger(__name__)

DESCRIPTION = """\
One network (一张网) for technology transfer across the city and its districts: enterprises' demands,
the achievement library, brokers' matching, deals, contract registration and tallies.

Errors are `application/problem+json` (RFC 9457) with a stable `code`. Lists take `limit`/`offset`
and `sort`. Updates need `If-Match` with the ETag of your last read.
"""


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.check_production_ready()
    check_template(settings.contract_number_template)
    configure_password_hashing(
        time_cost=settings.password_hash_time_cost, memory_kib=settings.password_hash_memory_kib
    )
    engine = create_engine(settings.database_url, echo=settings.database_echo)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warm_password_hasher()
        await run_in_threadpool(warm_up_tokenizer)
        await _index_on_its_way(_app)
        worker = None
        if settings.worker_in_server:
            worker = Worker(_app.state.sessionmaker, _app.state.worker_registry, settings)
            running = asyncio.create_task(worker.run(), name="worker")
        yield
        if worker is not None:
            # A job in progress is given back (released) for the next worker, not left running.
            worker.stop()
            await running
        await engine.dispose()

    # Swagger UI and ReDoc from the installed package, not a CDN: mainland and government networks
    # often block or slow CDNs (and ReDoc's Google fonts).
    app = FastAPIOffline(
        title="Technology Transfer One Network API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        # Every API route refuses query parameters it does not declare (422 `unknown_parameter`).
        dependencies=[Depends(refuse_unknown_query_parameters)],
        openapi_tags=[
            {"name": "auth", "description": "Sign-in, token refresh, sign-out"},
            {"name": "users", "description": "Accounts and platform roles"},
            {"name": "regions", "description": "The city and its districts (GB/T 2260)"},
            {"name": "organizations", "description": "Enterprises, universities, institutes, agencies"},
            {"name": "memberships", "description": "Who belongs to which organization"},
            {"name": "api-keys", "description": "Keys for organizations' machine clients"},
            {"name": "demands", "description": "Enterprises' technology demands (企业技术需求)"},
            {"name": "achievements", "description": "The achievement library (科技成果) and its patents"},
            {"name": "packages", "description": "Achievement packages (科技成果包), curated and versioned"},
            {"name": "imports", "description": "Bulk import of demands and achievements (CSV, XLSX)"},
            {"name": "audit", "description": "The append-only audit log"},
            {"name": "jobs", "description": "The background worker's jobs and event consumers"},
            {
                "name": "contracts",
                "description": "Technology contracts and their registration (技术合同认定登记)",
            },
            {"name": "holidays", "description": "Holidays, make-up working days, deadlines"},
            {
                "name": "industries",
                "description": "The mapping of technology fields to the city's priority industries",
            },
            {"name": "matches", "description": "Recommendations and matching, explained (供需匹配)"},
            {"name": "meta", "description": "Enumerations with Chinese labels"},
            {"name": "health", "description": "Liveness and readiness"},
        ],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.worker_registry = background_registry()
    app.state.reader = Reader(engine)
    install_problem_handlers(app)
    install_idempotency(app)
    add_public_reads(app.router)  # first: the busiest routes, matched before any included router
    app.include_router(health_router)
    app.include_router(api_router)
    install_dashboard(app)  # the page at /dashboard, outside the API and its document
    _add_middleware(app, settings)
    return app


async def _index_on_its_way(app: FastAPI) -> None:
    """A first start (or a lost index directory) queues the matching index's build for the worker.
    A database that does not answer yet is no reason not to start: `/readyz` says it."""
    try:
        async with app.state.sessionmaker() as session, session.begin():
            await search_index.ensure_built(session, app.state.settings)
    except SQLAlchemyError as error:
        logger.warning("could not check the matching index: %s", error.__class__.__name__)


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=settings.cors_allow_credentials,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "X-Request-ID"],
            expose_headers=["ETag", "Location", "X-Request-ID", "Retry-After"],
        )
    # An upload may be as large as an import file, plus its multipart framing.
    uploads = {"/api/v1/imports": settings.import_max_bytes + 64 * 1024}
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, larger_limits=uploads)
    app.add_middleware(HttpConventionsMiddleware, private_prefixes=("/api/v1/auth/",))
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(LanguageMiddleware, default=settings.language)  # outermost: every answer has it
