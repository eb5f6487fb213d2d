"""Contract registration: filing and editing a contract, the pre-check, the registrar's workflow, and
change and cancellation registrations.

Every state change goes through `transition` (compare-and-set on the status and the version read,
audited as `contract.<action>` with an event row). Registering claims the point's next serial in the
same transaction, and writes the ledger entry the statistics sum; a change or a cancellation writes
the difference. What a registrar decided is never edited: the terms change only through a change
registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.contracts import precheck, repository
from app.contracts.clocks import Clock, ClockRules, clock_for
from app.contracts.kinds import counted_type, is_industry_academia, party_kind
from app.contracts.numbers import SerialExhausted, registration_number
from app.contracts.schemas import (
    ActionName,
    ChangeRegistration,
    ContractActionBody,
    ContractCreate,
    ContractTerms,
)
from app.contracts.state import TRANSITIONS, Actor, ContractAction, next_status
from app.contracts.terms import StoredTerms, stored_terms
from app.core.clock import today, utcnow
from app.core.config import Settings
from app.core.enums import ContractStatus, RegistrationEntryKind
from app.core.errors import Conflict, Forbidden, InvalidTransition, ValidationFailed
from app.core.i18n import msg
from app.core.pagination import check_if_match
from app.events.recording import record, snapshot
from app.events.transitions import transition
from app.holidays import service as holidays
from app.models import Contract, ContractAttachment, ContractPayment, Organization, RegistrationEntry
from app.organizations import service as organizations

KIND = "contract"
_AUDITED = (
    "status",
    "project_name",
    "contract_type",
    "subtype",
    "total_fen",
    "technical_income_fen",
    "due_on",
    "registration_number",
    "findings",
)
_CONCURRENT = Conflict("The contract changed meanwhile; read it again", code="concurrent_change")


@dataclass(frozen=True, slots=True)
class Filing:
    """A write by the seller side, with what it needs of the app."""

    session: AsyncSession
    principal: Principal
    settings: Settings


async def create(filing: Filing, data: ContractCreate) -> Contract:
    session, principal = filing.session, filing.principal
    seller = await _seller_organization(session, principal, data.organization_id)
    terms = await stored_terms(session, seller, data, ClockRules.from_settings(filing.settings), today())
    contract = Contract(
        organization_id=seller.id,
        region_id=seller.region_id,
        status=ContractStatus.DRAFT,
        filed_by_id=principal.user_id,
        findings=[],
        **terms.columns,
    )
    session.add(contract)
    await session.flush()
    await repository.replace_lines(session, contract.id, terms.lines)
    await _record_created(session, principal, contract)
    return contract


async def update_terms(filing: Filing, contract: Contract, data: ContractTerms, if_match: str) -> Contract:
    """The seller side edits a draft, or a contract returned for correction."""
    _require_seller(filing.principal, contract)
    check_if_match(if_match, KIND, contract.id, contract.version)
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.RETURNED):
        raise InvalidTransition(
            msg(
                "a {status} contract cannot be edited (a registered one changes by a change registration)",
                status=contract.status,
            ),
            code="contract_not_editable",
        )
    seller = await _seller_organization(filing.session, filing.principal, contract.organization_id)
    terms = await stored_terms(
        filing.session, seller, data, ClockRules.from_settings(filing.settings), today()
    )
    await _store_terms(
        filing.session, filing.principal, contract, terms, "contract.update", expected=contract.status
    )
    return contract


async def findings(
    session: AsyncSession, contract: Contract, settings: Settings
) -> list[precheck.PrecheckFinding]:
    lines = await repository.lines(session, contract.id)
    return precheck.findings(
        precheck.PrecheckInput(
            contract_type=contract.contract_type,
            project_name=contract.project_name,
            ip_type=contract.ip_type,
            content_summary=contract.content_summary,
            price_terms=contract.price_terms,
            total_fen=contract.total_fen,
            payment_amounts=[line.amount_fen for line in lines[ContractPayment]],
            attachment_kinds=[line.kind for line in lines[ContractAttachment]],
        ),
        settings.contract_restrictive_phrases,
    )


async def act(filing: Filing, contract: Contract, action: ActionName, body: ContractActionBody) -> Contract:
    """submit (the seller side); accept, return, refuse, register, cancel (a registrar of the region)."""
    session, principal = filing.session, filing.principal
    rule = TRANSITIONS[ContractAction(action.value)]
    _authorize(principal, contract, rule.actor)
    target = next_status(ContractAction(action.value), contract.status)
    if target is None:
        raise InvalidTransition(
            msg(
                "cannot {action} a contract that is {status}",
                action=action.value,
                status=contract.status,
            ),
            code="invalid_contract_transition",
        )
    if rule.needs_grounds and not body.findings:
        raise ValidationFailed(
            msg("say why: at least one finding with its ground"),
            field="findings",
            error_code="findings_required",
        )
    values = await _action_values(filing, contract, action, body)
    before_status = contract.status
    await transition(
        session,
        principal.actor,
        contract,
        audit_action(action),
        values=values,
        expected={"status": before_status},
        audited=_AUDITED,
        conflict=_CONCURRENT,
        payload=_payload(contract, action, body),
    )
    if action == ActionName.REGISTER:
        await _enter(session, principal, contract, RegistrationEntryKind.REGISTRATION, sign=1, reason="")
    elif action == ActionName.CANCEL:
        await _enter(
            session, principal, contract, RegistrationEntryKind.CANCELLATION, sign=-1, reason=body.reason
        )
    return contract


async def change(filing: Filing, contract: Contract, data: ChangeRegistration) -> Contract:
    """A change registration (变更): new terms for a registered contract, entered as the difference."""
    session, principal = filing.session, filing.principal
    _authorize(principal, contract, Actor.REGISTRAR)
    if contract.status != ContractStatus.REGISTERED:
        raise InvalidTransition(
            msg("cannot {action} a contract that is {status}", action="change", status=contract.status),
            code="invalid_contract_transition",
        )
    organization = await organizations.get_organization(session, contract.organization_id)
    terms = await stored_terms(
        session, organization, data, ClockRules.from_settings(filing.settings), today()
    )
    await _enter(session, principal, contract, RegistrationEntryKind.CHANGE, sign=-1, reason=data.reason)
    await _store_terms(
        session,
        principal,
        contract,
        terms,
        "contract.change",
        expected=ContractStatus.REGISTERED,
        reason=data.reason,
    )
    await _enter(
        session,
        principal,
        contract,
        RegistrationEntryKind.CHANGE,
        sign=1,
        reason=data.reason,
        same_sequence=True,
    )
    return contract


async def _seller_organization(
    session: AsyncSession, principal: Principal, organization_id: int
) -> Organization:
    organization = await organizations.get_organization(session, organization_id)
    if not principal.is_member(organization.id):
        raise Forbidden(
            "Only members of the seller side's organization file its contracts", code="not_seller_member"
        )
    return organization


def _require_seller(principal: Principal, contract: Contract) -> None:
    if not principal.is_member(contract.organization_id):
        raise Forbidden("Only the seller side's organization may do this", code="not_seller_member")


def _authorize(principal: Principal, contract: Contract, actor: Actor) -> None:
    if actor == Actor.SELLER:
        _require_seller(principal, contract)
    elif not principal.access.may_decide_contract(contract):
        raise Forbidden(
            "Only a registrar of the seller's region decides its registration", code="not_registrar"
        )


async def _action_values(
    filing: Filing, contract: Contract, action: ActionName, body: ContractActionBody
) -> dict[str, Any]:
    now = utcnow()
    user = filing.principal.user_id
    target = TRANSITIONS[ContractAction(action.value)].target
    values: dict[str, Any] = {"status": target}
    if action == ActionName.SUBMIT:
        clock = clock_for(
            contract.rule_set,
            contract.technical_income_fen,
            ClockRules.from_settings(filing.settings),
            disputed=contract.disputed,
        )
        start = today()
        due, provisional = await deadline(filing.session, clock, start)
        values |= {
            "submitted_at": now,
            "clock_started_on": start,
            "due_on": due,
            "due_on_provisional": provisional,
            "expert_review": clock.expert_review,
            "findings": [],
        }
    elif action == ActionName.ACCEPT:
        values |= {"accepted_at": now, "accepted_by_id": user}
    elif action in (ActionName.RETURN, ActionName.REFUSE):
        values |= {
            "decided_at": now,
            "decided_by_id": user,
            "findings": [finding.model_dump(mode="json") for finding in body.findings],
        }
    elif action == ActionName.REGISTER:
        values |= {"decided_at": now, "decided_by_id": user, **await _numbered(filing, contract)}
    elif action == ActionName.CANCEL:
        values |= {"cancelled_on": today()}
    return values


async def deadline(session: AsyncSession, clock: Clock, start: date) -> tuple[date, bool]:
    """The registrar's deadline for a clock started on `start`, and whether it is provisional (it
    counted working days of a year whose official calendar is not loaded yet)."""
    if not clock.working_days:
        return start + timedelta(days=clock.days), False
    return await holidays.provisional_due_date(session, start, clock.days)


async def _numbered(filing: Filing, contract: Contract) -> dict[str, Any]:
    """The registration number from the point's next serial (the point: the registration region's
    nearest region with a GB/T 2260 code)."""
    point = await repository.coded_ancestor(filing.session, contract.region_id)
    if point is None or point.code is None:
        raise Conflict(
            msg("the contract's region has no area code to number its registration by"),
            code="no_registration_point",
        )
    registered_on = today()
    serial = await repository.claim_serial(filing.session, point.id, registered_on.year)
    try:
        number = registration_number(
            filing.settings.contract_number_template, registered_on.year, point.code, serial
        )
    except SerialExhausted as exhausted:
        raise Conflict(
            msg("the registration point has used every serial of {year}", year=registered_on.year),
            code="serials_exhausted",
        ) from exhausted
    return {"registration_number": number, "registration_point_id": point.id, "registered_on": registered_on}


async def _enter(
    session: AsyncSession,
    principal: Principal,
    contract: Contract,
    kind: RegistrationEntryKind,
    *,
    sign: int,
    reason: str,
    same_sequence: bool = False,
) -> None:
    """A ledger entry of the contract as it stands, signed: +1 enters it, −1 takes it out."""
    sequence = await repository.next_sequence(session, contract.id)
    if same_sequence:
        sequence -= 1
    values = entry_values(
        contract, kind, sign=sign, sequence=sequence, on=today(), reason=reason, by=principal.user_id
    )
    session.add(RegistrationEntry(**values))
    await session.flush()


def entry_values(
    contract: Contract,
    kind: RegistrationEntryKind,
    *,
    sign: int,
    sequence: int,
    on: date,
    reason: str,
    by: int | None,
) -> dict[str, Any]:
    """The columns of a ledger entry of `contract` as it stands, entered `on` a day by user `by`:
    what `_enter` adds, and what the demo's registered contracts are inserted with in bulk."""
    seller_kind = party_kind(contract.seller_legal_person_type)
    buyer_kind = party_kind(contract.buyer_legal_person_type)
    # A change's pair counts too (−1 as it was, +1 as it is): it nets to nothing where the contract
    # stays in its groups, and moves it where the change moves it (another type, field or party
    # kind), so a later cancellation takes it out of the group it is counted in.
    count = sign
    return {
        "contract_id": contract.id,
        "kind": kind,
        "sequence": sequence,
        "entered_on": on,
        "entered_year": on.year,
        "entered_month": on.month,
        "count_delta": count,
        "total_fen_delta": sign * contract.total_fen,
        "technical_income_fen_delta": sign * contract.technical_income_fen,
        "iur_delta": count if is_industry_academia(seller_kind, buyer_kind) else 0,
        "counted_type": counted_type(contract.rule_set, contract.contract_type),
        "tech_field": contract.tech_field,
        "seller_region_id": contract.region_id,
        "buyer_region_id": contract.buyer_region_id,
        "seller_kind": seller_kind,
        "buyer_kind": buyer_kind,
        "ip_type": contract.ip_type,
        "plan_category": contract.plan_category,
        "seller_name": contract.seller_name,
        "buyer_name": contract.buyer_name,
        "registration_number": contract.registration_number or "",
        "reason": reason,
        "terms": _terms_snapshot(contract) if sign > 0 else {},
        "entered_by_id": by,
    }


def _terms_snapshot(contract: Contract) -> dict[str, Any]:
    return snapshot(contract, (*_AUDITED, "signed_on", "tech_field", "buyer_name", "deductions_fen"))


async def _store_terms(
    session: AsyncSession,
    principal: Principal,
    contract: Contract,
    terms: StoredTerms,
    action: str,
    *,
    expected: ContractStatus,
    reason: str | None = None,
) -> None:
    await transition(
        session,
        principal.actor,
        contract,
        action,
        values=terms.columns,
        expected={"status": expected},
        audited=_AUDITED,
        conflict=_CONCURRENT,
        payload={"reason": reason} if reason else None,
    )
    await repository.replace_lines(session, contract.id, terms.lines)


async def _record_created(session: AsyncSession, principal: Principal, contract: Contract) -> None:
    await record(
        session,
        principal.actor,
        "contract.create",
        entity_type=KIND,
        entity_id=contract.id,
        after=snapshot(contract, _AUDITED),
    )


def audit_action(action: ActionName) -> str:
    """The audited action and event type: `contract.<verb>`, except that registering is
    `contract.registered`, the event a deal (brokers' issue) follows."""
    return "contract.registered" if action == ActionName.REGISTER else f"contract.{action.value}"


def _payload(contract: Contract, action: ActionName, body: ContractActionBody) -> dict[str, Any] | None:
    if action == ActionName.REGISTER:
        return {
            "registration_number": contract.registration_number,
            "deal_id": contract.deal_id,
            "total_fen": contract.total_fen,
            "technical_income_fen": contract.technical_income_fen,
        }
    if body.reason:
        return {"reason": body.reason}
    return None
