"""Write, audit, publish: build the warehouse into a new DuckDB file and publish it atomically.

1. Take the writer lock and sweep what a crashed writer left (`ingestion.landing.ensure_home`
   for the landing zone, `sweep_builds` for unpublished warehouse files).
2. Copy the published warehouse (if any) to `warehouses/building/cadence.duckdb`, so
   incremental models keep their state, and run `dbt build` (models, seeds, data tests,
   contracts) into it.
3. Only when every node passed, stamp the file with its build id and its test results, rename
   its folder to `warehouses/<build_id>/` and flip the pointer `published.json` by renaming a
   new version over it. Readers follow the pointer and open the file read-only; the file they
   have open is never written again.
4. Keep the last `KEEP_BUILDS` published builds for `cadence build --rollback`.

Every build is written at the same path and every build file has the same name, so the DuckDB
catalogue is `cadence` in every build (views that name it resolve wherever the file is opened)
and dbt's profile does not change between builds (its partial parsing then skips re-parsing
the project: 3-4 s a build).

dbt's unit tests check the SQL on fixed fixtures, not the data: a production build leaves them
out (`unit_tests=True` runs them too; the test suite runs them on every change).

A failed build leaves the published warehouse untouched; its folder is kept as
`warehouses/failed-<build_id>/`, with the failing tests' rows stored in it (the failing tests
are re-run storing their rows as views, so a passing build pays nothing for storing them).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from cadence import config_history, period_close
from cadence.config import DBT_PROJECT_DIR
from cadence.lock import writer_lock
from cadence.published import fsync_directory, pointer_path, read_pointer, write_pointer
from ingestion.landing import ensure_home

KEEP_BUILDS = 3
BUILD_FILE = "cadence.duckdb"
IN_PROGRESS = "building"
FAILED_PREFIX = "failed-"
# Beside each published build's file: what its inputs were (`input_fingerprint`).
FINGERPRINT_FILE = "inputs.json"
# The environment a build's output does not depend on (the paths are set per build; the home's
# own path is fingerprinted: its views read its landing zone).
UNFINGERPRINTED_ENV = {"CADENCE_HOME", "CADENCE_BUILD_PATH", "CADENCE_CONFIG_DIR"}
# The packages whose version changes what a build computes.
FINGERPRINTED_PACKAGES = ("duckdb", "dbt-core", "dbt-duckdb")
BUILD_ID_FORMAT = "%Y%m%dT%H%M%S%fZ"
#: dbt result statuses that fail a build (a `warn` does not: a test with `severity: warn`).
FAILED_STATUSES = ("error", "fail", "runtime error")
#: A build id (`new_build_id`): what names a build's folder (or, before 0.2, file) in `warehouses/`.
BUILD_ID = re.compile(r"\d{8}T\d{12}Z")


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


def warehouses_dir(home: Path) -> Path:
    return home / "warehouses"


def build_path(home: Path, build_id: str) -> Path:
    """The file of a kept build (builds before 0.2 were flat `warehouses/<build_id>.duckdb`)."""
    path = warehouses_dir(home) / build_id / BUILD_FILE
    legacy = warehouses_dir(home) / f"{build_id}.duckdb"
    return legacy if not path.exists() and legacy.exists() else path


def failed_builds(home: Path) -> list[tuple[str, Path]]:
    """(build id, file) of the failed builds kept on disk, newest first."""
    folders = sorted(warehouses_dir(home).glob(f"{FAILED_PREFIX}*/{BUILD_FILE}"), reverse=True)
    return [(path.parent.name.removeprefix(FAILED_PREFIX), path) for path in folders]


def new_build_id() -> str:
    return datetime.now(UTC).strftime(BUILD_ID_FORMAT)


def build_date(build_id: str) -> str:
    """The day a build's periods run through and its period to date is known at (ISO date):
    `CADENCE_BUILD_DATE` when set (to rebuild a past day's view, or to pin tests to the data's
    last day), else the UTC day the build started."""
    pinned = os.environ.get("CADENCE_BUILD_DATE", "").strip()
    if not pinned:
        return datetime.strptime(build_id, BUILD_ID_FORMAT).date().isoformat()
    try:
        return date.fromisoformat(pinned).isoformat()
    except ValueError as error:
        message = f"build {build_id} failed: CADENCE_BUILD_DATE={pinned!r} is not a YYYY-MM-DD date"
        raise BuildFailed(message, [], None) from error


def record_configuration(home: Path, config: Path, build_id: str) -> None:
    """Stage the configuration this build uses in the ledger's history (`cadence.config_history`):
    its dbt run reads it, `publish` commits it, a failure discards it."""
    recorded_at = datetime.strptime(build_id, BUILD_ID_FORMAT).replace(tzinfo=UTC)
    try:
        config_history.stage(home, config, build_id, recorded_at)
    except config_history.ConfigUnreadable as error:
        message = f"build {build_id} failed; the published warehouse is unchanged.\n  {error}"
        raise BuildFailed(message, [], None) from error


def record_closes(home: Path, build_id: str, warehouse: Path) -> list[tuple[str, str]]:
    """The build passed its tests: record the figures of the periods it closes
    (`cadence.period_close`), committed when it publishes. Return (grain, label) of each."""
    try:
        return period_close.record(home, build_id, warehouse)
    except (OSError, duckdb.Error) as error:
        config_history.discard(home, build_id)
        period_close.discard(home, build_id)
        message = (
            f"build {build_id} failed; the published warehouse is unchanged.\n"
            f"  recording the closed periods' figures: {error}"
        )
        raise BuildFailed(message, [], None) from error


def closed_message(closed: list[tuple[str, str]]) -> str:
    """'closed month 2026-10 and quarter 2026-Q3: …' (ranges when a build closes many)."""
    parts = []
    for grain in ("week", "month", "quarter"):
        labels = sorted(label for g, label in closed if g == grain)
        if len(labels) == 1:
            parts.append(f"{grain} {labels[0]}")
        elif labels:
            parts.append(f"{len(labels)} {grain}s ({labels[0]} to {labels[-1]})")
    return f"closed {' and '.join(parts)}: their review figures are recorded in the ledger"


def dbt_paths(home: Path, target: str = "target") -> list[str]:
    """dbt's target folder for one cadence home, so two homes never collide. No dbt log
    file: dbt leaks its handle when invoked twice in one process; progress goes to stdout."""
    return [
        "--target-path",
        str(home / "dbt" / target),
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


@dataclass
class DbtRun:
    success: bool
    failures: list[dict[str, str]]
    nodes: int
    tests: list[dict[str, object]]


def run_dbt(args: list[str], env: dict[str, str]) -> tuple[bool, list[dict[str, str]], int]:
    """Run dbt in-process; return (success, failing nodes, nodes run)."""
    run = invoke_dbt(args, env)
    return run.success, run.failures, run.nodes


def invoke_dbt(args: list[str], env: dict[str, str]) -> DbtRun:
    """Run dbt in-process: success, failing nodes, nodes run and every test's result."""
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
    tests: list[dict[str, object]] = []
    nodes = 0
    if result.result is not None and hasattr(result.result, "results"):
        for node_result in result.result.results:
            nodes += 1
            status = str(node_result.status)
            node = node_result.node
            if status in FAILED_STATUSES:
                failures.append(
                    {
                        "node": node.unique_id,
                        "name": node.name,
                        "resource_type": str(node.resource_type),
                        "status": status,
                        "message": str(node_result.message or ""),
                        "relation": str(getattr(node, "relation_name", "") or ""),
                    }
                )
            if str(node.resource_type) in ("test", "unit_test"):
                tests.append(
                    {
                        "unique_id": node.unique_id,
                        "resource_type": str(node.resource_type),
                        "status": status,
                        "failures": node_result.failures,
                        "execution_s": node_result.execution_time,
                    }
                )
    if result.exception is not None:
        failures.append(
            {
                "node": "dbt",
                "name": "dbt",
                "resource_type": "",
                "status": "error",
                "message": str(result.exception),
                "relation": "",
            }
        )
    return DbtRun(bool(result.success), failures, nodes, tests)


def _digest(paths: list[Path], root: Path) -> str:
    """sha256 over the files' paths (relative to `root`) and contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _files(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    """The files under `root`, without hidden ones and without the folders named in `skip`."""
    found = []
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if any(part.startswith(".") or part in skip for part in parts) or not path.is_file():
            continue
        found.append(path)
    return found


def _ledger_state(home: Path) -> str:
    """What the ledger holds: every committed file (batches, rejected files, configuration
    versions, closes) by name, size and modification time; a running build's `pending/`
    files are not the ledger's yet."""
    root = home / "ledger"
    digest = hashlib.sha256()
    for path in sorted(_files(root, ("pending",))) if root.exists() else []:
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def input_fingerprint(home: Path, config: Path, day: str) -> dict[str, str]:
    """Everything besides the ledger a build's output depends on: the home's path (its views
    read its landing zone: a copied or moved home builds once), the configuration folder's
    files, the dbt project's files, cadence's own code, the versions of DuckDB and dbt, the
    `CADENCE_*` and `DBT_*` environment (e.g. `CADENCE_MIN_GROUP_SIZE`, `DBT_EMPTY`) and the
    build date (the current period and the period-to-date rows change with the day)."""
    package = Path(__file__).resolve().parent
    environment = {
        name: value
        for name, value in sorted(os.environ.items())
        if name.startswith(("CADENCE_", "DBT_")) and name not in UNFINGERPRINTED_ENV
    }
    versions = {name: importlib.metadata.version(name) for name in FINGERPRINTED_PACKAGES}
    return {
        "home": str(home.resolve()),
        "packages": json.dumps(versions, sort_keys=True),
        "configuration": _digest(_files(config), config),
        "dbt_project": _digest(
            _files(DBT_PROJECT_DIR, ("target", "logs", "dbt_packages", "__pycache__")),
            DBT_PROJECT_DIR,
        ),
        "cadence": _digest(_files(package, ("__pycache__",)), package),
        "environment": hashlib.sha256(json.dumps(environment).encode()).hexdigest(),
        "build_date": day,
    }


def _unchanged_since(home: Path, inputs: dict[str, str]) -> str | None:
    """The published build's id when it was built from exactly these inputs and the ledger
    as it is now (its `inputs.json`); None when anything differs or cannot be read."""
    pointer = read_pointer(home)
    if pointer is None:
        return None
    published = Path(str(pointer["published_path"]))
    try:
        recorded = json.loads((published.parent / FINGERPRINT_FILE).read_text())
    except (OSError, ValueError):
        return None  # built before fingerprints, by Spark, or gone: build
    if not published.exists() or recorded != {**inputs, "ledger": _ledger_state(home)}:
        return None
    return str(pointer["build_id"])


def build(
    home: Path,
    config: Path,
    *,
    full_refresh: bool = False,
    select: list[str] | None = None,
    unit_tests: bool = False,
    close: list[tuple[str, date]] | None = None,
    echo=print,
    announce: str | None = None,
    skip_unchanged: bool = False,
) -> BuildResult:
    """Build, test and publish a new warehouse; raise BuildFailed and publish nothing on failure.
    `close`: periods (grain, period_start) to close with this build (`cadence.period_close`);
    periods due by the automatic rule close too. `announce` is echoed once the writer lock is
    held (the configuration folder, `cadence build`: a refused writer prints one line).
    `skip_unchanged` (`cadence build` without `--force`): when the published build was built
    from the same inputs (`input_fingerprint`) and ledger, run nothing and return it."""
    clock = time.perf_counter()
    with writer_lock(home, "cadence build"):
        if announce:
            echo(announce)
        ensure_home(home)
        sweep_builds(home)
        warehouses = warehouses_dir(home)
        warehouses.mkdir(parents=True, exist_ok=True)
        build_id = new_build_id()
        build_date(build_id)  # a malformed CADENCE_BUILD_DATE fails before anything is written
        # read before the build reads them: a file edited while dbt runs builds again next time
        try:
            inputs: dict[str, str] | None = input_fingerprint(home, config, build_date(build_id))
        except OSError:
            inputs = None  # an unreadable input: build (dbt names what it cannot read)
        if inputs and skip_unchanged and not (full_refresh or select or unit_tests or close):
            unchanged = _unchanged_since(home, inputs)
            if unchanged is not None:
                pointer = read_pointer(home) or {}
                seconds = time.perf_counter() - clock
                echo(
                    f"nothing changed since build {unchanged}: no new batch, configuration, "
                    f"code, environment or day ({seconds:.2f}s; `--force` builds anyway)"
                )
                return BuildResult(
                    unchanged,
                    Path(str(pointer["published_path"])),
                    str(pointer["published_at"]),
                    seconds,
                    0,
                    {},
                )
        record_configuration(home, config, build_id)
        period_close.stage_requests(home, build_id, close or [], datetime.now(UTC))
        staging = warehouses / IN_PROGRESS
        staging.mkdir()
        target = staging / BUILD_FILE
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
            "CADENCE_BUILD_DATE": build_date(build_id),
        }
        args = ["build", "--target", "duckdb", *dbt_paths(home)]
        if not unit_tests:
            args += ["--exclude-resource-type", "unit_test"]
        if full_refresh:
            args.append("--full-refresh")
        for selector in select or []:
            args += ["--select", selector]
        step = time.perf_counter()
        # before dbt's own start (`run_started_at`): the rows this build writes are logged after
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        run = invoke_dbt(args, env)
        timings["dbt_build_s"] = time.perf_counter() - step
        if not run.success:
            raise _failed(home, build_id, staging, run, env, started)
        step = time.perf_counter()
        closed = record_closes(home, build_id, target)
        path, published_at = publish(home, staging, build_id, run.tests, pointer)
        if inputs and not select:  # a build of some nodes leaves the others as they were
            # the ledger as this build left it (its configuration version and closes committed)
            _write_fingerprint(path.parent, inputs, home)
        timings["publish_s"] = time.perf_counter() - step
        seconds = time.perf_counter() - clock
        if closed:
            echo(closed_message(closed))
        echo(f"published build {build_id} ({run.nodes} dbt nodes passed, {seconds:.1f}s) -> {path}")
        return BuildResult(build_id, path, published_at, seconds, run.nodes, timings)


def _write_fingerprint(folder: Path, inputs: dict[str, str], home: Path) -> None:
    """Write `inputs.json` beside a published build, with the ledger's state now (a failure
    only costs the next build its skip: the build is published)."""
    with contextlib.suppress(OSError):
        partial = folder / f".{FINGERPRINT_FILE}.tmp"
        partial.write_text(json.dumps({**inputs, "ledger": _ledger_state(home)}, indent=1))
        partial.rename(folder / FINGERPRINT_FILE)


def publish(
    home: Path,
    staging: Path,
    build_id: str,
    tests: list[dict[str, object]],
    pointer: dict[str, object] | None,
    **extra: object,
) -> tuple[Path, str]:
    """Publish the build in `staging` (holding the writer lock): stamp its file, rename the
    folder to `warehouses/<build_id>/`, flip the pointer, prune. Return (file, published_at)."""
    published_at = datetime.now(UTC).isoformat(timespec="seconds")
    _stamp(staging / BUILD_FILE, build_id, tests, published_at)
    warehouses = warehouses_dir(home)
    published = warehouses / build_id
    staging.rename(published)
    fsync_directory(warehouses)
    config_history.commit(home, build_id)  # the configuration it used is history now
    period_close.commit(home, build_id)  # and the periods it closed are closed
    history = [build_id, *[b for b in (pointer or {}).get("history", []) if b != build_id]]
    document = {
        "build_id": build_id,
        "published_path": str(published / BUILD_FILE),
        "published_at": published_at,
        "history": history[:KEEP_BUILDS],
        **extra,
    }
    write_pointer(home, document)
    _prune(warehouses, history[:KEEP_BUILDS])
    return published / BUILD_FILE, published_at


def _failed(
    home: Path, build_id: str, staging: Path, run: DbtRun, env: dict[str, str], started: str
) -> BuildFailed:
    """Keep a failed build for inspection: re-run its failing data tests storing their rows,
    stamp it with its test results and move it to `warehouses/failed-<build_id>/`."""
    target = staging / BUILD_FILE
    failures = run.failures
    failing_tests = [f["name"] for f in failures if f["resource_type"] == "test"]
    if failing_tests and target.exists():
        rerun = invoke_dbt(
            [
                "test",
                "--target",
                "duckdb",
                # `store_failures_as` is `ephemeral` otherwise (dbt_project.yml). Another
                # var means another parse: its own target folder keeps the builds' one.
                "--vars",
                # the tests of what this build wrote read the rows written since it started
                json.dumps({"store_failures_as": "view", "rebuilt_since": started}),
                *dbt_paths(home, "target-failures"),
                "--select",
                " ".join(failing_tests),
            ],
            env,
        )
        relations = {f["node"]: f["relation"] for f in rerun.failures if f["relation"]}
        failures = [{**f, "relation": relations.get(f["node"], f["relation"])} for f in failures]
    broken = _broken_rules(target, failures) if target.exists() else {}
    failed = warehouses_dir(home) / f"{FAILED_PREFIX}{build_id}"
    failed_file = failed / BUILD_FILE
    if target.exists():
        # The stamp is a nicety here: the disk that failed the build may still be full.
        with contextlib.suppress(OSError, duckdb.Error):
            _stamp(target, build_id, run.tests, None)
        staging.rename(failed)
    else:
        shutil.rmtree(staging, ignore_errors=True)
    lines = [f"build {build_id} failed; the published warehouse is unchanged."]
    for failure in failures:
        lines.append(f"  {failure['status']}: {failure['node']}: {failure['message']}")
        lines.extend(f"    {rule}" for rule in broken.get(failure["node"], []))
        if failure["relation"] and failed_file.exists():
            # The relation is qualified by the catalogue `cadence` (the build file's name).
            lines.append(
                f"    see its rows (in duckdb): attach '{failed_file}' as cadence "
                f"(read_only); select * from {failure['relation']};"
            )
    config_history.discard(home, build_id)
    period_close.discard(home, build_id)
    return BuildFailed("\n".join(lines), failures, failed_file if failed_file.exists() else None)


def _broken_rules(target: Path, failures: list[dict[str, str]]) -> dict[str, list[str]]:
    """The rules a failed `column_checks` test found broken (tests/generic/column_checks.sql
    stores one row per rule: column_name, rule, failing_rows), by test node, as lines such as
    "stage: accepted_values ...: 3 rows", so the message names every column and rule."""
    stored = [f for f in failures if f["relation"] and ".column_checks_" in f["node"]]
    if not stored:
        return {}
    broken: dict[str, list[str]] = {}
    with contextlib.suppress(duckdb.Error), duckdb.connect(str(target), read_only=True) as con:
        for failure in stored:
            try:
                rows = con.execute(
                    f"select column_name, rule, failing_rows from {failure['relation']} "
                    "order by column_name, rule"
                ).fetchall()
            except duckdb.Error:
                continue  # that view is missing or broken: the others still name their rules
            broken[failure["node"]] = [
                f"{column}: {rule}: {count:,} row{'s' if count != 1 else ''}"
                for column, rule, count in rows
            ]
    return broken


def _stamp(
    path: Path, build_id: str, tests: list[dict[str, object]], published_at: str | None
) -> None:
    """Record the build's identity and its tests' results inside the warehouse file, for
    readers to check (`published_at` is null in a failed build): `main.cadence_build` (one
    row: build id, publication time, tests run, and of them those that passed, warned
    (`severity: warn`: reported, never blocking a publish), failed (`fail` or `error`: only
    a failed build has any) or were skipped) and `main.cadence_build_tests` (one row per
    test)."""
    statuses = [str(test["status"]) for test in tests]
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "create or replace table main.cadence_build as select "
            "cast($build_id as varchar) as build_id, "
            "cast($published_at as timestamptz) as published_at, "
            "cast($tests_run as bigint) as tests_run, "
            "cast($tests_passed as bigint) as tests_passed, "
            "cast($tests_warned as bigint) as tests_warned, "
            "cast($tests_failed as bigint) as tests_failed, "
            "cast($tests_skipped as bigint) as tests_skipped",
            {
                "build_id": build_id,
                "published_at": published_at,
                "tests_run": len(statuses),
                "tests_passed": statuses.count("pass"),
                "tests_warned": statuses.count("warn"),
                "tests_failed": sum(status in FAILED_STATUSES for status in statuses),
                "tests_skipped": statuses.count("skipped"),
            },
        )
        con.execute(
            "create or replace table main.cadence_build_tests ("
            "unique_id varchar not null, resource_type varchar not null, status varchar not null, "
            "failures bigint, execution_s double)"
        )
        if tests:
            con.executemany(
                "insert into main.cadence_build_tests values (?, ?, ?, ?, ?)",
                [
                    [
                        t["unique_id"],
                        t["resource_type"],
                        t["status"],
                        t["failures"],
                        t["execution_s"],
                    ]
                    for t in tests
                ],
            )
        con.execute("checkpoint")
    finally:
        con.close()


def _prune(warehouses: Path, keep: list[str]) -> None:
    """Remove published builds beyond `keep` and failed builds beyond the last KEEP_BUILDS."""
    for path in warehouses.iterdir():
        name = path.name.removesuffix(".duckdb").removesuffix(".duckdb.wal")
        if name in keep or name == IN_PROGRESS or name.startswith(FAILED_PREFIX):
            continue
        _remove(path)
    failed = sorted(warehouses.glob(f"{FAILED_PREFIX}*"), reverse=True)
    for path in failed[KEEP_BUILDS:]:
        _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def sweep_builds(home: Path) -> list[Path]:
    """Remove what a killed or failed writer left in `warehouses/`; return what was removed.

    Call it holding the writer lock. A build is written in `warehouses/building/` and only
    ever read by others once the pointer names it, so that folder, and every entry named after
    a build id that the pointer's history does not list (a folder, or a pre-0.2 file with its
    `.wal` and DuckDB's `.tmp` spill folder), is an interrupted build's; so is a
    `.published.json.tmp` the pointer flip never renamed. Nothing of a kept build is touched (a
    reader may be spilling into its `.tmp` folder); `failed-<build_id>` entries are kept for
    inspection (`_prune` bounds them) except a pre-0.2 log or spill folder whose file is gone.
    """
    pointer = read_pointer(home)
    kept = {str(build_id) for build_id in (pointer or {}).get("history", [])}
    if pointer is not None:
        kept.add(str(pointer["build_id"]))
    stray_pointer = pointer_path(home).with_name(f".{pointer_path(home).name}.tmp")
    candidates = [stray_pointer] if stray_pointer.exists() else []
    warehouses = warehouses_dir(home)
    for path in sorted(warehouses.iterdir()) if warehouses.exists() else []:
        if path.name == IN_PROGRESS:
            candidates.append(path)
            continue
        failed = path.name.startswith(FAILED_PREFIX)
        stem = path.name.removeprefix(FAILED_PREFIX).split(".", 1)[0]
        if not BUILD_ID.fullmatch(stem):
            continue
        if failed:
            legacy_file = warehouses / f"{FAILED_PREFIX}{stem}.duckdb"
            if path.name.endswith((".wal", ".tmp")) and not legacy_file.exists():
                candidates.append(path)
        elif stem not in kept:
            candidates.append(path)
    for path in candidates:
        _remove(path)
    return candidates


def rollback(home: Path, echo=print) -> str:
    """Point the published pointer back at the previous kept build; return its id."""
    with writer_lock(home, "cadence build --rollback"):
        pointer = read_pointer(home)
        history = list((pointer or {}).get("history", []))
        if len(history) < 2:
            raise RuntimeError("nothing to roll back to: fewer than two published builds are kept")
        previous = history[1]
        path = build_path(home, previous)
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
        write_pointer(home, document)
        _remove(warehouses_dir(home) / history[0])
        _remove(warehouses_dir(home) / f"{history[0]}.duckdb")
        echo(f"rolled back: build {previous} is published again (was {history[0]})")
        return previous
