"""Validation dependencies: the contract exists and the caller may read it (404 otherwise)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import PrincipalDep, SettingsDep
from app.contracts import reading, service
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.models import Contract


async def _visible_contract(contract_id: EntityId, session: SessionDep, principal: PrincipalDep) -> Contract:
    return await reading.visible_contract(session, principal, contract_id)


VisibleContractDep = Annotated[Contract, Depends(_visible_contract)]


async def _filing(session: SessionDep, principal: PrincipalDep, settings: SettingsDep) -> service.Filing:
    return service.Filing(session, principal, settings)


FilingDep = Annotated[service.Filing, Depends(_filing)]
