"""The dashboard in a real browser: the app served by uvicorn on a free local port (a thread) over this
module's database with the demo loaded, driven in the system's headless Chromium through Selenium.

The figures the page shows must be the statistics API's; a contract registered meanwhile (the
Done-when story of issue 15: a seller files and submits, a registrar of its district accepts and
registers) moves them by exactly its amount. A screenshot is left at test-artifacts/dashboard.png.

Marked `browser`: CI runs these on SQLite only (.ci/run), since the page reads the same API on either
database and the statistics' SQL is tested on both by tests/statistics; the browser would only
add to the PostgreSQL step's time. Run them on PostgreSQL with TEST_DATABASE_URL set as any test.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from app.core.clock import today, utcnow
from app.demo.contract_loader import load_contracts
from app.demo.network import DEMO_PASSWORD
from app.demo.network_loader import load_network
from app.demo.summary import DemoSummary
from app.main import create_app
from tests.conftest import app_on, make_settings

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOT = ARTEFACTS / "dashboard.png"
WAIT = 15  # seconds for a page to load its figures: far more than it takes (about one)
CITY_ADMIN = "city-admin@example.com"
DISTRICT_REGISTRAR = "haizhou-registrar@example.com"
SELLER = "university@example.com"  # 江苏海洋工程大学, in 海州区


@dataclass(frozen=True)
class Server:
    url: str
    app: FastAPI


@pytest.fixture(scope="module")
async def app(module_database: str) -> AsyncIterator[FastAPI]:
    """The demo network and its contracts in this module's database, committed before the server
    starts (the demo's listings, the slow part of `load_demo_data`, play no part in the figures)."""
    async with app_on(module_database) as application:
        async with application.state.sessionmaker() as session:
            summary = DemoSummary()
            organizations, users = await load_network(session, utcnow(), summary)
            settings = application.state.settings
            await load_contracts(session, utcnow(), organizations, users, summary, settings)
            await session.commit()
        assert summary.registrations > 300
        yield application


@pytest.fixture(scope="module")
def server(app: FastAPI, module_database: str) -> Iterator[Server]:
    """uvicorn in a thread of its own (its own event loop and engine) on a free local port."""
    served = create_app(make_settings(module_database))
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    listening.listen(64)
    port = listening.getsockname()[1]
    config = uvicorn.Config(served, log_level="warning", lifespan="on")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the dashboard's server did not start")
        time.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}", served)
    finally:
        instance.should_exit = True
        thread.join(timeout=30)
        listening.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """Debian's Chromium and its chromedriver, named explicitly: Selenium Manager never runs (it would
    download a browser or driver), and the browser makes no request of its own."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,2100",
        "--lang=zh-CN",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _token(server: Server, email: str) -> dict[str, str]:
    response = httpx.post(
        f"{server.url}/api/v1/auth/token", data={"username": email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _get(server: Server, headers: dict[str, str], path: str, **params: Any) -> Any:
    response = httpx.get(f"{server.url}/api/v1/{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _sign_in(browser: WebDriver, server: Server, email: str) -> None:
    """Open the page (signing out whoever the tab still holds) and sign in as `email`."""
    browser.get(f"{server.url}/dashboard")
    _until(browser, lambda: _body(browser).get("signedIn") in ("true", "false"))
    if _body(browser)["signedIn"] == "true":
        browser.find_element(By.ID, "sign-out").click()
    browser.find_element(By.ID, "username").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.ID, "sign-in-button").click()
    _loaded(browser, today().year)


def _body(browser: WebDriver) -> dict[str, str]:
    """The page's state (body's data-*): signedIn, loading, loaded (the year), loads (a counter)."""
    return dict(browser.execute_script("return Object.assign({}, document.body.dataset)"))


def _loaded(browser: WebDriver, year: int, after: int = 0) -> int:
    """Wait until the page has drawn `year` (a load later than number `after`); its number."""

    def done() -> bool:
        body = _body(browser)
        return (
            body.get("loading") == "false"
            and body.get("loaded") == str(year)
            and int(body.get("loads", "0")) > after
        )

    _until(browser, done)
    return int(_body(browser)["loads"])


def _until(browser: WebDriver, condition: Callable[[], bool]) -> None:
    try:
        WebDriverWait(browser, WAIT, poll_frequency=0.05).until(lambda _: condition())
    except WebDriverException:
        _problems(browser)  # say what the browser saw
        raise


def _data(browser: WebDriver, element_id: str, attribute: str = "data-values") -> Any:
    return json.loads(_attribute(browser, element_id, attribute) or "null")


def _attribute(browser: WebDriver, element_id: str, attribute: str) -> str:
    # One round trip (Selenium's get_attribute runs a larger script).
    found = browser.execute_script(
        "return document.getElementById(arguments[0]).getAttribute(arguments[1])", element_id, attribute
    )
    return str(found or "")


def _rows(tally: dict[str, Any], dimension: str) -> list[dict[str, Any]]:
    return [
        {
            "value": row["keys"][dimension]["value"],
            "label": row["keys"][dimension]["label"],
            "count": row["count"],
            "total_fen": row["total_fen"],
        }
        for row in tally["rows"]
    ]


def _wan(fen: int) -> str:
    return f"{fen / 1_000_000:,.2f} 万元"


def _problems(browser: WebDriver) -> list[str]:
    """The console's errors (a script error, a request the CSP blocked), not counting answers the page
    expects (a registrar's 403 from the statistics)."""
    entries = browser.get_log("browser")  # type: ignore[no-untyped-call]
    found = [
        str(entry["message"])
        for entry in entries
        if entry["level"] == "SEVERE" and "status of 403" not in entry["message"]
    ]
    for message in found:
        print("browser:", message)  # noqa: T201 - shown when a test fails
    return found


def test_the_city_administrator_sees_the_api_figures(browser: WebDriver, server: Server) -> None:
    year = today().year
    admin = _token(server, CITY_ADMIN)
    _sign_in(browser, server, CITY_ADMIN)

    by_month = _get(server, admin, "statistics/tally", by="period", period="month", year=year)
    totals = by_month["totals"]
    assert totals["count"] > 100, "the demo's year is there"
    assert int(_attribute(browser, "kpi-total", "data-fen")) == totals["total_fen"]
    assert browser.find_element(By.ID, "kpi-total").text == _wan(totals["total_fen"])
    assert int(_attribute(browser, "kpi-income", "data-fen")) == totals["technical_income_fen"]
    assert int(_attribute(browser, "kpi-count", "data-count")) == totals["count"]
    assert int(_attribute(browser, "kpi-iur", "data-count")) == totals["iur_count"]
    assert _data(browser, "chart-month") == _rows(by_month, "period")
    last_year = _get(server, admin, "statistics/tally", by="period", period="month", year=year - 1)
    assert int(_attribute(browser, "kpi-total-previous", "data-fen")) == last_year["totals"]["total_fen"]
    assert _data(browser, "chart-month", "data-previous") == _rows(last_year, "period")

    for element_id, dimension in (
        ("chart-region", "region"),
        ("chart-type", "contract_type"),
        ("chart-field", "tech_field"),
    ):
        tally = _get(server, admin, "statistics/tally", by=dimension, year=year)
        assert _data(browser, element_id) == _rows(tally, dimension), element_id
        assert sum(row["total_fen"] for row in tally["rows"]) == totals["total_fen"], element_id
    districts = _data(browser, "chart-region")
    assert len(districts) >= 7, "the city's districts, counties and zones"

    targets = _get(server, admin, "statistics/targets", year=year)
    items = targets if isinstance(targets, list) else targets["items"]
    for metric in ("total_fen", "iur_projects"):
        item = next(item for item in items if item["metric"] == metric)
        shown = f"target-{metric}"
        assert int(_attribute(browser, shown, "data-value")) == item["value"]
        assert int(_attribute(browser, shown, "data-actual")) == item["actual"]
        assert float(_attribute(browser, shown, "data-progress")) == pytest.approx(item["progress"])
        assert int(_attribute(browser, shown, "data-forecast")) == item["forecast"]
    for element_id, side in (("top-sellers", "seller"), ("top-buyers", "buyer")):
        top = _get(server, admin, "statistics/top", side=side, year=year, limit=10)["items"]
        shown = _data(browser, element_id)
        assert [(row["name"], row["total_fen"]) for row in shown] == [
            (row["name"], row["total_fen"]) for row in top
        ]
        assert len(shown) == 10
    assert not browser.find_element(By.ID, "queue-panel").is_displayed(), "for registrars"

    ARTEFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SCREENSHOT))
    print(f"dashboard screenshot: {SCREENSHOT}")  # noqa: T201 - where to look

    # Last year, from the selector: the page asks again and shows that year's figures.
    loads = int(_body(browser)["loads"])
    Select(browser.find_element(By.ID, "year")).select_by_value(str(year - 1))
    _loaded(browser, year - 1, after=loads)
    assert int(_attribute(browser, "kpi-total", "data-fen")) == last_year["totals"]["total_fen"]
    assert _data(browser, "chart-month") == _rows(last_year, "period")
    assert not _problems(browser)


def test_a_registration_moves_the_figures_by_its_amount(browser: WebDriver, server: Server) -> None:
    """Issue 15's Done-when: the seller files and submits, a registrar of its district accepts and
    registers; the page, refreshed, shows 成交额 and 海州区's bar moved by exactly its amount."""
    year = today().year
    admin = _token(server, CITY_ADMIN)
    _sign_in(browser, server, CITY_ADMIN)
    before = int(_attribute(browser, "kpi-total", "data-fen"))
    districts = {row["label"]: row for row in _data(browser, "chart-region")}

    seller = _token(server, SELLER)
    registrar = _token(server, DISTRICT_REGISTRAR)
    me = _get(server, seller, "users/me")
    found = _get(server, admin, "organizations", q="连云港瀚海新能源科技有限公司")["items"]
    buyer = found[0]["id"]
    amount = 234_567_800  # 成交额 234.5678 万元, with 30 万元 of equipment deducted
    body = {
        "organization_id": me["memberships"][0]["organization_id"],
        "project_name": "海上风电桩基防腐涂层技术开发",
        "contract_type": "development",
        "subtype": "commissioned_development",
        "signed_on": today().isoformat(),
        "buyer": {"organization_id": buyer},
        "tech_field": "new_materials",
        "total_fen": amount,
        "deductions": [{"item": "采购试验设备", "amount_fen": 30_000_000}],
    }
    created = httpx.post(f"{server.url}/api/v1/contracts", json=body, headers=seller)
    assert created.status_code == 201, created.text
    contract = created.json()["id"]
    for who, action in ((seller, "submit"), (registrar, "accept"), (registrar, "register")):
        response = httpx.post(f"{server.url}/api/v1/contracts/{contract}/{action}", headers=who)
        assert response.status_code == 200, response.text

    after_api = _get(server, admin, "statistics/tally", by="period", period="month", year=year)["totals"]
    assert after_api["total_fen"] == before + amount
    loads = int(_body(browser)["loads"])
    browser.find_element(By.ID, "refresh").click()
    _loaded(browser, year, after=loads)
    assert int(_attribute(browser, "kpi-total", "data-fen")) == before + amount
    assert browser.find_element(By.ID, "kpi-total").text == _wan(before + amount)
    moved = {row["label"]: row for row in _data(browser, "chart-region")}
    assert moved["海州区"]["total_fen"] == districts["海州区"]["total_fen"] + amount
    assert moved["海州区"]["count"] == districts["海州区"]["count"] + 1
    assert {label: row for label, row in moved.items() if label != "海州区"} == {
        label: row for label, row in districts.items() if label != "海州区"
    }
    assert not _problems(browser)


def test_a_registrar_sees_the_overdue_queue(browser: WebDriver, server: Server) -> None:
    registrar = _token(server, DISTRICT_REGISTRAR)
    _sign_in(browser, server, DISTRICT_REGISTRAR)
    overdue = _get(server, registrar, "contracts", scope="queue", overdue="true", limit=100)["items"]
    assert overdue, "the demo leaves 海州区 an overdue contract"
    assert browser.find_element(By.ID, "queue-panel").is_displayed()
    assert _data(browser, "overdue-queue") == [
        {key: item[key] for key in ("id", "project_name", "due_on", "total_fen")} for item in overdue
    ]
    rows = browser.find_elements(By.CSS_SELECTOR, "#overdue-queue tbody tr")
    assert [row.find_elements(By.TAG_NAME, "td")[0].text for row in rows] == [
        item["project_name"] for item in overdue
    ]
    assert "无权" in browser.find_element(By.ID, "status").text  # the statistics are the administrators'
    assert not _problems(browser)
