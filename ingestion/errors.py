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


class OutOfMemory(IngestError):
    """DuckDB ran out of the memory it may use while landing a file: the machine's limit, not
    the file's fault; not recorded as refused, nothing of it is committed."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(
            f"could not land {self.path}: ran out of memory ({problem}); the file is not at "
            "fault and is not recorded as refused"
        )


class KeyProblem(IngestError):
    """The pseudonymisation key is missing, malformed, too short, or not the key the landed
    data was pseudonymised with: nothing is ingested."""


class LedgerDamaged(IngestError):
    """A file of the ledger cannot be read (truncated, overwritten): the message names each
    damaged file and the repair."""

    def __init__(self, problems: list[tuple[Path, str, str]]) -> None:
        self.problems = problems  # (file, what it is, the repair)
        lines = ["the ledger is damaged: " + ("a file" if len(problems) == 1 else "files")]
        lines[0] += " under ledger/ cannot be read as Parquet."
        for path, what, repair in problems:
            lines.append(f"  {path} ({what}): {repair}")
        super().__init__("\n".join(lines))


def is_out_of_memory(error: BaseException) -> bool:
    """Whether a DuckDB error says it ran out of the memory it may use."""
    text = str(error)
    return type(error).__name__ == "OutOfMemoryException" or text.startswith("Out of Memory Error")


#: Phrases of DuckDB's and the OS's messages for a write the machine refused (DuckDB says
#: `Could not write file "...": Permission denied` for a write; a bare "permission denied"
#: may be a read, which is the input's problem).
WRITE_PROBLEMS = ("could not write", "no space left", "file too large", "read-only file system")


def is_write_problem(message: str) -> bool:
    """Whether an error message says a write was refused by the machine, not the input."""
    return any(problem in message.lower() for problem in WRITE_PROBLEMS)
