"""Crash recovery: what a crashed writer left (in-flight files under tmp/, batch folders no
ledger file commits) is removed by the next ingest and never shows in reads."""

from __future__ import annotations

from pathlib import Path

from ingest_helpers import (
    data_files,
    ingest,
    landed,
    ledger_batches,
    quarantined,
    raw_row,
    write_csv,
    write_orphan_batch,
)

from ingestion import ledger


def _leave_crash_debris(home: Path) -> list[Path]:
    """A committed batch's files copied under ids that no ledger file records, plus tmp/
    leftovers and half-written ledger files."""
    [landed_file] = data_files(home, "landing", "requests")
    [quarantine_file] = data_files(home, "quarantine", "requests")
    debris = [
        home / "tmp" / "xyz",
        home / "tmp" / "20260101T000000000000Z-abc" / "landed" / "data_0.parquet",
        home / "landing" / "requests" / "batch_id=orphan" / "data_0.parquet",
        home / "quarantine" / "requests" / "batch_id=orphan" / "data_0.parquet",
        home / "ledger" / "batches" / ".20260101T000000000000Z-abc.parquet.tmp",
        home / "ledger" / "rejected" / ".20260101T000000000000Z-def.parquet.tmp",
    ]
    for path in debris:
        path.parent.mkdir(parents=True, exist_ok=True)
    debris[0].write_text("half a file")
    debris[1].write_bytes(landed_file.read_bytes())
    write_orphan_batch(landed_file, debris[2], "orphan")
    write_orphan_batch(quarantine_file, debris[3], "orphan")
    debris[4].write_bytes(b"PAR1")
    debris[5].write_bytes(b"PAR1")
    return debris


def _requests_file(inputs: Path, name: str, i: int) -> Path:
    rows = [raw_row("requests", i), {**raw_row("requests", i + 1), "status": "nope"}]
    return write_csv(inputs / name, rows)


def test_next_ingest_removes_what_a_crashed_writer_left(home: Path, inputs: Path) -> None:
    ingest("requests", [_requests_file(inputs, "first.csv", 1)], home)
    debris = _leave_crash_debris(home)
    assert landed(home, "requests").height == 2  # a bare glob sees the orphan before recovery

    [result] = ingest("requests", [_requests_file(inputs, "second.csv", 3)], home)

    assert result.status == "landed"
    for path in debris:
        assert not path.exists(), path
    assert not (home / "landing" / "requests" / "batch_id=orphan").exists()
    assert not (home / "quarantine" / "requests" / "batch_id=orphan").exists()
    assert [p for p in (home / "tmp").iterdir()] == []
    rows = landed(home, "requests")
    assert rows.select("_source_file", "request_id").rows() == [
        ("first.csv", "req-1"),
        ("second.csv", "req-3"),
    ]
    assert set(rows["batch_id"]) == set(ledger_batches(home)["batch_id"]) - {None}
    assert quarantined(home, "requests")["request_id"].to_list() == ["req-2", "req-4"]


def test_recover_removes_uncommitted_batches_and_keeps_committed_ones(
    home: Path, inputs: Path
) -> None:
    [result] = ingest("requests", [_requests_file(inputs, "first.csv", 1)], home)
    debris = _leave_crash_debris(home)
    # A batch renamed into landing/ whose ledger commit never happened.
    (home / "ledger" / "batches" / f"{result.batch_id}.parquet").rename(
        home / "ledger" / "batches" / f".{result.batch_id}.parquet.tmp"
    )

    removed = ledger.recover(ledger.Paths(home))

    committed_dirs = {
        home / "landing" / "requests" / f"batch_id={result.batch_id}",
        home / "quarantine" / "requests" / f"batch_id={result.batch_id}",
    }
    assert committed_dirs <= set(removed)
    assert {home / "tmp" / "xyz", home / "tmp" / "20260101T000000000000Z-abc"} <= set(removed)
    for path in [*debris, *committed_dirs]:
        assert not path.exists(), path
    # The schema batches stay, so globs over every entity still resolve with every column.
    for area in ("landing", "quarantine"):
        assert (home / area / "requests" / "batch_id=0-schema" / "data_0.parquet").exists()
    assert landed(home, "requests").height == 0
    assert ledger.recover(ledger.Paths(home)) == []  # nothing left to do


def test_file_lands_again_after_its_batch_was_lost(home: Path, inputs: Path) -> None:
    """A batch that never committed does not count as landed: re-ingesting its file lands it."""
    path = _requests_file(inputs, "first.csv", 1)
    [first] = ingest("requests", [path], home)
    (home / "ledger" / "batches" / f"{first.batch_id}.parquet").unlink()

    [second] = ingest("requests", [path], home)

    assert second.status == "landed"
    assert second.batch_id != first.batch_id
    assert landed(home, "requests")["_batch_id"].to_list() == [second.batch_id]
