"""Contracts as the API shows them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import repository
from app.contracts.kinds import counted_type, party_kind
from app.contracts.schemas import (
    AttachmentRead,
    ContractRead,
    ContractSummary,
    DeductionRead,
    FindingRead,
    PartyRead,
    PaymentRead,
)
from app.core.clock import today
from app.models import Contract, ContractAttachment, ContractDeduction, ContractPayment


def is_overdue(contract: Contract) -> bool:
    """Awaiting a registrar past its deadline (read off the date, so it never lags)."""
    under_review = contract.status in repository.UNDER_REVIEW
    return under_review and contract.due_on is not None and contract.due_on < today()


def _party(contract: Contract, side: str, region_id: int | None) -> PartyRead:
    legal_person_type = getattr(contract, f"{side}_legal_person_type")
    return PartyRead(
        organization_id=getattr(contract, f"{side}_organization_id"),
        name=getattr(contract, f"{side}_name"),
        country_code=getattr(contract, f"{side}_country_code"),
        area_code=getattr(contract, f"{side}_area_code"),
        legal_person_type=legal_person_type,
        kind=party_kind(legal_person_type),
        credit_code=getattr(contract, f"{side}_credit_code"),
        region_id=region_id,
    )


async def contract_read(session: AsyncSession, contract: Contract) -> ContractRead:
    lines = await repository.lines(session, contract.id)
    return ContractRead.read(
        contract,
        counted_type=counted_type(contract.rule_set, contract.contract_type),
        seller=_party(contract, "seller", contract.region_id),
        buyer=_party(contract, "buyer", contract.buyer_region_id),
        deductions=[DeductionRead.read(line) for line in lines[ContractDeduction]],
        payments=[PaymentRead.read(line) for line in lines[ContractPayment]],
        attachments=[AttachmentRead.read(line) for line in lines[ContractAttachment]],
        findings=[FindingRead.model_validate(finding) for finding in contract.findings],
        overdue=is_overdue(contract),
    )


def summaries(contracts: Sequence[Contract]) -> list[ContractSummary]:
    return [ContractSummary.read(contract, overdue=is_overdue(contract)) for contract in contracts]
