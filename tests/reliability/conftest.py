"""Fixtures for the reliability tests: a small demo organisation's input files, and a home
with all of it landed and one build published (made once per worker, through the CLI; the
home once per run, shared by both workers: tests/shared_builds.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_helpers import cadence, ok
from shared_builds import shared_build

from cadence.demo.generate import generate

#: Small enough that a build takes seconds, large enough to fill every mart.
REQUESTS = 4_000
PEOPLE = 300


@pytest.fixture(scope="session")
def org_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The demo organisation's canonical files: {entity: [files]} (requests: one per month)."""
    return generate(tmp_path_factory.mktemp("org") / "input", requests=REQUESTS, people=PEOPLE)


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory, org_files) -> Path:
    """A home with the whole organisation landed and one build published. Do not write to it:
    copy it (`reliability_helpers.copy_home`)."""

    def make(folder: Path) -> None:
        for entity, files in org_files.items():
            ok(cadence(folder / "home", "ingest", entity, *map(str, files)))
        ok(cadence(folder / "home", "build"))

    return shared_build(tmp_path_factory, "reliability_home", make) / "home"
