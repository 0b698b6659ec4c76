"""Messages name the real problem and the next step (issue 16, item 9): a row with a field too
many, invalid UTF-8, a file without its header row, a damaged ledger (for `cadence ingest` and
`cadence status`). FIFOs and devices: tests/ingestion/test_paths.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ingest_helpers import ingest, landed, ledger_batches, ledger_rejections, raw_row, write_csv

from cadence.cli import main

HEADER = (
    "request_id,occurred_at,user_id,tool,provider,model,operation,status,input_tokens,output_tokens"
)
ROW = "r{i},2026-03-02T09:30:00Z,zz.raw.person@corp.test,gateway,openai,gpt-4o,chat,success,1,1"


def _every_byte_under(home: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(home.rglob("*")) if path.is_file())


@pytest.mark.parametrize("rows_before", [0, 1, 40_000], ids=["first-row", "second-row", "late"])
def test_a_row_with_a_field_too_many_says_so(home: Path, inputs: Path, rows_before: int) -> None:
    """DuckDB's sniffer took such a row for the header: "column '1' appears more than once",
    or "missing required column(s) ... (found: r1, 2026-03-02T09:30:00Z, <raw id>, ...)"."""
    path = inputs / "requests.csv"
    lines = [HEADER, *(ROW.format(i=i) for i in range(rows_before)), ROW.format(i="x") + ",extra"]
    path.write_text("\n".join(lines) + "\n")

    [result] = ingest("requests", [path], home)

    assert result.status == "refused"
    [rejection] = ledger_rejections(home).rows(named=True)
    assert (rejection["line"], rejection["reason"]) == (
        rows_before + 2,
        "cannot be read as CSV: this row has 11 field(s) where the header has 10: a field too "
        "many (a comma in a value that is not quoted?)",
    )
    assert b"zz.raw.person" not in _every_byte_under(home)


def test_a_row_with_a_field_missing_says_so(home: Path, inputs: Path) -> None:
    path = inputs / "requests.csv"
    path.write_text(f"{HEADER}\n{ROW.format(i=1)}\nr2,2026-03-02T09:30:00Z\n")
    [result] = ingest("requests", [path], home)
    [rejection] = ledger_rejections(home).rows(named=True)
    assert rejection["reason"] == (
        "cannot be read as CSV: this row has 2 field(s) where the header has 10: a field "
        "missing (a line broken inside a value?)"
    )
    assert result.status == "refused"


@pytest.mark.parametrize(
    ("first_line", "reason"),
    [
        (
            ROW.format(i=1),
            "the first line repeats a value that is no column name (a date, a number, an e-mail "
            "address): is the header row missing?",
        ),
        (
            ROW.format(i=1).removesuffix(",1,1"),
            "missing required column(s): request_id, occurred_at, user_id, tool, provider, "
            "model, operation, status (found 8 column(s) whose names are not all column names "
            "(values such as dates, numbers or e-mail addresses): is the header row missing?)",
        ),
    ],
    ids=["values-repeat", "values-differ"],
)
def test_a_file_without_its_header_row_does_not_record_its_first_row(
    home: Path, inputs: Path, first_line: str, reason: str
) -> None:
    """The first row was recorded in the ledger as column names (raw ids included)."""
    path = inputs / "requests.csv"
    path.write_text(first_line + "\n" + first_line.replace("r1", "r2") + "\n")
    [result] = ingest("requests", [path], home)
    assert result.status == "refused"
    [rejection] = ledger_rejections(home).rows(named=True)
    assert rejection["reason"] == reason
    assert b"zz.raw.person" not in _every_byte_under(home)


def test_invalid_utf8_says_so_and_what_to_do(home: Path, inputs: Path) -> None:
    """The reason recorded was `^^^^` (DuckDB's echo of the query), or DuckDB's settings."""
    late = inputs / "late.csv"
    body = "".join(ROW.format(i=i) + "\n" for i in range(40_000))
    late.write_bytes(
        (HEADER + "\n" + body).encode() + b"r\xff,2026-03-02T09:30:00Z,a,b,c,d,e,f,1,1\n"
    )
    header = inputs / "header.csv"
    header.write_bytes(b"request_id,occ\xe9rred_at\n" + b"r1,2026\n")

    ingest("requests", [late, header], home)

    reasons = dict(ledger_rejections(home).select("source_file", "reason").rows())
    assert reasons == {
        "late.csv": "cannot be read as CSV: not UTF-8 text (a byte sequence that is no UTF-8 "
        "character): save the file as UTF-8 and ingest it again",
        "header.csv": "the header is not UTF-8 text (byte 0xe9 at byte 15 of line 1): save the "
        "file as UTF-8 and ingest it again",
    }


def test_a_device_is_refused_on_the_command_line_for_what_it_is(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", "--home", str(home), "requests", "/dev/zero"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("REFUSED /dev/zero: is a character device, not a regular file")
    assert "no such file" not in out


def _damage_a_batch(home: Path, inputs: Path) -> tuple[Path, Path]:
    """Land one file, then overwrite its ledger record with junk; return (record, file)."""
    source = write_csv(inputs / "licenses.csv", [raw_row("licenses", 1)])
    [result] = ingest("licenses", [source], home)
    record = home / "ledger" / "batches" / f"{result.batch_id}.parquet"
    record.write_bytes(b"this is no Parquet file\n")
    return record, source


def test_a_damaged_ledger_file_is_named_by_ingest_not_blamed_on_the_disk(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record, source = _damage_a_batch(home, inputs)
    other = write_csv(inputs / "more.csv", [raw_row("licenses", 2)])

    assert main(["ingest", "--home", str(home), "licenses", str(other)]) == 1

    out = capsys.readouterr().out
    assert "the ledger is damaged" in out
    assert str(record) in out
    assert f"the commit record of batch {record.stem}" in out
    assert "mv " in out
    assert "ingest licenses.csv again" in out
    assert "Free disk space" not in out
    assert "Traceback" not in out

    # The repair it suggests works: move the record aside, ingest the file again.
    aside = home / "ledger-damaged"
    aside.mkdir()
    shutil.move(record, aside / record.name)
    assert main(["ingest", "--home", str(home), "licenses", str(source), str(other)]) == 0
    assert sorted(landed(home, "licenses")["_source_file"].to_list()) == [
        "licenses.csv",
        "more.csv",
    ]
    assert ledger_batches(home).height == 2


def test_status_on_a_damaged_ledger_names_the_file_and_the_repair(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cadence status` printed a traceback."""
    record, _ = _damage_a_batch(home, inputs)
    rejected = home / "ledger" / "rejected" / "20260101T000000000000Z-000000000000.parquet"
    rejected.write_bytes(b"")

    assert main(["status", "--home", str(home)]) == 1

    out = capsys.readouterr().out
    assert out.startswith("cadence status: the ledger is damaged")
    assert str(record) in out
    assert str(rejected) in out
    assert "the record of a file refused whole; nothing landed from it" in out
    assert "Traceback" not in out
