"""Check-character validation for Chinese identifiers (pure functions, no I/O).

Rules are those of ../shared/DOMAIN.md: GB 32100-2015 unified social credit codes, CNIPA patent
application numbers, and mainland mobile numbers.
"""

from __future__ import annotations

import re

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_AUTHORITIES = frozenset("123456789ANY")


def credit_code_check_char(first17: str) -> str:
    """The 18th character that GB 32100 assigns to the first 17."""
    total = sum(_CREDIT_VALUES[char] * weight for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True))
    check = 31 - total % 31
    return CREDIT_CODE_ALPHABET[0 if check == 31 else check]


def is_valid_credit_code(code: str) -> bool:
    """Whether `code` is a well-formed unified social credit code with a correct check character."""
    if len(code) != 18 or any(char not in _CREDIT_VALUES for char in code):
        return False
    if code[0] not in _CREDIT_AUTHORITIES:
        return False
    return credit_code_check_char(code[:17]) == code[17]


_PATENT_NEW = re.compile(r"^(\d{4})([12389])(\d{7})\.([0-9X])$")
_PATENT_OLD = re.compile(r"^(\d{8})\.([0-9X])$")
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def patent_check_char(digits: str) -> str:
    """Check character for a patent application number's digits (mod 11, 10 -> X)."""
    total = sum(int(digit) * _PATENT_WEIGHTS[i % len(_PATENT_WEIGHTS)] for i, digit in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _patent_parts(raw: str) -> tuple[str, str, str] | None:
    """(text without ZL prefix, digits, check character) if `raw` has the shape of an application number."""
    text = raw.strip().upper().replace(" ", "")
    text = text.removeprefix("ZL")
    for pattern in (_PATENT_NEW, _PATENT_OLD):
        match = pattern.match(text)
        if match:
            return text, "".join(match.groups()[:-1]), match.groups()[-1]
    return None


def normalize_patent_number(raw: str) -> str | None:
    """The canonical application number (no ZL prefix) if `raw` is valid, else None."""
    parts = _patent_parts(raw)
    if parts is None:
        return None
    text, digits, check = parts
    return text if patent_check_char(digits) == check else None


def expected_patent_check_char(raw: str) -> str | None:
    """The check character `raw` should end in, when it has the shape of an application number."""
    parts = _patent_parts(raw)
    return None if parts is None else patent_check_char(parts[1])


def patent_type_digit(number: str) -> str:
    """The type digit of a canonical application number: the 5th since 2003, the 3rd in 8-digit ones."""
    return number[4] if len(number) == len("201710601862.3") else number[2]


_MOBILE = re.compile(r"^(?:\+86|0086|86)?(1[3-9][0-9]{9})$")  # [0-9]: \d also matches other scripts' digits


def normalize_mobile(raw: str) -> str | None:
    """The 11-digit mainland mobile number if `raw` is one (with an optional +86/86/0086), else None."""
    match = _MOBILE.match(raw.strip().replace(" ", "").replace("-", ""))
    return match.group(1) if match else None


def mask_mobile(number: str) -> str:
    """138****5678: what anonymous readers see of a contact phone."""
    return f"{number[:3]}****{number[-4:]}" if len(number) >= 7 else "****"


# Contact numbers, as people write them: a mainland mobile (13812345678, 138 1234 5678, +86 138…) or a
# landline with the trunk 0 and an area code (010 and 02X have two digits after the 0, all others
# three), a local number of 7 or 8 digits that starts with neither 0 nor 1 (grouped by a space or a
# dash, or not), and an optional extension after -, 转, 分机, #, x or ext. The same pattern is
# declared in the OpenAPI document (without group names), so what a client's validator passes is
# exactly what the API accepts.
_INTL = r"(?:\+86|0086)[ -]?"
_AREA = r"(?P<area>10|2[0-9]|[3-9][0-9]{2})"
_LOCAL = r"(?P<local>[2-9][0-9]{2,3}[ -]?[0-9]{4})"
_EXTENSION = r"(?: ?(?:-|转|分机|#|[xX]|[eE][xX][tT]\.?) ?(?P<extension>[0-9]{1,6}))?"
_AREA_CODE = (  # a name per way of writing it, as a pattern may name a group once
    rf"(?:{_INTL}[(（]?0?{_AREA}[)）]?"
    rf"|[(（]0{_AREA.replace('area', 'area2')}[)）]"
    rf"|0{_AREA.replace('area', 'area3')})"
)
_LANDLINE = rf"{_AREA_CODE}[ -]?{_LOCAL}{_EXTENSION}"
_MOBILE_WRITTEN = r"(?:(?:\+86|0086|86)[ -]?)?(?P<mobile>1[3-9][0-9](?:[ -]?[0-9]{4}){2})"
_PHONE = re.compile(rf"^(?:{_MOBILE_WRITTEN}|{_LANDLINE})$")
PHONE_PATTERN = re.sub(r"\(\?P<\w+>", "(", _PHONE.pattern)  # ECMA-262 has no named groups in JSON Schema use
MAX_PHONE_LENGTH = 20  # 0518-85427978-123456


def normalize_phone(raw: str) -> str | None:
    """A contact number in one form: a mobile as its 11 digits (13812345678), a landline as
    area-local[-extension] (0518-85427978, 0518-85427978-123); None if `raw` is neither."""
    match = _PHONE.fullmatch(raw)  # fullmatch: `$` alone would let a trailing newline through
    if match is None:
        return None
    if match["mobile"]:
        return re.sub(r"[ -]", "", match["mobile"])
    area = match["area"] or match["area2"] or match["area3"]
    number = f"0{area}-{re.sub(r'[ -]', '', match['local'])}"
    return f"{number}-{match['extension']}" if match["extension"] else number


def mask_phone(number: str) -> str:
    """What readers other than the owner see of a contact number: a mobile's middle four digits
    hidden (138****5678), a landline's local number all but its last four (0518-****7978), and no
    extension."""
    if "-" not in number:
        return mask_mobile(number)
    area, local = number.split("-")[:2]
    return f"{area}-****{local[-4:]}"


# GB/T 2260: the first two digits of an area code name a province-level division.
_PROVINCES = frozenset(
    (
        *("11", "12", "13", "14", "15", "21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"),
        *("61", "62", "63", "64", "65", "71", "81", "82"),
    )
)
_DIVISION_CODE = re.compile(r"^[0-9]{6}$")


def is_valid_area_code(code: str) -> bool:
    """A six-digit GB/T 2260 administrative division code: ASCII digits, a province-level prefix,
    and a prefecture part (digits 3–4) that is 00 only where the county part (5–6) is too."""
    if not _DIVISION_CODE.match(code) or code[:2] not in _PROVINCES:
        return False
    return not (code[2:4] == "00" and code[4:] != "00")
