from __future__ import annotations

from datetime import datetime
from typing import Any

from app.core.schemas import OutputModel


class AuditEventRead(OutputModel):
    id: int
    occurred_at: datetime
    actor_user_id: int | None
    actor_api_key_id: int | None
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
