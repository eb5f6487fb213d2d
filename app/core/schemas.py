"""Base schemas and shared annotated types (credit code, mobile number, e-mail)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from app.core.identifiers import is_valid_credit_code, normalize_mobile


class InputModel(BaseModel):
    """Request bodies: unknown fields are refused (422), so server-owned fields cannot be mass-assigned."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _check_credit_code(value: str) -> str:
    code = value.upper()
    if not is_valid_credit_code(code):
        raise ValueError("not a valid unified social credit code (GB 32100-2015 check character)")
    return code


def _check_mobile(value: str) -> str:
    number = normalize_mobile(value)
    if number is None:
        raise ValueError("not a mainland mobile number")
    return number


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("not an e-mail address")
    return value.lower()


CreditCode = Annotated[
    str,
    StringConstraints(min_length=18, max_length=18, strip_whitespace=True),
    AfterValidator(_check_credit_code),
]
MobileNumber = Annotated[str, StringConstraints(max_length=20), AfterValidator(_check_mobile)]
Email = Annotated[str, StringConstraints(max_length=254, strip_whitespace=True), AfterValidator(_check_email)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Password = Annotated[str, StringConstraints(min_length=10, max_length=128)]
