"""Errors raised by ingestion. Every message names the file and, where known, the line."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """Base class for ingestion errors shown to the user."""


class FileRefused(IngestError):
    """A file that cannot be parsed or lacks required columns; nothing of it is landed."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class WriteFailed(IngestError):
    """The machine refused a write while landing a file (disk full, file size limit, no
    permission): the file is not at fault and is not recorded as refused; nothing of it is
    committed, and a re-run once there is room lands it."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"could not land {self.path}: {problem}")


#: Phrases of DuckDB's and the OS's messages for a write the machine refused (DuckDB says
#: `Could not write file "...": Permission denied` for a write; a bare "permission denied"
#: may be a read, which is the input's problem).
WRITE_PROBLEMS = ("could not write", "no space left", "file too large", "read-only file system")


def is_write_problem(message: str) -> bool:
    """Whether an error message says a write was refused by the machine, not the input."""
    return any(problem in message.lower() for problem in WRITE_PROBLEMS)
