"""A home that can move, and servers that listen on this machine only.

`published.json` stores the published file relative to the home (CONTRACTS.md §5.5), so a home
copied with `cp -a` and its original removed reports, serves and builds itself. `cadence serve`
and `cadence docs` listen on 127.0.0.1 unless `--host` says otherwise: the tests read the
kernel's table of listening sockets (/proc/net/tcp, tcp6) for the server's port.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cadence.published import read_pointer, write_pointer

pytestmark = pytest.mark.timeout(900)

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app" / "streamlit_app.py"
CADENCE = Path(sys.executable).with_name("cadence")
TCP_LISTEN = "0A"  # the LISTEN state in /proc/net/tcp


def _cadence(*args: str, home: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(CADENCE), *args, "--home", str(home)],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k != "CADENCE_HOME"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"cadence {args}:\n{result.stdout[-3000:]}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def moved_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo home built in one folder, copied with `cp -a`, the original removed."""
    root = tmp_path_factory.mktemp("moving")
    original, moved = root / "home-1", root / "home-9"
    _cadence("demo", "--no-serve", "--requests", "4000", home=original)
    subprocess.run(["cp", "-a", str(original), str(moved)], check=True)
    shutil.rmtree(original)
    return moved


def _listening(port: int) -> set[str]:
    """The local addresses of the sockets listening on `port`, from the kernel's tables."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] != TCP_LISTEN or int(hex_port, 16) != port:
                continue
            raw = bytes.fromhex(address)
            # the kernel prints each 32-bit word in host (little-endian) order
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            family = socket.AF_INET if width == 8 else socket.AF_INET6
            found.add(socket.inet_ntop(family, words))
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def serving() -> Iterator:
    """Start a `cadence` server command; wait until its port listens; stop it afterwards."""
    started: list[subprocess.Popen] = []

    def start(*args: str, home: Path, port: int, log: Path) -> set[str]:
        with log.open("w") as out:
            process = subprocess.Popen(
                [str(CADENCE), *args, "--home", str(home), "--port", str(port)],
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            addresses = _listening(port)
            if addresses:
                time.sleep(0.5)  # a server may open a second socket (IPv6) just after the first
                return _listening(port)
            assert process.poll() is None, log.read_text()[-3000:]
            time.sleep(0.25)
        raise AssertionError(f"nothing listened on {port}: {log.read_text()[-3000:]}")

    start.started = started  # type: ignore[attr-defined]
    yield start
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_serve_listens_on_loopback_only_by_default(moved_home, serving, tmp_path) -> None:
    port = _free_port()
    assert serving("serve", home=moved_home, port=port, log=tmp_path / "serve.log") == {"127.0.0.1"}


def test_serve_listens_where_host_says(moved_home, serving, tmp_path) -> None:
    port = _free_port()
    addresses = serving(
        "serve", "--host", "127.0.0.2", home=moved_home, port=port, log=tmp_path / "serve.log"
    )
    assert addresses == {"127.0.0.2"}


def test_docs_listen_on_loopback_only_by_default(moved_home, serving, tmp_path) -> None:
    port = _free_port()
    log = tmp_path / "docs.log"
    assert serving("docs", home=moved_home, port=port, log=log) == {"127.0.0.1"}
    assert (moved_home / "dbt" / "docs" / "index.html").exists(), log.read_text()


def test_a_moved_home_reports_itself(moved_home: Path) -> None:
    stored = json.loads((moved_home / "published.json").read_text())
    assert stored["published_path"] == f"warehouses/{stored['build_id']}/cadence.duckdb"
    status = json.loads(_cadence("status", "--json", home=moved_home).stdout)
    assert status["published_path"] == str(
        moved_home / "warehouses" / stored["build_id"] / "cadence.duckdb"
    )
    assert Path(status["published_path"]).is_file()
    assert status["entities"]["requests"]["rows"] > 0


def test_a_moved_home_serves_itself(moved_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("CADENCE_HOME", str(moved_home))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("app_pages/data_health.py")
    at.run()
    assert not at.exception
    shown = " ".join(markdown.value for markdown in at.markdown)
    assert read_pointer(moved_home)["build_id"] in shown


def test_a_moved_home_builds_itself(moved_home: Path) -> None:
    before = read_pointer(moved_home)
    assert before is not None
    _cadence("build", "--force", home=moved_home)  # nothing new: a plain build runs nothing
    after = read_pointer(moved_home)
    assert after is not None
    assert after["build_id"] != before["build_id"]
    assert after["history"][:2] == [after["build_id"], before["build_id"]]
    assert Path(after["published_path"]).is_relative_to(moved_home)
    assert Path(after["published_path"]).is_file()


def test_a_pointer_written_with_absolute_paths_is_read_and_rewritten_relative(
    tmp_path: Path,
) -> None:
    """A home published by the code before §5.5 stored absolute paths, possibly of a home that
    has since moved: read re-rooted at this home, written relative on the next flip."""
    home = tmp_path / "home-9"
    build_id = "20260101T000000000000Z"
    (home / "warehouses" / build_id).mkdir(parents=True)
    (home / "warehouses" / build_id / "cadence.duckdb").touch()
    legacy = {
        "build_id": build_id,
        "published_path": f"/gone/home-1/warehouses/{build_id}/cadence.duckdb",
        "published_at": "2026-01-01T00:00:00+00:00",
        "history": [build_id],
    }
    (home / "published.json").write_text(json.dumps(legacy))
    pointer = read_pointer(home)
    assert pointer is not None
    assert pointer["published_path"] == str(home / "warehouses" / build_id / "cadence.duckdb")
    write_pointer(home, pointer)
    stored = json.loads((home / "published.json").read_text())
    assert stored == {**legacy, "published_path": f"warehouses/{build_id}/cadence.duckdb"}
    assert read_pointer(home) == pointer


def _stopped(process: subprocess.Popen, port: int, signum: int) -> int:
    """Signal the cadence process alone (not its group: a service manager or `kill PID` does
    that); once it has exited, nothing may listen on its port. Its exit code."""
    os.kill(process.pid, signum)
    code = process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while _listening(port) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert not _listening(port), f"a server still listens on {port} after cadence exited"
    return code


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_signal_to_serve_leaves_no_server_listening(
    moved_home, serving, tmp_path, signum
) -> None:
    """Issue 16 item 8: SIGTERM used to leave Streamlit listening. SIGKILL cannot be caught:
    the server child dies with its parent (Linux's parent-death signal)."""
    port = _free_port()
    serving("serve", home=moved_home, port=port, log=tmp_path / "serve.log")
    code = _stopped(serving.started[-1], port, signum)
    assert code == (-signal.SIGKILL if signum == signal.SIGKILL else 0)


def test_sigterm_to_docs_leaves_no_server_listening(moved_home, serving, tmp_path) -> None:
    port = _free_port()
    serving("docs", home=moved_home, port=port, log=tmp_path / "docs.log")
    assert _stopped(serving.started[-1], port, signal.SIGTERM) == 0
