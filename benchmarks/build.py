"""Benchmark: `cadence build`, full and incremental (+1 day), at 1M and 10M demo requests.

For each size N, in one run:

1. generate the demo organisation with N requests (`cadence.demo.generate.generate`) and land it
   through the real ingest (cached under `--keep DIR`, reused when already there);
2. time a full `cadence build` of that landing zone (a fresh home: nothing published yet);
3. time a build with no new data at all, twice: as `cadence build` runs it (nothing
   changed since the published build, so it runs no dbt: "skipped") and with `--force`:
   the fixed cost of a dbt build (its start, parse and ~350 nodes: seeds, tests and the
   marts rebuilt from the small intermediates), which bounds any incremental build below;
4. land one more day of data for the same people: the day after the generated history
   (a Monday) gets the previous Monday's requests, vendor activity and workflow events
   again, under new ids (a full weekday: the generated history ends on a quiet Sunday),
   written here with DuckDB as canonical files and ingested through the real pipeline;
5. time the incremental `cadence build` that follows (it starts from a copy of the
   published previous build);
6. on a twin of the home taken before that day landed, time the same incremental build
   with no data test at all (dbt selecting every model and seed, `DBT_INDIRECT_SELECTION=
   empty`): what running the tests costs, and what an incremental build would cost without;
7. time a build whose dbt selects one small view (`stg_config__portfolios`): what every
   build costs besides its nodes (starting Python, importing dbt, its partial parse,
   copying the previous build, opening it, the run hooks, closing and publishing it). The
   build with no new data less this one, over its other nodes, is what a node costs: dbt's
   own work per node plus the node's SQL, an upper bound on dbt's share.

Every build runs as `cadence build` in its own child process; its wall time and its peak
memory (max RSS from `wait4`) are reported, with dbt's own elapsed time and the slowest
nodes (`--top`). `--repeat R` repeats steps 2-5 on fresh copies of the landed home and
prints medians. The table ends with the ratios incremental / full, in wall time and in
CPU time (less sensitive to other work on the machine). `--exclude-unit-tests` runs the
builds without dbt's unit tests (`DBT_EXCLUDE_RESOURCE_TYPES=unit_test`), as a production
build could: they test the SQL on fixed fixtures, not the data.

    python benchmarks/build.py [--sizes 1000000 10000000] [--repeat 1] [--keep DIR] [--top 8]
        [--exclude-unit-tests]

Targets (issue 3, 2-core machine): full build at 10M <= 60 s and <= 4 GB; incremental
(+1 day) <= 15% of the full build. Note the machine's load (printed from os.getloadavg):
other work on a 2-core machine skews every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cadence.config import DEFAULT_SEEDS  # noqa: E402
from cadence.demo.generate import generate  # noqa: E402
from cadence.demo.profile import DEFAULT_END_DATE  # noqa: E402
from ingestion.entities.registry import SCHEMAS  # noqa: E402
from ingestion.landing import ingest_files  # noqa: E402

CLI = "import sys; from cadence.cli import main; sys.exit(main(sys.argv[1:]))"
# A build whose dbt selects one small view: the fixed cost of every build, one node aside.
ONE_NODE = (
    "import sys; from pathlib import Path; from cadence.build import build; "
    "build(Path(sys.argv[1]), Path(sys.argv[2]), select=['stg_config__portfolios'])"
)
# dbt's parse for a home, with the environment `cadence build` gives it: a copied home's first
# build would otherwise re-parse the project (its sources name the home's path).
PARSE = (
    "import sys; from pathlib import Path; "
    "from cadence.build import BUILD_FILE, IN_PROGRESS, dbt_paths, invoke_dbt, warehouses_dir; "
    "home = Path(sys.argv[1]); "
    "env = {'CADENCE_HOME': str(home), 'CADENCE_CONFIG_DIR': sys.argv[2], "
    "'CADENCE_BUILD_PATH': str(warehouses_dir(home) / IN_PROGRESS / BUILD_FILE)}; "
    "assert invoke_dbt(['parse', '--target', 'duckdb', *dbt_paths(home)], env).success"
)
# A build of every model and seed without a single data test.
NO_DATA_TESTS = (
    "import os, sys; from pathlib import Path; from cadence.build import build; "
    "os.environ['DBT_INDIRECT_SELECTION'] = 'empty'; "
    "build(Path(sys.argv[1]), Path(sys.argv[2]), select=['resource_type:model resource_type:seed'])"
)
NEXT_DAY = DEFAULT_END_DATE + timedelta(days=1)
SOURCE_DAY = NEXT_DAY - timedelta(days=7)  # the same weekday, a week earlier


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def landed_home(size: int, keep: Path) -> tuple[Path, Path]:
    """Generate and ingest the demo at `size` requests once; return (inputs, landed home)."""
    inputs, home = keep / f"inputs-{size}", keep / f"home-{size}"
    if not (inputs / ".done").exists():
        shutil.rmtree(inputs, ignore_errors=True)
        log(f"generating {size:,} requests into {inputs}")
        generate(inputs, requests=size)
        (inputs / ".done").touch()
    if not (home / ".done").exists():
        shutil.rmtree(home, ignore_errors=True)
        log(f"ingesting into {home}")
        clock = time.perf_counter()
        for entity in SCHEMAS:
            folder = inputs / entity
            files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.exists() else []
            if files:
                ingest_files(SCHEMAS[entity], files, home)
        log(f"ingested in {time.perf_counter() - clock:.1f}s")
        (home / ".done").touch()
    return inputs, home


def next_day_files(inputs: Path, out: Path) -> dict[str, Path]:
    """One more day for the same people: the previous same weekday's requests, activity and
    workflow events again on the day after the history, under new ids (canonical files, raw
    user ids)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "requests": out / "requests_next_day.parquet",
        "activity": out / "activity_next_day.csv",
        "workflow_events": out / "workflow_events_next_day.csv",
    }
    if all(path.exists() for path in files.values()):
        return files
    con = duckdb.connect()
    source = f"date '{SOURCE_DAY}'"
    shifted = (
        "strftime(try_cast(occurred_at as timestamp) + interval 7 day, '%Y-%m-%dT%H:%M:%S.%gZ')"
    )
    con.execute(
        f"""
        copy (
            select * exclude (prompt) replace (
                'next-' || request_id as request_id, {shifted} as occurred_at)
            from read_parquet('{inputs}/requests/*.parquet', union_by_name = true)
            where cast(try_cast(occurred_at as timestamp) as date) = {source}
        ) to '{files["requests"]}' (format parquet)
        """
    )
    con.execute(
        f"""
        copy (
            select * replace (date '{NEXT_DAY}' as activity_date)
            from read_csv('{inputs}/activity/*.csv', union_by_name = true, all_varchar = true)
            where try_cast(activity_date as date) = {source}
        ) to '{files["activity"]}' (format csv, header)
        """
    )
    con.execute(
        f"""
        copy (
            select * replace (
                'next-' || event_id as event_id, 'next-' || run_id as run_id,
                {shifted} as occurred_at)
            from read_json('{inputs}/workflow_events/*.jsonl', format = 'newline_delimited')
            where cast(try_cast(occurred_at as timestamp) as date) = {source}
        ) to '{files["workflow_events"]}' (format csv, header)
        """
    )
    con.close()
    return files


def _link_or_copy(source: str, target: str) -> None:
    if source.endswith(".parquet"):
        os.link(source, target)  # landed files are immutable
    else:
        shutil.copy2(source, target)


def fresh_home(base: Path, work: Path) -> Path:
    """A private copy of the landed home: immutable landing/ledger files hard-linked."""
    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(base, home, copy_function=_link_or_copy)
    return home


def twin_home(home: Path, work: Path) -> Path:
    """A copy of a built home (its pointer, relative to the home, names the copy's own published
    build), parsed."""
    twin = work / "twin"
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(home, twin, copy_function=_link_or_copy)
    subprocess.run(
        [sys.executable, "-c", PARSE, str(twin), str(DEFAULT_SEEDS)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return twin


def timed_build(
    home: Path,
    top: int,
    exclude_unit_tests: bool = False,
    script: str | None = None,
    options: tuple[str, ...] = ("--force",),
) -> dict[str, object]:
    """`cadence build` in a child process: wall and CPU seconds, peak RSS (MiB), dbt's slowest
    nodes. `script`: a Python script building (ONE_NODE, NO_DATA_TESTS) instead of the CLI;
    `options`: the CLI's (`--force` unless the build is to be skipped when nothing changed)."""
    if script:
        command = [sys.executable, "-c", script, str(home), str(DEFAULT_SEEDS)]
    else:
        command = [
            sys.executable,
            "-c",
            CLI,
            "build",
            "--home",
            str(home),
            "--config",
            str(DEFAULT_SEEDS),
            *options,
        ]
    env = dict(os.environ)
    if exclude_unit_tests:
        env["DBT_EXCLUDE_RESOURCE_TYPES"] = "unit_test"
    load = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"cadence build failed:\n{output[-4000:]}")
    timing = {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        "load": load,
    }
    if "nothing changed since build" in output:
        return {**timing, "nodes": 0, "dbt_elapsed": 0.0, "slowest": []}
    results = json.loads((home / "dbt" / "target" / "run_results.json").read_text())
    nodes = sorted(
        (
            (node["execution_time"], ".".join(node["unique_id"].split(".")[2:]))
            for node in results["results"]
        ),
        reverse=True,
    )
    return {
        **timing,
        "nodes": len(nodes),
        "dbt_elapsed": results["elapsed_time"],
        "slowest": nodes[:top],
    }


def run_size(
    size: int, keep: Path, repeat: int, top: int, exclude_unit_tests: bool
) -> dict[str, list[dict[str, object]]]:
    inputs, base = landed_home(size, keep)
    extra = next_day_files(inputs, keep / f"next-day-{size}")
    runs: dict[str, list[dict[str, object]]] = {
        "full": [],
        "no_new_data": [],
        "skipped": [],
        "incremental": [],
        "no_data_tests": [],
        "one_node": [],
    }
    for attempt in range(repeat):
        with tempfile.TemporaryDirectory(dir=keep) as scratch:
            home = fresh_home(base, Path(scratch))
            log(f"{size:,}: full build ({attempt + 1}/{repeat})")
            runs["full"].append(timed_build(home, top, exclude_unit_tests))
            log(
                f"  {runs['full'][-1]['seconds']:.1f}s ({runs['full'][-1]['cpu_seconds']:.1f}s CPU), "
                f"{runs['full'][-1]['peak_mib']:.0f} MiB"
            )
            log(f"{size:,}: `cadence build` with nothing new ({attempt + 1}/{repeat})")
            runs["skipped"].append(timed_build(home, top, exclude_unit_tests, options=()))
            assert runs["skipped"][-1]["nodes"] == 0, "a build with nothing new ran dbt"
            log(f"  {runs['skipped'][-1]['seconds']:.2f}s")
            log(f"{size:,}: build with no new data, --force ({attempt + 1}/{repeat})")
            runs["no_new_data"].append(timed_build(home, top, exclude_unit_tests))
            log(
                f"  {runs['no_new_data'][-1]['seconds']:.1f}s "
                f"({runs['no_new_data'][-1]['cpu_seconds']:.1f}s CPU)"
            )
            twin = twin_home(home, Path(scratch))
            for target in (home, twin):
                for entity, path in extra.items():
                    (result,) = ingest_files(SCHEMAS[entity], [path], target)
                    assert result.status == "landed", result.summary()
            log(f"{size:,}: incremental build after one more day ({attempt + 1}/{repeat})")
            runs["incremental"].append(timed_build(home, top, exclude_unit_tests))
            log(
                f"  {runs['incremental'][-1]['seconds']:.1f}s "
                f"({runs['incremental'][-1]['cpu_seconds']:.1f}s CPU), "
                f"{runs['incremental'][-1]['peak_mib']:.0f} MiB"
            )
            log(f"{size:,}: the same incremental build without data tests ({attempt + 1}/{repeat})")
            runs["no_data_tests"].append(timed_build(twin, top, exclude_unit_tests, NO_DATA_TESTS))
            log(f"  {runs['no_data_tests'][-1]['seconds']:.1f}s")
            shutil.rmtree(twin)
            log(f"{size:,}: build selecting one dbt node ({attempt + 1}/{repeat})")
            runs["one_node"].append(timed_build(home, top, exclude_unit_tests, ONE_NODE))
            log(f"  {runs['one_node'][-1]['seconds']:.1f}s")
    return runs


def median(runs: list[dict[str, object]], key: str) -> float:
    return statistics.median(float(run[key]) for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="cache folder for generated and landed data")
    parser.add_argument("--top", type=int, default=8, help="slowest dbt nodes to list per build")
    parser.add_argument(
        "--exclude-unit-tests", action="store_true", help="build without dbt's unit tests"
    )
    args = parser.parse_args()

    keep = args.keep or Path(tempfile.mkdtemp(prefix="cadence-bench-"))
    keep.mkdir(parents=True, exist_ok=True)
    log(f"cache: {keep}; cpus: {os.cpu_count()}; load average: {os.getloadavg()}")
    table = []
    for size in args.sizes:
        runs = run_size(size, keep, args.repeat, args.top, args.exclude_unit_tests)
        table.append((size, runs))
        for kind in ("full", "no_new_data", "incremental"):
            kind_runs = runs[kind]
            print(f"\n{size:,} {kind}: slowest dbt nodes of the last run (seconds)")
            for seconds, name in kind_runs[-1]["slowest"]:
                print(f"  {seconds:6.2f}  {name}")

    print(
        f"\nload average at the end: {os.getloadavg()}; medians of {args.repeat} run(s)"
        + ("; unit tests excluded" if args.exclude_unit_tests else "")
    )
    header = (
        f"{'requests':>12} | {'full s':>7} | {'full CPU':>8} | {'full MiB':>8} | "
        f"{'skip s':>6} | {'no-op s':>7} | {'incr s':>7} | {'incr CPU':>8} | {'incr MiB':>8} | "
        f"{'incr/full':>9} | {'CPU ratio':>9} | {'no tests':>8} | {'1-node s':>8} | {'ms/node':>7} | {'load':>5}"
    )
    print(header)
    print("-" * len(header))
    for size, runs in table:
        full, no_new_data, incremental = runs["full"], runs["no_new_data"], runs["incremental"]
        one_node_s = median(runs["one_node"], "seconds")
        per_node_ms = 1000 * (median(no_new_data, "seconds") - one_node_s)
        per_node_ms /= median(no_new_data, "nodes") - 1
        full_s, incremental_s = median(full, "seconds"), median(incremental, "seconds")
        full_cpu, incremental_cpu = median(full, "cpu_seconds"), median(incremental, "cpu_seconds")
        print(
            f"{size:>12,} | {full_s:7.1f} | {full_cpu:8.1f} | {median(full, 'peak_mib'):8.0f} | "
            f"{median(runs['skipped'], 'seconds'):6.2f} | "
            f"{median(no_new_data, 'seconds'):7.1f} | {incremental_s:7.1f} | "
            f"{incremental_cpu:8.1f} | {median(incremental, 'peak_mib'):8.0f} | "
            f"{incremental_s / full_s:9.1%} | {incremental_cpu / full_cpu:9.1%} | "
            f"{median(runs['no_data_tests'], 'seconds') / full_s:8.1%} | "
            f"{one_node_s:8.1f} | {per_node_ms:7.1f} | "
            f"{median(full + no_new_data + incremental, 'load'):5.2f}"
        )


if __name__ == "__main__":
    main()
