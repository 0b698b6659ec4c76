"""`cadence build --engine spark`: build the warehouse on Apache Spark, publish it like any build.

The same dbt project runs with the `spark` target (dbt-spark's `session` method, so Spark runs
inside a Python process: `local[*]` by default, a cluster with `CADENCE_SPARK_MASTER`) and reads
the same landing zone (`macros/spark.sql`). The app still serves one DuckDB file, so:

1. Take the writer lock, sweep the home (`ingestion.landing.ensure_home`).
2. In a child process (the JVM never lives in the cadence process, and it ends with the build),
   run `dbt build --target spark` into a fresh Spark warehouse folder
   `$CADENCE_HOME/spark/builds/<build_id>/warehouse`; only when every node passed (models,
   seeds, unit tests, contracts and every data test), write the tables of the schemas the app
   reads (`main`: the marts; `config`: the seeds) as Parquet under `.../marts/`.
3. Copy them into a new DuckDB file `warehouses/building/cadence.duckdb`, then publish it
   with `cadence.build.publish` (stamp, rename to `warehouses/<build_id>/`, flip the
   `published.json` pointer, prune): from there on a Spark build is indistinguishable from a
   DuckDB one (rollback included).

Every Spark build is a full build (Spark has no state between builds: its catalogue lives as
long as the child process, `CADENCE_SPARK_CATALOG=in-memory`), and nothing Spark writes lands
in the working directory (the child runs in `$CADENCE_HOME/spark`; Derby, when the `hive`
catalogue is asked for, keeps its files there too). A failed build publishes nothing and keeps
its folder as `spark/builds/failed-<build_id>` for inspection.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from cadence import config_history, period_close
from cadence.build import (
    BUILD_FILE,
    IN_PROGRESS,
    KEEP_BUILDS,
    BuildFailed,
    BuildResult,
    build_date,
    closed_message,
    invoke_dbt,
    new_build_id,
    publish,
    record_closes,
    record_configuration,
    warehouses_dir,
)
from cadence.lock import writer_lock
from cadence.published import read_pointer
from ingestion.landing import ensure_home

# The schemas the app reads (app/data.py): the public marts and the operating-model seeds.
PUBLISHED_SCHEMAS = ("main", "config")


def spark_home(home: Path) -> Path:
    return home / "spark"


def _spark_env(home: Path, config: Path, warehouse: Path, build_id: str) -> dict[str, str]:
    env = {
        **os.environ,
        "CADENCE_HOME": str(home),
        "CADENCE_CONFIG_DIR": str(config),
        "CADENCE_SPARK_WAREHOUSE": str(warehouse),
        "CADENCE_BUILD_DATE": build_date(build_id),
    }
    # Spark binds its driver to the machine's address unless told otherwise; a laptop or CI
    # runner without a resolvable host name then fails. A cluster sets its own.
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return env


#: What `cadence build --engine spark` needs beyond the DuckDB install (`make setup-spark`).
SPARK_MODULES = {"dbt.adapters.spark": "dbt-spark", "pyspark": "pyspark"}


def missing_spark_engine() -> list[str]:
    """What of the Spark engine is not installed: Python packages by name, and Java."""
    import importlib.util

    missing = []
    for module, package in SPARK_MODULES.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(package)
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (
        java_home and (Path(java_home) / "bin" / "java").exists()
    ):
        missing.append("Java (a JRE, 17 or later)")
    return missing


def require_spark_engine() -> None:
    """Refuse a Spark build on an install without the Spark engine, saying how to add it (dbt
    would only say "Could not find adapter type spark!")."""
    missing = missing_spark_engine()
    if missing:
        message = (
            "cadence build --engine spark needs the Spark engine, which is not installed here "
            f"(missing: {', '.join(missing)}). Run `make setup-spark` (it installs cadence's "
            "`spark` extra and Java), then `cadence build --engine spark` again; "
            "`cadence build` builds on DuckDB without it. Nothing was built."
        )
        raise BuildFailed(message, [], None)


def build_spark(
    home: Path,
    config: Path,
    *,
    select: list[str] | None = None,
    echo=print,
    timeout: float | None = None,
    close: list[tuple[str, date]] | None = None,
    announce: str | None = None,
) -> BuildResult:
    """Build on Spark, test, copy the marts into a new DuckDB file and publish it; raise
    BuildFailed and publish nothing unless every dbt node passed on Spark. `announce` is
    echoed once the writer lock is held (the configuration folder, `cadence build`)."""
    clock = time.perf_counter()
    require_spark_engine()
    with writer_lock(home, "cadence build --engine spark"):
        if announce:
            echo(announce)
        ensure_home(home)
        warehouses = warehouses_dir(home)
        warehouses.mkdir(parents=True, exist_ok=True)
        builds = spark_home(home) / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        build_id = new_build_id()
        build_date(build_id)  # a malformed CADENCE_BUILD_DATE fails before anything is written
        record_configuration(home, config, build_id)
        period_close.stage_requests(home, build_id, close or [], datetime.now(UTC))
        build_dir = builds / build_id
        result_path = build_dir / "result.json"
        build_dir.mkdir()
        command = [
            sys.executable,
            "-m",
            "cadence.spark_build",
            "--home",
            str(home),
            "--build-dir",
            str(build_dir),
        ]
        for selector in select or []:
            command += ["--select", selector]
        step = time.perf_counter()
        returncode = _run_child(command, home, config, build_dir, echo, timeout)
        timings = {"spark_child_s": time.perf_counter() - step}
        outcome = json.loads(result_path.read_text()) if result_path.exists() else None
        if returncode != 0 or outcome is None or not outcome["ok"]:
            failed = builds / f"failed-{build_id}"
            build_dir.replace(failed)
            _prune_spark(builds, list((read_pointer(home) or {}).get("history", [])))
            failures = (outcome or {}).get("failures") or [
                {
                    "node": "spark",
                    "status": "error",
                    "message": f"the Spark build stopped (exit code {returncode}); "
                    f"its log: {failed / 'spark.log'}",
                    "relation": "",
                }
            ]
            lines = [f"spark build {build_id} failed; the published warehouse is unchanged."]
            lines += [f"  {f['status']}: {f['node']}: {f['message']}" for f in failures]
            lines.append(f"  dbt's log and compiled SQL: {failed}")
            config_history.discard(home, build_id)
            period_close.discard(home, build_id)
            raise BuildFailed("\n".join(lines), failures, None)
        timings.update(outcome["timings"])
        staging = warehouses / IN_PROGRESS
        shutil.rmtree(staging, ignore_errors=True)  # left by a killed build
        staging.mkdir()
        step = time.perf_counter()
        copy_marts(build_dir / "marts", outcome["tables"], staging / BUILD_FILE)
        timings["copy_to_duckdb_s"] = time.perf_counter() - step
        shutil.rmtree(build_dir / "warehouse", ignore_errors=True)
        closed = record_closes(home, build_id, staging / BUILD_FILE)
        pointer = read_pointer(home)
        target, published_at = publish(
            home, staging, build_id, outcome.get("tests", []), pointer, engine="spark"
        )
        history = list((read_pointer(home) or {}).get("history", []))
        _prune_spark(builds, history)
        seconds = time.perf_counter() - clock
        nodes = int(outcome["nodes"])
        echo(
            f"published spark build {build_id} ({nodes} dbt nodes passed on Spark, "
            f"{seconds:.1f}s) -> {target}"
        )
        if closed:
            echo(closed_message(closed))
        return BuildResult(build_id, target, published_at, seconds, nodes, timings)


def _run_child(
    command: list[str], home: Path, config: Path, build_dir: Path, echo, timeout: float | None
) -> int:
    """Run the child build; echo dbt's progress (its stdout), keep Spark's own log (stderr)
    in the build folder. Return the exit code."""
    with (build_dir / "spark.log").open("w") as log:
        child = subprocess.Popen(
            command,
            cwd=spark_home(home),
            env=_spark_env(home, config, build_dir / "warehouse", build_dir.name),
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        deadline = None if timeout is None else time.monotonic() + timeout
        assert child.stdout is not None
        for line in child.stdout:
            echo(line.rstrip("\n"))
            if deadline is not None and time.monotonic() > deadline:
                child.kill()
                break
        return child.wait()


def _prune_spark(builds: Path, keep: list[str]) -> None:
    """Keep the exported marts of the published builds kept for rollback and the last
    KEEP_BUILDS failed builds."""
    for path in builds.iterdir():
        if path.name.startswith("failed-") or path.name in keep:
            continue
        if (path / "result.json").exists():  # a finished build no longer published
            shutil.rmtree(path, ignore_errors=True)
    failed = sorted(builds.glob("failed-*"))
    for path in failed[:-KEEP_BUILDS]:
        shutil.rmtree(path, ignore_errors=True)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def copy_marts(folder: Path, tables: list[dict[str, str]], target: Path) -> None:
    """Copy the Parquet tables exported by the Spark build into a new DuckDB file."""
    con = duckdb.connect(str(target))
    try:
        for table in tables:
            schema, name = table["schema"], table["name"]
            files = str(folder / schema / name / "*.parquet").replace("'", "''")
            create_schema = f"create schema if not exists {_quote(schema)}"
            con.execute(create_schema)
            create_table = (
                f"create table {_quote(schema)}.{_quote(name)} as "
                f"select * from read_parquet('{files}')"
            )
            con.execute(create_table)
        con.execute("checkpoint")
    finally:
        con.close()


# --- the child process: dbt on Spark, then the published schemas as Parquet ---------------


def _export(build_dir: Path) -> list[dict[str, str]]:
    """Write every table and view of PUBLISHED_SCHEMAS as Parquet (one folder each); Spark's
    timestamps (instants, in a UTC session) become timestamps without time zone, the type the
    DuckDB build has."""
    from pyspark.sql import SparkSession, functions
    from pyspark.sql.types import TimestampType

    spark = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
    exported: list[dict[str, str]] = []
    for schema in PUBLISHED_SCHEMAS:
        for table in spark.catalog.listTables(dbName=schema):
            if table.isTemporary:
                continue
            frame = spark.table(f"`{schema}`.`{table.name}`")
            columns = [
                functions.col(f"`{field.name}`").cast("timestamp_ntz").alias(field.name)
                if isinstance(field.dataType, TimestampType)
                else functions.col(f"`{field.name}`")
                for field in frame.schema.fields
            ]
            path = build_dir / "marts" / schema / table.name
            frame.select(*columns).coalesce(1).write.mode("overwrite").parquet(str(path))
            exported.append({"schema": schema, "name": table.name})
    return exported


def _child(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m cadence.spark_build")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--build-dir", type=Path, required=True)
    parser.add_argument("--select", action="append", default=[])
    args = parser.parse_args(argv)
    build_dir: Path = args.build_dir
    dbt_args = [
        "build",
        "--target",
        "spark",
        "--target-path",
        str(build_dir / "dbt" / "target"),
        "--log-path",
        str(build_dir / "dbt" / "logs"),
    ]
    for selector in args.select:
        dbt_args += ["--select", selector]
    timings: dict[str, float] = {}
    step = time.perf_counter()
    run = invoke_dbt(dbt_args, {})
    ok, failures, nodes = run.success, run.failures, run.nodes
    timings["dbt_build_s"] = time.perf_counter() - step
    tables: list[dict[str, str]] = []
    if ok:
        step = time.perf_counter()
        tables = _export(build_dir)
        timings["export_parquet_s"] = time.perf_counter() - step
    outcome = {
        "ok": ok,
        "failures": failures,
        "nodes": nodes,
        "tables": tables,
        "tests": run.tests,
        "timings": timings,
    }
    (build_dir / "result.json").write_text(json.dumps(outcome, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
