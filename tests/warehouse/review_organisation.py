"""The review-by-scope files' organisation, built once per run and shared (tests/shared_builds.py):
a small demo organisation (40,000 requests, 400 people) generated, ingested and built as
`cadence demo` builds it (as of its last day, 2026-11-22), with a minimum group size of 5 and an
`access.csv` naming two sponsors:
- `sponsor@example.com`: two whole portfolios (Customer Operations, Risk and Compliance), every
  business unit — the sponsor-style two-portfolio scope;
- `mixed@example.com`: Customer Operations in Customer Service plus Risk and Compliance in Risk
  — a union of two cells, not their cross product.

The files only read it: `built` returns its home and configuration folder.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from shared_builds import shared_build

from cadence.config import DEFAULT_SEEDS
from cadence.demo.generate import generate
from cadence.demo.profile import DEFAULT_END_DATE
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

CUSTOMER = "pf_customer_operations"
RISK = "pf_risk_compliance"
ACCESS = [
    ("sponsor@example.com", "sponsor", CUSTOMER, ""),
    ("sponsor@example.com", "sponsor", RISK, ""),
    ("mixed@example.com", "sponsor", CUSTOMER, "bu_customer_service"),
    ("mixed@example.com", "sponsor", RISK, "bu_risk"),
]
MIN_GROUP_SIZE = 5
REQUESTS, PEOPLE = 40_000, 400


def _cadence_command() -> list[str]:
    script = Path(sys.executable).with_name("cadence")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cadence.cli"]


def _make(root: Path) -> None:
    config = root / "config"
    shutil.copytree(DEFAULT_SEEDS, config)
    with (config / "access.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["principal", "role", "portfolio_id", "business_unit_id"])
        writer.writerows(ACCESS)
    files = generate(root / "input", requests=REQUESTS, people=PEOPLE)
    home = root / "home"
    for entity, paths in files.items():
        results = ingest_files(SCHEMAS[entity], paths, home, echo=lambda _: None)
        assert all(result.status != "refused" for result in results), results
    done = subprocess.run(
        [*_cadence_command(), "build", "--home", str(home), "--config", str(config)],
        env={
            **os.environ,
            "CADENCE_BUILD_DATE": DEFAULT_END_DATE.isoformat(),
            "CADENCE_MIN_GROUP_SIZE": str(MIN_GROUP_SIZE),
        },
        capture_output=True,
        text=True,
        timeout=500,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]


def built_review_organisation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The shared build's home and configuration folder (made now if no file has asked yet)."""
    root = shared_build(tmp_path_factory, "review_organisation", _make)
    return {"home": root / "home", "config": root / "config"}
