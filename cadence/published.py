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
import os
from pathlib import Path, PurePosixPath

import duckdb

ATTEMPTS = 5
POINTER_NAME = "published.json"
# Every build lives under this folder of the home; a pointer written before paths were stored
# relative to the home is re-rooted at it (`_relative`).
WAREHOUSES = "warehouses"


class NothingPublished(RuntimeError):
    """No warehouse has been published in this home yet, or its file is missing."""


def pointer_path(home: Path) -> Path:
    return Path(home) / POINTER_NAME


def read_pointer(home: Path) -> dict[str, object] | None:
    """The published pointer of `home`, or None before the first publish.

    `published.json` stores `published_path` relative to the home (CONTRACTS.md §5.5), so a
    home copied or moved elsewhere serves its own builds; the document returned here holds
    it absolute, resolved against `home`. A pointer written before that (an absolute path) is
    read too: re-rooted at this home's `warehouses/` when it names a file under a
    `warehouses/` folder (the home it was written in may have moved or gone), and rewritten
    relative by the next publish or rollback.
    """
    try:
        document = json.loads(pointer_path(home).read_text())
    except FileNotFoundError:
        return None
    document["published_path"] = str(Path(home).absolute() / _relative(document["published_path"]))
    return document


def write_pointer(home: Path, document: dict[str, object]) -> None:
    """Flip the pointer: write `document` (its `published_path` stored relative to `home`) to a
    temporary file, fsync it and rename it over `published.json`, so a reader always reads a
    whole pointer."""
    home = Path(home)
    path = Path(str(document["published_path"]))
    if path.is_absolute():
        path = path.relative_to(home.absolute()) if path.is_relative_to(home.absolute()) else path
    stored = {**document, "published_path": PurePosixPath(*_relative(path).parts).as_posix()}
    target = pointer_path(home)
    temp = target.with_name(f".{target.name}.tmp")
    with temp.open("w") as handle:
        json.dump(stored, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    temp.replace(target)
    fsync_directory(home)


def fsync_directory(directory: Path) -> None:
    """Make a rename inside `directory` durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _relative(stored: object) -> Path:
    """The published file's path relative to its home, from what a pointer stores.

    Relative paths are kept as they are. An absolute one (a pointer written before paths were
    relative) keeps its part from the last `warehouses/` folder on; one with no such folder
    cannot be re-rooted and is returned as it is (joining an absolute path to the home leaves
    it absolute).
    """
    path = Path(str(stored))
    if not path.is_absolute():
        return path
    parts = path.parts
    if WAREHOUSES in parts[:-1]:
        last = len(parts) - 1 - parts[::-1].index(WAREHOUSES)
        return Path(*parts[last:])
    return path


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
