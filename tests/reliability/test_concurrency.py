"""One writer, many readers, at the same time: while `cadence ingest` and `cadence build` run
in a loop (each loop lands new request files and publishes a build), eight reader processes
read the published warehouse without a pause: five open it, query it in one statement and
close it; one keeps a connection for many queries (as the app's cached connection does); one
runs `cadence status --json`; one serves the app's pages (Streamlit AppTest, one session
rerunning). No reader may see an error, and every observation must be exactly one published
build: its stamp matches the pointer it followed and its row counts are that build's.

A second writer started while a build runs is refused, naming the build's pid."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from reader_process import snapshot
from reliability_helpers import CADENCE, REPO, cadence, cli_env, ok

from cadence.published import read_pointer
from ingestion import ledger

pytestmark = pytest.mark.timeout(1800)

LOOPS = 2
READERS = ["snapshot"] * 5 + ["sticky", "status", "app"]


def _expected(home: Path) -> tuple[str, dict[str, int]]:
    """The published build's id and counts (read once the writer has published it)."""
    pointer = read_pointer(home)
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        seen = snapshot(con)
    finally:
        con.close()
    assert seen["build_id"] == pointer["build_id"]
    return pointer["build_id"], seen["counts"]


def _landed_requests(home: Path) -> int:
    """The model calls landed in committed batches (the operations marts count model calls
    only: not the agent and tool spans, CONTRACTS.md §5.1)."""
    paths = ledger.Paths(home)
    con = duckdb.connect()  # its own: a fetchone() on duckdb's default connection leaves
    try:  # an unfinished result there for every later test of the session
        row = con.execute(
            "select count(*) from read_parquet($glob, hive_partitioning = true, "
            "union_by_name = true) "
            "where _batch_id in (select batch_id from read_parquet($batches)) "
            "and operation not in ('invoke_agent', 'execute_tool')",
            {"glob": paths.entity_glob("requests"), "batches": str(paths.batches / "*.parquet")},
        ).fetchone()
    finally:
        con.close()
    return int(row[0])


def _build_refusing_a_second_writer(home: Path, landed_file: Path) -> list[str]:
    """Run `cadence build`; while it holds the lock, start a second writer (an ingest of a file
    already landed, a no-op should it get through). Return the refusals seen."""
    build = subprocess.Popen(
        [*CADENCE, "build"],
        cwd=REPO,
        env=cli_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    refusals: list[str] = []
    while build.poll() is None and not refusals:
        holder = (home / "writer.lock").read_text() if (home / "writer.lock").exists() else ""
        if f'"pid": {build.pid}' not in holder:
            time.sleep(0.1)
            continue
        second = cadence(home, "ingest", "requests", str(landed_file))
        if second.returncode == 3:
            refusals.append(second.stdout.strip())
        else:  # the build released the lock first: the duplicate ingest changed nothing
            assert second.returncode == 0, second.stdout + second.stderr
            assert "skipped as duplicate" in second.stdout
    output, _ = build.communicate(timeout=1200)
    assert build.returncode == 0, output[-4000:]
    for refusal in refusals:
        assert f"pid {build.pid}" in refusal
        assert "command 'cadence build'" in refusal
    return refusals


def _observations(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_readers_see_exactly_one_published_build_while_the_writer_loops(
    tmp_path: Path, org_files: dict[str, list[Path]]
) -> None:
    home = tmp_path / "home"
    requests = org_files["requests"]
    chunks = [requests[i :: LOOPS + 1] for i in range(LOOPS + 1)]  # each loop lands new months
    for entity, files in org_files.items():
        if entity != "requests":
            ok(cadence(home, "ingest", entity, *map(str, files)))
    ok(cadence(home, "ingest", "requests", *map(str, chunks[0])))
    ok(cadence(home, "build"))
    expected = dict([_expected(home)])
    landed = {next(iter(expected)): _landed_requests(home)}

    stop = tmp_path / "stop"
    outputs = [tmp_path / f"reader-{i}-{kind}.jsonl" for i, kind in enumerate(READERS)]
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("reader_process.py")),
                kind,
                str(home),
                str(out),
                str(stop),
            ],
            cwd=REPO,
            env=cli_env(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind, out in zip(READERS, outputs, strict=True)
    ]
    refusals: list[str] = []
    try:
        for loop in range(1, LOOPS + 1):
            ok(cadence(home, "ingest", "requests", *map(str, chunks[loop])))
            refusals += _build_refusing_a_second_writer(home, chunks[0][0])
            build_id, counts = _expected(home)
            expected[build_id] = counts
            landed[build_id] = _landed_requests(home)
        # Let every reader observe the last build before stopping (a safety cap, no assertion).
        last = build_id
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not all(
            out.exists() and f'"{last}"' in out.read_text() for out in outputs
        ):
            time.sleep(1)
    finally:
        stop.touch()
        stderr = [reader.communicate(timeout=600)[1] for reader in readers]

    assert len(expected) == LOOPS + 1  # a new build id for every publish
    for build_id, counts in expected.items():
        assert counts["requests"] == landed[build_id]  # each build counts what was landed
    assert len({counts["requests"] for counts in expected.values()}) == LOOPS + 1
    assert refusals, "no second writer was started while a build held the lock"

    seen_by_kind: dict[str, set[str]] = {}
    for kind, out, reader, err in zip(READERS, outputs, readers, stderr, strict=True):
        assert reader.returncode == 0, err
        observations = _observations(out)
        errors = [o for o in observations if "error" in o]
        assert not errors, f"{kind} reader: {errors[0]['trace']}"
        assert observations, f"{kind} reader observed nothing"
        for observation in observations:
            build_id = str(observation["build_id"])
            assert build_id in expected, (kind, observation)
            if "counts" in observation:
                assert observation["counts"] == expected[build_id], (kind, observation)
        seen_by_kind.setdefault(kind, set()).update(str(o["build_id"]) for o in observations)
    # The snapshot readers saw every build while it was published; every reader saw the last.
    assert seen_by_kind["snapshot"] == set(expected)
    for kind, seen in seen_by_kind.items():
        assert last in seen, kind
