"""One published build shared by every test file that asks for it by the same key, on either
of `make test`'s two workers (pytest-xdist): the first asker builds it under a file lock, the
others wait for the lock and read what it published. A build takes one to three minutes, so
files reading the same organisation (the review-by-scope files, the app's pages) share one.

Only readers may share a build: a test that builds again, rolls back or changes the home's
configuration makes its own. A build that failed is retried by the next asker, which then
reports the failure itself.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

DONE = ".built"


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every worker of this run sees: under pytest-xdist each worker's base
    temporary folder is `<run>/popen-gwN`, so it is their parent; otherwise the base itself."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-builds"
    root.mkdir(parents=True, exist_ok=True)
    return root


def shared_build(
    tmp_path_factory: pytest.TempPathFactory, key: str, make: Callable[[Path], None]
) -> Path:
    """The folder `make(folder)` filled once for `key` in this run (made now if no one has)."""
    root = shared_root(tmp_path_factory)
    folder = root / key
    with (root / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if (folder / DONE).exists():
            return folder
        shutil.rmtree(folder, ignore_errors=True)  # an earlier asker's failed attempt
        folder.mkdir()
        make(folder)
        (folder / DONE).touch()
        return folder
