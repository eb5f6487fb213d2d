"""Domain exceptions: each carries an HTTP status and a stable machine-readable code.

Services raise these; `app.core.problems` turns them into RFC 9457 responses. Nothing here knows
about the web framework, so services stay testable without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from app.core.i18n import Text


class DomainError(Exception):
    """Base class. Subclasses fix `status`, `code` and an English `title` (a catalog key, shown in the
    reader's language); `detail` says what happened in words, a `Message` or a catalogued text."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: Text | None = None, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(str(detail or self.title))
        self.detail: Text = detail or self.title
        if code is not None:
            self.code = code  # type: ignore[misc]
        self.extra = extra
        self.headers: dict[str, str] = {}


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class Unauthorized(DomainError):
    status = 401
    code = "not_authenticated"
    title = "Authentication required"


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    title = "Invalid credentials"


class RefreshTokenReused(Unauthorized):
    code = "refresh_token_reused"
    title = "Refresh token was already used; its session has been revoked"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Not permitted"


class WrongPassword(Forbidden):
    code = "wrong_password"
    title = "The current password is not correct"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"
    title = "The resource is not in a state that allows this"


class PreconditionFailed(DomainError):
    status = 412
    code = "precondition_failed"
    title = "The resource has changed since you read it"


class PreconditionRequired(DomainError):
    status = 428
    code = "precondition_required"
    title = "If-Match header required"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    title = "Request body too large"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"
    title = "Too many requests"

    def __init__(self, detail: Text | None = None, *, retry_after_seconds: int, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["Retry-After"] = str(max(1, retry_after_seconds))


class ValidationFailed(DomainError):
    """A rule the schema cannot express (e.g. an unknown sort field); rendered like any 422."""

    status = 422
    code = "validation_failed"
    title = "Validation failed"

    def __init__(
        self,
        detail: Text,
        *,
        field: str | None = None,
        location: str = "body",
        error_code: str = "invalid",
        fields: Sequence[str] = (),
    ) -> None:
        super().__init__(detail)
        # The same `loc` shape as the framework's own 422s: ["body", "days", 0, "day"], ["query", "sort"];
        # one error per field when the rule is about several (both ends of an inverted range).
        named = list(fields) or [field or ""]
        self.errors: list[dict[str, Any]] = [
            {"loc": [location, *_path(name)], "code": error_code, "message": detail} for name in named
        ]


def _path(field: str) -> list[str | int]:
    # ASCII digits only: str.isdigit() is true of "²", which int() refuses (an unknown query
    # parameter of that name was a 500).
    return [int(part) if part.isascii() and part.isdigit() else part for part in field.split(".") if part]


class ServiceUnavailable(DomainError):
    status = 503
    code = "service_unavailable"
    title = "Service unavailable"
    # A database restart takes seconds; clients that honour Retry-After come back once it is over.
    retry_after_seconds: ClassVar[int] = 5

    def __init__(self, detail: Text | None = None, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail, code=code, **extra)
        self.headers["Retry-After"] = str(self.retry_after_seconds)


class DatabaseUnavailable(ServiceUnavailable):
    """The database is restarting or out of reach: not the request's fault, worth a retry."""

    code = "database_unavailable"

    def __init__(self, detail: str = "The database is not reachable; try again shortly") -> None:
        super().__init__(detail)


class SetupMistake(RuntimeError):
    """A mistake in how the service is set up (a database path, a port) that one line explains:
    the command line prints it with its hint and exits 1, without a traceback."""
