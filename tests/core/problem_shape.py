"""The RFC 9457 shape every error response must have (shared by the test packages)."""

from __future__ import annotations

from typing import Any

from httpx import Response

PROBLEM_FIELDS = ("type", "title", "status", "detail", "instance", "code")
_TRACEBACK_MARKERS = ("Traceback", 'File "', "site-packages", '.py", line')


def assert_problem(response: Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Asserts `response` is a problem+json document for `status` (and `code`), and returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    for name in PROBLEM_FIELDS:
        assert name in body, f"problem body lacks {name!r}: {body}"
    assert body["status"] == status
    assert isinstance(body["code"], str)
    assert body["code"]
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["instance"] == response.request.url.path
    assert body["type"].endswith(body["code"])
    for marker in _TRACEBACK_MARKERS:
        assert marker not in response.text, response.text
    if code is not None:
        assert body["code"] == code, body
    if status == 422:
        assert body.get("errors"), body
        for error in body["errors"]:
            assert set(error) >= {"loc", "code", "message"}, error
            assert isinstance(error["loc"], list)
    return body


def error_locs(body: dict[str, Any]) -> list[list[str | int]]:
    return [error["loc"] for error in body.get("errors") or []]
