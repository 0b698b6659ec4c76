"""What is landed and what is published (`cadence status`). Reads only; takes no lock."""

from __future__ import annotations

from pathlib import Path

import duckdb

from cadence.published import read_pointer
from ingestion import ledger
from ingestion.entities.registry import SCHEMAS
from ingestion.errors import LedgerDamaged
from ingestion.schema import EntitySchema


def _landed_sql(schema: EntitySchema) -> str:
    key = ", ".join(schema.natural_key)
    latest = schema.event_date_from or "valid_from"
    return f"""
        with landed as (
            select * from read_parquet($glob, hive_partitioning = true, union_by_name = true)
            where _batch_id in (select batch_id from read_parquet($batches, union_by_name = true))
        ),
        ranked as (
            select {key}, {latest} as event_at,
                row_number() over (
                    partition by {key}
                    order by _ingested_at desc, _batch_id desc, _source_row desc
                ) as version
            from landed
        )
        select
            count(*) filter (where version = 1) as rows,
            count(*) as rows_landed,
            cast(max(event_at) as timestamp) as latest_event_at
        from ranked
    """


def landed_status(home: Path) -> dict[str, dict[str, object]]:
    """Per entity: distinct records after dedup, rows landed, quarantined, rejected files,
    batches and the latest event time."""
    paths = ledger.Paths(home)
    status: dict[str, dict[str, object]] = {}
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    has_batches = any(paths.batches.glob("*.parquet")) if paths.batches.exists() else False
    try:
        for name, schema in SCHEMAS.items():
            entry: dict[str, object] = {
                "rows": 0,
                "rows_landed": 0,
                "quarantined": 0,
                "rejected_files": 0,
                "batches": 0,
                "latest_event_at": None,
            }
            if has_batches and (paths.landing / name).exists():
                batches = str(paths.batches / "*.parquet")
                rows, landed, latest = con.execute(
                    _landed_sql(schema), {"glob": paths.entity_glob(name), "batches": batches}
                ).fetchone()
                ledger_row = con.execute(
                    "select count(*), coalesce(sum(rows_quarantined), 0) "
                    "from read_parquet($batches, union_by_name = true) where entity = $entity",
                    {"batches": batches, "entity": name},
                ).fetchone()
                rejected = con.execute(
                    "select count(*) from read_parquet($rejected) where entity = $entity",
                    {"rejected": str(paths.rejected / "*.parquet"), "entity": name},
                ).fetchone()
                entry.update(
                    rows=int(rows),
                    rows_landed=int(landed),
                    latest_event_at=latest.isoformat() if latest else None,
                    batches=int(ledger_row[0]),
                    quarantined=int(ledger_row[1]),
                    rejected_files=int(rejected[0]),
                )
            status[name] = entry
    finally:
        con.close()
    return status


def status(home: Path) -> dict[str, object]:
    """The whole status document of CONTRACTS.md §3."""
    published = read_pointer(home)  # `published_path` absolute, resolved against `home`
    try:
        try:
            landed = landed_status(home)
        except duckdb.IOException:
            # A writer starting after a crash removes the batch folders no ledger file commits;
            # a read that listed one of them just then finds it gone. Read again.
            landed = landed_status(home)
    except duckdb.Error as error:
        damaged = ledger.damaged_files(ledger.Paths(home))
        if damaged:  # say which file and the repair, not DuckDB's message
            raise LedgerDamaged(damaged) from error
        raise
    return {
        "home": str(home),
        "published_path": published.get("published_path") if published else None,
        "build_id": published.get("build_id") if published else None,
        "published_at": published.get("published_at") if published else None,
        "entities": landed,
        "builds": published.get("history", []) if published else [],
    }


def render(document: dict[str, object]) -> str:
    """A human-readable status table."""
    lines = [f"cadence home: {document['home']}"]
    if document["build_id"]:
        lines.append(
            f"published: build {document['build_id']} at {document['published_at']}"
            f" -> {document['published_path']}"
        )
    else:
        lines.append("published: nothing yet (run `cadence build`)")
    lines.append("")
    header = f"{'entity':<18}{'rows':>12}{'landed':>12}{'quarantined':>13}{'rejected files':>16}  latest event"
    lines.append(header)
    lines.append("-" * len(header) + "-" * 20)
    entities = document["entities"]
    assert isinstance(entities, dict)
    for name, entry in entities.items():
        lines.append(
            f"{name:<18}{entry['rows']:>12,}{entry['rows_landed']:>12,}"
            f"{entry['quarantined']:>13,}{entry['rejected_files']:>16,}  {entry['latest_event_at'] or '-'}"
        )
    return "\n".join(lines)
