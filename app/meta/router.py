from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.core.enums import ALL_ENUMS

router = APIRouter(prefix="/meta", tags=["meta"])


class EnumValue(BaseModel):
    value: str
    label: str


@router.get("/enums", operation_id="list_enums")
async def list_enums() -> dict[str, list[EnumValue]]:
    """Every enumeration the API uses, with Chinese labels."""
    return {enum.__name__: [EnumValue(value=m.value, label=m.label) for m in enum] for enum in ALL_ENUMS}
