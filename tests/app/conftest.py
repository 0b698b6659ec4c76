"""Fixtures for the app tests: one small published warehouse per run, shared by both workers
(tests/shared_builds.py; the demo organisation at 30,000 requests, built with
`cadence demo --no-serve` in a subprocess),
independent read-only access to its marts, and an AppTest runner. A second demo warehouse,
built with a minimum group size larger than any group (`strict_home`), shows that the pages
apply the minimum group size the warehouse was built with.

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
from shared_builds import shared_build
from streamlit.testing.v1 import AppTest

from cadence.published import read_pointer

REPO = Path(__file__).resolve().parents[2]
DEMO_REQUESTS = 30_000


STRICT_MIN_GROUP_SIZE = 10**9  # more people than any group: every people figure is suppressed


def build_demo(home: Path, **env: str) -> Path:
    """Build and publish the demo organisation into `home` (`cadence demo --no-serve`), with
    `env` added to the build's environment (CADENCE_MIN_GROUP_SIZE only when given there)."""
    inherited = {key: value for key, value in os.environ.items() if key != "CADENCE_MIN_GROUP_SIZE"}
    cadence = Path(sys.executable).with_name("cadence")
    command = [str(cadence)] if cadence.exists() else [sys.executable, "-m", "cadence.cli"]
    result = subprocess.run(
        [*command, "demo", "--no-serve", "--requests", str(DEMO_REQUESTS), "--home", str(home)],
        cwd=REPO,
        env={**inherited, "CADENCE_HOME": str(home), **env},
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
def published_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cadence home with a published demo warehouse (built once per session, with the
    default minimum group size: CADENCE_MIN_GROUP_SIZE unset)."""
    reuse = os.environ.get("CADENCE_TEST_HOME")
    if reuse and (Path(reuse) / "published.json").exists():
        return Path(reuse)
    return (
        shared_build(tmp_path_factory, "demo", lambda folder: build_demo(folder / "home")) / "home"
    )


@pytest.fixture(scope="session")
def strict_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second published demo warehouse, built with CADENCE_MIN_GROUP_SIZE=1,000,000,000:
    the minimum group size is the build's, so its pages suppress every people figure."""

    def make(folder: Path) -> None:
        build_demo(folder / "home", CADENCE_MIN_GROUP_SIZE=str(STRICT_MIN_GROUP_SIZE))

    return shared_build(tmp_path_factory, "demo_strict", make) / "home"


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
def strict_app_home(strict_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The strict home (minimum group size 10**9 at build time) as the app's CADENCE_HOME."""
    monkeypatch.setenv("CADENCE_HOME", str(strict_home))
    monkeypatch.delenv("CADENCE_MIN_GROUP_SIZE", raising=False)
    monkeypatch.delenv("CADENCE_DEFAULT_ROLE", raising=False)
    return strict_home


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
