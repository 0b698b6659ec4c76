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
