"""Files refused whole: nothing of them lands or is quarantined, the ledger records the file and
the problem, and the message names the file and (where known) the line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ingest_helpers import (
    ENTITIES,
    data_files,
    ingest,
    landed,
    ledger_batches,
    ledger_rejections,
    raw_row,
    write_csv,
    write_jsonl,
    write_parquet,
)

HEADER = "request_id,occurred_at,user_id,tool,provider,model,operation,status,prompt\n"


def _line(i: int) -> str:
    return f"r{i},2026-03-02T09:30:00Z,alice@corp.test,gateway,openai,gpt-4o,chat,success,hi\n"


def _json(i: int) -> str:
    return (
        f'{{"request_id": "r{i}", "occurred_at": "2026-03-02T09:30:00Z", "user_id": "a", '
        '"tool": "gateway", "provider": "openai", "model": "gpt-4o", "operation": "chat", '
        '"status": "success"}\n'
    )


def _missing_column_csv(path: Path) -> None:
    path.write_text(
        "request_id,occurred_at,tool,provider,model,operation,status\n"
        "r1,2026-03-02T09:30:00Z,gateway,openai,gpt-4o,chat,success\n"
    )


def _unterminated_quote_csv(path: Path) -> None:
    bad = 'r2,2026-03-02T09:30:00Z,alice@corp.test,gateway,openai,gpt-4o,chat,success,"hi\n'
    path.write_text(HEADER + _line(1) + bad + _line(3))


def _extra_field_csv(path: Path) -> None:
    bad = "r2,2026-03-02T09:30:00Z,alice@corp.test,gateway,openai,gpt-4o,chat,success,hi,extra\n"
    path.write_text(HEADER + _line(1) + bad + _line(3))


def _late_extra_field_csv(path: Path) -> None:
    """The bad row far past the rows DuckDB samples to sniff the dialect."""
    bad = "r0,2026-03-02T09:30:00Z,alice@corp.test,gateway,openai,gpt-4o,chat,success,hi,extra\n"
    path.write_text(HEADER + _line(1) * 30_000 + bad + _line(2))


def _truncated_jsonl(path: Path) -> None:
    path.write_text(_json(1) + _json(2) + _json(3)[:40])


def _trailing_comma_jsonl(path: Path) -> None:
    path.write_text(_json(1) + '{"request_id": "r2", "status": "success",}\n' + _json(3))


def _array_line_jsonl(path: Path) -> None:
    path.write_text(_json(1) + _json(2) + '["r3", "success"]\n')


def _missing_column_jsonl(path: Path) -> None:
    path.write_text('{"request_id": "r1", "status": "success"}\n')


def _missing_column_parquet(path: Path) -> None:
    write_parquet(path, [{"request_id": "r1"}], {"request_id": "VARCHAR"})


def _text(content: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(content)

    return write


FIELD_TOO_MANY = (
    "this row has 10 field(s) where the header has 9: a field too many (a comma in a value that "
    "is not quoted?)"
)

# (file name, writer, line named, the problem as recorded in the ledger)
CASES = [
    pytest.param(
        "missing.csv",
        _missing_column_csv,
        1,
        "missing required column(s): user_id (found: request_id, occurred_at, tool, provider, "
        "model, operation, status)",
        id="csv-missing-required-column",
    ),
    pytest.param(
        "quote.csv",
        _unterminated_quote_csv,
        3,
        'cannot be read as CSV: a quoted value is not closed (a " with no closing "): the rest '
        "of the file was read as one value",
        id="csv-unterminated-quote",
    ),
    pytest.param(
        "extra.csv",
        _extra_field_csv,
        3,
        f"cannot be read as CSV: {FIELD_TOO_MANY}",
        id="csv-extra-field",
    ),
    pytest.param(
        "late.csv",
        _late_extra_field_csv,
        30_002,
        f"cannot be read as CSV: {FIELD_TOO_MANY}",
        id="csv-extra-field-past-the-sniffed-sample",
    ),
    pytest.param(
        "truncated.jsonl",
        _truncated_jsonl,
        3,
        "invalid JSON: unexpected end of data",
        id="jsonl-truncated-last-line",
    ),
    pytest.param(
        "comma.jsonl",
        _trailing_comma_jsonl,
        2,
        "invalid JSON: Expecting property name enclosed in double quotes",
        id="jsonl-trailing-comma",
    ),
    pytest.param(
        "array.jsonl",
        _array_line_jsonl,
        3,
        "every record must be a JSON object",
        id="jsonl-line-is-an-array",
    ),
    pytest.param(
        "missing.jsonl",
        _missing_column_jsonl,
        None,
        "missing required column(s): occurred_at, user_id, tool, provider, model, operation "
        "(found: request_id, status)",
        id="jsonl-missing-required-column",
    ),
    pytest.param(
        "missing.parquet",
        _missing_column_parquet,
        None,
        "missing required column(s): occurred_at, user_id, tool, provider, model, operation, "
        "status (found: request_id)",
        id="parquet-missing-required-column",
    ),
    pytest.param(
        "requests.txt",
        _text("request_id\nr1\n"),
        None,
        "unknown file type: expected .csv, .jsonl/.ndjson/.json or .parquet",
        id="unknown-extension",
    ),
    pytest.param(
        "empty.parquet",
        _text(""),
        None,
        None,  # DuckDB's own wording; checked for the format only
        id="empty-parquet",
    ),
    pytest.param(
        "garbage.parquet",
        _text("this is not a parquet file, just some text pretending to be one\n" * 3),
        None,
        None,
        id="garbage-parquet",
    ),
]


def _assert_nothing_landed(home: Path) -> None:
    for entity in ENTITIES:
        assert data_files(home, "landing", entity) == [], entity
        assert data_files(home, "quarantine", entity) == [], entity
    assert ledger_batches(home).height == 0
    assert [p for p in (home / "tmp").rglob("*")] == []


@pytest.mark.parametrize(("name", "write", "line", "problem"), CASES)
def test_malformed_file_is_refused_whole(
    name: str,
    write: Callable[[Path], None],
    line: int | None,
    problem: str | None,
    home: Path,
    inputs: Path,
) -> None:
    path = inputs / name
    write(path)

    [result] = ingest("requests", [path], home)

    assert result.status == "refused"
    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (0, 0, 0)
    assert result.batch_id is None
    _assert_nothing_landed(home)

    [rejection] = ledger_rejections(home).rows(named=True)
    assert (rejection["entity"], rejection["source_file"], rejection["line"]) == (
        "requests",
        name,
        line,
    )
    if problem is None:
        assert rejection["reason"].startswith("cannot be read as PARQUET: ")
    else:
        assert rejection["reason"] == problem
    where = f"{path}, line {line}" if line is not None else str(path)
    assert result.message == f"{where}: {rejection['reason']}"
    assert result.summary() == f"REFUSED {result.message}"
    assert len(rejection["file_sha256"]) == 64


def test_refused_file_does_not_block_the_others(home: Path, inputs: Path) -> None:
    good_csv = write_csv(inputs / "a.csv", [raw_row("requests", 1)])
    bad = inputs / "b.csv"
    _unterminated_quote_csv(bad)
    good_jsonl = write_jsonl(inputs / "c.jsonl", [raw_row("requests", 2)])

    results = ingest("requests", [good_csv, bad, good_jsonl], home)

    assert [r.status for r in results] == ["landed", "refused", "landed"]
    assert [r.rows_landed for r in results] == [1, 0, 1]
    rows = landed(home, "requests")
    assert rows.select("_source_file", "request_id").rows() == [
        ("a.csv", "req-1"),
        ("c.jsonl", "req-2"),
    ]
    assert ledger_rejections(home)["source_file"].to_list() == ["b.csv"]
    assert sorted(ledger_batches(home)["source_file"].to_list()) == ["a.csv", "c.jsonl"]


def test_refused_file_is_retried_not_skipped_as_duplicate(home: Path, inputs: Path) -> None:
    """Only committed batches count as already landed: a refused file is refused again, and
    once corrected it lands."""
    path = inputs / "r.csv"
    _extra_field_csv(path)
    assert [r.status for r in ingest("requests", [path, path], home)] == ["refused", "refused"]
    assert ledger_rejections(home).height == 2

    path.write_text(HEADER + _line(1) + _line(2))
    [result] = ingest("requests", [path], home)
    assert (result.status, result.rows_landed) == ("landed", 2)


def test_unreadable_path_is_refused_and_the_rest_lands(home: Path, inputs: Path) -> None:
    """A file gone between listing and landing, or a folder, is refused like a bad file."""
    good = write_csv(inputs / "good.csv", [raw_row("licenses", 1)])
    gone = inputs / "gone.csv"

    results = ingest("licenses", [gone, inputs, good], home)

    assert [(r.status, r.message) for r in results] == [
        ("refused", f"{gone}: cannot be read: No such file or directory"),
        ("refused", f"{inputs}: cannot be read: Is a directory"),
        ("landed", ""),
    ]
    assert ledger_rejections(home)["source_file"].to_list() == ["gone.csv", "inputs"]
    assert landed(home, "licenses").height == 1
