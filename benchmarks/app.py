"""Benchmark: the review app at a given demo scale.

Builds (or reuses) a published demo warehouse of N requests (default 10M), then measures:

1. each page's data-query time: the page runs in Streamlit's AppTest with every cache
   cleared, and the time spent in `app.data.run_query` (all the page's queries, sidebar
   included) is added up, the median of `--repeat` cold runs;
2. each page's first full render in a real browser: for each page a fresh `streamlit run`
   process is warmed on another page (imports, altair's schema, shared sidebar queries), then
   Playwright +
   Debian's Chromium opens the page's URL, timed from navigation until the script run has
   finished and every chart has drawn (the page's own queries run cold);
3. the app's memory: the Streamlit server's resident set size after all pages rendered, and
   its peak (VmRSS / VmHWM from /proc).

Targets: queries <= 100 ms per page in total at 100M requests (issue 14; issue 4 set 200 ms),
first render <= 3 s, memory <= 1 GB. `--slowest N` lists each page's N slowest queries (the
relations they read, from the run with the median total); `--queries-only` skips the browser.

    python benchmarks/app.py [--requests 10000000] [--home DIR] [--repeat 3] [--port 8599]
                             [--slowest 3] [--queries-only]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# This script is benchmarks/app.py: drop its folder from the path so `import app` is the app.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
APP = REPO / "app" / "streamlit_app.py"
PAGES = {
    "quarterly_executive_review": "app_pages/quarterly_executive_review.py",
    "monthly_portfolio_review": "app_pages/monthly_portfolio_review.py",
    "weekly_operations_review": "app_pages/weekly_operations_review.py",
    "use_case_detail": "app_pages/use_case_detail.py",
    "data_health": "app_pages/data_health.py",
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGETS = {"query_ms": 100.0, "render_s": 3.0, "memory_mb": 1024.0}


def ensure_warehouse(home: Path, requests: int) -> dict[str, object]:
    """The published pointer of `home`, building the demo organisation there when missing."""
    pointer = home / "published.json"
    if not pointer.exists():
        cadence = Path(sys.executable).with_name("cadence")
        print(f"building a demo warehouse of {requests:,} requests in {home} ...", flush=True)
        started = time.perf_counter()
        subprocess.run(
            [str(cadence), "demo", "--no-serve", "--requests", str(requests), "--home", str(home)],
            cwd=REPO,
            env={**os.environ, "CADENCE_HOME": str(home)},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    from cadence.published import read_pointer

    return read_pointer(home)  # `published_path` absolute, resolved against the home


def _relations(sql: str) -> str:
    """The relations a query reads, for the listing of the slowest ones."""
    return ", ".join(dict.fromkeys(RELATION.findall(sql))) or sql.split()[0]


RELATION = re.compile(r"\b(?:from|join)\s+((?:config\.)?[a-z_]+)", re.IGNORECASE)


def query_times(home: Path, repeat: int) -> dict[str, dict[str, object]]:
    """Per page: total time in run_query over one cold AppTest run (median of `repeat`), and
    each query of the median run (milliseconds, the relations it reads), slowest first."""
    os.environ["CADENCE_HOME"] = str(home)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from app import data

    spent: list[tuple[float, str]] = []
    original = data.run_query

    def timed(path: str, sql: str, params: dict[str, object] | None = None):
        started = time.perf_counter()
        try:
            return original(path, sql, params)
        finally:
            spent.append((time.perf_counter() - started, sql))

    data.run_query = timed  # type: ignore[assignment]
    results: dict[str, dict[str, object]] = {}
    try:
        # a first run opens the published file (cached connection) outside the measurement
        AppTest.from_file(str(APP), default_timeout=300).run()
        for name, page in PAGES.items():
            runs = []
            for _ in range(repeat):
                st.cache_data.clear()
                spent.clear()
                at = AppTest.from_file(str(APP), default_timeout=300)
                at.switch_page(page)
                at.run()
                if at.exception:
                    raise RuntimeError(f"{name}: {at.exception[0].value}")
                runs.append((sum(seconds for seconds, _ in spent) * 1000, list(spent)))
            runs.sort(key=lambda run: run[0])
            total, median_run = runs[len(runs) // 2]
            results[name] = {
                "query_ms": total,
                "queries": len(median_run),
                "each": sorted(
                    ((seconds * 1000, _relations(sql)) for seconds, sql in median_run),
                    reverse=True,
                ),
            }
    finally:
        data.run_query = original  # type: ignore[assignment]
    return results


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) of a process in MB, from /proc/<pid>/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Server:
    """`streamlit run` of the app in a fresh process on `port`, stopped on exit."""

    def __init__(self, home: Path, port: int) -> None:
        self.home, self.port, self.base = home, port, f"http://127.0.0.1:{port}"

    def __enter__(self) -> Server:
        self.log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(APP),
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO,
            env={**os.environ, "CADENCE_HOME": str(self.home)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2):
                    return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError(f"streamlit did not start:\n{self.log.read()}") from None
                time.sleep(0.3)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


def visit(browser, url: str) -> float:
    """Seconds from navigation until the script run finished and every chart has drawn."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(chart => chart.querySelector('canvas, svg.marks'))""",
        timeout=120_000,
    )
    seconds = time.perf_counter() - started
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"{url} rendered an exception")
    page.close()
    return seconds


def render_times(home: Path, port: int) -> tuple[dict[str, float], tuple[float, float]]:
    """Per page: first render on a running app (a fresh server warmed on another page, so the
    page's own queries are cold); then the server's memory after every page was viewed."""
    from playwright.sync_api import sync_playwright

    results: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name in PAGES:
            # another page with charts and tables, so altair's schema and great-tables are loaded
            warm_up = (
                "weekly_operations_review"
                if name != "weekly_operations_review"
                else "quarterly_executive_review"
            )
            with Server(home, port) as server:
                visit(browser, f"{server.base}/{warm_up}")
                results[name] = visit(browser, f"{server.base}/{name}")
        with Server(home, port) as server:
            for name in PAGES:
                visit(browser, f"{server.base}/{name}")
            memory = memory_mb(server.process.pid)
        browser.close()
    return results, memory


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=10_000_000)
    parser.add_argument("--home", type=Path, help="cadence home to reuse (built there when empty)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--slowest", type=int, default=3, help="list each page's N slowest queries")
    parser.add_argument("--queries-only", action="store_true", help="skip the browser renders")
    args = parser.parse_args()

    home = (args.home or Path(tempfile.gettempdir()) / f"cadence_bench_{args.requests}").resolve()
    home.mkdir(parents=True, exist_ok=True)
    pointer = ensure_warehouse(home, args.requests)
    size_mb = Path(str(pointer["published_path"])).stat().st_size / 2**20
    print(f"warehouse {pointer['build_id']} ({size_mb:,.0f} MB) in {home}")

    queries = query_times(home, args.repeat)
    if args.queries_only:
        renders, rss, peak = {name: float("nan") for name in PAGES}, float("nan"), float("nan")
    else:
        renders, (rss, peak) = render_times(home, args.port)

    print(f"\n{'page':<30}{'queries':>9}{'query ms':>11}{'first render s':>17}")
    for name in PAGES:
        q = queries[name]
        over = q["query_ms"] > TARGETS["query_ms"] or renders[name] > TARGETS["render_s"]
        flag = "  over target" if over else ""
        print(f"{name:<30}{q['queries']:>9}{q['query_ms']:>11.1f}{renders[name]:>17.2f}{flag}")
        for ms, relations in q["each"][: args.slowest]:
            print(f"{'':<6}{ms:>8.1f} ms  {relations}")
    if not args.queries_only:
        print(
            f"\napp memory (streamlit server): {rss:,.0f} MB resident, {peak:,.0f} MB peak "
            f"(target <= {TARGETS['memory_mb']:,.0f} MB)"
        )
    print(
        f"targets: queries <= {TARGETS['query_ms']:.0f} ms per page, first render <= {TARGETS['render_s']:.0f} s"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "requests": args.requests,
                    "build_id": pointer["build_id"],
                    "warehouse_mb": size_mb,
                    "pages": {n: {**queries[n], "first_render_s": renders[n]} for n in PAGES},
                    "memory_mb": {"resident": rss, "peak": peak},
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
