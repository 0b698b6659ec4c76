"""One writer, many readers: a second writer is refused with the holder's pid, command and
start time (non-zero exit, no traceback); a lock whose holder was killed is taken over; readers
(`cadence status`, the app, a notebook's read-only connection) never take the lock and never
see it."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from reliability_helpers import REPO, cadence, cli_env, copy_home, ok

from cadence.published import open_published, read_pointer

pytestmark = pytest.mark.timeout(900)

HOLD = """
import sys, time
from pathlib import Path
from cadence.lock import writer_lock
with writer_lock(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def holder(tmp_path: Path, built_home: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """A copy of the built home whose writer lock another process holds as `cadence build`."""
    home = copy_home(built_home, tmp_path / "home")
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home), "cadence build"],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(home),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "held"
        yield home, process
    finally:
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _lock_is_free(home: Path) -> bool:
    fd = os.open(home / "writer.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases a lock taken here
    return True


def test_a_second_writer_is_told_who_holds_the_lock(holder, org_files) -> None:
    home, process = holder
    since = json.loads((home / "writer.lock").read_text())["since"]
    before = (home / "published.json").read_bytes()
    for command in (
        ["build"],
        ["build", "--rollback"],
        ["ingest", "requests", str(org_files["requests"][0])],
    ):
        result = cadence(home, *command)
        assert result.returncode == 3, (command, result.stdout, result.stderr)
        message = result.stdout.strip()
        assert len(message.splitlines()) == 1, message
        assert f"pid {process.pid}" in message
        assert "command 'cadence build'" in message
        assert f"since {since}" in message
        assert "Traceback" not in result.stderr
    assert (home / "published.json").read_bytes() == before
    assert not _lock_is_free(home)


def test_a_lock_left_by_a_killed_holder_is_taken_over(holder, org_files) -> None:
    home, process = holder
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # The dead holder's record is still in the file, but the kernel released its flock.
    assert json.loads((home / "writer.lock").read_text())["pid"] == process.pid
    assert _lock_is_free(home)
    csv = home.parent / "one_request.csv"
    csv.write_text(
        "request_id,occurred_at,user_id,tool,provider,model,operation,status\n"
        "takeover-1,2026-11-01T10:00:00Z,someone,gateway,openai,gpt-4o,chat,success\n"
    )
    out = ok(cadence(home, "ingest", "requests", str(csv)))
    assert "1 rows landed" in out
    assert (home / "writer.lock").read_text() == ""  # released, no stale holder left behind
    assert _lock_is_free(home)


NOTEBOOK = """
import json, os, sys, duckdb
pointer = json.load(open(sys.argv[1] + "/published.json"))
# published_path is relative to the home (CONTRACTS.md §5.5)
con = duckdb.connect(os.path.join(sys.argv[1], pointer["published_path"]), read_only=True)
print(con.execute("select build_id from main.cadence_build").fetchone()[0])
print(con.execute("select count(*) from main.dim_use_cases").fetchone()[0])
"""


def _read_everything(home: Path) -> str:
    """Read `home` the ways readers do; return the build id they all saw."""
    status = json.loads(ok(cadence(home, "status", "--json")))
    build_id = status["build_id"]
    assert status["entities"]["requests"]["rows"] > 0
    notebook = subprocess.run(
        [sys.executable, "-c", NOTEBOOK, str(home)],
        capture_output=True,
        text=True,
        check=True,
        env=cli_env(home),
    )
    assert notebook.stdout.split()[0] == build_id
    pointer, con = open_published(home)
    try:
        assert con.execute("select build_id from main.cadence_build").fetchone()[0] == build_id
    finally:
        con.close()
    assert pointer["build_id"] == build_id
    app = subprocess.run(
        [sys.executable, "-c", APP_RUN, str(REPO / "app" / "streamlit_app.py")],
        capture_output=True,
        text=True,
        check=False,
        env=cli_env(home),
        timeout=600,
    )
    assert app.returncode == 0, app.stdout + app.stderr
    assert build_id in app.stdout
    return build_id


APP_RUN = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=300)
at.switch_page("app_pages/data_health.py")
at.run()
assert not at.exception, at.exception
assert not [w.value for w in at.warning if "warehouse" in w.value], [w.value for w in at.warning]
print(" ".join(m.value for m in at.markdown))
"""


def test_readers_never_take_the_lock_and_read_while_it_is_held(holder) -> None:
    home, _ = holder
    lock = (home / "writer.lock").read_text()
    _read_everything(home)
    assert (home / "writer.lock").read_text() == lock  # the holder's record, untouched
    assert not _lock_is_free(home)


def test_readers_do_not_create_the_lock(tmp_path: Path, built_home: Path) -> None:
    home = copy_home(built_home, tmp_path / "home")
    (home / "writer.lock").unlink()
    _read_everything(home)
    assert not (home / "writer.lock").exists()


def test_an_open_read_only_connection_does_not_block_a_build(tmp_path, built_home) -> None:
    """A notebook keeps the published file open read-only while a build publishes anew."""
    home = copy_home(built_home, tmp_path / "home")
    pointer, con = open_published(home)
    try:
        ok(cadence(home, "build", "--force"))  # the copy has nothing new: build anyway
        new = read_pointer(home)
        assert new["build_id"] != pointer["build_id"]
        stamp = con.execute("select build_id from main.cadence_build").fetchone()[0]
        assert stamp == pointer["build_id"]  # the open connection still reads its own build
    finally:
        con.close()
    check = duckdb.connect(str(new["published_path"]), read_only=True)
    try:
        assert (
            check.execute("select build_id from main.cadence_build").fetchone()[0]
            == new["build_id"]
        )
    finally:
        check.close()
