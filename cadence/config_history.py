"""Configuration history in the ledger (CONTRACTS.md §5.2).

Each build records the operating-model configuration it used: for every CSV of the
configuration folder whose content changed since the last recorded version (or that is new,
or that was removed), one version — the file's cells as text, long form, with the build id and
the time — and dbt reads every version as the source `ledger.config_versions`. "As known at a
date" is then a join on the versions' validity (`stg_ledger__config_versions`), the same on
DuckDB and Spark, across full refreshes and rollbacks: nothing of it lives in a warehouse file.

Layout, under `$CADENCE_HOME/ledger/config_versions/`:

- `<build_id>.parquet`: a committed version set (the build that recorded it passed its tests);
- `pending/<build_id>.parquet`: the running build's changes, read by its own dbt run, renamed
  up one level when the build publishes and removed when it fails (a killed build's file is
  removed by the next build before it records its own);
- `0-schema.parquet`: zero rows with the columns' types, so the source always has a file.

One row per cell: `source_row` (1 = the first data line) by `column_name`, `value` null for an
empty cell. Every file also gets one marker row (`source_row` 0, no column) so that a version
with no data rows, or a removed file (`file_sha256` null), still exists.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cadence.published import fsync_directory

SCHEMA_FILE = "0-schema.parquet"
PENDING = "pending"
SCHEMA = pa.schema(
    [
        ("version_id", pa.string()),
        ("config_file", pa.string()),
        ("file_sha256", pa.string()),
        ("recorded_at", pa.timestamp("us")),
        ("source_row", pa.int64()),
        ("column_name", pa.string()),
        ("value", pa.string()),
    ]
)


class ConfigUnreadable(ValueError):
    """A configuration CSV that cannot be recorded; the message names the file and the problem."""


def versions_dir(home: Path) -> Path:
    return Path(home) / "ledger" / "config_versions"


def pending_path(home: Path, build_id: str) -> Path:
    return versions_dir(home) / PENDING / f"{build_id}.parquet"


def recorded_digests(home: Path) -> dict[str, str | None]:
    """Each configuration file's content digest in its latest committed version (None: removed)."""
    latest: dict[str, tuple[tuple[datetime, str], str | None]] = {}
    for path in sorted(versions_dir(home).glob("*.parquet")):
        if path.name == SCHEMA_FILE:
            continue
        table = pq.read_table(
            path, columns=["version_id", "config_file", "file_sha256", "recorded_at", "source_row"]
        )
        for row in table.filter(pc.equal(table["source_row"], 0)).to_pylist():
            order = (row["recorded_at"], row["version_id"])
            if row["config_file"] not in latest or order > latest[row["config_file"]][0]:
                latest[row["config_file"]] = (order, row["file_sha256"])
    return {name: digest for name, (_, digest) in latest.items()}


def stage(home: Path, config: Path, build_id: str, recorded_at: datetime) -> Path | None:
    """Write the running build's configuration changes to `pending/`; return the file, or None
    when nothing changed. Removes any pending file a killed build left first."""
    folder = versions_dir(home)
    shutil.rmtree(folder / PENDING, ignore_errors=True)
    (folder / PENDING).mkdir(parents=True)
    if not (folder / SCHEMA_FILE).exists():
        _write(pa.Table.from_pylist([], schema=SCHEMA), folder / SCHEMA_FILE)
    recorded = recorded_digests(home)
    current = {path.stem: path for path in sorted(Path(config).glob("*.csv"))}
    for path in current.values():
        check_loadable(path)
    rows: list[dict[str, object]] = []
    for name in sorted(current.keys() | recorded.keys()):
        path = current.get(name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path else None
        if name in recorded and recorded[name] == digest:
            continue
        marker = {"source_row": 0, "column_name": None, "value": None}
        cells = [marker, *(_cells(path) if path else [])]
        rows += [
            {
                "version_id": build_id,
                "config_file": name,
                "file_sha256": digest,
                "recorded_at": recorded_at.replace(tzinfo=None),
                **cell,
            }
            for cell in cells
        ]
    if not rows:
        return None
    target = pending_path(home, build_id)
    _write(pa.Table.from_pylist(rows, schema=SCHEMA), target)
    return target


def commit(home: Path, build_id: str) -> None:
    """The build passed: its pending version becomes part of the history (no-op without one)."""
    pending = pending_path(home, build_id)
    if pending.exists():
        pending.replace(versions_dir(home) / pending.name)
        fsync_directory(versions_dir(home))


def discard(home: Path, build_id: str) -> None:
    """The build failed: what it would have recorded is not history."""
    pending_path(home, build_id).unlink(missing_ok=True)


def check_loadable(path: Path) -> None:
    """Refuse a configuration CSV that dbt's seed loader (DuckDB's CSV reader) cannot read,
    before the build, with the reason in words; DuckDB itself only says "Error when sniffing
    file". The usual culprit is a file edited on two systems: some lines end CRLF, some LF."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(
            "select count(*) from read_csv($path, header = true, delim = ',', all_varchar = true)",
            {"path": str(path)},
        ).fetchall()
    except duckdb.Error as error:
        raw = path.read_bytes()
        crlf = raw.count(b"\r\n")
        lf = raw.count(b"\n") - crlf
        if crlf and lf:
            raise ConfigUnreadable(
                f"{path}: mixes Windows (CRLF, {crlf} lines) and Unix (LF, {lf} lines) line "
                "endings, which the build's CSV reader cannot read. Save it with one kind of "
                f"line ending (for example: sed -i 's/\\r$//' '{path}') and run the build again"
            ) from error
        first = str(error).split("\n")[0]
        raise ConfigUnreadable(f"{path}: cannot be read as CSV ({first})") from error
    finally:
        con.close()


def _cells(path: Path) -> list[dict[str, object]]:
    """The file's cells, one dict per non-header cell (`source_row` counts data lines from 1)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return []
            names = [name.strip() for name in header]
            if len(set(names)) != len(names) or "" in names:
                raise ConfigUnreadable(
                    f"{path}: its header names a column twice or leaves one blank"
                )
            cells = []
            for number, values in enumerate(reader, start=1):
                if not any(value.strip() for value in values):
                    continue  # a blank line is no row (as dbt's seed loader reads it)
                if len(values) != len(names):
                    raise ConfigUnreadable(
                        f"{path}, line {reader.line_num}: {len(values)} values for "
                        f"{len(names)} columns"
                    )
                cells += [
                    {"source_row": number, "column_name": name, "value": value or None}
                    for name, value in zip(names, values, strict=True)
                ]
            return cells
    except UnicodeDecodeError as error:
        raise ConfigUnreadable(f"{path}: not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise ConfigUnreadable(f"{path}: not a CSV file ({error})") from error


def _write(table: pa.Table, target: Path) -> None:
    """Write to a temporary name, fsync, rename into place."""
    temp = target.with_name(f".{target.name}.tmp")
    pq.write_table(table, temp)
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())
    temp.replace(target)
    fsync_directory(target.parent)
