from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.core.enums import ALL_ENUMS
from app.listings import access

router = APIRouter(prefix="/meta", tags=["meta"])


class EnumValue(BaseModel):
    value: str
    label: str


@router.get("/enums", operation_id="list_enums")
async def list_enums() -> dict[str, list[EnumValue]]:
    """Every enumeration the API uses, with Chinese labels."""
    return {enum.__name__: [EnumValue(value=m.value, label=m.label) for m in enum] for enum in ALL_ENUMS}


class NdaTerms(BaseModel):
    version: str
    text: str


@router.get("/nda", operation_id="get_nda_terms")
async def get_nda_terms() -> NdaTerms:
    """The non-disclosure terms an access request to a listing's confidential detail accepts."""
    return NdaTerms(version=access.NDA_VERSION, text=access.NDA_TEXT)
