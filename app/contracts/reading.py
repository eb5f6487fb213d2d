"""Reading contracts: the lists (the seller side's, a registrar's queue by deadline, everything the
caller may read), one contract if the caller may read it, and its ledger."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.contracts import repository
from app.contracts.schemas import ContractScope
from app.core.clock import today
from app.core.enums import ContractStatus
from app.core.errors import Forbidden, NotFound
from app.core.i18n import msg
from app.core.pagination import PageParams, order_by
from app.db.repository import fetch_page
from app.models import Contract, RegistrationEntry
from app.regions import service as regions

SORTABLE = {
    "due_on": Contract.due_on,
    "submitted_at": Contract.submitted_at,
    "registered_on": Contract.registered_on,
    "signed_on": Contract.signed_on,
    "total_fen": Contract.total_fen,
    "created_at": Contract.created_at,
}


@dataclass(frozen=True, slots=True)
class ContractFilters:
    scope: ContractScope
    status: ContractStatus | None = None
    region_id: int | None = None
    overdue: bool = False
    sort: str | None = None


async def list_contracts(
    session: AsyncSession, principal: Principal, page: PageParams, filters: ContractFilters
) -> tuple[list[Contract], int]:
    """One page of the contracts the caller may read in `scope`, and how many there are. The queue is
    what awaits the caller as a registrar, the nearest deadline first."""
    access = principal.access
    if filters.scope == ContractScope.MINE:
        visible = access.member_filter(Contract.organization_id)
    elif filters.scope == ContractScope.QUEUE:
        if principal.is_machine:
            raise Forbidden("A registrar's queue is a person's", code="not_registrar")
        visible = and_(
            Contract.region_id.in_(sorted(access.coverage.registered)),
            Contract.status.in_(repository.UNDER_REVIEW),
            access.not_member_filter(Contract.organization_id),
        )
    else:
        visible = access.contract_filter(Contract.organization_id, Contract.region_id, Contract.status)
    region_ids = (
        await regions.subtree_ids(session, filters.region_id) if filters.region_id is not None else None
    )
    statement = repository.listing(
        visible,
        status=filters.status,
        region_ids=region_ids,
        overdue_before=today() if filters.overdue else None,
    )
    default = (
        [Contract.due_on.asc(), Contract.id] if filters.scope == ContractScope.QUEUE else [Contract.id.desc()]
    )
    statement = statement.order_by(*order_by(filters.sort, SORTABLE, default))
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def visible_contract(session: AsyncSession, principal: Principal, contract_id: int) -> Contract:
    """The contract, if the caller may read it (404 otherwise: another organization's contract is
    not there for them)."""
    contract = await session.get(Contract, contract_id)
    if contract is None or not principal.access.may_read_contract(contract):
        raise NotFound(msg("No contract {contract_id}", contract_id=contract_id))
    return contract


async def ledger(session: AsyncSession, contract: Contract) -> list[RegistrationEntry]:
    return list(await repository.entries(session, contract.id))
