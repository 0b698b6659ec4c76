"""Benchmark at scale (issue 6): ingest, full build, incremental build and app queries at
10M and 100M requests, each size in one run.

For each size N:

1. generate the demo organisation with N requests and `--people` people (default 20,000)
   over its 15 months of history (`cadence.demo.generate.generate`; cached under `--keep DIR`,
   not timed: it stands in for the source systems);
2. land every entity through the real `cadence ingest`, one child process per entity: wall
   seconds, rows/s for requests, peak memory (max RSS of the child, from `wait4`);
3. time a full `cadence build` (child process: wall, CPU, peak memory);
4. land one more day (the previous same weekday's requests, vendor activity and workflow
   events again under new ids: `benchmarks/build.py`'s `next_day_files`) and time the
   incremental `cadence build` that follows;
5. time each review page's data queries on the published warehouse (Streamlit AppTest with
   cold caches, the sum of `app.data.run_query` per page: `benchmarks/app.py`'s
   `query_times`, median of `--repeat`).

Targets (issue 6, 2-core 24 GB machine): at 100M, ingest + full build <= 15 min with peak
memory <= 8 GB; incremental (+1 day) <= 10% of the full build; page queries <= 200 ms.
The load average is printed: other work on a 2-core machine skews every figure.

    python benchmarks/scale.py [--sizes 10000000 100000000] [--people 20000] [--keep DIR]
        [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))
sys.path.append(str(HERE))

from build import CLI, next_day_files, timed_build  # noqa: E402

from cadence.demo.generate import generate  # noqa: E402
from ingestion.entities.registry import SCHEMAS  # noqa: E402

TARGETS = {"ingest_plus_full_s": 15 * 60, "peak_mib": 8 * 1024, "incremental_ratio": 0.10}
TARGETS_QUERY_MS = 200.0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def generated(size: int, people: int, keep: Path) -> Path:
    inputs = keep / f"scale-inputs-{size}-{people}"
    if not (inputs / ".done").exists():
        shutil.rmtree(inputs, ignore_errors=True)
        log(f"generating {size:,} requests, {people:,} people into {inputs}")
        started = time.perf_counter()
        generate(inputs, requests=size, people=people)
        (inputs / ".done").touch()
        log(f"  generated in {time.perf_counter() - started:.0f} s (not a target)")
    return inputs


def timed_cli(arguments: list[str], env: dict[str, str]) -> dict[str, float]:
    """`cadence <arguments>` in a child process: wall and CPU seconds, peak RSS (MiB)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CLI, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=REPO,
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"cadence {' '.join(arguments[:2])} failed:\n{output[-4000:]}")
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
    }


def landed_rows(home: Path, entity: str) -> int:
    import duckdb

    glob = str(home / "landing" / entity / "*" / "*.parquet")
    return int(
        duckdb.execute("select count(*) from read_parquet($glob)", {"glob": glob}).fetchone()[0]
    )


def ingest_all(inputs: Path, home: Path) -> dict[str, object]:
    env = {**os.environ, "CADENCE_HOME": str(home)}
    per_entity: dict[str, dict[str, float]] = {}
    for entity in SCHEMAS:
        folder = inputs / entity
        if not folder.exists() or not any(folder.iterdir()):
            continue
        log(f"  ingest {entity}")
        per_entity[entity] = timed_cli(["ingest", entity, str(folder), "--home", str(home)], env)
    requests = landed_rows(home, "requests")
    return {
        "seconds": sum(run["seconds"] for run in per_entity.values()),
        "peak_mib": max(run["peak_mib"] for run in per_entity.values()),
        "requests_rows": requests,
        "requests_rows_per_s": requests / per_entity["requests"]["seconds"],
        "per_entity": per_entity,
    }


def page_queries(home: Path, repeat: int) -> dict[str, dict[str, float]]:
    """benchmarks/app.py's query_times in a child process (Streamlit state stays out of here)."""
    code = (
        "import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[3]);"
        "import importlib.util as u; s = u.spec_from_file_location('bench_app', sys.argv[4]);"
        "m = u.module_from_spec(s); s.loader.exec_module(m);"
        "print(json.dumps(m.query_times(Path(sys.argv[1]), int(sys.argv[2]))))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(home), str(repeat), str(REPO), str(HERE / "app.py")],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_size(size: int, people: int, keep: Path, repeat: int) -> dict[str, object]:
    inputs = generated(size, people, keep)
    extra = next_day_files(inputs, keep / f"scale-next-day-{size}-{people}")
    home = keep / f"scale-home-{size}-{people}"
    shutil.rmtree(home, ignore_errors=True)
    result: dict[str, object] = {"requests": size, "people": people}
    log(f"{size:,}: ingest (load average {os.getloadavg()[0]:.2f})")
    result["ingest"] = ingest_all(inputs, home)
    log(f"  {result['ingest']['seconds']:.1f} s, {result['ingest']['peak_mib']:.0f} MiB")
    log(f"{size:,}: full build")
    result["full"] = timed_build(home, 10)
    log(f"  {result['full']['seconds']:.1f} s, {result['full']['peak_mib']:.0f} MiB")
    env = {**os.environ, "CADENCE_HOME": str(home)}
    log(f"{size:,}: ingest one more day")
    result["next_day_ingest"] = {
        entity: timed_cli(["ingest", entity, str(path), "--home", str(home)], env)
        for entity, path in extra.items()
    }
    log(f"{size:,}: incremental build")
    result["incremental"] = timed_build(home, 10)
    log(f"  {result['incremental']['seconds']:.1f} s, {result['incremental']['peak_mib']:.0f} MiB")
    log(f"{size:,}: page queries")
    result["pages"] = page_queries(home, repeat)
    result["load_end"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000_000, 100_000_000])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="cache folder for generated data and homes")
    parser.add_argument("--repeat", type=int, default=3, help="cold runs per page (median)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    keep = args.keep or Path(tempfile.mkdtemp(prefix="cadence-scale-"))
    keep.mkdir(parents=True, exist_ok=True)
    log(f"cache: {keep}; cpus: {os.cpu_count()}; load average: {os.getloadavg()}")
    results = [run_size(size, args.people, keep, args.repeat) for size in args.sizes]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))

    print(f"\nload average at the end: {os.getloadavg()}")
    header = (
        f"{'requests':>12} | {'ingest s':>8} | {'rows/s':>10} | {'ingest MiB':>10} | "
        f"{'full s':>7} | {'full MiB':>8} | {'ingest+full':>11} | {'incr s':>7} | "
        f"{'incr/full':>9} | {'max page ms':>11}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        ingest, full, incremental = result["ingest"], result["full"], result["incremental"]
        pages = result["pages"]
        print(
            f"{result['requests']:>12,} | {ingest['seconds']:8.1f} | "
            f"{ingest['requests_rows_per_s']:10,.0f} | {ingest['peak_mib']:10.0f} | "
            f"{full['seconds']:7.1f} | {full['peak_mib']:8.0f} | "
            f"{ingest['seconds'] + full['seconds']:11.1f} | {incremental['seconds']:7.1f} | "
            f"{incremental['seconds'] / full['seconds']:9.1%} | "
            f"{max(page['query_ms'] for page in pages.values()):11.1f}"
        )
    for result in results:
        print(f"\n{result['requests']:,}: page queries (ms, median of {args.repeat} cold runs)")
        for name, page in result["pages"].items():
            print(f"  {name:<28} {page['query_ms']:8.1f}  ({page['queries']:.0f} queries)")
        print(f"{result['requests']:,}: slowest dbt nodes, full / incremental (s)")
        for (full_s, full_name), (incr_s, incr_name) in zip(
            result["full"]["slowest"], result["incremental"]["slowest"], strict=False
        ):
            print(f"  {full_s:7.2f} {full_name:<45} {incr_s:7.2f} {incr_name}")
    print(
        f"\nTargets at 100M: ingest + full build <= {TARGETS['ingest_plus_full_s'] / 60:.0f} min, "
        f"peak <= {TARGETS['peak_mib'] / 1024:.0f} GB, incremental <= "
        f"{TARGETS['incremental_ratio']:.0%} of full, page queries <= {TARGETS_QUERY_MS:.0f} ms"
    )


if __name__ == "__main__":
    main()
