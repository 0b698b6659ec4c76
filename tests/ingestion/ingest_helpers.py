"""Literal rows, file writers and landing-zone readers shared by the ingestion tests.

Every entity has a base row of canonical text values (`raw_row(entity, i)`) and the typed
values it must land as (`typed_row(entity, i, key)`), worked out by hand from CONTRACTS.md §1
and ingestion/README.md, not from the code under test.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from ingestion.entities.registry import SCHEMAS
from ingestion.landing import FileResult, ingest_files
from ingestion.pseudonymise import pseudonym

#: A fixed pseudonymisation key (hex), set through CADENCE_PSEUDONYM_KEY by the `key` fixture.
KEY_HEX = "5eed" * 16
KEY = bytes.fromhex(KEY_HEX)

ENTITIES = (
    "requests",
    "activity",
    "workflow_events",
    "kpi_observations",
    "survey_responses",
    "enablement_events",
    "people",
    "licenses",
)

#: Landed DuckDB type -> polars dtype, for building expected frames.
POLARS_TYPES: dict[str, pl.DataType] = {
    "VARCHAR": pl.String(),
    "TIMESTAMP": pl.Datetime("us"),
    "DATE": pl.Date(),
    "BIGINT": pl.Int64(),
    "INTEGER": pl.Int32(),
    "DOUBLE": pl.Float64(),
    "BOOLEAN": pl.Boolean(),
}
LINEAGE = ("_batch_id", "_source_file", "_source_row", "_ingested_at")

# Base rows: text as a file would carry it. `{i}` marks the value that differs per row so that
# rows 1, 2 and 3 of a file have distinct natural keys.
RAW_ROWS: dict[str, dict[str, str]] = {
    "requests": {
        "request_id": "req-{i}",
        "occurred_at": "2026-03-02T09:30:00Z",
        "user_id": "Alice.Example@corp.test",
        "business_unit_id": "bu_sales",
        "use_case_id": "uc_drafting",
        "tool": "gateway",
        "provider": "openai",
        "model": "gpt-4o",
        "operation": "chat",
        "input_tokens": "1200",
        "output_tokens": "350",
        "latency_ms": "812.5",
        "status": "success",
        "cost_usd": "0.0125",
        "data_classification": "internal",
        "policy_action": "redacted",
        "feedback_score": "-1",
        "prompt": "please summarise the memo",
        "response": "here is the summary",
    },
    "activity": {
        "user_id": "bob@corp.test",
        "activity_date": "2026-03-0{i}",
        "tool": "github_copilot",
        "interactions": "12",
        "generations": "30",
        "acceptances": "9",
        "lines_suggested": "400",
        "lines_accepted": "120",
        "input_tokens": "5000",
        "output_tokens": "900",
        "is_active": "false",
    },
    "workflow_events": {
        "event_id": "ev-{i}",
        "run_id": "run-1",
        "use_case_id": "uc_claims",
        "occurred_at": "2026-03-02T10:00:00",
        "event_type": "review_completed",
        "actor_id": "carol@corp.test",
        "ai_assisted": "true",
        "review_outcome": "edited",
        "quality_score": "0.75",
        "exception_type": "",
    },
    "kpi_observations": {
        "kpi_id": "kpi-{i}",
        "period_start": "2026-03-01",
        "grain": "month",
        "business_unit_id": "bu_ops",
        "value": "42.5",
        "source": "finance_dw",
    },
    "survey_responses": {
        "response_id": "resp-{i}",
        "submitted_at": "2026-03-05T16:45:00+01:00",
        "user_id": "dave@corp.test",
        "use_case_id": "uc_drafting",
        "business_unit_id": "bu_sales",
        "satisfaction": "4",
        "trust": "5",
        "minutes_saved_per_week": "90.5",
    },
    "enablement_events": {
        "event_id": "en-{i}",
        "user_id": "erin@corp.test",
        "occurred_at": "2026-02-10 14:00:00",
        "activity": "training_completed",
        "level": "advanced",
        "business_unit_id": "bu_ops",
    },
    "people": {
        "user_id": "frank@corp.test",
        "business_unit_id": "bu_ops",
        "job_function": "analyst",
        "is_manager": "true",
        "valid_from": "2026-01-0{i}",
        "valid_to": "2026-12-31",
    },
    "licenses": {
        "user_id": "grace@corp.test",
        "tool": "m365_copilot",
        "assigned_on": "2026-01-0{i}",
        "removed_on": "2026-06-30",
    },
}


def raw_row(entity: str, i: int) -> dict[str, str]:
    """Row `i` (1-based) of an entity as text values, `{i}` filled in."""
    return {column: value.replace("{i}", str(i)) for column, value in RAW_ROWS[entity].items()}


def typed_row(entity: str, i: int, key: bytes = KEY) -> dict[str, Any]:
    """The canonical landed values of `raw_row(entity, i)` (no lineage), worked out by hand."""
    p = pseudonym
    rows: dict[str, dict[str, Any]] = {
        "requests": {
            "request_id": f"req-{i}",
            "occurred_at": datetime(2026, 3, 2, 9, 30),
            "user_id": p(key, "alice.example@corp.test"),
            "business_unit_id": "bu_sales",
            "use_case_id": "uc_drafting",
            "tool": "gateway",
            "provider": "openai",
            "model": "gpt-4o",
            "operation": "chat",
            "input_tokens": 1200,
            "output_tokens": 350,
            "latency_ms": 812.5,
            "status": "success",
            "cost_usd": 0.0125,
            "data_classification": "internal",
            "policy_action": "redacted",
            "feedback_score": -1,
        },
        "activity": {
            "user_id": p(key, "bob@corp.test"),
            "activity_date": date(2026, 3, i),
            "tool": "github_copilot",
            "interactions": 12,
            "generations": 30,
            "acceptances": 9,
            "lines_suggested": 400,
            "lines_accepted": 120,
            "input_tokens": 5000,
            "output_tokens": 900,
            "is_active": False,
        },
        "workflow_events": {
            "event_id": f"ev-{i}",
            "run_id": "run-1",
            "use_case_id": "uc_claims",
            "occurred_at": datetime(2026, 3, 2, 10, 0),
            "event_type": "review_completed",
            "actor_id": p(key, "carol@corp.test"),
            "ai_assisted": True,
            "review_outcome": "edited",
            "quality_score": 0.75,
            "exception_type": None,
        },
        "kpi_observations": {
            "kpi_id": f"kpi-{i}",
            "period_start": date(2026, 3, 1),
            "grain": "month",
            "business_unit_id": "bu_ops",
            "value": 42.5,
            "source": "finance_dw",
        },
        "survey_responses": {
            "response_id": f"resp-{i}",
            "submitted_at": datetime(2026, 3, 5, 15, 45),  # 16:45 at +01:00
            "user_id": p(key, "dave@corp.test"),
            "use_case_id": "uc_drafting",
            "business_unit_id": "bu_sales",
            "satisfaction": 4,
            "trust": 5,
            "minutes_saved_per_week": 90.5,
        },
        "enablement_events": {
            "event_id": f"en-{i}",
            "user_id": p(key, "erin@corp.test"),
            "occurred_at": datetime(2026, 2, 10, 14, 0),
            "activity": "training_completed",
            "level": "advanced",
            "business_unit_id": "bu_ops",
        },
        "people": {
            "user_id": p(key, "frank@corp.test"),
            "business_unit_id": "bu_ops",
            "job_function": "analyst",
            "is_manager": True,
            "valid_from": date(2026, 1, i),
            "valid_to": date(2026, 12, 31),
        },
        "licenses": {
            "user_id": p(key, "grace@corp.test"),
            "tool": "m365_copilot",
            "assigned_on": date(2026, 1, i),
            "removed_on": date(2026, 6, 30),
        },
    }
    return rows[entity]


def landed_schema(entity: str) -> dict[str, pl.DataType]:
    """Polars schema of an entity's canonical landed columns (README's column table)."""
    return {c.name: POLARS_TYPES[c.duckdb_type] for c in SCHEMAS[entity].columns}


def expected_frame(entity: str, rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """A frame of canonical landed columns with the landed types."""
    return pl.DataFrame(list(rows), schema=landed_schema(entity), orient="row")


# ---------------------------------------------------------------- writing input files


def write_csv(
    path: Path, rows: Sequence[dict[str, str]], header: Sequence[str] | None = None
) -> Path:
    """A CSV with a header row; empty text is an empty field."""
    columns = list(header) if header is not None else list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column.strip(), "") for column in columns])
    return path


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    """JSON Lines: one object per line."""
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_json_array(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    """One pretty-printed JSON array of objects."""
    path.write_text(json.dumps(list(rows), indent=2), encoding="utf-8")
    return path


def write_parquet(path: Path, rows: Sequence[dict[str, Any]], types: dict[str, str]) -> Path:
    """Parquet written by DuckDB with the given column types. Text is cast in a UTC session;
    a TIMESTAMP column gets the UTC wall time of the text's instant (offsets applied)."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        columns = list(types)
        con.execute("create table t (" + ", ".join(f'"{c}" VARCHAR' for c in columns) + ")")
        for row in rows:
            values = [None if row.get(c) in (None, "") else str(row[c]) for c in columns]
            con.execute("insert into t values (" + ", ".join("?" for _ in columns) + ")", values)
        select = ", ".join(
            f'cast(cast("{c}" as TIMESTAMPTZ) as TIMESTAMP) as "{c}"'
            if t == "TIMESTAMP"
            else f'cast("{c}" as {t}) as "{c}"'
            for c, t in types.items()
        )
        copy = f"copy (select {select} from t) to $dst (format parquet)"
        con.execute(copy, {"dst": str(path)})
    finally:
        con.close()
    return path


# ---------------------------------------------------------------- reading the landing zone


def ingest(entity: str, paths: Sequence[Path], home: Path) -> list[FileResult]:
    """`ingest_files` for the entity named."""
    return ingest_files(SCHEMAS[entity], list(paths), home)


def query(sql: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """Run SQL in a fresh in-memory DuckDB (UTC) and return a polars frame."""
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.sql(sql, params=params or {}).pl()
    finally:
        con.close()


def landed(home: Path, entity: str) -> pl.DataFrame:
    """Every landed row of `entity` (the zero-row schema batch excluded), all columns, ordered
    by source file and row; hive `batch_id` included."""
    glob = str(home / "landing" / entity / "**" / "*.parquet")
    return query(
        "select * from read_parquet($glob, hive_partitioning=true, union_by_name=true) "
        "where batch_id <> '0-schema' order by _source_file, _source_row",
        {"glob": glob},
    )


def canonical(frame: pl.DataFrame, entity: str) -> pl.DataFrame:
    """Only the declared columns, in declared order."""
    return frame.select(SCHEMAS[entity].column_names)


def quarantined(home: Path, entity: str) -> pl.DataFrame:
    """Every quarantined row of `entity`, ordered by source file and row."""
    glob = str(home / "quarantine" / entity / "**" / "*.parquet")
    return query(
        "select * from read_parquet($glob, hive_partitioning=true, union_by_name=true) "
        "where batch_id <> '0-schema' order by _source_file, _source_row",
        {"glob": glob},
    )


def ledger_batches(home: Path) -> pl.DataFrame:
    """Committed batches (schema placeholder excluded)."""
    return query(
        "select * from read_parquet($glob) order by started_at",
        {"glob": str(home / "ledger" / "batches" / "*.parquet")},
    )


def ledger_rejections(home: Path) -> pl.DataFrame:
    """Files refused whole."""
    return query(
        "select * from read_parquet($glob) order by rejected_at",
        {"glob": str(home / "ledger" / "rejected" / "*.parquet")},
    )


def data_files(home: Path, area: str, entity: str) -> list[Path]:
    """Parquet files of an entity's real batches under `landing` or `quarantine`."""
    root = home / area / entity
    return sorted(p for p in root.rglob("*") if p.is_file() and "batch_id=0-schema" not in str(p))


def write_orphan_batch(landed_file: Path, target: Path, batch_id: str) -> None:
    """What a writer that crashed before its ledger commit leaves: a landed file whose rows
    carry a batch id that no ledger file records."""
    con = duckdb.connect()
    try:
        copy = (
            "copy (select * replace (cast($batch as varchar) as _batch_id) "
            "from read_parquet($src, hive_partitioning=false)) to $dst (format parquet)"
        )
        con.execute(copy, {"batch": batch_id, "src": str(landed_file), "dst": str(target)})
    finally:
        con.close()
