"""Real-browser tests: `streamlit run` on a free port against the session's demo warehouse,
driven by Playwright through Debian's Chromium (`/usr/bin/chromium`; `make test` installs it,
never Playwright's own browser download). Each page renders with no error element and no console error, a
filter change updates a figure, suppression shows for a tiny group, the board pack downloads.
Screenshots go to artifacts/screenshots/ (gitignored; $CADENCE_ARTIFACTS/screenshots/ when set)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app" / "streamlit_app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("CADENCE_ARTIFACTS") or REPO / "artifacts") / "screenshots"
PAGE_TITLES = {
    "quarterly_executive_review": "Quarterly executive review",
    "monthly_portfolio_review": "Monthly portfolio review",
    "weekly_operations_review": "Weekly operations review",
    "use_case_detail": "Use case detail",
    "data_health": "Data health",
}
# Loading a page's own URL makes Streamlit's frontend probe `<page>/_stcore/health` and
# `<page>/_stcore/host-config` before the root ones (streamlit/streamlit#7074, open): two
# 404s that are not the app's. Nothing else is tolerated.
STREAMLIT_PROBE = re.compile(r"/[a-z_]+/_stcore/(health|host-config)$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(published_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by `streamlit run` on a free port; its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {**os.environ, "CADENCE_HOME": str(published_home)}
    env.pop("CADENCE_MIN_GROUP_SIZE", None)
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(APP),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's Chromium is not installed: run `make browser` (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request) -> Iterator[object]:
    """A fresh page; fails the test on any console error or failed request the app causes."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and STREAMLIT_PROBE.search(url):
            return
        problems.append(f"console error: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "requestfailed", lambda req: problems.append(f"request failed: {req.url} {req.failure}")
    )
    yield page
    context.close()
    assert not problems, "\n".join(problems)


def settle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script run finished and every chart has drawn."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(chart => chart.querySelector('canvas, svg.marks'))""",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)


def screenshot(page, name: str) -> Path:
    """A full-length screenshot of the app's scrolling main area."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1500, "height": min(max(height, 1000), 16_000)})
    settle(page)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1500, "height": 1000})
    return path


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator(
            '[data-testid="stMetricLabel"]', has_text=re.compile(rf"^{re.escape(label)}$")
        )
    )
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label` (a combobox)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option)  # filters the (virtualised) option list
    page.get_by_role("option", name=option, exact=True).click()
    # the rerun the choice starts: settle() alone may see the previous run's "notRunning"
    # before the new run begins (a loaded machine starts it late)
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="running"]', timeout=5_000
        )
    settle(page)


def open_page(page, server: str, path: str) -> None:
    """Land at the root, then follow the sidebar link (client-side, as a user would)."""
    page.goto(f"{server}/?role=executive")
    settle(page)
    if path != "quarterly_executive_review":
        page.get_by_role("link", name=PAGE_TITLES[path]).click()
        page.wait_for_url(f"**/{path}*")
        settle(page)


@pytest.mark.parametrize("path", list(PAGE_TITLES))
def test_each_page_renders_without_errors(path, server, page):
    open_page(page, server, path)
    assert page.locator("h1").first.inner_text().strip() == PAGE_TITLES[path]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("data freshness").first.is_visible()
    assert screenshot(page, path).stat().st_size > 10_000


@pytest.mark.parametrize(
    ("role", "title"),
    [("platform", "Weekly operations review"), ("sponsor", "Monthly portfolio review")],
)
def test_role_lands_on_its_review(role, title, server, page):
    page.goto(f"{server}/?role={role}")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == title


def test_week_filter_updates_the_figures(server, page, mart: Callable[..., pl.DataFrame]):
    open_page(page, server, "weekly_operations_review")
    before = metric_value(page, "Requests")
    weeks = mart(
        "select period_start, cast(metric_value as bigint) from rpt_review_tiles "
        "where scope_id = 'organisation' and period_grain = 'week' and metric = 'requests' "
        "and metric_value > 0 order by 1"
    )
    week, requests = weeks.row(-6)
    iso_week = week.isocalendar().week
    choose(page, "Week under review", f"Week of {week:%d %b %Y} (W{iso_week:02d})")
    after = metric_value(page, "Requests")
    assert after == f"{requests:,}"
    assert after != before
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "weekly_operations_review_earlier_week")


def test_portfolio_filter_narrows_the_scorecard(server, page, mart):
    open_page(page, server, "quarterly_executive_review")
    use_cases = mart(
        "select use_case_name, portfolio_name from dim_use_cases order by portfolio_name"
    )
    portfolio = use_cases.item(0, "portfolio_name")
    other = use_cases.filter(pl.col("portfolio_name") != portfolio).item(0, "use_case_name")
    scorecard = page.locator("#portfolio_scorecard")
    assert other in scorecard.inner_text()
    choose(page, "Portfolio", portfolio)
    assert other not in scorecard.inner_text()
    assert (
        use_cases.filter(portfolio_name=portfolio).item(0, "use_case_name")
        in scorecard.inner_text()
    )


def test_suppression_shows_for_a_tiny_group(server, page, mart):
    tiny = mart(
        """
        select d.use_case_name from fct_adoption_by_use_case_weekly a
        join dim_use_cases d using (use_case_id)
        where a.active_users between 1 and 4 order by a.use_case_id limit 1
        """
    )
    if tiny.is_empty():
        pytest.skip("the demo warehouse has no use case week under 5 people")
    name = tiny.item()
    use_case_id = mart(
        "select use_case_id from dim_use_cases where use_case_name = $n", n=name
    ).item()
    open_page(page, server, "use_case_detail")
    choose(page, "Use case", f"{name} ({use_case_id})")
    note = page.get_by_text("suppressed to protect individuals").first
    note.scroll_into_view_if_needed()
    assert note.is_visible()
    screenshot(page, "use_case_detail_suppressed")


def test_quarterly_review_downloads_as_one_self_contained_html(server, page, published_home):
    open_page(page, server, "quarterly_executive_review")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Download the quarterly review")).click()
    download = download_info.value
    path = download.path()
    html = Path(path).read_text()
    assert download.suggested_filename.endswith(".html")
    assert "Portfolio scorecard" in html
    assert "Decisions this quarter" in html
    build_id = json.loads((published_home / "published.json").read_text())["build_id"]
    assert build_id in html
    for external in ("<script", "<link", "@import", 'src="http'):
        assert external not in html
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "board_pack.html").write_text(html)


def test_latest_week_matches_the_mart_in_the_browser(server, page, mart):
    open_page(page, server, "weekly_operations_review")
    data_through = mart(
        "select max(latest_event_at)::date from fct_data_health where entity in ('requests', 'activity', 'workflow_events')"
    ).item()
    week = mart(
        "select period_start from rpt_review_tiles where scope_id = 'organisation' "
        "and period_grain = 'week' and metric = 'requests' and metric_value > 0 "
        "and period_start + 6 <= $d order by period_start desc limit 1",
        d=data_through,
    ).item()
    row = dict(
        mart(
            "select metric, metric_value from rpt_review_tiles where scope_id = 'organisation' "
            "and period_grain = 'week' and period_start = $w",
            w=week,
        ).rows()
    )
    assert metric_value(page, "Requests") == f"{int(row['requests']):,}"
    assert metric_value(page, "Errors") == f"{row['error_rate_pct']:.2f}%"
    assert week + timedelta(days=6) <= data_through
