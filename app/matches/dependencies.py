"""The engine a request matches with: this process's view of the matching index."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.listings import search_index
from app.matching.engine import Engine


def _engine(request: Request) -> Engine:
    return search_index.index_for(request.app.state.settings).for_reading()


EngineDep = Annotated[Engine, Depends(_engine)]
