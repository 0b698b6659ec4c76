"""Re-ingesting is a no-op; overlapping files append, and the README's dedup query keeps the
latest version of each natural key."""

from __future__ import annotations

import hashlib
import hmac
import shutil
from pathlib import Path

from ingest_helpers import (
    KEY,
    data_files,
    ingest,
    landed,
    ledger_batches,
    query,
    raw_row,
    write_csv,
    write_jsonl,
    write_orphan_batch,
)

from ingestion.landing import file_sha256

FINGERPRINT_LABEL = b"cadence pseudonym key fingerprint v1"


def _snapshot(home: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()
    }


def test_same_file_twice_lands_once(home: Path, inputs: Path) -> None:
    path = write_csv(inputs / "r.csv", [raw_row("requests", 1), raw_row("requests", 2)])

    [first] = ingest("requests", [path], home)
    before = _snapshot(home)
    [second] = ingest("requests", [path], home)

    assert (first.status, first.rows_landed) == ("landed", 2)
    assert (second.status, second.batch_id) == ("duplicate", first.batch_id)
    assert (second.rows_read, second.rows_landed, second.rows_quarantined) == (0, 0, 0)
    assert second.summary() == f"r.csv: skipped, already landed as batch {first.batch_id}"
    assert _snapshot(home) == before  # nothing written, not even a ledger row
    assert landed(home, "requests").height == 2


def test_same_file_twice_in_one_call_lands_once(home: Path, inputs: Path) -> None:
    path = write_csv(inputs / "r.csv", [raw_row("requests", 1)])
    results = ingest("requests", [path, path], home)
    assert [r.status for r in results] == ["landed", "duplicate"]
    assert landed(home, "requests").height == 1


def test_same_content_under_another_name_is_a_duplicate(home: Path, inputs: Path) -> None:
    original = write_csv(inputs / "export.csv", [raw_row("activity", 1), raw_row("activity", 2)])
    copy = inputs / "sub" / "export (1).csv"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)

    first, second = ingest("activity", [original, copy], home)

    assert (first.status, second.status, second.batch_id) == (
        "landed",
        "duplicate",
        first.batch_id,
    )
    assert landed(home, "activity").height == 2
    assert ledger_batches(home)["source_file"].to_list() == ["export.csv"]


def test_quarantined_rows_are_not_repeated_on_reingest(home: Path, inputs: Path) -> None:
    rows = [raw_row("requests", 1), {**raw_row("requests", 2), "status": "nope"}]
    path = write_csv(inputs / "r.csv", rows)
    ingest("requests", [path], home)
    ingest("requests", [path], home)
    assert len(data_files(home, "quarantine", "requests")) == 1
    assert len(data_files(home, "landing", "requests")) == 1


def test_ledger_records_each_committed_batch(home: Path, inputs: Path) -> None:
    rows = [raw_row("requests", 1), {**raw_row("requests", 2), "status": "nope"}]
    path = write_jsonl(inputs / "r.jsonl", rows)
    [result] = ingest("requests", [path], home)

    [batch] = ledger_batches(home).rows(named=True)
    assert {k: batch[k] for k in batch if k not in ("started_at", "committed_at")} == {
        "batch_id": result.batch_id,
        "entity": "requests",
        "source_file": "r.jsonl",
        "source_format": "json",
        "file_sha256": file_sha256(path),
        "file_bytes": path.stat().st_size,
        "rows_read": 2,
        "rows_landed": 1,
        "rows_quarantined": 1,
        # a keyed hash of the pseudonym key, never the key (worked out from its definition)
        "key_fingerprint": hmac.new(KEY, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16],
    }
    assert batch["started_at"] <= batch["committed_at"]
    assert result.batch_id.endswith("-" + file_sha256(path)[:12])
    assert landed(home, "requests")["_ingested_at"].to_list() == [batch["started_at"]]


DEDUP = """
select * from (
    select *, row_number() over (
        partition by {key}
        order by _ingested_at desc, _batch_id desc, _source_row desc
    ) as _rank
    from read_parquet($glob, hive_partitioning=true, union_by_name=true)
    where _batch_id in (select batch_id from read_parquet($ledger))
) where _rank = 1
order by {key}
"""


def _deduplicated(home: Path, entity: str, key: str) -> list[dict[str, object]]:
    """The README's reader query: committed batches only, latest version of each key."""
    frame = query(
        DEDUP.format(key=key),
        {
            "glob": str(home / "landing" / entity / "**" / "*.parquet"),
            "ledger": str(home / "ledger" / "batches" / "*.parquet"),
        },
    )
    return frame.drop("_rank").rows(named=True)


def test_overlapping_files_append_and_dedup_keeps_the_correction(home: Path, inputs: Path) -> None:
    """Monday's export has req-1 and req-2; Tuesday's re-exports req-2 (latency corrected)
    and adds req-3. req-2 under another tool is a different request (key: tool, request_id)."""
    monday = [raw_row("requests", 1), raw_row("requests", 2)]
    tuesday = [
        {**raw_row("requests", 2), "latency_ms": "250"},
        raw_row("requests", 3),
        {**raw_row("requests", 2), "tool": "github_copilot", "latency_ms": "7"},
    ]
    ingest("requests", [write_csv(inputs / "monday.csv", monday)], home)
    ingest("requests", [write_csv(inputs / "tuesday.csv", tuesday)], home)

    assert landed(home, "requests").height == 5  # append-only: nothing overwritten
    latest = _deduplicated(home, "requests", "tool, request_id")
    assert [(r["tool"], r["request_id"], r["latency_ms"], r["_source_file"]) for r in latest] == [
        ("gateway", "req-1", 812.5, "monday.csv"),
        ("gateway", "req-2", 250.0, "tuesday.csv"),
        ("gateway", "req-3", 812.5, "tuesday.csv"),
        ("github_copilot", "req-2", 7.0, "tuesday.csv"),
    ]


def test_dedup_within_one_file_keeps_the_later_row(home: Path, inputs: Path) -> None:
    rows = [
        {**raw_row("activity", 1), "interactions": "5"},
        raw_row("activity", 2),
        {**raw_row("activity", 1), "user_id": " BOB@corp.test ", "interactions": "8"},
    ]
    ingest("activity", [write_csv(inputs / "a.csv", rows)], home)

    latest = _deduplicated(home, "activity", "user_id, activity_date, tool")
    assert [(r["activity_date"].day, r["interactions"], r["_source_row"]) for r in latest] == [
        (1, 8, 3),
        (2, 12, 2),
    ]


def test_dedup_ignores_uncommitted_batches(home: Path, inputs: Path) -> None:
    """A batch folder without a ledger file (a crashed writer) is not read by the dedup query
    even before recovery removes it."""
    ingest("licenses", [write_csv(inputs / "l.csv", [raw_row("licenses", 1)])], home)
    [landed_file] = data_files(home, "landing", "licenses")
    orphan = home / "landing" / "licenses" / "batch_id=orphan"
    orphan.mkdir()
    write_orphan_batch(landed_file, orphan / "data_0.parquet", "orphan")

    assert landed(home, "licenses").height == 2  # a bare glob would see it
    assert len(_deduplicated(home, "licenses", "user_id, tool, assigned_on")) == 1
