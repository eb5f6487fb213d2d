"""/healthz answers while the process runs; /readyz only while the database answers too."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.errors import DatabaseUnavailable
from app.core.problems import problem_responses

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)

READY_TIMEOUT_SECONDS = 3


class Health(BaseModel):
    status: str


@router.get("/healthz", operation_id="healthz")
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", operation_id="readyz", responses=problem_responses(503))
async def readyz(request: Request) -> Health:
    """The process can serve: the database answers."""
    engine: AsyncEngine = request.app.state.engine
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        logger.warning("readiness check failed: %s", type(exc).__name__)
        raise DatabaseUnavailable("The database is not reachable") from exc
    return Health(status="ok")
