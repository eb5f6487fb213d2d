"""The contracts' pure core: types under each rule set, the state table, numbers, amounts, checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.contracts.amounts import MAX_FEN, Deduction, technical_income
from app.contracts.checks import ContractFacts, Party, problems
from app.contracts.kinds import SUBTYPES, counted_type, subtype_fits
from app.contracts.numbers import (
    DEFAULT_TEMPLATE,
    NumberTemplateError,
    SerialExhausted,
    check_template,
    is_registration_number,
    registration_number,
)
from app.contracts.state import FINAL, TRANSITIONS, ContractAction, next_status
from app.core.enums import ContractRuleSet, ContractStatus, ContractSubtype, ContractType
from app.core.identifiers import is_valid_area_code

TODAY = date(2026, 12, 1)
SELLER = Party(name="连云港某研究院", area_code="320706", credit_code="91110000600037341L")
BUYER = Party(name="连云港某化工有限公司", area_code="320707", credit_code="91512081MA62K0260E")
FACTS = ContractFacts(
    contract_type=ContractType.DEVELOPMENT,
    subtype=ContractSubtype.COMMISSIONED_DEVELOPMENT,
    signed_on=date(2026, 11, 20),
    valid_from=date(2026, 11, 20),
    valid_to=date(2027, 11, 19),
    seller=SELLER,
    buyer=BUYER,
    total_fen=50_000_000,
    deductions=(Deduction("检测设备", 8_000_000),),
)


def codes(facts: ContractFacts) -> set[tuple[str, str]]:
    return {(problem.field, problem.code) for problem in problems(facts, TODAY)}


def test_a_sound_contract_has_no_problem_and_its_technical_income_is_derived() -> None:
    assert problems(FACTS, TODAY) == []
    assert technical_income(FACTS.total_fen, FACTS.deductions) == 42_000_000


def test_every_failing_field_is_named_at_once() -> None:
    bad = replace(
        FACTS,
        subtype=ContractSubtype.PATENT_LICENSE,
        signed_on=date(2026, 12, 2),
        seller=replace(SELLER, area_code="990706", credit_code="91350100M000100Y4Z", organization_id=7),
        buyer=replace(BUYER, organization_id=7),
        deductions=(Deduction("设备", 60_000_000),),
    )
    assert codes(bad) == {
        ("subtype", "subtype_not_of_type"),
        ("signed_on", "signed_in_future"),
        ("seller.area_code", "invalid_area_code"),
        ("seller.credit_code", "invalid_credit_code"),
        ("buyer", "buyer_is_seller"),
        ("deductions", "deductions_exceed_total"),
    }


def test_a_domestic_party_outside_the_network_needs_a_credit_code() -> None:
    external = replace(BUYER, credit_code=None)
    assert codes(replace(FACTS, buyer=external)) == {("buyer.credit_code", "credit_code_required")}
    foreign = Party(name="Acme GmbH", country_code="DEU")
    assert codes(replace(FACTS, buyer=foreign)) == set()
    member = Party(name="网内企业", organization_id=7)
    assert codes(replace(FACTS, buyer=member)) == set()


@pytest.mark.parametrize("total", [0, 1, MAX_FEN])
def test_amounts_at_the_edges_are_accepted(total: int) -> None:
    assert codes(replace(FACTS, total_fen=total, deductions=())) == set()


@pytest.mark.parametrize("total", [-1, MAX_FEN + 1])
def test_amounts_beyond_the_edges_are_refused(total: int) -> None:
    assert ("total_fen", "amount_out_of_range") in codes(replace(FACTS, total_fen=total, deductions=()))


@given(st.integers(0, MAX_FEN), st.lists(st.integers(1, 10**12), max_size=5))
def test_technical_income_never_exceeds_the_total(total: int, amounts: list[int]) -> None:
    deductions = tuple(Deduction("设备", amount) for amount in amounts)
    income = technical_income(total, deductions)
    assert income <= total
    refused = ("deductions", "deductions_exceed_total") in codes(
        replace(FACTS, total_fen=total, deductions=deductions)
    )
    assert refused == (income < 0)


def test_the_2001_rules_count_licensing_as_transfer() -> None:
    assert counted_type(ContractRuleSet.RULES_2001, ContractType.LICENSE) == ContractType.TRANSFER
    assert counted_type(ContractRuleSet.RULES_2026, ContractType.LICENSE) == ContractType.LICENSE
    assert counted_type(ContractRuleSet.RULES_2001, ContractType.SERVICE) == ContractType.SERVICE


def test_every_subtype_belongs_to_exactly_one_type() -> None:
    for subtype in ContractSubtype:
        assert sum(subtype_fits(kind, subtype) for kind in ContractType) == 1
    assert set(SUBTYPES) == set(ContractType)


def test_the_state_table() -> None:
    assert next_status(ContractAction.SUBMIT, ContractStatus.DRAFT) == ContractStatus.SUBMITTED
    assert next_status(ContractAction.SUBMIT, ContractStatus.RETURNED) == ContractStatus.SUBMITTED
    assert next_status(ContractAction.REGISTER, ContractStatus.SUBMITTED) is None  # accepted first
    assert next_status(ContractAction.REGISTER, ContractStatus.ACCEPTED) == ContractStatus.REGISTERED
    assert next_status(ContractAction.CHANGE, ContractStatus.REGISTERED) == ContractStatus.REGISTERED
    assert TRANSITIONS[ContractAction.SUBMIT].starts_clock
    for final in FINAL:
        assert all(next_status(action, final) is None for action in ContractAction)


def test_registration_numbers() -> None:
    assert registration_number(DEFAULT_TEMPLATE, 2026, "320700", 42) == "2026320700000042"
    assert is_registration_number("2026320700000042")
    assert not is_registration_number("202632070000004")
    with pytest.raises(SerialExhausted):
        registration_number(DEFAULT_TEMPLATE, 2026, "320700", 1_000_000)
    assert check_template("{area}{year:04d}{serial:06d}")
    with pytest.raises(NumberTemplateError):
        check_template("{year}{serial}")
    with pytest.raises(NumberTemplateError):
        check_template("{year:04d}{area}{serial:06d}{secret}")


@pytest.mark.parametrize(
    ("code", "valid"),
    [("320700", True), ("320706", True), ("320000", True), ("110101", True), ("990706", False),
     ("320006", False), ("32070", False), ("３２０７００", False), ("32070a", False)],
)  # fmt: skip
def test_area_codes(code: str, valid: bool) -> None:
    assert is_valid_area_code(code) is valid
