"""What a registrar refuses outright, as field problems (pure): each names the field and a stable code,
so a 422 lists every failing field at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.contracts.amounts import MAX_FEN, Deduction, technical_income
from app.contracts.kinds import subtype_fits
from app.core.enums import ContractSubtype, ContractType
from app.core.identifiers import is_valid_area_code, is_valid_credit_code


@dataclass(frozen=True, slots=True)
class Party:
    """A seller or buyer: an organization of the network (its id) or an external party."""

    name: str
    country_code: str = "CHN"
    area_code: str | None = None
    credit_code: str | None = None
    organization_id: int | None = None


@dataclass(frozen=True, slots=True)
class ContractFacts:
    contract_type: ContractType
    subtype: ContractSubtype
    signed_on: date
    valid_from: date | None
    valid_to: date | None
    seller: Party
    buyer: Party
    total_fen: int
    deductions: Sequence[Deduction] = ()


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    code: str


def problems(facts: ContractFacts, today: date) -> list[FieldProblem]:
    """Every check `facts` fails, in field order."""
    found: list[FieldProblem] = []
    if not subtype_fits(facts.contract_type, facts.subtype):
        found.append(FieldProblem("subtype", "subtype_not_of_type"))
    if facts.signed_on > today:
        found.append(FieldProblem("signed_on", "signed_in_future"))
    if facts.valid_from and facts.valid_to and facts.valid_to < facts.valid_from:
        found.append(FieldProblem("valid_to", "inverted_range"))
    for role, party in (("seller", facts.seller), ("buyer", facts.buyer)):
        found.extend(_party_problems(role, party))
    if _same_party(facts.seller, facts.buyer):
        found.append(FieldProblem("buyer", "buyer_is_seller"))
    found.extend(_amount_problems(facts))
    return found


def _party_problems(role: str, party: Party) -> list[FieldProblem]:
    found = []
    if party.area_code is not None and not is_valid_area_code(party.area_code):
        found.append(FieldProblem(f"{role}.area_code", "invalid_area_code"))
    if party.credit_code is not None and not is_valid_credit_code(party.credit_code):
        found.append(FieldProblem(f"{role}.credit_code", "invalid_credit_code"))
    if party.country_code == "CHN" and party.organization_id is None and party.credit_code is None:
        found.append(FieldProblem(f"{role}.credit_code", "credit_code_required"))
    return found


def _same_party(seller: Party, buyer: Party) -> bool:
    if seller.organization_id is not None and seller.organization_id == buyer.organization_id:
        return True
    if seller.credit_code and seller.credit_code == buyer.credit_code:
        return True
    return seller.name.strip() == buyer.name.strip()


def _amount_problems(facts: ContractFacts) -> list[FieldProblem]:
    found = []
    if not 0 <= facts.total_fen <= MAX_FEN:
        found.append(FieldProblem("total_fen", "amount_out_of_range"))
    for index, deduction in enumerate(facts.deductions):
        if not 0 < deduction.amount_fen <= MAX_FEN:
            found.append(FieldProblem(f"deductions.{index}.amount_fen", "amount_out_of_range"))
    if technical_income(facts.total_fen, facts.deductions) < 0:
        found.append(FieldProblem("deductions", "deductions_exceed_total"))
    return found
