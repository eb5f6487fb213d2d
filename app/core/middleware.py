"""Pure ASGI middleware: the request's language, request ids, the body size limit, HTTP conventions."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import PayloadTooLarge
from app.core.i18n import CONTENT_LANGUAGE, Language, current_language, msg, negotiate, render, set_language
from app.core.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class LanguageMiddleware:
    """Chooses the language of the request's messages once, from Accept-Language among the supported
    ones, else the deployment's default; problem documents and stored messages are rendered in it."""

    def __init__(self, app: ASGIApp, default: Language) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            language = negotiate(_header(scope, b"accept-language"), self.default)
            scope.setdefault("state", {})["language"] = language
            set_language(language)  # this request's task only
        await self.app(scope, receive, send)


class RequestIdMiddleware:
    """Takes a well-formed X-Request-ID from the client or makes one; echoes it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = _header(scope, b"x-request-id")
        request_id = supplied if supplied and _SAFE_REQUEST_ID.match(supplied) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)


class BodySizeLimitMiddleware:
    """413 for bodies over `max_bytes`: by Content-Length up front, or while a chunked body streams in.
    `larger_limits` raises the limit for the paths named there (file uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger_limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger_limits = larger_limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.larger_limits.get(scope.get("path", ""), self.max_bytes)
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
            await _send_too_large(scope, send, max_bytes)
            return
        received = 0
        exceeded = started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    exceeded = True
                    raise PayloadTooLarge(
                        msg("The request body exceeds {max_bytes} bytes", max_bytes=max_bytes)
                    )
            return message

        # The framework turns an error while reading the body into its own 400; once the limit is
        # passed, whatever the app answers is dropped and the 413 below is sent instead.
        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except PayloadTooLarge:
            if not exceeded:
                raise
        if exceeded and not started:
            await _send_too_large(scope, send, max_bytes)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def _send_too_large(scope: Scope, send: Send, max_bytes: int) -> None:
    language = scope.get("state", {}).get("language") or current_language()
    too_large = PayloadTooLarge(msg("The request body exceeds {max_bytes} bytes", max_bytes=max_bytes))
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + too_large.code,
        "title": render(too_large.title, language),
        "status": too_large.status,
        "detail": render(too_large.detail, language),
        "instance": scope.get("path", ""),
        "code": too_large.code,
    }
    payload = json.dumps(body, ensure_ascii=False).encode()
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(payload)).encode()),
        (b"content-language", CONTENT_LANGUAGE[language].encode()),
        (b"vary", b"Accept-Language"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class HttpConventionsMiddleware:
    """What HTTP clients expect of every route: HEAD wherever GET is (the GET's headers, no body;
    RFC 9110 9.3.2), and `Cache-Control: no-store` on what no shared cache may keep: token responses
    and anything read with credentials (RFC 6749 5.1, RFC 9111)."""

    def __init__(self, app: ASGIApp, *, private_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.private_prefixes = private_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        private = _header(scope, b"authorization") is not None or scope["path"].startswith(
            self.private_prefixes
        )
        if head:
            scope = {**scope, "method": "GET"}

        async def conventional_send(message: Message) -> None:
            if message["type"] == "http.response.start" and private:
                headers = MutableHeaders(scope=message)
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            if message["type"] == "http.response.body" and head:
                if message.get("more_body", False):
                    return  # the body is not sent; only its end is
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, conventional_send)
