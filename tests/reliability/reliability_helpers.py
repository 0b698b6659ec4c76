"""Helpers shared by the reliability tests (imported by module name; tests/ has no packages):
run the `cadence` CLI in a subprocess, summarise what is landed, check a home's published
warehouse and look for what a crashed writer may have left."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from cadence.build import build_path
from cadence.published import read_pointer
from ingestion import ledger
from ingestion.entities.registry import SCHEMAS

REPO = Path(__file__).resolve().parents[2]
#: A fixed pseudonymisation key, so two homes land identical user pseudonyms.
KEY_HEX = "5e" * 32
_CLI = Path(sys.executable).with_name("cadence")
CADENCE = [str(_CLI)] if _CLI.exists() else [sys.executable, "-m", "cadence.cli"]


def cli_env(home: Path) -> dict[str, str]:
    """The environment of a `cadence` subprocess writing to `home`."""
    env = {**os.environ, "CADENCE_HOME": str(home), "CADENCE_PSEUDONYM_KEY": KEY_HEX}
    env.pop("CADENCE_KEY_FILE", None)
    return env


def cadence(home: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run `cadence <args>` on `home` to completion; stdout and stderr captured."""
    return subprocess.run(
        [*CADENCE, *args],
        cwd=REPO,
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The stdout of a run that must have succeeded (its output in the failure message)."""
    assert result.returncode == 0, (
        f"{result.args} exited {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return result.stdout


def landed_summary(home: Path) -> dict[str, dict[str, int]]:
    """Per entity, over the ledger's committed batches only: batches, landed rows, a checksum
    of the natural keys (a sum of hashes: a doubled row changes it), quarantined rows and
    rows read; plus files refused. Batch ids and ingestion times are left out: they differ
    between two runs that landed the same data."""
    paths = ledger.Paths(home)
    batches = str(paths.batches / "*.parquet")
    con = duckdb.connect()
    summary: dict[str, dict[str, int]] = {}
    try:
        for name, schema in SCHEMAS.items():
            if not (paths.landing / name).exists():
                continue
            key = ", ".join(
                f"coalesce(cast({column} as varchar), '<null>')" for column in schema.natural_key
            )
            landed_sql = (
                f"select count(*), coalesce(sum(hash(concat_ws('|', {key}))::hugeint), 0) "
                "from read_parquet($glob, hive_partitioning = true, union_by_name = true) "
                "where _batch_id in (select batch_id from read_parquet($batches))"
            )
            rows, checksum = con.execute(
                landed_sql, {"glob": paths.entity_glob(name), "batches": batches}
            ).fetchone()
            quarantine_sql = (
                "select count(*) from read_parquet($glob, union_by_name = true) "
                "where _batch_id in (select batch_id from read_parquet($batches))"
            )
            quarantined = con.execute(
                quarantine_sql, {"glob": paths.quarantine_glob(name), "batches": batches}
            ).fetchone()[0]
            ledger_sql = (
                "select count(*), coalesce(sum(rows_read), 0), coalesce(sum(rows_quarantined), 0) "
                "from read_parquet($batches) where entity = $entity"
            )
            count, read, ledger_quarantined = con.execute(
                ledger_sql, {"batches": batches, "entity": name}
            ).fetchone()
            summary[name] = {
                "batches": int(count),
                "rows": int(rows),
                "key_checksum": int(checksum),
                "quarantined": int(quarantined),
                "ledger_rows_read": int(read),
                "ledger_quarantined": int(ledger_quarantined),
            }
            if name == "requests":
                # the operations marts count model calls only (CONTRACTS.md §5.1)
                summary[name]["model_calls"] = int(
                    con.execute(
                        "select count(*) from read_parquet($glob, hive_partitioning = true, "
                        "union_by_name = true) "
                        "where _batch_id in (select batch_id from read_parquet($batches)) "
                        "and operation not in ('invoke_agent', 'execute_tool')",
                        {"glob": paths.entity_glob(name), "batches": batches},
                    ).fetchone()[0]
                )
        refused = con.execute(
            "select count(*) from read_parquet($rejected)",
            {"rejected": str(paths.rejected / "*.parquet")},
        ).fetchone()[0]
        summary["_refused_files"] = {"count": int(refused)}
    finally:
        con.close()
    return summary


def published_check(home: Path) -> dict[str, object] | None:
    """The pointer of `home` after checking that the warehouse it names is whole: the file
    exists, opens read-only, its stamp is the pointer's build id, its marts answer, and every
    build in the history is still on disk. None when nothing is published."""
    pointer = read_pointer(home)
    if pointer is None:
        return None
    for build_id in pointer["history"]:
        assert build_path(home, build_id).exists(), build_id
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        stamp = con.execute("select build_id from main.cadence_build").fetchone()
        requests = con.execute("select sum(requests) from main.fct_operations_weekly").fetchone()
    finally:
        con.close()
    assert stamp is not None
    assert stamp[0] == pointer["build_id"]
    pointer["requests"] = int(requests[0] or 0)
    return pointer


def strays(home: Path) -> list[str]:
    """What an interrupted writer may leave and the next one must have removed: anything in
    tmp/, temp files (`*.tmp`), batch folders no ledger file commits, warehouse files (and
    their logs and spill folders) that are neither published builds nor kept failures."""
    found: list[str] = []
    tmp = home / "tmp"
    if tmp.exists():
        found += [str(p) for p in tmp.iterdir()]
    for path in home.rglob("*"):
        if path.name.endswith(".tmp") and ".secrets" not in path.parts:
            found.append(str(path))
    paths = ledger.Paths(home)
    committed = ledger.committed_batch_ids(paths) | {ledger.SCHEMA_BATCH}
    for root in (paths.landing, paths.quarantine):
        for batch in root.glob("*/batch_id=*"):
            if batch.name.removeprefix("batch_id=") not in committed:
                found.append(str(batch))
    pointer_file = home / "published.json"
    history = json.loads(pointer_file.read_text())["history"] if pointer_file.exists() else []
    kept = set(history)
    warehouses = home / "warehouses"
    if warehouses.exists():
        for path in warehouses.iterdir():
            if path.name not in kept and not path.name.startswith("failed-"):
                found.append(str(path))
    return sorted(set(found))


def copy_home(source: Path, target: Path) -> Path:
    """A copy of a home (its pointer, relative to the home, names the copy's own files)."""
    shutil.copytree(source, target)
    return target
