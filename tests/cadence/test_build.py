"""Write-audit-publish: a passing build is published atomically, a failing one never is,
rollback returns to the previous build, and only one writer runs at a time."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cadence.build import KEEP_BUILDS, BuildFailed, build, rollback
from cadence.config import DEFAULT_SEEDS
from cadence.demo.generate import generate
from cadence.lock import WriterBusy, writer_lock
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cadence home with a small demo organisation landed (nothing built yet)."""
    root = tmp_path_factory.mktemp("build")
    files = generate(root / "input", requests=4_000, people=300)
    home = root / "home"
    for entity, paths in files.items():
        ingest_files(SCHEMAS[entity], paths, home)
    return home


def _published_requests(pointer: dict) -> tuple[str, int]:
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        build_id = con.execute("select build_id from main.cadence_build").fetchone()[0]
        requests = con.execute("select sum(requests) from main.fct_operations_weekly").fetchone()[0]
    finally:
        con.close()
    return build_id, int(requests)


def _broken_config(tmp_path: Path) -> Path:
    """The demo seeds with one use case in a stage the contract does not allow."""
    config = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS, config)
    path = config / "use_cases.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["stage"] = "moonshot"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return config


def _stored_failures(path: Path) -> int:
    """Relations holding failing rows of dbt tests in a build file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "select count(*) from information_schema.tables where table_schema = 'dbt_test__audit'"
        ).fetchone()[0]
    finally:
        con.close()


def test_build_publish_fail_and_rollback(home: Path, tmp_path: Path) -> None:
    first = build(home, DEFAULT_SEEDS, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    assert pointer["build_id"] == first.build_id
    assert Path(pointer["published_path"]) == first.path
    build_id, requests = _published_requests(pointer)
    assert build_id == first.build_id
    landed = duckdb.execute(
        "select count(*) from read_parquet($glob) "
        "where operation not in ('invoke_agent', 'execute_tool')",
        {"glob": str(home / "landing" / "requests" / "**" / "*.parquet")},
    ).fetchall()[0][0]
    assert requests == landed  # every landed model call is counted once in the mart
    # a passing build stores no test's rows: no view per test to create, count and drop
    assert _stored_failures(first.path) == 0
    # and a published build has no failure: a test of severity warn counts as a warning
    con = duckdb.connect(str(first.path), read_only=True)
    try:
        stamp = con.execute(
            "select tests_run, tests_passed + tests_warned + tests_skipped, tests_failed "
            "from main.cadence_build"
        ).fetchone()
    finally:
        con.close()
    assert stamp is not None
    assert stamp[0] == stamp[1] > 0
    assert stamp[2] == 0

    # A failing test publishes nothing: the pointer, the file and its contents stay as they were.
    before = (home / "published.json").read_bytes()
    with pytest.raises(BuildFailed) as failed:
        build(home, _broken_config(tmp_path), echo=lambda _: None)
    message = str(failed.value)
    assert "published warehouse is unchanged" in message
    # a model's checks are one test: the message names the broken column, rule and rows
    assert re.search(r"^    stage: accepted_values .*: 1 row$", message, re.MULTILINE), message
    hint = next(line for line in message.splitlines() if "see its rows (in duckdb):" in line)
    statements = hint.split("(in duckdb):", 1)[1]
    con = duckdb.connect()
    try:
        for statement in filter(None, (part.strip() for part in statements.split(";"))):
            result = con.execute(statement)
        assert len(result.fetchall()) >= 1  # the failing rows themselves (stage 'moonshot')
    finally:
        con.close()
    assert failed.value.path is not None
    assert failed.value.path.parent.name.startswith("failed-")
    failed_con = duckdb.connect(str(failed.value.path), read_only=True)
    try:  # the failed build is stamped with its tests: the failing one among them
        statuses = dict(
            failed_con.execute(
                "select status, count(*) from main.cadence_build_tests group by status"
            ).fetchall()
        )
        stamp = failed_con.execute(
            "select tests_run, tests_passed, tests_warned, tests_failed, tests_skipped "
            "from main.cadence_build"
        ).fetchone()
    finally:
        failed_con.close()
    assert statuses.get("fail", 0) >= 1, statuses
    # the stamp counts them too (the data-health page reads the counts, never the rows): a
    # warning (severity warn) is not a failure
    failed_count = sum(statuses.get(status, 0) for status in ("fail", "error", "runtime error"))
    assert stamp == (
        sum(statuses.values()),
        statuses.get("pass", 0),
        statuses.get("warn", 0),
        failed_count,
        statuses.get("skipped", 0),
    )
    assert statuses.get("pass", 0) >= 100, statuses
    assert (home / "published.json").read_bytes() == before
    assert _published_requests(read_pointer(home)) == (first.build_id, requests)

    # Failing rows an older cadence stored in every build go with the next build.
    con = duckdb.connect(str(first.path))
    try:
        con.execute("create schema dbt_test__audit")
        con.execute("create view dbt_test__audit.not_null_stale as select 1 as stale")
    finally:
        con.close()

    # Two more good builds: the last KEEP_BUILDS are kept, then rollback returns to the previous.
    second = build(home, DEFAULT_SEEDS, echo=lambda _: None)
    assert _stored_failures(second.path) == 0
    third = build(home, DEFAULT_SEEDS, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer["history"] == [third.build_id, second.build_id, first.build_id][:KEEP_BUILDS]
    kept = sorted(p.parent.name for p in (home / "warehouses").glob("2*/cadence.duckdb"))
    assert kept == sorted(pointer["history"])

    assert rollback(home, echo=lambda _: None) == second.build_id
    pointer = read_pointer(home)
    assert pointer["build_id"] == second.build_id
    assert _published_requests(pointer)[0] == second.build_id
    assert not third.path.exists()


def test_second_writer_is_refused_with_the_holder(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from cadence.lock import writer_lock\n"
            "with writer_lock(Path(sys.argv[1]), 'cadence ingest requests'):\n"
            "    print('held', flush=True); time.sleep(30)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WriterBusy) as busy, writer_lock(tmp_path, "cadence build"):
            pass
        assert f"pid {holder.pid}" in str(busy.value)
        assert "cadence ingest requests" in str(busy.value)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    # The holder died without releasing: the kernel freed the lock, the next writer proceeds.
    with writer_lock(tmp_path, "cadence build"):
        info = json.loads((tmp_path / "writer.lock").read_text())
        assert info["command"] == "cadence build"
