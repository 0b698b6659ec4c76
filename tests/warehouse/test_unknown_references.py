"""An unknown id does not block publishing: requests naming a business unit and a use case
that are not in the operating-model configuration are published (the marts' relationships
tests only warn) and listed, with their row counts, in `fct_unknown_references`."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from cadence.build import build
from cadence.config import DEFAULT_SEEDS
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)

COLUMNS = [
    "request_id", "occurred_at", "user_id", "business_unit_id", "use_case_id", "tool",
    "provider", "model", "operation", "input_tokens", "output_tokens", "latency_ms", "status",
]  # fmt: skip
# (request_id, occurred_at, business_unit_id, use_case_id); bu_claims and uc_claims_triage are
# in seeds/, bu_nowhere and uc_mystery are not.
REQUESTS = [
    ("r1", "2025-03-03T09:00:00Z", "bu_claims", "uc_claims_triage"),
    ("r2", "2025-03-04T09:00:00Z", "bu_nowhere", "uc_claims_triage"),
    ("r3", "2025-03-11T09:00:00Z", "bu_nowhere", "uc_claims_triage"),
    ("r4", "2025-03-05T09:00:00Z", "bu_claims", "uc_mystery"),
    ("r5", "2025-03-06T09:00:00Z", "bu_nowhere", "uc_mystery"),
]


def test_unknown_ids_are_published_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "requests.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for request_id, occurred_at, business_unit_id, use_case_id in REQUESTS:
            writer.writerow([
                request_id, occurred_at, "ann@example.com", business_unit_id, use_case_id,
                "gateway", "openai", "gpt-4.1", "chat", 100, 20, 250, "success",
            ])  # fmt: skip
    home = tmp_path / "home"
    ingest_files(SCHEMAS["requests"], [path], home)

    result = build(home, DEFAULT_SEEDS, echo=lambda _: None)

    pointer = read_pointer(home)
    assert pointer is not None
    assert pointer["build_id"] == result.build_id
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        unknown = con.execute(
            "select entity, column_name, unknown_value, configuration_file, rows, "
            "first_seen_at, last_seen_at from main.fct_unknown_references order by all"
        ).fetchall()
        published = con.execute(
            "select business_unit_id, sum(requests) from main.fct_trust_weekly "
            "group by 1 order by 1"
        ).fetchall()
    finally:
        con.close()
    assert [row[:5] for row in unknown] == [
        ("requests", "business_unit_id", "bu_nowhere", "business_units", 3),
        ("requests", "use_case_id", "uc_mystery", "use_cases", 2),
    ]
    seen = {row[2]: (str(row[5]), str(row[6])) for row in unknown}
    assert seen["bu_nowhere"] == ("2025-03-04 09:00:00", "2025-03-11 09:00:00")
    assert seen["uc_mystery"] == ("2025-03-05 09:00:00", "2025-03-06 09:00:00")
    # the unknown business unit's requests are still published, under their own id
    assert published == [("bu_claims", 2), ("bu_nowhere", 3)]
