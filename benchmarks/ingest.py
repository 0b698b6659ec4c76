"""Benchmark: `cadence ingest requests` against DuckDB's bare load of the same file.

Generates N canonical requests (default 10M) as Parquet and as CSV, then, in one run, times
`cadence ingest requests FILE` (a fresh cadence home each time) against two loads by DuckDB
alone, each in its own process so peak memory (max RSS) is measured per run:

- `bare`: `CREATE TABLE t AS SELECT * FROM read_parquet/read_csv(FILE)` (in memory);
- `floor`: `COPY (SELECT * FROM read_…(FILE)) TO … (FORMAT parquet, COMPRESSION lz4_raw)`, the
  least any landing in the Parquet landing zone can cost (issue 23: cadence ≤ 1.3x it).

Prints rows/s, the medians and the ratios.

    python benchmarks/ingest.py [--rows 10000000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

GENERATE = """
select
    'req-' || i as request_id,
    timestamp '2025-09-01' + to_seconds(cast(i * 37 % 31536000 as bigint)) as occurred_at,
    'person' || (i * 7919 % 20000) || '@corp.example' as user_id,
    'bu-' || (i % 8) as business_unit_id,
    case when i % 5 = 0 then null else 'uc-' || (i % 16) end as use_case_id,
    'gateway' as tool,
    ['openai', 'anthropic', 'google'][1 + i % 3] as provider,
    ['gpt-4.1', 'claude-sonnet-4', 'gemini-2.5-flash'][1 + i % 3] as model,
    ['chat', 'embeddings', 'execute_tool'][1 + i % 3] as operation,
    cast(i * 13 % 4000 as bigint) as input_tokens,
    cast(i * 17 % 900 as bigint) as output_tokens,
    round(200 + (i * 31 % 5000) / 3.0, 1) as latency_ms,
    case when i % 97 = 0 then 'error' when i % 211 = 0 then 'timeout' else 'success' end as status,
    case when i % 3 = 0 then null else round((i % 1000) / 100000.0, 5) end as cost_usd,
    ['public', 'internal', 'confidential'][1 + i % 3] as data_classification,
    case when i % 301 = 0 then 'redacted' else 'allowed' end as policy_action,
    case when i % 11 = 0 then 1 when i % 13 = 0 then -1 else null end as feedback_score
from range({rows}) as t(i)
"""

BARE = {
    "parquet": "create table t as select * from read_parquet('{path}')",
    "csv": "create table t as select * from read_csv('{path}')",
}
FLOOR = {
    fmt: f"copy (select * from {reader}('{{path}}')) to '{{out}}' "
    "(format parquet, compression lz4_raw)"
    for fmt, reader in (("parquet", "read_parquet"), ("csv", "read_csv"))
}
LOADERS = ("bare", "floor", "cadence")


def generate(rows: int, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"parquet": folder / "requests.parquet", "csv": folder / "requests.csv"}
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    query = GENERATE.format(rows=int(rows))
    if not files["parquet"].exists():
        con.execute(f"copy ({query}) to '{files['parquet']}' (format parquet)")
    if not files["csv"].exists():
        con.execute(f"copy ({query}) to '{files['csv']}' (format csv, header)")
    con.close()
    return files


def timed(command: list[str]) -> tuple[float, float]:
    """Run `command` in a child process; return (seconds, peak RSS in MiB of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all waited-for children: run the largest last,
    # or trust it only when it grew. Each measurement below runs in a fresh interpreter via
    # `measure`, which reports its own child's peak.
    return seconds, max(peak, before) / 1024


def measure(command: list[str]) -> tuple[float, float]:
    """Time `command` inside a fresh Python so RUSAGE_CHILDREN covers only that command."""
    probe = (
        "import resource, subprocess, sys, time;"
        "s = time.perf_counter();"
        f"subprocess.run({command!r}, check=True, stdout=subprocess.DEVNULL);"
        "t = time.perf_counter() - s;"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="reuse/keep generated files in this folder")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="cadence-bench-"))
    data = args.keep or scratch / "data"
    start = time.perf_counter()
    files = generate(args.rows, data)
    print(
        f"generated {args.rows:,} requests in {time.perf_counter() - start:.1f}s: "
        + ", ".join(f"{fmt} {path.stat().st_size / 1e6:,.0f} MB" for fmt, path in files.items())
    )
    cadence = str(Path(sys.executable).with_name("cadence"))
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    try:
        for _ in range(args.repeat):
            for fmt, path in files.items():
                bare = BARE[fmt].format(path=path)
                results.setdefault((fmt, "bare"), []).append(
                    measure(
                        [sys.executable, "-c", f"import duckdb; duckdb.connect().execute({bare!r})"]
                    )
                )
                out = scratch / "floor.parquet"
                out.unlink(missing_ok=True)
                floor = FLOOR[fmt].format(path=path, out=out)
                results.setdefault((fmt, "floor"), []).append(
                    measure(
                        [
                            sys.executable,
                            "-c",
                            f"import duckdb; duckdb.connect().execute({floor!r})",
                        ]
                    )
                )
                home = scratch / "home"
                shutil.rmtree(home, ignore_errors=True)
                results.setdefault((fmt, "cadence"), []).append(
                    measure([cadence, "ingest", "requests", str(path), "--home", str(home)])
                )
        print(f"\n{args.rows:,} requests, median of {args.repeat} runs (peak RSS = max over runs)")
        print(f"{'format':<9}{'loader':<10}{'seconds':>9}{'rows/s':>14}{'peak MiB':>10}")
        for fmt in files:
            medians = {}
            for loader in LOADERS:
                runs = results[(fmt, loader)]
                seconds = statistics.median(r[0] for r in runs)
                peak = max(r[1] for r in runs)
                medians[loader] = seconds
                print(
                    f"{fmt:<9}{loader:<10}{seconds:>9.2f}{args.rows / seconds:>14,.0f}{peak:>10,.0f}"
                )
            print(f"{fmt:<9}{'/ bare':<10}{medians['cadence'] / medians['bare']:>9.2f}x")
            print(
                f"{fmt:<9}{'/ floor':<10}{medians['cadence'] / medians['floor']:>9.2f}x"
                "  (target <= 1.3x)"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
