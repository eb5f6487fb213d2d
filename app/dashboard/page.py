"""Serving the dashboard: the page at `/dashboard` and its files under `/dashboard/static/`, outside
the API (not in the OpenAPI document), each with headers that keep the page to its own origin."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.datastructures import MutableHeaders
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PATH = "/dashboard"
STATIC_PATH = f"{PATH}/static"
STATIC_DIRECTORY = Path(str(files(__package__).joinpath("static")))

# The page runs only its own files: no inline script or style, no other origin, no framing. Scripts
# may still set styles through the DOM (ECharts sizes its canvas and tooltip that way), which a
# policy without 'unsafe-inline' allows; the charts are drawn on canvas, images from data: URLs.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    # Revalidated each time (the static files answer 304 to a matching ETag), so a new release shows.
    "Cache-Control": "no-cache",
}


@cache
def _page() -> str:
    return files(__package__).joinpath("page.html").read_text(encoding="utf-8")


async def dashboard() -> HTMLResponse:
    """The dashboard page (Chinese)."""
    return HTMLResponse(_page(), headers=SECURITY_HEADERS)


class _WithSecurityHeaders:
    """The static files, answered with the page's security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """Add the page and its files to `app`, outside /api/v1 and the OpenAPI document."""
    app.add_api_route(PATH, dashboard, methods=["GET"], include_in_schema=False, name="dashboard")
    static = StaticFiles(directory=STATIC_DIRECTORY)
    app.mount(STATIC_PATH, _WithSecurityHeaders(static), name="dashboard-static")
