"""Fixtures for the app tests: one small published warehouse per session (the demo
organisation at 30,000 requests, built with `cadence demo --no-serve` in a subprocess),
independent read-only access to its marts, and an AppTest runner.

Set `CADENCE_TEST_HOME` to a cadence home that already holds a published build to skip the
build (handy while developing; the suite never writes to it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest
from app_helpers import APP, PAGES
from streamlit.testing.v1 import AppTest

from cadence.published import read_pointer

REPO = Path(__file__).resolve().parents[2]
DEMO_REQUESTS = 30_000


@pytest.fixture(scope="session")
def published_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cadence home with a published demo warehouse (built once per session)."""
    reuse = os.environ.get("CADENCE_TEST_HOME")
    if reuse and (Path(reuse) / "published.json").exists():
        return Path(reuse)
    home = tmp_path_factory.mktemp("cadence_home")
    cadence = Path(sys.executable).with_name("cadence")
    command = [str(cadence)] if cadence.exists() else [sys.executable, "-m", "cadence.cli"]
    result = subprocess.run(
        [*command, "demo", "--no-serve", "--requests", str(DEMO_REQUESTS), "--home", str(home)],
        cwd=REPO,
        env={**os.environ, "CADENCE_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, (
        f"cadence demo failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    assert (home / "published.json").exists()
    return home


@pytest.fixture(scope="session")
def published_path(published_home: Path) -> Path:
    pointer = read_pointer(published_home)
    assert pointer is not None
    return Path(str(pointer["published_path"]))


@pytest.fixture(scope="session")
def mart(published_path: Path) -> Callable[..., pl.DataFrame]:
    """Query the published warehouse directly (read-only), independent of app/data.py."""

    def query(sql: str, **params: object) -> pl.DataFrame:
        con = duckdb.connect(str(published_path), read_only=True)
        try:
            return con.sql(sql, params=params).pl()
        finally:
            con.close()

    return query


@pytest.fixture
def app_home(published_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The published home as the app's CADENCE_HOME, default settings."""
    monkeypatch.setenv("CADENCE_HOME", str(published_home))
    monkeypatch.delenv("CADENCE_MIN_GROUP_SIZE", raising=False)
    monkeypatch.delenv("CADENCE_DEFAULT_ROLE", raising=False)
    return published_home


@pytest.fixture
def run_page() -> Callable[..., AppTest]:
    """Run the router on one page, optionally with widget values and query parameters set."""

    def run(
        page: str,
        *,
        widgets: dict[str, object] | None = None,
        query: dict[str, str] | None = None,
    ) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for name, value in (query or {}).items():
            at.query_params[name] = value
        if page != "root":
            at.switch_page(PAGES[page])
        at.run()
        for key, value in (widgets or {}).items():
            at.selectbox(key=key).set_value(value)
        if widgets:
            at.run()
        return at

    return run
