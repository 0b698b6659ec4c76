"""Land files: validate, pseudonymise, quarantine, write Parquet atomically, record in the ledger.

One file is one batch. The work runs in an in-memory DuckDB: the file is read through
DuckDB's own readers (`ingestion.readers`), cast and checked by SQL built from the declared
schema (`ingestion.validate`), and written in one streaming `COPY ... TO` into `tmp/`, split
into landed and rejected rows. The batch folder is then renamed into `landing/` and committed in the ledger
(`ingestion.ledger`). A file that cannot be parsed or lacks a required column is refused
whole and nothing of it is landed.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import stat
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import ledger
from ingestion.entities.registry import SCHEMAS
from ingestion.errors import (
    FileRefused,
    KeyProblem,
    OutOfMemory,
    WriteFailed,
    is_out_of_memory,
    is_write_problem,
)
from ingestion.extra_columns import ExtraColumns
from ingestion.pseudonymise import (
    KEY_ENV,
    KEY_FILE_ENV,
    fingerprint,
    key_path,
    key_source,
    load_key,
    pseudonym_rows,
)
from ingestion.readers import (
    EXTRA_COLUMN_NAME,
    FORMATS,
    Source,
    detect_format,
    duckdb_problem,
    literal_location,
    open_source,
    quote_identifier,
)
from ingestion.schema import EntitySchema
from ingestion.validate import PSEUDONYM_TABLE, build_plan

#: DuckDB memory ceiling for one ingest; it spills to `tmp/` beyond it.
MEMORY_LIMIT = os.environ.get("CADENCE_INGEST_MEMORY", "1500MB")
PROGRESS_AFTER_SECONDS = 2.0
#: Parquet compression of landed batches: LZ4 writes and reads fastest (Spark reads it too).
LANDING_COMPRESSION = "lz4_raw"


@dataclass
class FileResult:
    """What happened to one input file."""

    path: Path
    entity: str
    status: str  # "landed", "duplicate" or "refused"
    batch_id: str | None = None
    rows_read: int = 0
    rows_landed: int = 0
    rows_quarantined: int = 0
    message: str = ""
    seconds: float = 0.0
    #: the file's columns (or a vendor file's fields) not landed: undeclared and not named in
    #: extra_columns.csv, or fields the connector does not read
    dropped: tuple[str, ...] = ()
    #: of `dropped`, the ones extra_columns.csv names that are never kept (a name that suggests
    #: a person or free text, `batch_id`, `_...`, not a plain identifier)
    withheld: tuple[str, ...] = ()
    #: records of a vendor file that are not rows of the entity, (kind, count): OTel spans that
    #: are not GenAI, by kind
    skipped: tuple[tuple[str, int], ...] = ()
    skipped_what: str = "span(s) that are not GenAI"

    def summary(self) -> str:
        """One line for the terminal."""
        name = self.path.name
        if self.status == "duplicate":
            return f"{name}: skipped, already landed as batch {self.batch_id}"
        if self.status == "refused":
            return f"REFUSED {self.message}"
        line = (
            f"{name}: {self.rows_landed:,} rows landed, {self.rows_quarantined:,} quarantined"
            f" ({self.entity}, batch {self.batch_id}, {self.seconds:.1f}s)"
        )
        if self.skipped:
            total = sum(count for _, count in self.skipped)
            kinds = ", ".join(f"{kind} {count:,}" for kind, count in self.skipped)
            line += f"; skipped {total:,} {self.skipped_what}: {kinds}"
        if self.dropped:
            line += f"; not landed: {shown_names(self.dropped)}"
        if self.withheld:
            line += (
                f" ({shown_names(self.withheld)}: named in extra_columns.csv, but never kept: "
                "a name that suggests a person or free text, batch_id, a name starting with _ "
                "or one that is not a plain identifier)"
            )
        return line


def shown_names(names: Iterable[str], limit: int = 20) -> str:
    """Column names for a message: readable names as they are, others (empty, with a comma,
    control characters or over 60 characters) quoted and cut; at most `limit`."""
    listed = list(dict.fromkeys(names))
    shown = [
        name
        if name and name.isprintable() and "," not in name and len(name) <= 60
        else repr(name[:60] + ("..." if len(name) > 60 else ""))
        for name in listed[:limit]
    ]
    more = f" and {len(listed) - limit:,} more" if len(listed) > limit else ""
    return ", ".join(shown) + more


def expand_paths(arguments: Iterable[str | Path]) -> list[Path]:
    """Files named by arguments: plain files, folders (searched recursively) and globs.

    An argument that names an existing file or folder is that file or folder, whatever
    characters its name holds (`report[1].csv`, `star*.csv`); only an argument that names
    nothing is expanded as a pattern. Something that exists but is no regular file (a FIFO,
    a device such as /dev/zero) is refused with what it is."""
    found: list[Path] = []
    for argument in arguments:
        text = str(argument)
        path = Path(text)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and _known_suffix(p) and not p.name.startswith(".")
                )
            )
        elif path.is_file():
            found.append(path)
        elif path.exists() or path.is_symlink():
            raise FileRefused(text, not_a_regular_file(path))
        elif any(ch in text for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))  # noqa: PTH207 (absolute patterns)
            if not matches:
                raise FileRefused(text, "no such file or folder, and no file matches this pattern")
            found.extend(m for m in matches if m.is_file())
        else:
            raise FileRefused(text, "no such file or folder")
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in found:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(path)
    return unique


def not_a_regular_file(path: Path) -> str:
    """Why `path`, which exists (or is a dangling link), cannot be ingested."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return f"is a link to {path.readlink()}, which does not exist"
    kinds = (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    return (
        f"is {kind}, not a regular file: cadence ingests files it can read to the end and "
        "hash; save the data to a file first and ingest that"
    )


def _known_suffix(path: Path) -> bool:
    try:
        detect_format(path)
    except FileRefused:
        return False
    return True


def file_sha256(path: Path) -> str:
    """Content hash of a file, read in 4 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(4 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def connect(paths: ledger.Paths) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for one ingest: UTC, bounded memory, spilling under `tmp/`."""
    con = duckdb.connect()
    spill = paths.tmp / f"spill-{os.getpid()}"
    spill.mkdir(parents=True, exist_ok=True)
    con.execute("set TimeZone = 'UTC'")
    con.execute("set memory_limit = $limit", {"limit": MEMORY_LIMIT})
    con.execute("set temp_directory = $dir", {"dir": str(spill)})
    con.execute("set enable_progress_bar = false")
    # Keep the rejection filter above the casts: pushed down, DuckDB inlines every cast into
    # each rule that reads it and parses a CSV timestamp up to six times per row.
    con.execute("set disabled_optimizers = 'filter_pushdown'")
    return con


def ensure_home(home: Path) -> ledger.Paths:
    """Prepare a cadence home for writing: layout, schema batches, crash recovery."""
    paths = ledger.ensure_layout(home, list(SCHEMAS.values()))
    ledger.recover(paths)
    paths.tmp.mkdir(parents=True, exist_ok=True)
    return paths


def ingest_files(
    schema: EntitySchema,
    files: Sequence[Path],
    home: Path,
    *,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land each file as one batch of `schema`'s entity; return what happened to each.
    Undeclared columns are dropped unless `extra_columns` (`extra_columns.csv`) names them."""
    paths = ensure_home(home)
    key = ingest_key(paths)
    keep = (extra_columns or {}).get(schema.name, frozenset())
    results = []
    for path in files:
        result = ingest_file(schema, Path(path), paths, key, keep=keep)
        results.append(result)
        if echo is not None:
            echo(result.summary())
    return results


def ingest_key(paths: ledger.Paths) -> bytes:
    """The pseudonymisation key for landing under `paths`, checked against the ledger: once
    anything has landed, a missing key is never replaced by a new one, and a key other than
    the one the landed batches record (by fingerprint) is refused: either would give every
    person a second pseudonym and split every join."""
    committed = ledger.committed_batch_ids(paths)
    con = duckdb.connect()
    try:
        recorded = ledger.latest_key_fingerprint(con, paths) if committed else None
    finally:
        con.close()
    restore = (
        f"Restore the key: put your backup of it back at {key_path(paths.home)} (mode 600), "
        f"or point {KEY_FILE_ENV} at it, or set {KEY_ENV} to its hex digits. "
        "To start afresh with a new key on purpose, ingest into a new, empty cadence home. "
        "Nothing was ingested."
    )
    landed = f"{len(committed):,} batch(es) have landed in {paths.home}" + (
        f", pseudonymised with the key whose fingerprint is {recorded[0]}" if recorded else ""
    )
    try:
        key = load_key(paths.home, may_create=not committed)
    except KeyProblem as problem:
        if committed and not key_path(paths.home).exists() and not os.environ.get(KEY_ENV):
            raise KeyProblem(
                f"cadence ingest stopped: {problem}, but {landed}. A new key would give every "
                f"person a second pseudonym and split every join. {restore}"
            ) from None
        raise KeyProblem(f"cadence ingest stopped: {problem}. Nothing was ingested.") from None
    if recorded is not None and fingerprint(key) != recorded[0]:
        raise KeyProblem(
            f"cadence ingest stopped: the pseudonym key from {key_source(paths.home)} "
            f"(fingerprint {fingerprint(key)}) is not the key the data here was pseudonymised "
            f"with: {landed} (latest batch {recorded[1]}). With another key the same person "
            f"would get a second pseudonym and every join would split. {restore}"
        )
    return key


@dataclass(frozen=True)
class Origin:
    """The vendor file a connector reshaped into the canonical file being landed: its name,
    content hash and format stand in for the prepared file's in the lineage and the ledger, so
    re-ingesting the same vendor file is a no-op."""

    path: Path
    sha256: str
    format: str
    #: the vendor fields the connector does not read (reported as not landed)
    unread: tuple[str, ...] = ()


def ingest_file(
    schema: EntitySchema,
    path: Path,
    paths: ledger.Paths,
    key: bytes,
    *,
    origin: Origin | None = None,
    keep: Collection[str] = (),
) -> FileResult:
    """Land one file as a batch, or refuse it whole (recorded in the ledger's rejections);
    of its undeclared columns only those in `keep` land."""
    started = datetime.now(UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    con = connect(paths)
    sha = ""
    named = origin.path if origin is not None else path
    try:
        try:
            sha = origin.sha256 if origin is not None else file_sha256(path)
        except OSError as error:  # gone, a folder, no permission: refuse it, go on
            raise FileRefused(path, f"cannot be read: {error.strerror or error}") from error
        existing = ledger.find_committed(con, paths, schema.name, sha)
        if existing is not None:
            return FileResult(named, schema.name, "duplicate", batch_id=existing)
        with literal_location(path, paths.tmp) as location:
            result = _land(con, schema, path, location, paths, key, sha, started, origin, keep)
    except duckdb.Error as error:
        if is_out_of_memory(error):  # the machine's limit, not the file's fault
            raise OutOfMemory(named, duckdb_problem(error)[0]) from error
        raise
    except FileRefused as refused:
        ledger.record_refusal(
            paths,
            entity=schema.name,
            source_file=named.name,
            sha256=sha,
            line=refused.line,
            reason=refused.problem,
            at=started,
            con=con,
        )
        return FileResult(named, schema.name, "refused", message=str(refused))
    finally:
        con.close()
        shutil.rmtree(paths.tmp / f"spill-{os.getpid()}", ignore_errors=True)
    result.seconds = time.perf_counter() - clock
    return result


def _land(
    con: duckdb.DuckDBPyConnection,
    schema: EntitySchema,
    path: Path,
    location: Path,
    paths: ledger.Paths,
    key: bytes,
    sha: str,
    started: datetime,
    origin: Origin | None = None,
    keep: Collection[str] = (),
) -> FileResult:
    fmt = detect_format(path)
    named = origin.path if origin is not None else path
    source = open_source(con, path, fmt, location)
    # A conditionally required column (`required_when`) may be absent: its rows are then
    # checked one by one (null where required goes to quarantine), not the file refused.
    missing = [name for name in schema.required if name not in source.columns]
    if missing:
        raise FileRefused(
            named,
            "missing required column(s): " + ", ".join(missing) + f" ({_found(source)})",
            1 if fmt == "csv" else None,
        )
    batch_id = ledger.new_batch_id(started, sha)
    con.execute(
        "create temp table batch_meta as select cast($batch as varchar) as _batch_id, "
        "cast($file as varchar) as _source_file, cast($at as timestamp) as _ingested_at",
        {"batch": batch_id, "file": named.name, "at": started},
    )
    plan = build_plan(schema, source, keep)
    rows_read = _pseudonym_table(con, source, plan.pseudonymised, key)

    work = paths.tmp / batch_id
    landed_dir = work / "landed"
    quarantine_file = work / "quarantine" / "data_0.parquet"
    try:
        landed_dir.mkdir(parents=True)
        copy = (
            f"copy (select * exclude (_rejected) from ({plan.typed_sql}) where not _rejected) "
            f"to $dst (format parquet, compression {LANDING_COMPRESSION}, row_group_size 122880)"
        )
        destination = str(landed_dir / "data_0.parquet")
        rows_landed = _run_with_progress(con, copy, {**source.params, "dst": destination}, path)
        rows_rejected = rows_read - rows_landed
        if rows_rejected:
            quarantine_file.parent.mkdir(parents=True)
            quarantine = f"copy ({plan.raw_sql}) to $dst (format parquet)"
            written = con.execute(
                quarantine, {**source.params, "dst": str(quarantine_file)}
            ).fetchone()
            if written is None or int(written[0]) != rows_rejected:
                raise FileRefused(
                    named,
                    f"internal check failed: {rows_read} rows read, {rows_landed} landed, "
                    f"{written[0] if written else 0} quarantined",
                )
    except duckdb.Error as error:
        shutil.rmtree(work, ignore_errors=True)
        problem, line = duckdb_problem(error)
        if is_write_problem(str(error)):  # the disk, not the file: do not record it as refused
            raise WriteFailed(named, problem) from error
        if is_out_of_memory(error):  # the machine's memory limit, not the file
            raise OutOfMemory(named, problem) from error
        raise FileRefused(named, f"cannot be read as {fmt.upper()}: {problem}", line) from error
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # a refused file leaves nothing behind
        raise

    if rows_landed:
        target = paths.landing / schema.name / f"batch_id={batch_id}"
        target.parent.mkdir(parents=True, exist_ok=True)
        Path(landed_dir).replace(target)
    if rows_rejected:
        target = paths.quarantine / schema.name / f"batch_id={batch_id}"
        target.parent.mkdir(parents=True, exist_ok=True)
        Path(quarantine_file.parent).replace(target)
    ledger.commit_batch(
        con,
        paths,
        {
            "batch_id": batch_id,
            "entity": schema.name,
            "source_file": named.name,
            "source_format": origin.format if origin is not None else fmt,
            "file_sha256": sha,
            "file_bytes": named.stat().st_size,
            "rows_read": rows_landed + rows_rejected,
            "rows_landed": rows_landed,
            "rows_quarantined": rows_rejected,
            "started_at": started,
            "committed_at": datetime.now(UTC).replace(tzinfo=None),
            "key_fingerprint": fingerprint(key),
        },
    )
    shutil.rmtree(work, ignore_errors=True)
    return FileResult(
        named,
        schema.name,
        "landed",
        batch_id=batch_id,
        rows_read=rows_landed + rows_rejected,
        rows_landed=rows_landed,
        rows_quarantined=rows_rejected,
        dropped=(*(origin.unread if origin is not None else ()), *plan.dropped),
        withheld=plan.withheld,
    )


def _found(source: Source) -> str:
    """The columns a file has, for a refusal that is recorded in the ledger: their names when
    they look like column names; when some do not (a file without its header row, whose first
    line holds ids, dates and e-mail addresses), only how many there are."""
    names = list(source.columns)
    if not names:
        return "found: none"
    if all(EXTRA_COLUMN_NAME.match(name) for name in names):
        return f"found: {', '.join(names)}"
    return (
        f"found {len(names)} column(s) whose names are not all column names (values such as "
        "dates, numbers or e-mail addresses): is the header row missing?"
    )


def _pseudonym_table(
    con: duckdb.DuckDBPyConnection, source: Source, columns: Sequence[str], key: bytes
) -> int:
    """Create `pseudonyms(raw, pseudonym)` for the distinct ids in the pseudonymised columns,
    in the same scan that counts the file's rows; return the row count."""
    distinct = [
        f"list(distinct cast({quote_identifier(source.columns[name][0])} as varchar))"
        for name in columns
    ]
    if source.format == "parquet" and not distinct:
        scan = "select count(*) from read_parquet($src)"  # from the footer, no data read
    else:
        scan = (
            "select "
            + ", ".join(["count(*)", *distinct])
            + " from "
            + (source.scan_sql or source.from_sql)
        )
    try:
        result = con.execute(scan, source.params).fetchone()
    except duckdb.Error as error:
        problem, line = duckdb_problem(error)
        if is_write_problem(str(error)):  # spilling to tmp/ failed, not the file
            raise WriteFailed(source.path, problem) from error
        if is_out_of_memory(error):
            raise OutOfMemory(source.path, problem) from error
        raise FileRefused(
            source.path, f"cannot be read as {source.format.upper()}: {problem}", line
        ) from error
    assert result is not None
    raws = sorted({raw for values in result[1:] for raw in values or () if raw and raw.strip()})
    rows = pseudonym_rows(key, raws)
    con.execute(
        f"create temp table {PSEUDONYM_TABLE} as select "
        "cast(unnest($raw) as varchar) as raw, cast(unnest($alias) as varchar) as pseudonym",
        {"raw": [raw for raw, _ in rows], "alias": [alias for _, alias in rows]},
    )
    return int(result[0])


def _run_with_progress(
    con: duckdb.DuckDBPyConnection, query: str, params: dict[str, object], path: Path
) -> int:
    """Run a `COPY` and return the rows it wrote; on a terminal, show a progress bar once it
    takes more than a moment."""
    if not sys.stderr.isatty():
        row = con.execute(query, params).fetchone()
        return int(row[0]) if row else 0
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            row = con.execute(query, params).fetchone()
            outcome["rows"] = int(row[0]) if row else 0
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(PROGRESS_AFTER_SECONDS)
    if thread.is_alive():
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            transient=True,
        ) as progress:
            task = progress.add_task(f"landing {path.name}", total=100)
            while thread.is_alive():
                thread.join(0.25)
                done = con.query_progress()
                if done >= 0:
                    progress.update(task, completed=done)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return int(outcome["rows"])  # type: ignore[arg-type]


__all__ = ["FORMATS", "FileResult", "Origin", "expand_paths", "ingest_files"]
