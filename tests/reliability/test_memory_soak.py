"""Memory on a file with no line break (issue 16, item 6), behind `CADENCE_SOAK=1`: a 1 GiB
file of one line is refused by `cadence ingest` with a readable reason, and the child
process's peak resident memory (its own `ru_maxrss`, from `wait4`) stays under 1.5 GB. Before
the fix a 2 GB such file peaked at 4.4 GB in the error-locating step (Python's csv reader
reading the header). The always-on check that such a file is refused with a readable reason
is tests/ingestion/test_limits.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_helpers import CADENCE, REPO, cli_env

SOAK = os.environ.get("CADENCE_SOAK", "") not in ("", "0")
FILE_BYTES = 1 << 30  # 1 GiB
PEAK_LIMIT_BYTES = 1_500_000_000  # 1.5 GB

pytestmark = [
    pytest.mark.skipif(not SOAK, reason="a soak check: set CADENCE_SOAK=1"),
    pytest.mark.timeout(1800),
]


def _one_line_file(path: Path, head: bytes) -> Path:
    chunk = b"x" * (1 << 24)
    with path.open("wb") as handle:
        handle.write(head)
        for _ in range(FILE_BYTES // len(chunk)):
            handle.write(chunk)
    return path


def _run_measured(home: Path, *args: str) -> tuple[int, str, int]:
    """Run `cadence <args>`; return its exit status, its output and its peak RSS in bytes."""
    log = home.parent / "cadence.out"
    with log.open("w") as out:
        child = subprocess.Popen(
            [*CADENCE, *args], cwd=REPO, env=cli_env(home), stdout=out, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, log.read_text(), usage.ru_maxrss * 1024  # KiB on Linux


@pytest.mark.parametrize(
    ("entity", "name", "head", "reason"),
    [
        (
            "requests",
            "requests.csv",
            b"request_id,occurred_at,",
            "the first line is longer than 1,048,576 bytes (no line break within it)",
        ),
        (
            "auto",
            "requests.csv",
            b"request_id,occurred_at,",
            "not recognised: cannot be read as CSV (field larger than field limit",
        ),
        ("requests", "requests.jsonl", b'{"request_id": "', "cannot be read as JSON"),
    ],
    ids=["csv", "auto-csv", "jsonl"],
)
def test_a_1gb_file_with_no_line_break_is_refused_in_bounded_memory(
    tmp_path: Path,
    record_property: Callable[[str, object], None],
    entity: str,
    name: str,
    head: bytes,
    reason: str,
) -> None:
    path = _one_line_file(tmp_path / name, head)
    home = tmp_path / "home"

    status, out, peak = _run_measured(home, "ingest", entity, str(path))

    record_property("peak_rss_bytes", peak)
    # shown with -s
    sys.stderr.write(
        f"{entity} {name}: {path.stat().st_size:,} bytes, peak RSS {peak / 1e6:,.0f} MB\n"
    )
    assert status == 1, out
    assert f"REFUSED {path}" in out
    assert reason in out, out
    assert "^^^" not in out
    assert "Traceback" not in out
    assert peak < PEAK_LIMIT_BYTES, f"peak RSS {peak:,} bytes"
    path.unlink()  # 1 GiB less on the disk at once
