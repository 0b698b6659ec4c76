"""Benchmark: what one dbt node costs on this machine, whatever the data, and whether dbt
threads share it out.

Writes a bare dbt-duckdb project into a temporary folder: `--tables` one-line tables of 4
columns (100 rows each) and a `not_null` test on every column, so `--tables 60` makes 300
nodes, about as many as a cadence build. It parses once, then runs `dbt build` `--repeat`
times for each of `--threads` and reports dbt's own elapsed time for the nodes (from
run_results.json: no start-up, no parse) and its median per node.

This is the floor under every cadence build: `benchmarks/build.py` reports cadence's own cost
per node (its "ms/node" column: the build with nothing new less the build that selects no
node, over the nodes), ~300 nodes of which run in every build. If more threads do not lower
the time per node, the cost is dbt's Python under the GIL, and only fewer nodes lower it.

    python benchmarks/dbt_node_cost.py [--tables 60] [--threads 1 2 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DBT = Path(sys.executable).with_name("dbt")
COLUMNS = 4


def write_project(folder: Path, tables: int) -> None:
    (folder / "models").mkdir(parents=True)
    (folder / "dbt_project.yml").write_text(
        "name: bare\nversion: '1.0'\nconfig-version: 2\nprofile: bare\n"
        "models:\n  bare:\n    +materialized: table\n"
    )
    (folder / "profiles.yml").write_text(
        "bare:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
        f"      path: {folder / 'bare.duckdb'}\n      threads: 1\n      keep_open: true\n"
    )
    columns = ", ".join(f"{value} as c{value}" for value in range(COLUMNS))
    properties = ["version: 2", "models:"]
    for table in range(tables):
        (folder / "models" / f"t{table}.sql").write_text(f"select {columns} from range(100)\n")
        properties.append(f"  - name: t{table}\n    columns:")
        properties += [
            f"      - name: c{value}\n        data_tests: [not_null]" for value in range(COLUMNS)
        ]
    (folder / "models" / "properties.yml").write_text("\n".join(properties) + "\n")


def dbt_build(folder: Path, threads: int) -> tuple[float, int, float]:
    """(dbt's elapsed seconds for the nodes, nodes, wall seconds of the whole command)."""
    start = time.perf_counter()
    subprocess.run(
        [str(DBT), "build", "--threads", str(threads), "--log-level-file", "none", "--quiet"],
        cwd=folder,
        env={**os.environ, "DBT_PROFILES_DIR": str(folder), "DBT_SEND_ANONYMOUS_USAGE_STATS": "0"},
        check=True,
    )
    wall = time.perf_counter() - start
    results = json.loads((folder / "target" / "run_results.json").read_text())
    return results["elapsed_time"], len(results["results"]), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", type=int, default=60)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}; load average: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="cadence-dbt-node-cost-") as scratch:
        folder = Path(scratch)
        write_project(folder, args.tables)
        dbt_build(folder, 1)  # parses the project once; the runs below parse partially
        print(f"{'threads':>7} | {'nodes':>5} | {'nodes s':>7} | {'ms/node':>7} | {'command s':>9}")
        for threads in args.threads:
            runs = [dbt_build(folder, threads) for _ in range(args.repeat)]
            elapsed = statistics.median(run[0] for run in runs)
            nodes = runs[0][1]
            wall = statistics.median(run[2] for run in runs)
            print(
                f"{threads:>7} | {nodes:>5} | {elapsed:7.2f} | {1000 * elapsed / nodes:7.1f} | "
                f"{wall:9.2f}",
                flush=True,
            )
    print(f"load average at the end: {os.getloadavg()}; medians of {args.repeat} run(s)")


if __name__ == "__main__":
    main()
