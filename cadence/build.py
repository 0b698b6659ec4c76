"""Write, audit, publish: build the warehouse into a new DuckDB file and publish it atomically.

1. Take the writer lock and sweep what a crashed writer left (`ingestion.landing.ensure_home`
   for the landing zone, `sweep_builds` for unpublished warehouse files).
2. Copy the published warehouse (if any) to `warehouses/<build_id>.duckdb`, so incremental
   models keep their state, and run `dbt build` (models, seeds, tests, contracts) into it.
3. Only when every node passed, stamp the file with its build id and flip the pointer
   `published.json` by renaming a new version over it. Readers follow the pointer and open the
   file read-only; the file they have open is never written again.
4. Keep the last `KEEP_BUILDS` published builds for `cadence build --rollback`.

A failed build leaves the published warehouse untouched; its file is kept as
`warehouses/failed-<build_id>.duckdb` with the failing tests' rows (dbt `--store-failures`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from cadence.config import DBT_PROJECT_DIR
from cadence.lock import writer_lock
from ingestion.landing import ensure_home

KEEP_BUILDS = 3
#: A build id (`new_build_id`): what names a build's file or folder in `warehouses/`.
BUILD_ID = re.compile(r"\d{8}T\d{12}Z")
FAILURES_SCHEMA = "audit_failures"


class BuildFailed(RuntimeError):
    """dbt build did not pass; nothing was published."""

    def __init__(self, message: str, failures: list[dict[str, str]], path: Path | None) -> None:
        super().__init__(message)
        self.failures = failures
        self.path = path


@dataclass
class BuildResult:
    build_id: str
    path: Path
    published_at: str
    seconds: float
    nodes: int
    timings: dict[str, float] = field(default_factory=dict)


def pointer_path(home: Path) -> Path:
    return home / "published.json"


def read_pointer(home: Path) -> dict[str, object] | None:
    path = pointer_path(home)
    return json.loads(path.read_text()) if path.exists() else None


def _write_pointer(home: Path, document: dict[str, object]) -> None:
    path = pointer_path(home)
    temp = path.with_name(f".{path.name}.tmp")
    with temp.open("w") as handle:
        json.dump(document, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    temp.replace(path)
    directory = os.open(home, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def new_build_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def dbt_paths(home: Path) -> list[str]:
    """dbt's target folder for one cadence home, so two homes never collide. No dbt log
    file: dbt leaks its handle when invoked twice in one process; progress goes to stdout."""
    return [
        "--target-path",
        str(home / "dbt" / "target"),
        "--log-path",
        str(home / "dbt" / "logs"),
        "--log-level-file",
        "none",
    ]


def close_dbt_duckdb() -> None:
    """Close the warehouse file dbt-duckdb keeps open once dbt has returned.

    The profile sets `keep_open: true`: dbt-duckdb then holds one connection for the whole
    build instead of closing (checkpointing) and reopening the file around every node, a
    third of an incremental build's time. It also keeps the file open after dbt returns, so
    close it here: this process reopens the file to stamp and audit it, and other processes
    must be able to read it once published.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: nothing held open
        return
    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if environment is not None:
        environment.close()


def run_dbt(args: list[str], env: dict[str, str]) -> tuple[bool, list[dict[str, str]], int]:
    """Run dbt in-process; return (success, failing nodes, nodes run)."""
    from dbt.cli.main import dbtRunner

    previous = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        result = dbtRunner().invoke(
            [
                *args,
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
            ]
        )
    finally:
        close_dbt_duckdb()
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    failures: list[dict[str, str]] = []
    nodes = 0
    if result.result is not None and hasattr(result.result, "results"):
        for node_result in result.result.results:
            nodes += 1
            status = str(node_result.status)
            if status in ("error", "fail", "runtime error"):
                node = node_result.node
                failures.append(
                    {
                        "node": node.unique_id,
                        "status": status,
                        "message": str(node_result.message or ""),
                        "relation": str(getattr(node, "relation_name", "") or ""),
                    }
                )
    if result.exception is not None:
        failures.append(
            {"node": "dbt", "status": "error", "message": str(result.exception), "relation": ""}
        )
    return bool(result.success), failures, nodes


def build(
    home: Path,
    config: Path,
    *,
    full_refresh: bool = False,
    select: list[str] | None = None,
    echo=print,
) -> BuildResult:
    """Build, test and publish a new warehouse; raise BuildFailed and publish nothing on failure."""
    clock = time.perf_counter()
    with writer_lock(home, "cadence build"):
        ensure_home(home)
        sweep_builds(home)
        warehouses = home / "warehouses"
        warehouses.mkdir(parents=True, exist_ok=True)
        build_id = new_build_id()
        target = warehouses / f"{build_id}.duckdb"
        pointer = read_pointer(home)
        timings: dict[str, float] = {}
        if pointer and not full_refresh and Path(str(pointer["published_path"])).exists():
            step = time.perf_counter()
            shutil.copy2(str(pointer["published_path"]), target)
            timings["copy_previous_s"] = time.perf_counter() - step
        env = {
            "CADENCE_HOME": str(home),
            "CADENCE_CONFIG_DIR": str(config),
            "CADENCE_BUILD_PATH": str(target),
        }
        args = ["build", "--target", "duckdb", "--store-failures", *dbt_paths(home)]
        if full_refresh:
            args.append("--full-refresh")
        for selector in select or []:
            args += ["--select", selector]
        step = time.perf_counter()
        ok, failures, nodes = run_dbt(args, env)
        timings["dbt_build_s"] = time.perf_counter() - step
        if not ok:
            failed = warehouses / f"failed-{build_id}.duckdb"
            if target.exists():
                target.replace(failed)
                if Path(f"{target}.wal").exists():  # a write that failed leaves its log
                    Path(f"{target}.wal").replace(f"{failed}.wal")
            lines = [f"build {build_id} failed; the published warehouse is unchanged."]
            for failure in failures:
                lines.append(f"  {failure['status']}: {failure['node']}: {failure['message']}")
                if failure["relation"] and failed.exists():
                    # The relation is qualified by the build's own catalog name (the file
                    # stem when it was built) and stored failures are views over it, so
                    # attach the failed file under that name.
                    lines.append(
                        f"    see its rows (in duckdb): attach '{failed}' as \"{build_id}\" "
                        f"(read_only); select * from {failure['relation']};"
                    )
            raise BuildFailed("\n".join(lines), failures, failed if failed.exists() else None)
        published_at = datetime.now(UTC).isoformat(timespec="seconds")
        _stamp(target, build_id, published_at)
        history = [build_id, *[b for b in (pointer or {}).get("history", []) if b != build_id]]
        document = {
            "build_id": build_id,
            "published_path": str(target),
            "published_at": published_at,
            "history": history[:KEEP_BUILDS],
        }
        _write_pointer(home, document)
        _prune(warehouses, history[:KEEP_BUILDS])
        seconds = time.perf_counter() - clock
        echo(f"published build {build_id} ({nodes} dbt nodes passed, {seconds:.1f}s) -> {target}")
        return BuildResult(build_id, target, published_at, seconds, nodes, timings)


def _stamp(path: Path, build_id: str, published_at: str) -> None:
    """Record the build's identity inside the warehouse file, for readers to check."""
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "create or replace table main.cadence_build as select "
            "cast($build_id as varchar) as build_id, cast($published_at as timestamptz) as published_at",
            {"build_id": build_id, "published_at": published_at},
        )
        con.execute("checkpoint")
    finally:
        con.close()


def _prune(warehouses: Path, keep: list[str]) -> None:
    keep_files = {f"{build_id}.duckdb" for build_id in keep}
    builds = sorted(p for p in warehouses.glob("*.duckdb") if not p.name.startswith("failed-"))
    for path in builds:
        if path.name not in keep_files:
            path.unlink(missing_ok=True)
            Path(f"{path}.wal").unlink(missing_ok=True)
    failed = sorted(warehouses.glob("failed-*.duckdb"))
    for path in failed[:-KEEP_BUILDS]:
        path.unlink(missing_ok=True)


def sweep_builds(home: Path) -> list[Path]:
    """Remove what a killed or failed writer left in `warehouses/`; return what was removed.

    Call it holding the writer lock. A build is written under its build id in `warehouses/`
    and only ever read by others once the pointer names it, so every entry named after a build
    id that the pointer's history does not list (the file, its `.wal`, DuckDB's `.tmp` spill
    folder) is an interrupted build's; so is a `.published.json.tmp` the pointer flip never
    renamed. Nothing of a kept build is touched (a reader may be spilling into its `.tmp`
    folder); `failed-<build_id>` entries are kept for inspection (`_prune` bounds them) except
    a log or spill folder whose failed file is gone.
    """
    pointer = read_pointer(home)
    kept = {str(build_id) for build_id in (pointer or {}).get("history", [])}
    if pointer is not None:
        kept.add(str(pointer["build_id"]))
    removed: list[Path] = []
    stray_pointer = pointer_path(home).with_name(f".{pointer_path(home).name}.tmp")
    candidates = [stray_pointer] if stray_pointer.exists() else []
    warehouses = home / "warehouses"
    for path in sorted(warehouses.iterdir()) if warehouses.exists() else []:
        failed = path.name.startswith("failed-")
        stem = path.name.removeprefix("failed-").split(".", 1)[0]
        if not BUILD_ID.fullmatch(stem):
            continue
        if failed:
            main_file = warehouses / f"failed-{stem}.duckdb"
            if path.name.endswith((".wal", ".tmp")) and not main_file.exists():
                candidates.append(path)
        elif stem not in kept:
            candidates.append(path)
    for path in candidates:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def rollback(home: Path, echo=print) -> str:
    """Point the published pointer back at the previous kept build; return its id."""
    with writer_lock(home, "cadence build --rollback"):
        pointer = read_pointer(home)
        history = list((pointer or {}).get("history", []))
        if len(history) < 2:
            raise RuntimeError("nothing to roll back to: fewer than two published builds are kept")
        previous = history[1]
        path = home / "warehouses" / f"{previous}.duckdb"
        if not path.exists():
            raise RuntimeError(f"the previous build's file is missing: {path}")
        con = duckdb.connect(str(path), read_only=True)
        try:
            row = con.execute("select published_at from main.cadence_build").fetchone()
        finally:
            con.close()
        document = {
            "build_id": previous,
            "published_path": str(path),
            "published_at": str(row[0]) if row else None,
            "history": history[1:],
            "rolled_back_from": history[0],
        }
        _write_pointer(home, document)
        (home / "warehouses" / f"{history[0]}.duckdb").unlink(missing_ok=True)
        echo(f"rolled back: build {previous} is published again (was {history[0]})")
        return previous
