"""The dashboard page as served: its own files only, under a strict Content-Security-Policy, outside the
API's document, with the vendored ECharts as recorded. (tests/dashboard/test_dashboard_browser.py runs
it in a browser.)"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urljoin

from httpx import AsyncClient

from app.dashboard.page import STATIC_DIRECTORY

VENDORED = STATIC_DIRECTORY / "vendor" / "echarts"


async def test_the_page_and_its_files_are_served_with_a_strict_policy(client: AsyncClient) -> None:
    page = await client.get("/dashboard")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<html lang="zh-CN">' in page.text
    assert "登录" in page.text

    html = page.text
    # Nothing the policy would block: no inline script, style element, style attribute or handler.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(asset.endswith("echarts.min.js") for asset in assets)
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert "//" not in asset, f"the page loads {asset} from elsewhere"
        url = urljoin(str(page.url), asset)
        fetched = await client.get(url)
        assert fetched.status_code == 200, asset
        assert fetched.headers["content-security-policy"] == policy


async def test_the_page_is_not_an_api_operation(client: AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert not [path for path in document["paths"] if "dashboard" in path]
    # No query parameter is refused: the page takes none, and ignores what a link adds.
    assert (await client.get("/dashboard", params={"from": "mail"})).status_code == 200


def test_the_script_calls_only_this_origin() -> None:
    script = (STATIC_DIRECTORY / "dashboard.js").read_text(encoding="utf-8")
    assert "http://" not in script
    assert "https://" not in script
    assert 'const API = "api/v1/";' in script  # relative: the page works under a path prefix too


def test_the_vendored_echarts_is_the_recorded_release() -> None:
    recorded = (VENDORED / "VERSION.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((VENDORED / "echarts.min.js").read_bytes()).hexdigest()
    assert f"sha256 of `echarts.min.js`: `{digest}`" in recorded
    assert (VENDORED / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")
    assert (VENDORED / "NOTICE").is_file()
