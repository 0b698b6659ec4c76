"""Fixtures for the ingestion tests: a fixed pseudonymisation key and a fresh cadence home."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest_helpers import KEY, KEY_HEX

from ingestion.landing import ensure_home


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Every test pseudonymises with the same known key."""
    monkeypatch.setenv("CADENCE_PSEUDONYM_KEY", KEY_HEX)
    monkeypatch.delenv("CADENCE_KEY_FILE", raising=False)
    return KEY


@pytest.fixture(scope="session")
def blank_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cadence home with its layout and zero-row schema batches, built once and copied."""
    home = tmp_path_factory.mktemp("template") / "home"
    ensure_home(home)
    return home


@pytest.fixture
def home(tmp_path: Path, blank_home: Path) -> Iterator[Path]:
    """A fresh cadence home for one test."""
    target = tmp_path / "home"
    shutil.copytree(blank_home, target)
    return target


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder for the test's input files (outside the cadence home)."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    return folder
