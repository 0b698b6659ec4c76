"""The single-writer lock: ingest and build hold it, readers never take it.

The lock is an `flock` on `<home>/writer.lock`, so the kernel releases it when its holder
dies: a lock left by a dead process is simply free. The file records who holds it (pid,
command, since) so a refused writer can say so.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

_held: dict[Path, int] = {}


class WriterBusy(RuntimeError):
    """Another process holds the writer lock."""


def lock_path(home: Path) -> Path:
    return home / "writer.lock"


@contextlib.contextmanager
def writer_lock(home: Path, command: str | None = None) -> Iterator[None]:
    """Hold the writer lock of `home` (re-entrant within one process)."""
    path = lock_path(home)
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(fd)
        for _ in range(20):  # a holder that just took the lock writes its record next
            if holder:
                break
            time.sleep(0.05)
            holder = _read_holder(fd)
        os.close(fd)
        raise WriterBusy(
            f"another cadence writer holds {path}: pid {holder.get('pid', '?')}, "
            f"command {holder.get('command', '?')!r}, since {holder.get('since', '?')}"
        ) from None
    info = {
        "pid": os.getpid(),
        "command": command or " ".join(sys.argv),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)
    _held[path] = 1
    try:
        yield
    finally:
        del _held[path]
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_holder(fd: int) -> dict[str, object]:
    try:
        return json.loads(os.pread(fd, 4096, 0) or b"{}")
    except ValueError:
        return {}
