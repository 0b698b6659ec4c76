"""The landing zone's layout, its ledger of committed batches, and crash recovery.

Layout and column types are documented in `ingestion/README.md`. A batch becomes visible in
`landing/` by one directory rename and committed when its ledger file is renamed into
`ledger/batches/`. `recover` removes what a crashed writer left behind.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion.errors import LedgerDamaged
from ingestion.schema import LINEAGE_COLUMNS, EntitySchema

SCHEMA_BATCH = "0-schema"

BATCH_COLUMNS: dict[str, str] = {
    "batch_id": "VARCHAR",
    "entity": "VARCHAR",
    "source_file": "VARCHAR",
    "source_format": "VARCHAR",
    "file_sha256": "VARCHAR",
    "file_bytes": "BIGINT",
    "rows_read": "BIGINT",
    "rows_landed": "BIGINT",
    "rows_quarantined": "BIGINT",
    "started_at": "TIMESTAMP",
    "committed_at": "TIMESTAMP",
    # the fingerprint of the pseudonymisation key that pseudonymised the batch (a keyed hash,
    # never the key); null in batches landed before it was recorded
    "key_fingerprint": "VARCHAR",
}
REJECTED_COLUMNS: dict[str, str] = {
    "rejection_id": "VARCHAR",
    "entity": "VARCHAR",
    "source_file": "VARCHAR",
    "file_sha256": "VARCHAR",
    "line": "BIGINT",
    "reason": "VARCHAR",
    "rejected_at": "TIMESTAMP",
}


@dataclass(frozen=True)
class Paths:
    """Folders under one cadence home."""

    home: Path

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def batches(self) -> Path:
        return self.home / "ledger" / "batches"

    @property
    def rejected(self) -> Path:
        return self.home / "ledger" / "rejected"

    @property
    def tmp(self) -> Path:
        return self.home / "tmp"

    def entity_glob(self, entity: str) -> str:
        return str(self.landing / entity / "**" / "*.parquet")

    def quarantine_glob(self, entity: str) -> str:
        return str(self.quarantine / entity / "**" / "*.parquet")


def _columns_sql(columns: dict[str, str]) -> str:
    return ", ".join(f"cast(null as {dtype}) as {name}" for name, dtype in columns.items())


def _write_empty(con: duckdb.DuckDBPyConnection, columns: dict[str, str], target: Path) -> None:
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    con.execute(
        f"copy (select {_columns_sql(columns)} where false) to $dst (format parquet)",
        {"dst": str(temp)},
    )
    Path(temp).replace(target)


def landed_columns(schema: EntitySchema) -> dict[str, str]:
    """Canonical landed columns of an entity with their DuckDB types, lineage included."""
    columns = {column.name: column.duckdb_type for column in schema.columns}
    columns.update(LINEAGE_COLUMNS)
    return columns


def quarantine_columns(schema: EntitySchema) -> dict[str, str]:
    """Columns of an entity's quarantine files: declared columns as text, reason, lineage."""
    columns = dict.fromkeys(schema.column_names, "VARCHAR")
    columns["_reason"] = "VARCHAR"
    columns.update(LINEAGE_COLUMNS)
    return columns


def ensure_layout(home: Path, schemas: list[EntitySchema]) -> Paths:
    """Create the folders and the zero-row schema batches so every glob has a typed file."""
    paths = Paths(home)
    for folder in (paths.landing, paths.quarantine, paths.batches, paths.rejected, paths.tmp):
        folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        for schema in schemas:
            batch = paths.landing / schema.name / f"batch_id={SCHEMA_BATCH}"
            _write_empty(con, landed_columns(schema), batch / "data_0.parquet")
            _write_empty(
                con,
                quarantine_columns(schema),
                paths.quarantine / schema.name / f"batch_id={SCHEMA_BATCH}" / "data_0.parquet",
            )
        _write_empty(con, BATCH_COLUMNS, paths.batches / f"{SCHEMA_BATCH}.parquet")
        _write_empty(con, REJECTED_COLUMNS, paths.rejected / f"{SCHEMA_BATCH}.parquet")
    finally:
        con.close()
    return paths


def committed_batch_ids(paths: Paths) -> set[str]:
    """Ids of the batches the ledger records as committed."""
    return {p.stem for p in paths.batches.glob("*.parquet") if p.stem != SCHEMA_BATCH}


def recover(paths: Paths) -> list[Path]:
    """Remove in-flight files and batch folders that no ledger file commits; return them."""
    removed: list[Path] = []
    if paths.tmp.exists():
        for child in paths.tmp.iterdir():
            _remove(child)
            removed.append(child)
    for folder in (paths.batches, paths.rejected):
        if folder.exists():
            for stray in folder.glob(".*.tmp"):
                stray.unlink()
                removed.append(stray)
    committed = committed_batch_ids(paths) | {SCHEMA_BATCH}
    for root in (paths.landing, paths.quarantine):
        if not root.exists():
            continue
        for batch_dir in root.glob("*/batch_id=*"):
            if batch_dir.name.removeprefix("batch_id=") not in committed:
                _remove(batch_dir)
                removed.append(batch_dir)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def find_committed(
    con: duckdb.DuckDBPyConnection, paths: Paths, entity: str, sha256: str
) -> str | None:
    """The batch id that already landed a file with this content for `entity`, if any."""
    rows = query(
        con,
        paths,
        "select batch_id from read_parquet($glob, union_by_name = true) where entity = $entity "
        "and file_sha256 = $sha order by batch_id limit 1",
        {"glob": str(paths.batches / "*.parquet"), "entity": entity, "sha": sha256},
    )
    return str(rows[0][0]) if rows else None


def latest_key_fingerprint(con: duckdb.DuckDBPyConnection, paths: Paths) -> tuple[str, str] | None:
    """(fingerprint, batch id) of the pseudonymisation key that pseudonymised the latest
    committed batch that records one; None when none does."""
    glob = str(paths.batches / "*.parquet")
    names = {
        str(row[0])
        for row in query(
            con,
            paths,
            "describe select * from read_parquet($glob, union_by_name = true)",
            {"glob": glob},
        )
    }
    if "key_fingerprint" not in names:
        return None
    rows = query(
        con,
        paths,
        "select key_fingerprint, batch_id from read_parquet($glob, union_by_name = true) where key_fingerprint is not null "
        "order by committed_at desc, batch_id desc limit 1",
        {"glob": glob},
    )
    return (str(rows[0][0]), str(rows[0][1])) if rows else None


def query(
    con: duckdb.DuckDBPyConnection, paths: Paths, sql: str, params: dict[str, object]
) -> list[tuple]:
    """Run a query over the ledger's files; a file that cannot be read raises
    `LedgerDamaged`, naming it and the repair, rather than DuckDB's error."""
    try:
        return con.execute(sql, params).fetchall()
    except duckdb.Error as error:
        damaged = damaged_files(paths)
        if damaged:
            raise LedgerDamaged(damaged) from error
        raise


def damaged_files(paths: Paths) -> list[tuple[Path, str, str]]:
    """Each ledger file (committed batches, refused files) that cannot be read as Parquet:
    (file, what it is, how to repair it)."""
    damaged: list[tuple[Path, str, str]] = []
    con = duckdb.connect()
    try:
        for folder in (paths.batches, paths.rejected):
            if not folder.exists():
                continue
            for path in sorted(folder.glob("*.parquet")):
                try:
                    con.execute("select * from read_parquet($src)", {"src": str(path)}).fetchall()
                except duckdb.Error:
                    damaged.append((path, *_repair(paths, path)))
    finally:
        con.close()
    return damaged


def _repair(paths: Paths, path: Path) -> tuple[str, str]:
    """What a damaged ledger file is and how to repair it, in words."""
    aside = paths.home / "ledger-damaged"
    move = f"move it out of the ledger (mkdir -p {aside} && mv '{path}' {aside}/)"
    if path.stem == SCHEMA_BATCH:
        return (
            "the ledger's zero-row schema file",
            f"delete it (rm '{path}'); the next `cadence ingest` writes it again",
        )
    if path.parent == paths.rejected:
        return (
            "the record of a file refused whole; nothing landed from it",
            f"{move}; only the record of that refusal is lost",
        )
    batch = path.stem
    sources = _landed_source_files(paths, batch)
    again = (
        f"ingest {', '.join(sources)} again to land its rows anew"
        if sources
        else "ingest the file it recorded again to land its rows anew"
    )
    return (
        f"the commit record of batch {batch}",
        f"{move}; the next `cadence ingest` then removes that batch's uncommitted rows "
        f"(landing/*/batch_id={batch}); {again}",
    )


def _landed_source_files(paths: Paths, batch: str) -> list[str]:
    """The `_source_file` names in a batch's landed or quarantined rows (best effort)."""
    names: set[str] = set()
    con = duckdb.connect()
    try:
        for root in (paths.landing, paths.quarantine):
            for folder in root.glob(f"*/batch_id={batch}"):
                for file in folder.glob("*.parquet"):
                    try:
                        rows = con.execute(
                            "select distinct _source_file from read_parquet($src)",
                            {"src": str(file)},
                        ).fetchall()
                    except duckdb.Error:
                        continue
                    names.update(str(name) for (name,) in rows if name)
    finally:
        con.close()
    return sorted(names)


def _write_record(
    con: duckdb.DuckDBPyConnection, columns: dict[str, str], record: dict[str, object], target: Path
) -> None:
    select = ", ".join(f"cast(${name} as {dtype}) as {name}" for name, dtype in columns.items())
    temp = target.with_name(f".{target.name}.tmp")
    con.execute(
        f"copy (select {select}) to $dst (format parquet)",
        {**{name: record.get(name) for name in columns}, "dst": str(temp)},
    )
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())
    Path(temp).replace(target)


def commit_batch(con: duckdb.DuckDBPyConnection, paths: Paths, record: dict[str, object]) -> None:
    """Commit a batch: write its ledger row and rename it into place (the commit point)."""
    _write_record(con, BATCH_COLUMNS, record, paths.batches / f"{record['batch_id']}.parquet")


def record_rejection(
    con: duckdb.DuckDBPyConnection, paths: Paths, record: dict[str, object]
) -> None:
    """Record a file refused whole."""
    _write_record(
        con, REJECTED_COLUMNS, record, paths.rejected / f"{record['rejection_id']}.parquet"
    )


def record_refusal(
    paths: Paths,
    *,
    entity: str,
    source_file: str,
    sha256: str,
    line: int | None,
    reason: str,
    at: datetime,
    con: duckdb.DuckDBPyConnection | None = None,
) -> None:
    """Record a file refused whole (its content hash may be unknown: empty)."""
    record = {
        "rejection_id": new_batch_id(at, sha256 or "0" * 12),
        "entity": entity,
        "source_file": source_file,
        "file_sha256": sha256,
        "line": line,
        "reason": reason,
        "rejected_at": at,
    }
    if con is not None:
        record_rejection(con, paths, record)
        return
    own = duckdb.connect()
    try:
        record_rejection(own, paths, record)
    finally:
        own.close()


def new_batch_id(now: datetime, sha256: str) -> str:
    """A sortable, unique batch id: UTC time to the microsecond, then the content hash."""
    return f"{now:%Y%m%dT%H%M%S%f}Z-{sha256[:12]}"
