"""Memory stays bounded on any input (issue 16, item 6): a file with no line break is refused
from its first MiB with a readable reason (the error-locating step read the whole file into
Python; the reason recorded was DuckDB's caret line `^^^^^^^^`); a very wide file is refused
with its column count before DuckDB reads it; a file that runs DuckDB out of memory is the
machine's problem, not recorded as the file's. The peak memory of a 1 GB file with no line
break is measured by the soak (`tests/reliability/test_memory_soak.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import ingest, ledger_batches, ledger_rejections, raw_row, write_csv

from ingestion import landing
from ingestion.entities.registry import SCHEMAS
from ingestion.errors import OutOfMemory
from ingestion.readers import MAX_COLUMNS, MAX_HEADER_BYTES

HEADER = "request_id,occurred_at,user_id,tool,provider,model,operation,status"


def test_a_file_with_no_line_break_is_refused_with_a_readable_reason(
    home: Path, inputs: Path
) -> None:
    path = inputs / "requests.csv"
    with path.open("wb") as handle:
        handle.write(HEADER.encode() + b",")
        for _ in range(8):  # 8 MiB, no newline anywhere
            handle.write(b"x" * (1 << 20))

    [result] = ingest("requests", [path], home)

    assert result.status == "refused"
    [rejection] = ledger_rejections(home).rows(named=True)
    assert rejection["line"] == 1
    assert rejection["reason"] == (
        f"the first line is longer than {MAX_HEADER_BYTES:,} bytes (no line break within it): "
        "this is not a CSV file with a header row. Check that the file is the CSV export meant "
        "(not a single-line JSON or binary file) and not cut short"
    )
    assert "^" not in result.message


def test_an_overlong_line_after_the_header_names_the_line_and_the_limit(
    home: Path, inputs: Path
) -> None:
    path = write_csv(inputs / "requests.csv", [raw_row("requests", i) for i in range(1, 4)])
    with path.open("a") as handle:
        handle.write(
            "r9,2026-03-02T09:30:00Z,a@corp.test,gateway,openai,gpt,chat," + "x" * 3_000_000
        )

    [result] = ingest("requests", [path], home)

    [rejection] = ledger_rejections(home).rows(named=True)
    assert rejection["line"] == 5
    assert rejection["reason"] == (
        "cannot be read as CSV: a line longer than 2,000,000 bytes: a quote left open, or a "
        "file with no line breaks"
    )
    assert result.status == "refused"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_very_wide_file_is_refused_with_its_column_count(
    home: Path, inputs: Path, fmt: str
) -> None:
    """A 10,000-column CSV (119 KB) ran DuckDB out of memory and was recorded as the file's
    fault."""
    names = [*HEADER.split(","), *(f"c{i}" for i in range(10_000 - 8))]
    row = dict.fromkeys(names, "1") | {
        name: value for name, value in raw_row("requests", 1).items() if name in names
    }
    path = inputs / f"wide.{fmt}"
    if fmt == "csv":
        write_csv(path, [row], names)
    elif fmt == "jsonl":
        import json

        path.write_text(json.dumps(row) + "\n")
    else:
        import polars as pl

        pl.DataFrame({name: [row[name]] for name in names}).write_parquet(path)

    [result] = ingest("requests", [path], home)

    assert result.status == "refused"
    [rejection] = ledger_rejections(home).rows(named=True)
    assert rejection["reason"] == (
        f"has 10,000 columns; cadence reads files of at most {MAX_COLUMNS:,} columns (the "
        "widest entity declares 39): is this an export of the entity named?"
    )
    assert rejection["line"] == (1 if fmt == "csv" else None)


def test_a_file_as_wide_as_allowed_still_lands(home: Path, inputs: Path) -> None:
    names = [*HEADER.split(","), *(f"c{i}" for i in range(MAX_COLUMNS - 8))]
    path = write_csv(
        inputs / "wide.csv", [dict.fromkeys(names, "1") | raw_row("requests", 1)], names
    )
    [result] = ingest("requests", [path], home)
    assert (result.status, result.rows_landed) == ("landed", 1)
    assert len(result.dropped) == MAX_COLUMNS - 8


def test_running_out_of_memory_is_the_machines_problem_not_the_files(
    home: Path, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [*HEADER.split(","), *(f"c{i}" for i in range(900))]
    rows = [dict.fromkeys(names, "v" * 20) | raw_row("requests", i) for i in range(1, 201)]
    path = write_csv(inputs / "requests.csv", rows, names)
    monkeypatch.setattr(landing, "MEMORY_LIMIT", "16MB")  # a machine with little to spare

    with pytest.raises(OutOfMemory) as stopped:
        landing.ingest_files(
            SCHEMAS["requests"], [path], home, extra_columns={"requests": frozenset(names)}
        )

    assert "ran out of memory" in str(stopped.value)
    assert "the file is not at fault and is not recorded as refused" in str(stopped.value)
    assert ledger_rejections(home).height == 0
    assert ledger_batches(home).height == 0
    assert list((home / "tmp").iterdir()) == []
