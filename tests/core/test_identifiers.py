"""Check characters of Chinese identifiers (DOMAIN.md vectors), as pure functions and through the API."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from hypothesis import given
from hypothesis import strategies as st

from app.core.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    is_valid_credit_code,
    normalize_mobile,
    normalize_patent_number,
    patent_check_char,
)
from tests import factories
from tests.core.problem_shape import assert_problem, error_locs

VALID_CREDIT_CODES = ("91110000600037341L", "91512081MA62K0260E", "91350100M000100Y43")
INVALID_CREDIT_CODES = ("91350100M000100Y4Z", "91110000600037341I")
# Characters GB 32100 leaves out, a lower-case letter, punctuation, a full-width digit, a CJK character.
OUTSIDE_ALPHABET = "IOSVZa-. ０码"

_authority = st.sampled_from("123456789ANY")
_body16 = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=16, max_size=16)


@st.composite
def valid_credit_codes(draw: st.DrawFn) -> str:
    first17 = draw(_authority) + draw(_body16)
    return first17 + credit_code_check_char(first17)


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_domain_credit_code_vectors_are_valid(code: str) -> None:
    assert is_valid_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", INVALID_CREDIT_CODES)
def test_domain_credit_code_vectors_are_invalid(code: str) -> None:
    assert not is_valid_credit_code(code)


@pytest.mark.parametrize("code", ["", "91110000600037341", "91110000600037341LL", "01110000600037341L"])
def test_malformed_credit_codes_are_invalid(code: str) -> None:
    # Wrong length, or a registration authority (position 1) outside 1-9, A, N, Y.
    assert not is_valid_credit_code(code)


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_every_single_substitution_of_a_vector_fails(code: str) -> None:
    """Exhaustive over positions and every other character in and out of the alphabet."""
    substitutions = 0
    for position in range(len(code)):
        for char in CREDIT_CODE_ALPHABET + OUTSIDE_ALPHABET:
            if char == code[position]:
                continue
            changed = code[:position] + char + code[position + 1 :]
            assert not is_valid_credit_code(changed), changed
            substitutions += 1
    assert substitutions >= 18 * 30


@given(code=valid_credit_codes())
def test_generated_credit_codes_are_valid(code: str) -> None:
    assert is_valid_credit_code(code)


@given(
    code=valid_credit_codes(),
    position=st.integers(min_value=0, max_value=17),
    replacement=st.one_of(st.sampled_from(CREDIT_CODE_ALPHABET), st.characters()),
)
def test_any_single_character_change_of_a_valid_code_fails(
    code: str, position: int, replacement: str
) -> None:
    if replacement == code[position]:
        replacement = CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.index(code[position]) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_credit_code(changed), changed


def test_n_and_y_prefixed_codes_are_accepted() -> None:
    # The first eight characters need not be digits (DOMAIN.md).
    for first17 in ("N2320700MJ0000001", "Y1320700AB1234567"):
        assert is_valid_credit_code(first17 + credit_code_check_char(first17))


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("201710601862.3", "201710601862.3"),
        ("ZL201710601862.3", "201710601862.3"),
        ("zl 201710601862.3", "201710601862.3"),
        ("95115608.X", "95115608.X"),
        ("ZL95115608.X", "95115608.X"),
    ],
)
def test_valid_patent_numbers(raw: str, canonical: str) -> None:
    assert normalize_patent_number(raw) == canonical


@pytest.mark.parametrize(
    "raw",
    [
        "201710601862.4",  # wrong check digit
        "201710601862.X",
        "95115608.1",  # old format, wrong check
        "201740601862.3",  # 4 is not a patent type digit
        "201710601862",  # no check character
        "20171060186.3",  # serial too short
        "ZZ201710601862.3",
    ],
)
def test_invalid_patent_numbers(raw: str) -> None:
    assert normalize_patent_number(raw) is None


@given(
    year=st.integers(min_value=2003, max_value=2099),
    kind=st.sampled_from("12389"),
    serial=st.integers(min_value=0, max_value=9_999_999),
    wrong=st.integers(min_value=1, max_value=10),
)
def test_patent_check_character_is_verified(year: int, kind: str, serial: int, wrong: int) -> None:
    digits = f"{year}{kind}{serial:07d}"
    check = patent_check_char(digits)
    assert normalize_patent_number(f"{digits}.{check}") == f"{digits}.{check}"
    other = "0123456789X"[("0123456789X".index(check) + wrong) % 11]
    assert normalize_patent_number(f"{digits}.{other}") is None


@pytest.mark.parametrize(
    "raw", ["13812345678", "+8613812345678", "8613812345678", "008613812345678", "+86 138-1234-5678"]
)
def test_mobile_numbers_with_prefixes(raw: str) -> None:
    assert normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["14012345678", "16612345678", "19912345678"])
def test_mobile_prefixes_are_not_whitelisted(raw: str) -> None:
    assert normalize_mobile(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits
        "12812345678",  # 12x is not a mobile prefix
        "10812345678",
        "23812345678",
        "+8712812345678",
        "+86128123456789",
        "0086",
        "",
    ],
)
def test_invalid_mobile_numbers(raw: str) -> None:
    assert normalize_mobile(raw) is None


@pytest.mark.parametrize("code", INVALID_CREDIT_CODES)
async def test_registering_with_an_invalid_credit_code_is_422(client: AsyncClient, code: str) -> None:
    owner = await factories.account(client)
    response = await client.post(
        "/api/v1/organizations",
        json={
            "name": "校验码错误的企业",
            "kind": "enterprise",
            "legal_person_type": "100",
            "credit_code": code,
            "region_id": await factories.region_id(client, factories.HAIZHOU_CODE),
        },
        headers=owner.headers,
    )
    body = assert_problem(response, 422, "validation_failed")
    assert ["body", "credit_code"] in error_locs(body)
    listed = await client.get("/api/v1/organizations", params={"q": code})
    assert listed.json()["total"] == 0


async def test_registering_with_a_valid_vector_credit_code_works(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner, credit_code="91350100m000100y43")
    assert org["credit_code"] == "91350100M000100Y43"  # stored upper-cased


async def test_registering_with_an_invalid_mobile_number_is_422(client: AsyncClient) -> None:
    owner = await factories.account(client)
    response = await client.post(
        "/api/v1/organizations",
        json={
            "name": "电话错误的企业",
            "kind": "enterprise",
            "legal_person_type": "100",
            "credit_code": factories.credit_code(),
            "region_id": await factories.region_id(client, factories.HAIZHOU_CODE),
            "contact_phone": "12812345678",
        },
        headers=owner.headers,
    )
    body = assert_problem(response, 422, "validation_failed")
    assert ["body", "contact_phone"] in error_locs(body)
