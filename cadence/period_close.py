"""Period close in the ledger (DESIGN.md "Second round", issue 15): a closed period keeps the
figures its review showed, and later changes show as restatements beside them.

A period closes by hand (`cadence close quarter 2026-Q3`, `month 2026-08`, `week 2026-09-28`)
or automatically `close_after_days` days after it ends (calendar.csv; months and quarters;
no setting, no automatic close). Either way a build does the closing:

1. before dbt runs, `stage_requests` writes the periods asked to close as marker rows under
   `pending/<build_id>.parquet` (`is_request` true, no figures);
2. dbt reads every file of the folder as the source `ledger.period_closes`: the review rows
   (`rpt_review_tiles`) of a period with recorded figures show those figures, with the value
   computed now beside them (`current_metric_value`, `is_restated`, `restatement_reason`);
   a period asked to close, or due by the automatic rule, without recorded figures shows its
   figures as computed now, flagged `is_close_recorded` false;
3. once every test passed, `record` copies those rows from the new warehouse file into
   `pending/<build_id>.parquet`, and `commit` renames it up one level when the build
   publishes (`discard` removes it when the build fails): the figures recorded are exactly
   the published ones, and a close never records figures that failed a test.

Nothing of a close lives in a warehouse file, so rollbacks, full refreshes and Spark builds
keep it. Layout, under `$CADENCE_HOME/ledger/period_closes/`: `<build_id>.parquet` (the
periods one build closed: a marker row per period, `scope_id` null, and one row per review
tile), `pending/` (the running build's), `0-schema.parquet` (zero rows, the types).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from cadence.published import fsync_directory

SCHEMA_FILE = "0-schema.parquet"
PENDING = "pending"
GRAINS = ("week", "month", "quarter")
#: The review tiles' columns a close records (rpt_review_tiles, as published at the close).
FIGURES = [
    ("scope_id", pa.string()),
    ("metric", pa.string()),
    ("metric_value", pa.float64()),
    ("previous_metric_value", pa.float64()),
    ("metric_change", pa.float64()),
    ("metric_change_pct", pa.float64()),
    ("status", pa.string()),
    ("previous_status", pa.string()),
    ("comparison", pa.string()),
    ("is_suppressed", pa.bool_()),
    ("is_previous_suppressed", pa.bool_()),
    ("is_flagged", pa.bool_()),
]
SCHEMA = pa.schema(
    [
        ("close_id", pa.string()),
        ("period_grain", pa.string()),
        ("period_start", pa.date32()),
        ("closed_at", pa.timestamp("us")),
        ("close_kind", pa.string()),
        ("is_request", pa.bool_()),
        *FIGURES,
    ]
)
#: The review tables whose rows a close records (the `closed_review_rows` macro reads them
#: back), cell by cell as text; each is keyed by period_grain, period_start, scope_id and more.
CLOSED_TABLES = (
    "rpt_use_case_scorecard",
    "rpt_kpi_values",
    "rpt_readiness",
    "rpt_stage_funnel",
    "rpt_review_decisions",
)
ROWS_SCHEMA = pa.schema(
    [
        ("close_id", pa.string()),
        ("model_name", pa.string()),
        ("period_grain", pa.string()),
        ("period_start", pa.date32()),
        ("scope_id", pa.string()),
        ("closed_at", pa.timestamp("us")),
        ("source_row", pa.int64()),
        ("column_name", pa.string()),
        ("cell_value", pa.string()),
    ]
)
CLOSE_FLAGS = ("is_closed", "is_close_recorded", "is_restated")
QUARTER = re.compile(r"(\d{4})-Q([1-4])")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class CloseRefused(ValueError):
    """A period that cannot be closed; the message says which and why."""


def closes_dir(home: Path) -> Path:
    return Path(home) / "ledger" / "period_closes"


def rows_dir(home: Path) -> Path:
    return Path(home) / "ledger" / "period_close_rows"


def pending_path(home: Path, build_id: str) -> Path:
    return closes_dir(home) / PENDING / f"{build_id}.parquet"


def pending_rows_path(home: Path, build_id: str) -> Path:
    return rows_dir(home) / PENDING / f"{build_id}.parquet"


def ensure_layout(home: Path) -> None:
    """The folders and their zero-row schema files (the sources always have a file to read)."""
    for folder, schema in ((closes_dir(home), SCHEMA), (rows_dir(home), ROWS_SCHEMA)):
        (folder / PENDING).mkdir(parents=True, exist_ok=True)
        if not (folder / SCHEMA_FILE).exists():
            _write(pa.Table.from_pylist([], schema=schema), folder / SCHEMA_FILE)


def recorded(home: Path) -> dict[tuple[str, date], tuple[str, datetime]]:
    """Closed periods with recorded figures: (grain, period_start) -> (close_id, closed_at)."""
    closes: dict[tuple[str, date], tuple[str, datetime]] = {}
    for path in sorted(closes_dir(home).glob("*.parquet")):
        if path.name == SCHEMA_FILE:
            continue
        table = pq.read_table(
            path, columns=["close_id", "period_grain", "period_start", "closed_at", "scope_id"]
        )
        for row in table.to_pylist():
            if row["scope_id"] is None:
                closes.setdefault(
                    (row["period_grain"], row["period_start"]),
                    (row["close_id"], row["closed_at"]),
                )
    return closes


def stage_requests(
    home: Path, build_id: str, periods: list[tuple[str, date]], requested_at: datetime
) -> None:
    """Before dbt runs: clear what a killed build left under `pending/`, then write the
    periods asked to close as marker rows (nothing written when none is asked)."""
    ensure_layout(home)
    for folder in (closes_dir(home), rows_dir(home)):
        shutil.rmtree(folder / PENDING, ignore_errors=True)
        (folder / PENDING).mkdir()
    if not periods:
        return
    rows = [
        {
            "close_id": build_id,
            "period_grain": grain,
            "period_start": start,
            "closed_at": requested_at.astimezone(UTC).replace(tzinfo=None),
            "close_kind": "manual",
            "is_request": True,
        }
        for grain, start in periods
    ]
    _write(pa.Table.from_pylist(rows, schema=SCHEMA), pending_path(home, build_id))


def record(home: Path, build_id: str, warehouse: Path) -> list[tuple[str, str]]:
    """After every test passed: the figures of the periods this build closes (rpt_review_tiles
    rows with `is_closed` and not `is_close_recorded`) replace the build's pending requests.
    Return the periods closed, as (grain, label)."""
    columns = ", ".join(name for name, _ in FIGURES)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        figures = con.sql(
            f"""
            select
                period_grain, period_start, period_label, closed_at, close_kind, {columns}
            from main.rpt_review_tiles
            where is_closed and not is_close_recorded
            order by period_grain, period_start, scope_id, metric
            """
        ).arrow()
        figures = figures.read_all() if hasattr(figures, "read_all") else figures
        cells = [_closing_cells(con, build_id, model) for model in CLOSED_TABLES]
    finally:
        con.close()
    rows = figures.to_pylist()
    pending = pending_path(home, build_id)
    if any(table.num_rows for table in cells):
        _write(pa.concat_tables(cells), pending_rows_path(home, build_id))
    if not rows:
        pending.unlink(missing_ok=True)
        return []
    periods: dict[tuple[str, date], dict[str, object]] = {}
    for row in rows:
        periods.setdefault((row["period_grain"], row["period_start"]), row)
    markers = [
        {
            "close_id": build_id,
            "period_grain": grain,
            "period_start": start,
            "closed_at": row["closed_at"],
            "close_kind": row["close_kind"],
            "is_request": False,
        }
        for (grain, start), row in periods.items()
    ]
    tiles = [
        {
            "close_id": build_id,
            "is_request": False,
            **{
                name: row[name]
                for name in ("period_grain", "period_start", "closed_at", "close_kind")
            },
            **{name: row[name] for name, _ in FIGURES},
        }
        for row in rows
    ]
    _write(pa.Table.from_pylist(markers + tiles, schema=SCHEMA), pending)
    return [(grain, str(row["period_label"])) for (grain, _), row in periods.items()]


def _closing_cells(con: duckdb.DuckDBPyConnection, build_id: str, model: str) -> pa.Table:
    """The rows of one review table that close with this build (`is_closed` and not
    `is_close_recorded`), long form: one row per cell, the value as DuckDB writes it as text
    (a double's shortest exact form, so it reads back to the same double)."""
    frame = con.sql(
        f"""
        select
            row_number() over () as source_row,
            period_grain as _grain,
            period_start as _start,
            scope_id as _scope,
            closed_at as _closed_at,
            columns(* exclude ({", ".join(CLOSE_FLAGS)}))::varchar
        from (
            select rows_now.*, closes.closed_at
            from main.{model} as rows_now
            inner join (
                select distinct period_grain, period_start, closed_at
                from main.rpt_review_tiles
                where is_closed
            ) as closes using (period_grain, period_start)
            where rows_now.is_closed and not rows_now.is_close_recorded
        )
        """
    ).arrow()
    frame = frame.read_all() if hasattr(frame, "read_all") else frame
    fixed = ["source_row", "_grain", "_start", "_scope", "_closed_at", "closed_at"]
    parts = []
    for column in frame.column_names:
        if column in fixed:
            continue
        size = frame.num_rows
        parts.append(
            pa.table(
                {
                    "close_id": pa.array([build_id] * size, pa.string()),
                    "model_name": pa.array([model] * size, pa.string()),
                    "period_grain": frame["_grain"],
                    "period_start": frame["_start"].cast(pa.date32()),
                    "scope_id": frame["_scope"],
                    "closed_at": frame["_closed_at"].cast(pa.timestamp("us")),
                    "source_row": frame["source_row"].cast(pa.int64()),
                    "column_name": pa.array([column] * size, pa.string()),
                    "cell_value": frame[column],
                },
                schema=ROWS_SCHEMA,
            )
        )
    return pa.concat_tables(parts) if parts else ROWS_SCHEMA.empty_table()


def commit(home: Path, build_id: str) -> None:
    """The build published: the periods it closed are closed (no-op when it closed none)."""
    for pending, folder in (
        (pending_rows_path(home, build_id), rows_dir(home)),
        (pending_path(home, build_id), closes_dir(home)),
    ):
        if pending.exists():
            pending.replace(folder / pending.name)
            fsync_directory(folder)


def discard(home: Path, build_id: str) -> None:
    """The build failed: nothing it would have closed is closed."""
    pending_path(home, build_id).unlink(missing_ok=True)
    pending_rows_path(home, build_id).unlink(missing_ok=True)


def resolve(warehouse: Path, grain: str, label: str) -> tuple[date, date]:
    """A period named as the CLI names it (CONTRACTS.md §5.2: `YYYY-Qn` of the fiscal year,
    `YYYY-MM`, a week by its Monday `YYYY-MM-DD`) -> (period_start, period_end), read from the
    published warehouse's dim_periods; CloseRefused when it is unknown or has not ended."""
    if grain not in GRAINS:
        raise CloseRefused(f"cannot close a {grain!r}: the periods are {', '.join(GRAINS)}")
    forms = {"quarter": (QUARTER, "YYYY-Qn"), "month": (MONTH, "YYYY-MM")}
    pattern, form = forms.get(grain, (re.compile(r"\d{4}-\d{2}-\d{2}"), "YYYY-MM-DD (a Monday)"))
    if not pattern.fullmatch(label):
        raise CloseRefused(f"{label!r} is not a {grain}: write it {form}")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute(
            """
            select period_start, period_end, is_period_to_date
            from main.dim_periods
            where period_grain = $grain and period_label = $label
            """,
            {"grain": grain, "label": label},
        ).fetchone()
        bounds = con.execute(
            "select min(period_label), max(period_label) from main.dim_periods "
            "where period_grain = $grain",
            {"grain": grain},
        ).fetchone()
    finally:
        con.close()
    if row is None:
        first, last = bounds or (None, None)
        raise CloseRefused(
            f"the published warehouse has no {grain} {label} (its {grain}s run from {first} "
            f"to {last})"
        )
    start, end, to_date = row
    if to_date:
        raise CloseRefused(f"{grain} {label} has not ended: it runs to {end.isoformat()}")
    return start, end


def _write(table: pa.Table, target: Path) -> None:
    """Write a Parquet file whole: to a temporary name, fsync, rename (a reader never sees half
    a file, and a killed writer leaves only a `.tmp` that the next build overwrites)."""
    temporary = target.with_name(f".{target.name}.tmp")
    pq.write_table(table, temporary)
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    temporary.replace(target)
    fsync_directory(target.parent)
