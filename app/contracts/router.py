"""Technology contracts and their registration (技术合同认定登记)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response, status

from app.auth.dependencies import PrincipalDep, SettingsDep
from app.contracts import presenter, reading, service
from app.contracts.dependencies import FilingDep, VisibleContractDep
from app.contracts.schemas import (
    ActionName,
    ChangeRegistration,
    ContractActionBody,
    ContractCreate,
    ContractLedger,
    ContractRead,
    ContractScope,
    ContractSummary,
    ContractTerms,
    LedgerEntryRead,
    Precheck,
    PrecheckFinding,
)
from app.core.enums import ContractStatus
from app.core.i18n import render
from app.core.pagination import CREATED, IfMatchDep, Page, PageDep, etag, page_of, set_location, sort_query
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.idempotency.dependencies import IdempotencyDep

router = APIRouter(prefix="/contracts", tags=["contracts"])


@router.get("", operation_id="list_contracts", responses=problem_responses(401, 403, 422, 500))
async def list_contracts(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    scope: Annotated[
        ContractScope,
        Query(
            description="mine: your organizations' contracts; queue: what awaits you as a registrar, "
            "the nearest deadline first; all: every contract you may read"
        ),
    ] = ContractScope.ALL,
    status_: Annotated[ContractStatus | None, Query(alias="status")] = None,
    region_id: Annotated[EntityId | None, Query(description="Includes the region's districts")] = None,
    overdue: Annotated[
        bool, Query(description="Only those awaiting a registrar past their deadline")
    ] = False,
    sort: Annotated[str | None, sort_query(reading.SORTABLE)] = None,
) -> Page[ContractSummary]:
    filters = reading.ContractFilters(scope, status_, region_id, overdue, sort)
    items, total = await reading.list_contracts(session, principal, page, filters)
    return page_of(presenter.summaries(items), total, page)


@router.post(
    "",
    operation_id="create_contract",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **problem_responses(401, 403, 404, 409, 413, 422, 500)},
)
async def create_contract(
    # First: the key is claimed before the request's session opens (app.idempotency.dependencies).
    idempotency: IdempotencyDep,
    body: ContractCreate,
    request: Request,
    filing: FilingDep,
    response: Response,
) -> ContractRead:
    """File a contract for registration as a draft (members of the seller side's organization).
    With an `Idempotency-Key`, a retry answers as the first request did."""
    idempotency.check()
    contract = await service.create(filing, body)
    response.headers["ETag"] = etag(service.KIND, contract.id, contract.version)
    set_location(request, response, "get_contract", contract_id=contract.id)
    read = await presenter.contract_read(filing.session, contract)
    await idempotency.complete(filing.session, status.HTTP_201_CREATED, read, response.headers)
    return read


@router.get("/{contract_id}", operation_id="get_contract", responses=problem_responses(401, 404, 422, 500))
async def get_contract(contract: VisibleContractDep, session: SessionDep, response: Response) -> ContractRead:
    """A contract: the seller side's members read it; once filed, the registrars and administrators
    of its region too."""
    response.headers["ETag"] = etag(service.KIND, contract.id, contract.version)
    return await presenter.contract_read(session, contract)


@router.put(
    "/{contract_id}",
    operation_id="update_contract",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
)
async def update_contract(
    contract: VisibleContractDep,
    body: ContractTerms,
    filing: FilingDep,
    if_match: IfMatchDep,
    response: Response,
) -> ContractRead:
    """Replace the terms of a draft, or of a contract returned for correction (补正)."""
    await service.update_terms(filing, contract, body, if_match)
    response.headers["ETag"] = etag(service.KIND, contract.id, contract.version)
    return await presenter.contract_read(filing.session, contract)


@router.get(
    "/{contract_id}/precheck",
    operation_id="precheck_contract",
    responses=problem_responses(401, 404, 422, 500),
)
async def precheck_contract(
    contract: VisibleContractDep, session: SessionDep, settings: SettingsDep
) -> Precheck:
    """What a registrar would likely raise, before you submit: each finding with its refusal ground."""
    found = await service.findings(session, contract, settings)
    items = [
        PrecheckFinding(ground=item.ground, code=item.code, field=item.field, message=render(item.message))
        for item in found
    ]
    return Precheck(ready=not items, findings=items)


@router.get(
    "/{contract_id}/ledger",
    operation_id="get_contract_ledger",
    responses=problem_responses(401, 404, 422, 500),
)
async def get_contract_ledger(contract: VisibleContractDep, session: SessionDep) -> ContractLedger:
    """The contract's registration, change and cancellation entries: what the statistics sum."""
    entries = [LedgerEntryRead.read(entry) for entry in await reading.ledger(session, contract)]
    return ContractLedger(
        contract_id=contract.id, registration_number=contract.registration_number, entries=entries
    )


@router.post(
    "/{contract_id}/change",
    operation_id="change_contract_registration",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
)
async def change_contract_registration(
    contract: VisibleContractDep, body: ChangeRegistration, filing: FilingDep, response: Response
) -> ContractRead:
    """A change registration (变更) by a registrar of the region: the registered contract's new
    terms; the statistics move by exactly the difference, in the period of the change."""
    await service.change(filing, contract, body)
    response.headers["ETag"] = etag(service.KIND, contract.id, contract.version)
    return await presenter.contract_read(filing.session, contract)


@router.post(
    "/{contract_id}/{action}",
    operation_id="act_on_contract",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
)
async def act_on_contract(
    idempotency: IdempotencyDep,
    action: ActionName,
    contract: VisibleContractDep,
    filing: FilingDep,
    response: Response,
    body: Annotated[ContractActionBody, Body(default_factory=ContractActionBody)],
) -> ContractRead:
    """submit (the seller side; starts the registrar's clock), accept, return (补正, with findings),
    refuse (with grounds), register (assigns the registration number), cancel (注销): a registrar
    of the seller's region, never of the seller's own organization."""
    idempotency.check()
    await service.act(filing, contract, action, body)
    response.headers["ETag"] = etag(service.KIND, contract.id, contract.version)
    read = await presenter.contract_read(filing.session, contract)
    await idempotency.complete(filing.session, status.HTTP_200_OK, read, response.headers)
    return read
