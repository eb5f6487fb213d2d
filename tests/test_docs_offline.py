"""The API's documentation pages work without the internet: every asset comes from the app itself."""

from __future__ import annotations

import re

import pytest
from httpx import AsyncClient


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_their_assets_from_the_app(client: AsyncClient, page: str) -> None:
    html = await client.get(page)
    assert html.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html.text)
    scripts = [asset for asset in assets if asset.endswith(".js")]
    assert scripts, html.text
    for asset in assets:
        assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
        fetched = await client.get(asset)
        assert fetched.status_code == 200, asset
    assert "googleapis" not in html.text
    assert "cdn." not in html.text
