"""One reader of a cadence home, run as its own process by test_concurrency.py until a stop
file appears. Each observation (or error) is one JSON line in the output file.

    python reader_process.py KIND HOME OUT STOP

KIND is `snapshot` (open the published build, one query, close), `sticky` (keep a connection
for many queries, as the app's cached connection does), `status` (`cadence status --json`)
or `app` (the Streamlit app's pages through AppTest).
"""

from __future__ import annotations

import json
import re
import sys
import time
import traceback
from pathlib import Path

#: One statement, so one snapshot: the build's stamp and row counts of a few marts.
SNAPSHOT_SQL = """
select
    (select build_id from main.cadence_build) as build_id,
    (select sum(requests) from main.fct_operations_weekly) as requests,
    (select count(*) from main.fct_operations_weekly) as operations_rows,
    (select count(*) from main.fct_adoption_weekly) as adoption_rows,
    (select count(*) from main.dim_use_cases) as use_cases,
    (select count(*) from main.fct_kpi_progress) as kpi_rows
"""
COUNTS = ("requests", "operations_rows", "adoption_rows", "use_cases", "kpi_rows")
PAGES = [
    "app_pages/data_health.py",
    "app_pages/weekly_operations_review.py",
    "app_pages/quarterly_executive_review.py",
]
BUILD_ID = re.compile(r"\d{8}T\d{12}Z")
#: Between two reads: readers keep reading through every build without taking both cores
#: from the writer (the machine has two).
PAUSE = 0.25


def snapshot(con) -> dict[str, object]:
    """The stamp and counts of the build `con` reads, from one statement."""
    row = con.execute(SNAPSHOT_SQL).fetchone()
    return {"build_id": row[0], "counts": dict(zip(COUNTS, map(int, row[1:]), strict=True))}


def _snapshot_reader(home: Path, stop: Path, write) -> None:
    from cadence.published import open_published

    while not stop.exists():
        pointer, con = open_published(home)
        try:
            seen = snapshot(con)
        finally:
            con.close()
        if seen["build_id"] != pointer["build_id"]:
            raise AssertionError(f"stamp {seen['build_id']} under pointer {pointer['build_id']}")
        write(seen)
        time.sleep(PAUSE)


def _sticky_reader(home: Path, stop: Path, write) -> None:
    from cadence.published import open_published

    while not stop.exists():
        pointer, con = open_published(home)
        try:
            first = snapshot(con)
            for _ in range(20):  # a few seconds on one connection, builds may publish
                seen = snapshot(con)
                if seen != first:
                    raise AssertionError(f"one connection saw {first} then {seen}")
                time.sleep(PAUSE)
        finally:
            con.close()
        if first["build_id"] != pointer["build_id"]:
            raise AssertionError(f"stamp {first['build_id']} under pointer {pointer['build_id']}")
        write(first)


def _status_reader(home: Path, stop: Path, write) -> None:
    from reliability_helpers import cadence

    while not stop.exists():
        result = cadence(home, "status", "--json")
        if result.returncode != 0:
            raise AssertionError(
                f"status exited {result.returncode}: {result.stdout}{result.stderr}"
            )
        document = json.loads(result.stdout)
        write({"build_id": document["build_id"], "rows": document["entities"]["requests"]["rows"]})
        time.sleep(PAUSE)


def _app_reader(home: Path, stop: Path, write) -> None:
    from reliability_helpers import REPO
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app" / "streamlit_app.py"), default_timeout=600)
    turn = 0
    while not stop.exists():
        at.switch_page(PAGES[turn % len(PAGES)])
        at.run()  # one session rerunning across publishes, as a user clicking around
        turn += 1
        if at.exception:
            raise AssertionError(f"page raised: {[e.value for e in at.exception]}")
        problems = [w.value for w in at.warning if "warehouse" in w.value]
        if problems:
            raise AssertionError(f"page warned: {problems}")
        shown = set(BUILD_ID.findall(" ".join(m.value for m in at.markdown)))
        if len(shown) != 1:
            raise AssertionError(f"page shows builds {shown}")
        write({"build_id": shown.pop(), "page": PAGES[(turn - 1) % len(PAGES)]})
        time.sleep(PAUSE)


READERS = {
    "snapshot": _snapshot_reader,
    "sticky": _sticky_reader,
    "status": _status_reader,
    "app": _app_reader,
}


def main(kind: str, home: Path, out: Path, stop: Path) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    with out.open("a") as handle:

        def write(record: dict[str, object]) -> None:
            handle.write(json.dumps(record) + "\n")
            handle.flush()

        while not stop.exists():
            try:
                READERS[kind](home, stop, write)
            except Exception as error:  # record it and go on reading: the test counts them
                write(
                    {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
                )
                time.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])))
