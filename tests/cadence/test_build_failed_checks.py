"""A failed build names each broken rule of a model's `column_checks`, also for the checks of
an incremental model that read only the rows the build wrote (`where: "__rebuilt_rows__"`):
the re-run storing the failing rows is another dbt run, told when the failed one started."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cadence.build import BuildFailed, build
from cadence.config import DEFAULT_SEEDS
from cadence.demo.generate import generate
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)


def test_a_broken_row_of_an_incremental_model_is_named_with_its_rule(tmp_path: Path) -> None:
    files = generate(tmp_path / "input", requests=2_000, people=200)
    home = tmp_path / "home"
    for entity, paths in files.items():
        ingest_files(SCHEMAS[entity], paths, home, echo=lambda _: None)
    # One landed request given a negative latency behind the ingest's back (the ingest refuses
    # one): a row only the warehouse's own checks can catch.
    landed = sorted((home / "landing" / "requests").glob("batch_id=2*/*.parquet"))[-1]
    con = duckdb.connect()
    try:
        first = con.execute(
            f"select min(request_id) from read_parquet('{landed}') where latency_ms is not null"
        ).fetchone()[0]
        tampered = tmp_path / "tampered.parquet"
        con.execute(
            f"copy (select * replace (case when request_id = $first then -5 else latency_ms end "
            f"as latency_ms) from read_parquet('{landed}')) to '{tampered}' (format parquet)",
            {"first": first},
        )
    finally:
        con.close()
    tampered.replace(landed)

    with pytest.raises(BuildFailed) as failed:
        build(home, DEFAULT_SEEDS, echo=lambda _: None)
    lines = str(failed.value).splitlines()
    node = next(
        index
        for index, line in enumerate(lines)
        if "column_checks_rebuilt_int_requests_enriched" in line
    )
    assert "Got 1 result" in lines[node]  # the failing rows summed over the model's rules
    assert lines[node + 1] == "    latency_ms: accepted_range [0, ]: 1 row", lines[node : node + 3]
    assert "see its rows (in duckdb):" in lines[node + 2]
