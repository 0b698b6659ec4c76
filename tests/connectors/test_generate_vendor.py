"""The demo's vendor files: deterministic, recognised, landed without a refusal or a bad row,
and GitHub's user report re-expresses canonical activity exactly (nothing counts twice)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from cadence.demo.generate import generate
from cadence.generate_vendor import generate_vendor
from ingestion.connectors.auto import CONNECTORS, recognise
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("vendor_demo")
    generate(root, requests=2_000, people=300)
    return root


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_vendor_files_are_deterministic_and_recognised(inputs: Path) -> None:
    first = generate_vendor(inputs)
    digests = _digests(inputs / "vendor")
    again = generate_vendor(inputs)

    assert _digests(inputs / "vendor") == digests
    assert again.files == first.files
    for connector, paths in first.files.items():
        assert paths
        assert {recognise(path) for path in paths} == {connector}


def test_vendor_files_land_cleanly_without_double_counting(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CADENCE_PSEUDONYM_KEY", "ef" * 32)
    home = tmp_path / "home"
    vendor = generate_vendor(inputs)
    ingest_files(SCHEMAS["activity"], sorted((inputs / "activity").glob("*.csv")), home)
    monkeypatch.setenv("CADENCE_IDENTITY_MAP", str(vendor.identity_map))

    results = [r for name, paths in vendor.files.items() for r in CONNECTORS[name](paths, home)]

    assert {r.status for r in results} == {"landed"}
    assert sum(r.rows_quarantined for r in results) == 0
    con = duckdb.connect()
    mismatched = con.execute(
        """
        with rows as (
            select * from read_parquet($glob, union_by_name = true) where tool = 'github_copilot'
        ),
        vendor as (select * from rows where _source_file = 'users-28-day.ndjson'),
        canonical as (select * from rows where _source_file = 'github_copilot_usage.csv')
        select count(*), count(canonical.user_id)
        from vendor
        left join canonical
            on vendor.user_id = canonical.user_id
            and vendor.activity_date = canonical.activity_date
            and vendor.interactions is not distinct from canonical.interactions
            and vendor.generations is not distinct from canonical.generations
            and vendor.acceptances is not distinct from canonical.acceptances
            and vendor.lines_suggested is not distinct from canonical.lines_suggested
            and vendor.lines_accepted is not distinct from canonical.lines_accepted
        """,
        {"glob": str(home / "landing" / "activity" / "**" / "*.parquet")},
    ).fetchone()
    assert mismatched is not None
    vendor_rows, matched = mismatched
    assert vendor_rows > 0
    assert matched == vendor_rows  # same user, day and counts: the warehouse keeps one
