"""Run the `cadence` CLI and SIGKILL it at a named point of a writer's critical section, for
test_crash.py. Random kill offsets mostly land in dbt or a COPY; the few milliseconds where a
writer renames, commits, stamps, flips the pointer or prunes are hit here on purpose.

    python crash_points.py POINT cadence-arguments...
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _before(module: object, name: str) -> None:
    def killed(*args: object, **kwargs: object) -> None:
        _die()

    setattr(module, name, killed)


def _after(module: object, name: str) -> None:
    real = getattr(module, name)

    def then_killed(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)
        _die()

    setattr(module, name, then_killed)


def _pointer_half_written(module: object) -> None:
    """The new pointer is written to its temp file, not yet renamed over the old one."""

    def half(home: Path, document: dict[str, object]) -> None:
        temp = module.pointer_path(home).with_name(".published.json.tmp")
        temp.write_text(json.dumps(document))
        _die()

    module.write_pointer = half


def install(point: str) -> None:
    from cadence import build
    from ingestion import ledger

    points = {
        # ingest: batch folders renamed into landing/ and quarantine/, ledger not committed
        "ingest_before_commit": lambda: _before(ledger, "commit_batch"),
        # ingest: committed, tmp/ not cleaned, the command not finished
        "ingest_after_commit": lambda: _after(ledger, "commit_batch"),
        # build: dbt passed, file not stamped
        "build_before_stamp": lambda: _before(build, "_stamp"),
        # build: stamped, pointer not written
        "build_after_stamp": lambda: _after(build, "_stamp"),
        # build: pointer temp file written, not renamed
        "build_pointer_half_written": lambda: _pointer_half_written(build),
        # build: published, old builds not pruned
        "build_after_pointer": lambda: _after(build, "write_pointer"),
        # build: published and pruned, the command not finished
        "build_after_prune": lambda: _after(build, "_prune"),
    }
    points[point]()


if __name__ == "__main__":
    install(sys.argv[1])
    from cadence.cli import main

    sys.exit(main(sys.argv[2:]))
