"""From a filed contract's terms to what is stored: the parties resolved (an organization of the
network or an external party), the registrar's checks run on them (one 422 naming every failing
field), the rule set chosen, the amounts derived and the lines laid out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import checks, repository
from app.contracts.amounts import Deduction, technical_income
from app.contracts.checks import FieldProblem
from app.contracts.clocks import ClockRules, rule_set_for
from app.contracts.kinds import is_transfer
from app.contracts.schemas import ContractTerms, PartyIn
from app.core.enums import LegalPersonType
from app.core.errors import ValidationFailed
from app.core.i18n import Message, msg
from app.models import ContractAttachment, ContractDeduction, ContractPayment, Organization

_MESSAGES: dict[str, Message] = {
    "subtype_not_of_type": msg("the subtype is not one of the contract type's subtypes"),
    "signed_in_future": msg("the signing date is in the future"),
    "inverted_range": msg("the validity period ends before it starts"),
    "invalid_area_code": msg("not a GB/T 2260 area code"),
    "invalid_credit_code": msg("not a valid unified social credit code (GB 32100-2015 check character)"),
    "credit_code_required": msg("a domestic party needs its unified social credit code"),
    "buyer_is_seller": msg("the buyer and the seller are the same party"),
    "amount_out_of_range": msg("the amount must be from 0 to 9007199254740991 fen"),
    "deductions_exceed_total": msg("the deductions exceed the contract amount (成交额)"),
    "unknown_organization": msg("no such organization"),
    "required": msg("required for a party outside the network"),
    "only_for_transfers": msg("only transfers and licences state the expected new investment and output"),
}


@dataclass(frozen=True, slots=True)
class StoredTerms:
    """The contract's columns and its lines, ready to store."""

    columns: dict[str, Any]
    lines: dict[type[Any], list[dict[str, Any]]]


def refuse(problems: list[FieldProblem]) -> ValidationFailed:
    """One 422 with an error per failing field, each with its stable code."""
    error = ValidationFailed(
        _MESSAGES[problems[0].code], field=problems[0].field, error_code=problems[0].code
    )
    error.errors = [
        {"loc": ["body", *_path(problem.field)], "code": problem.code, "message": _MESSAGES[problem.code]}
        for problem in problems
    ]
    return error


def _path(field: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in field.split(".")]


async def stored_terms(
    session: AsyncSession, seller: Organization, data: ContractTerms, rules: ClockRules, today: date
) -> StoredTerms:
    """The columns and lines of a contract `seller` files with `data`; 422 naming every field a
    registrar would refuse."""
    seller_columns, seller_party = await _seller(session, seller)
    buyer_columns, buyer_party, problems = await _buyer(session, data.buyer)
    deductions = [Deduction(line.item, line.amount_fen) for line in data.deductions]
    rule_set = data.rule_set or rule_set_for(data.signed_on, rules)
    facts = checks.ContractFacts(
        contract_type=data.contract_type,
        subtype=data.subtype,
        signed_on=data.signed_on,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        seller=seller_party,
        buyer=buyer_party,
        total_fen=data.total_fen,
        deductions=deductions,
    )
    problems = [*checks.problems(facts, today), *problems]
    transfer = is_transfer(rule_set, data.contract_type)
    for name in ("expected_investment_fen", "expected_output_fen"):
        if getattr(data, name) is not None and not transfer:
            problems.append(FieldProblem(name, "only_for_transfers"))
    if problems:
        raise refuse(problems)
    deducted = sum(line.amount_fen for line in deductions)
    columns = {
        **seller_columns,
        **buyer_columns,
        "rule_set": rule_set,
        "contract_type": data.contract_type,
        "subtype": data.subtype,
        "project_name": data.project_name,
        "signed_on": data.signed_on,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "tech_field": data.tech_field,
        "ip_type": data.ip_type,
        "plan_category": data.plan_category,
        "socio_economic_objective": data.socio_economic_objective,
        "expected_investment_fen": data.expected_investment_fen,
        "expected_output_fen": data.expected_output_fen,
        "content_summary": data.content_summary,
        "price_terms": data.price_terms,
        "total_fen": data.total_fen,
        "deductions_fen": deducted,
        "technical_income_fen": technical_income(data.total_fen, deductions),
        "disputed": data.disputed,
        "deal_id": data.deal_id,
    }
    lines: dict[type[Any], list[dict[str, Any]]] = {
        ContractDeduction: [line.model_dump() for line in data.deductions],
        ContractPayment: [line.model_dump() for line in data.payments],
        ContractAttachment: [line.model_dump() for line in data.attachments],
    }
    return StoredTerms(columns, lines)


async def _seller(session: AsyncSession, organization: Organization) -> tuple[dict[str, Any], checks.Party]:
    return await _network_party(session, organization, "seller")


async def _network_party(
    session: AsyncSession, organization: Organization, side: str
) -> tuple[dict[str, Any], checks.Party]:
    """An organization of the network as the `side` party: its name and codes, copied when filed
    (the registration states them as they were), and its GB/T 2260 area code (its region's, or the
    nearest coded ancestor's for a functional zone)."""
    area = await repository.coded_ancestor(session, organization.region_id)
    area_code = area.code if area is not None else None
    columns = {
        f"{side}_name": organization.name,
        f"{side}_organization_id": organization.id,
        f"{side}_country_code": "CHN",
        f"{side}_area_code": area_code,
        f"{side}_legal_person_type": organization.legal_person_type,
        f"{side}_credit_code": organization.credit_code,
    }
    party = checks.Party(
        name=organization.name,
        area_code=area_code,
        credit_code=organization.credit_code,
        organization_id=organization.id,
    )
    return columns, party


async def _buyer(
    session: AsyncSession, buyer: PartyIn
) -> tuple[dict[str, Any], checks.Party, list[FieldProblem]]:
    if buyer.organization_id is not None:
        organization = await session.get(Organization, buyer.organization_id)
        if organization is None:
            party = checks.Party(name="", organization_id=buyer.organization_id)
            return {}, party, [FieldProblem("buyer.organization_id", "unknown_organization")]
        columns, party = await _network_party(session, organization, "buyer")
        return {**columns, "buyer_region_id": organization.region_id}, party, []
    problems = [
        FieldProblem(f"buyer.{name}", "required")
        for name in ("name", "legal_person_type")
        if getattr(buyer, name) is None
    ]
    credit_code = buyer.credit_code.upper() if buyer.credit_code else None
    domestic = buyer.country_code == "CHN"
    region_id = (
        await repository.region_by_code(session, buyer.area_code) if domestic and buyer.area_code else None
    )
    columns = {
        "buyer_name": buyer.name or "",
        "buyer_organization_id": None,
        "buyer_country_code": buyer.country_code,
        "buyer_area_code": buyer.area_code,
        "buyer_legal_person_type": buyer.legal_person_type or LegalPersonType.DOMESTIC_ENTERPRISE,
        "buyer_credit_code": credit_code,
        "buyer_region_id": region_id,
    }
    party = checks.Party(
        name=buyer.name or "",
        country_code=buyer.country_code,
        area_code=buyer.area_code,
        credit_code=credit_code,
    )
    return columns, party, problems
