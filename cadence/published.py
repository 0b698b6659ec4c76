"""Open the published warehouse the way every reader should: follow the pointer, read-only.

Readers never take the writer lock. A writer flips `published.json` by renaming a new
version over it, so a reader always reads a whole pointer; the file it names is never written
again. The one window: between reading the pointer and opening the file, a writer may publish
newer builds and prune the file (`KEEP_BUILDS` later) or roll back (which removes the newest
file at once). Then the open fails on a missing file and the pointer, read again, names
another one: open that. Once open, a connection keeps answering even if its file is pruned
later (the open file lives on until the connection is closed).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

ATTEMPTS = 5


class NothingPublished(RuntimeError):
    """No warehouse has been published in this home yet, or its file is missing."""


def read_pointer(home: Path) -> dict[str, object] | None:
    """The published pointer of `home`, or None before the first publish."""
    try:
        return json.loads((Path(home) / "published.json").read_text())
    except FileNotFoundError:
        return None


def open_published(
    home: Path, *, attempts: int = ATTEMPTS
) -> tuple[dict[str, object], duckdb.DuckDBPyConnection]:
    """The pointer and a read-only connection to the file it names.

    Raise NothingPublished when nothing is published, or when the named file stays missing
    while the pointer no longer changes (someone deleted it: `cadence build` publishes anew).
    """
    previous: str | None = None
    for _ in range(attempts):
        pointer = read_pointer(home)
        if pointer is None:
            raise NothingPublished(f"nothing is published in {home} yet: run `cadence build`")
        path = str(pointer["published_path"])
        try:
            return pointer, duckdb.connect(path, read_only=True)
        except duckdb.IOException:
            if Path(path).exists():
                raise
            if path == previous:  # the pointer did not move: the file is really gone
                break
            previous = path
    raise NothingPublished(
        f"the published warehouse file {previous} is missing: run `cadence build` to publish "
        "a new one (or `cadence build --rollback` to return to the previous build)"
    )
