"""Registration numbers (登记号): 16 digits, by default the year, the registration point's six-digit
area code and a six-digit serial, unique and gap-free per point and year (the serial is claimed from a
counter row in the registering transaction). The layout is configuration: a template over `year`,
`area` and `serial`."""

from __future__ import annotations

import re
import string

DEFAULT_TEMPLATE = "{year:04d}{area}{serial:06d}"
_SIXTEEN_DIGITS = re.compile(r"^[0-9]{16}$")


class NumberTemplateError(ValueError):
    """A template that does not make 16 digits of its parts."""


def check_template(template: str) -> str:
    """`template` if it names only year, area and serial, and makes 16 digits of sample values."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if not names <= {"year", "area", "serial"} or "serial" not in names:
        raise NumberTemplateError(f"a registration number template names year, area and serial: {template!r}")
    for serial in (1, 999_999):
        try:
            registration_number(template, 2026, "320700", serial)
        except SerialExhausted as error:
            raise NumberTemplateError(f"the template does not make 16 digits: {error}") from error
    return template


class SerialExhausted(ValueError):
    """A registration point used up its serials for the year (the number would not be 16 digits)."""


def registration_number(template: str, year: int, area: str, serial: int) -> str:
    number = template.format(year=year, area=area, serial=serial)
    if not _SIXTEEN_DIGITS.match(number):
        raise SerialExhausted(f"registration number {number!r} is not 16 digits")
    return number


def is_registration_number(text: str) -> bool:
    return bool(_SIXTEEN_DIGITS.match(text))
