"""RFC 9457 problem+json: the one shape of every error response, and its OpenAPI declaration."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.core.errors import DatabaseUnavailable, DomainError, PreconditionRequired, ValidationFailed
from app.core.i18n import CONTENT_LANGUAGE, Language, Text, current_language, render
from app.core.validation_text import validation_message

logger = logging.getLogger("app.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://techtransfer.example/problems/"

# Codes for errors that come from the framework rather than from a DomainError.
_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}


class FieldError(BaseModel):
    loc: list[str | int] = Field(
        description="Where the error is: body/query/path/header, then the field path"
    )
    code: str = Field(description="Stable machine-readable code of this field error")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document with this API's stable `code`."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str = Field(description="Stable machine-readable error code")
    errors: list[FieldError] | None = Field(default=None, description="Field errors (422 only)")


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: Text,
    *,
    title: Text | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    """The problem document, its words in the request's language (`title`, `detail` and each
    error's `message` are messages or catalogued texts; `code` and `type` stay as they are)."""
    language = request_language(request)
    body: dict[str, Any] = {
        **(extensions or {}),
        "type": PROBLEM_TYPE_BASE + code,
        "title": render(title or HTTPStatus(status).phrase, language),
        "status": status,
        "detail": render(detail, language),
        "instance": request.url.path,
        "code": code,
    }
    if errors is not None:
        body["errors"] = [{**error, "message": render(error["message"], language)} for error in errors]
    headers = {**(headers or {}), "Content-Language": CONTENT_LANGUAGE[language], "Vary": "Accept-Language"}
    if status == 401:
        headers["WWW-Authenticate"] = _challenge(request)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def request_language(request: Request) -> Language:
    """The language `LanguageMiddleware` chose for this request (the current one outside requests)."""
    chosen = request.scope.get("state", {}).get("language")
    return chosen if isinstance(chosen, Language) else current_language()


def _challenge(request: Request) -> str:
    """RFC 6750's challenge: how to authenticate, and whether the credentials sent were refused."""
    if "authorization" in request.headers:
        return 'Bearer realm="techtransfer", error="invalid_token"'
    return 'Bearer realm="techtransfer"'


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        # Pydantic echoes the input back in its messages for some errors; keep only the message text,
        # which never carries secrets such as a submitted password.
        errors.append(
            {"loc": loc, "code": str(error.get("type", "invalid")), "message": validation_message(error)}
        )
    return errors


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, DomainError):  # registered for DomainError only
        raise exc
    errors = getattr(exc, "errors", None)
    return problem_response(
        request,
        exc.status,
        exc.code,
        exc.detail,
        title=exc.title,
        errors=errors,
        headers=exc.headers or None,
        # RFC 9457 extension members a DomainError adds (an import's row errors, say).
        extensions=getattr(exc, "extensions", None),
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):  # registered for RequestValidationError only
        raise exc
    if _missing_if_match(exc):
        # A required precondition, not a malformed request (RFC 6585): 428 whatever else is wrong
        # with the request, as preconditions are judged before the content. (What a dependency
        # refused, a 403, 404 or 409, was answered before this.)
        missing = PreconditionRequired("Send If-Match with the ETag you last read")
        return await _on_domain_error(request, missing)
    return problem_response(
        request,
        422,
        "validation_failed",
        "The request is not valid",
        title=ValidationFailed.title,  # one title for every 422 of this code, whoever found it
        errors=_validation_errors(exc),
    )


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):  # registered for StarletteHTTPException only
        raise exc
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405 and (allowed := _allowed_methods(request)):
        headers["Allow"] = allowed
    return problem_response(request, exc.status_code, code, detail, headers=headers or None)


def _missing_if_match(exc: RequestValidationError) -> bool:
    """Whether the request left out the If-Match header that its operation declares required."""
    return any(
        error.get("type") == "missing" and tuple(error.get("loc", ())) == ("header", "if-match")
        for error in exc.errors()
    )


_OPENAPI_METHODS = ("get", "put", "post", "delete", "patch")


@lru_cache(maxsize=256)
def _path_regex(template: str) -> re.Pattern[str]:
    return compile_path(template)[0]


def _allowed_methods(request: Request) -> str:
    """Every method served at this path (RFC 9110 wants them all in Allow; the router names one route's)."""
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    matching = {
        template: item for template, item in paths.items() if _path_regex(template).match(request.url.path)
    }
    # The most literal templates only, as routing has it: /demands/export is not also
    # /demands/{demand_id}, and /demands/2/matches is not also /demands/{demand_id}/{action}.
    fewest = min((template.count("{") for template in matching), default=0)
    methods = {
        method.upper()
        for template, item in matching.items()
        if template.count("{") == fewest
        for method in item
        if method in _OPENAPI_METHODS
    }
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


async def _on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # Services check the usual conflicts first; this catches the race the check cannot see.
    logger.info("integrity error on %s: %s", request.url.path, type(exc).__name__)
    return problem_response(request, 409, "conflict", "The change conflicts with data already stored")


async def _on_stale_data(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request, 412, "precondition_failed", "The resource was changed by someone else; read it again"
    )


# SQLSTATE classes of a server that cannot serve now, whatever the request: connection exceptions,
# insufficient resources (out of memory or locks, too many connections, disk full) and operator
# intervention (shutting down, starting up).
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57P")


def _database_out_of_reach(exc: Exception) -> bool:
    """A restart, outage or exhaustion of the database, not a fault of the request: the connection
    died under a statement, the server refused or dropped it, or reported it could not serve."""
    if isinstance(exc, DBAPIError):
        sqlstate = str(getattr(exc.orig, "sqlstate", None) or "")
        return (
            exc.connection_invalidated
            or isinstance(exc, OperationalError)
            or sqlstate.startswith(_UNAVAILABLE_SQLSTATE_CLASSES)
        )
    return isinstance(exc, ConnectionError)


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    # Request sessions ping their connection before use, so this is the window of a restart (or
    # an outage): a retryable 503, never a 500. The public read path retries once itself.
    if not _database_out_of_reach(exc):
        return await _on_unexpected(request, exc)
    logger.warning("database out of reach on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return await _on_domain_error(request, DatabaseUnavailable())


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(request, 500, "internal_error", "An unexpected error occurred")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(StaleDataError, _on_stale_data)
    app.add_exception_handler(DBAPIError, _on_database_error)
    app.add_exception_handler(ConnectionError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)


_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Missing, invalid or expired credentials",
    403: "Authenticated but not permitted",
    404: "No such resource, or not visible to the caller",
    409: "Conflicts with the resource's current state or with stored data",
    412: "If-Match does not match the current ETag",
    413: "Request body too large",
    422: "Validation failed; see `errors`",
    428: "If-Match header required",
    429: "Too many attempts; see Retry-After",
    500: "Unexpected server error",
    503: "A dependency (the database) is unavailable",
}

COMMON_ERRORS = (401, 403, 404, 413, 422, 429, 500)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries declaring problem+json bodies for `statuses`.

    A route that takes a body (and so may answer 413) may also get one it cannot parse: 400.
    """
    if 413 in statuses and 400 not in statuses:
        statuses = (400, *statuses)
    return {
        status: {
            "description": _DESCRIPTIONS.get(status, HTTPStatus(status).phrase),
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
