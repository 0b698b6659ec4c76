"""Incremental builds count late and corrected rows exactly once.

A small demo organisation is landed through the real pipeline and built. Then, in
canonical files written here, come one more day of requests, activity and workflow
events, rows that arrive weeks late (one on a day that had no data at all), and re-sent
corrections of rows already built (changed values, a request moved to another day).
Two incremental builds take them in; after the second, every table of schema `main` and
every incremental intermediate must equal a `--full-refresh` build of the same landing
zone, table by table (floats within 1e-9 relative). A second test moves a person to
another business unit months back and compares again.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cadence.build import build
from cadence.config import DEFAULT_SEEDS
from cadence.demo.generate import generate
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(1500)

END = date(2026, 11, 22)  # the generator's default last day; the extra day is the next one
NEXT_DAY = END + timedelta(days=1)
EMPTY_DAY = date(2025, 8, 4)  # two weeks before the generated history starts
MOVED_TO_DAY = date(2026, 10, 14)
MOVED_ON = date(2026, 6, 1)  # a person's move to another business unit, months back

# Columns that differ between two correct builds by construction.
IGNORED_COLUMNS = {
    "logged_through_at",  # incremental bookkeeping: when the row was (re)built
    "inputs_fingerprint",
    "built_at",  # fct_data_health: the build's clock
}
INCREMENTAL_INTERMEDIATES = [
    "int_requests_enriched",
    "int_requests_aggregated_to_days",
    "int_request_latencies_aggregated_to_weeks",
    "int_request_latencies_bucketed_to_weeks",
    "int_active_user_days_unioned",
    "int_active_user_days_aggregated_to_weeks",
    "int_active_user_days_aggregated_to_months",
    "int_workflow_events_deduplicated",
    "int_workflow_runs_assembled",
]


def _quiet(_: str) -> None:
    pass


def _copy_csv(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({sql}) to '{path}' (format csv, header)")
    return path


def _ingest(home: Path, entity: str, path: Path) -> None:
    (result,) = ingest_files(SCHEMAS[entity], [path], home)
    assert result.status == "landed", result.summary()


REQUEST_COLUMNS = (
    "request_id, occurred_at, user_id, business_unit_id, use_case_id, tool, provider, "
    "model, operation, input_tokens, output_tokens, latency_ms, status, cost_usd, "
    "data_classification, policy_action, feedback_score"
)
ACTIVITY_COLUMNS = (
    "user_id, activity_date, tool, interactions, generations, acceptances, lines_suggested, "
    "lines_accepted, input_tokens, output_tokens, is_active"
)
EVENT_COLUMNS = (
    "event_id, run_id, use_case_id, occurred_at, event_type, actor_id, ai_assisted, "
    "review_outcome, quality_score, exception_type"
)


REQUEST_TYPES = {
    "occurred_at": "timestamp",
    "input_tokens": "bigint",
    "output_tokens": "bigint",
    "latency_ms": "double",
    "cost_usd": "double",
    "feedback_score": "integer",
}


def _raw_views(con: duckdb.DuckDBPyConnection, inputs: Path) -> None:
    """The generated canonical input files as typed views with raw user ids (not yet
    pseudonymised), without the bad rows the generator plants for the quarantine."""
    columns = [name.strip() for name in REQUEST_COLUMNS.split(",")]
    typed = ", ".join(
        f"try_cast({name} as {REQUEST_TYPES[name]}) as {name}" if name in REQUEST_TYPES else name
        for name in columns
    )
    valid = " and ".join(
        f"({name} is null or try_cast({name} as {kind}) is not null)"
        for name, kind in REQUEST_TYPES.items()
    )
    con.execute(
        f"create view raw_requests as select {typed} "
        f"from read_parquet('{inputs}/requests/*.parquet', union_by_name = true) "
        f"where occurred_at is not null and {valid}"
    )
    con.execute(
        "create view raw_activity as select "
        + ACTIVITY_COLUMNS.replace(
            "activity_date", "try_cast(activity_date as date) as activity_date"
        )
        + f" from read_csv('{inputs}/activity/*.csv', union_by_name = true)"
        + " where try_cast(activity_date as date) is not null"
    )
    con.execute(
        "create view raw_events as select "
        + EVENT_COLUMNS.replace("occurred_at", "cast(occurred_at as timestamp) as occurred_at")
        + f" from read_json('{inputs}/workflow_events/*.jsonl', format = 'newline_delimited')"
    )


def _write_changes(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, list[Path]]:
    """(i) one more day, (ii) late rows weeks back, (iii) corrected re-sends."""
    iso = "strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ')"
    next_day = f"date '{NEXT_DAY}'"
    files: dict[str, list[Path]] = {"requests": [], "activity": [], "workflow_events": []}

    # (i) one more day: the last day's traffic again, the next day, under new ids
    files["requests"].append(
        _copy_csv(
            con,
            f"""
            select * replace ('next-' || request_id as request_id,
                {iso.replace("occurred_at", "occurred_at + interval 1 day")} as occurred_at)
            from raw_requests where cast(occurred_at as date) = date '{END}'
            """,
            out / "requests_next_day.csv",
        )
    )
    files["activity"].append(
        _copy_csv(
            con,
            f"""
            select * replace ({next_day} as activity_date)
            from raw_activity where activity_date = (select max(activity_date) from raw_activity)
            """,
            out / "activity_next_day.csv",
        )
    )
    files["workflow_events"].append(
        _copy_csv(
            con,
            f"""
            select * replace ('next-' || event_id as event_id, 'next-' || run_id as run_id,
                {iso.replace("occurred_at", "occurred_at + interval 1 day")} as occurred_at)
            from raw_events where cast(occurred_at as date) = date '{END}'
            """,
            out / "events_next_day.csv",
        )
    )

    # (ii) late rows: traffic of five weeks ago landing now, new ids on days already built,
    # and one request, activity row and run on a day before any data at all
    files["requests"].append(
        _copy_csv(
            con,
            f"""
            select * replace ('late-' || request_id as request_id, {iso} as occurred_at)
            from raw_requests
            where cast(occurred_at as date) between date '{END}' - 40 and date '{END}' - 34
                and hash(request_id) % 5 = 0
            union all
            select * replace ('lone-' || request_id as request_id,
                strftime(timestamp '{EMPTY_DAY} 10:00:00', '%Y-%m-%dT%H:%M:%S.%gZ')
                    as occurred_at)
            from (select * from raw_requests where user_id is not null
                order by request_id limit 1)
            """,
            out / "requests_late.csv",
        )
    )
    files["activity"].append(
        _copy_csv(
            con,
            f"""
            select * replace (date '{EMPTY_DAY}' as activity_date)
            from (select * from raw_activity where is_active order by user_id, tool limit 3)
            """,
            out / "activity_late.csv",
        )
    )
    files["workflow_events"].append(
        _copy_csv(
            con,
            f"""
            select event_id || '-late-exception' as event_id, run_id, use_case_id,
                {iso.replace("occurred_at", "occurred_at + interval 2 hour")} as occurred_at,
                'exception' as event_type, actor_id, null as ai_assisted,
                null as review_outcome, null as quality_score, 'late_data' as exception_type
            from raw_events
            where event_type = 'run_started'
                and cast(occurred_at as date) between date '{END}' - 30 and date '{END}' - 28
            """,
            out / "events_late.csv",
        )
    )

    # (iii) corrections: the same natural keys re-sent with changed values
    files["requests"].append(
        _copy_csv(
            con,
            f"""
            select * replace (
                latency_ms * 3 + 17 as latency_ms,
                case when hash(request_id) % 3 = 0 then 'error' else status end as status,
                coalesce(cost_usd, 0) + 0.125 as cost_usd,
                case when hash(request_id) % 4 = 0 then model || '-renamed' else model end
                    as model,
                {iso.replace("occurred_at", "occurred_at - interval 9 day")} as occurred_at
            )
            from raw_requests
            where cast(occurred_at as date) between date '{END}' - 60 and date '{END}' - 50
                and hash(request_id) % 7 = 0
            """,
            out / "requests_corrected.csv",
        )
    )
    files["activity"].append(
        _copy_csv(
            con,
            """
            select * replace (not is_active as is_active, interactions + 5 as interactions)
            from raw_activity where hash(user_id || activity_date) % 11 = 0
            """,
            out / "activity_corrected.csv",
        )
    )
    files["workflow_events"].append(
        _copy_csv(
            con,
            f"""
            select * replace (
                case review_outcome when 'accepted' then 'overridden' else 'accepted' end
                    as review_outcome,
                {iso} as occurred_at)
            from raw_events
            where event_type = 'review_completed' and hash(event_id) % 6 = 0
            """,
            out / "events_corrected.csv",
        )
    )
    return files


def _move_lone_request(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    """The lone late request, corrected to another day: its own day must empty."""
    return _copy_csv(
        con,
        f"""
        select * replace ('lone-' || request_id as request_id,
            strftime(timestamp '{MOVED_TO_DAY} 11:00:00', '%Y-%m-%dT%H:%M:%S.%gZ')
                as occurred_at)
        from (select * from raw_requests where user_id is not null
            order by request_id limit 1)
        """,
        out / "requests_lone_moved.csv",
    )


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[tuple]]:
    columns = [
        name
        for (name,) in con.execute(f"select column_name from (describe {relation})").fetchall()
        if name not in IGNORED_COLUMNS
    ]
    select = ", ".join(f'"{name}"' for name in columns)
    return columns, con.execute(f"select {select} from {relation}").fetchall()


def _sort_key(row: tuple) -> tuple:
    return tuple(
        (0, "")
        if value is None
        else (1, f"{value:.6e}")
        if isinstance(value, float)
        else (2, str(value))
        for value in row
    )


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)
    return left == right


def _differences(incremental: Path, full: Path) -> dict[str, str]:
    """Every table of main and every incremental intermediate, compared row by row."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{incremental}' as incremental (read_only)")
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        tables = [
            (schema, name)
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() "
                "where database_name = 'full_refresh' "
                "and (schema_name = 'main' or table_name in ?) order by 1, 2",
                [INCREMENTAL_INTERMEDIATES],
            ).fetchall()
            if name not in ("cadence_build", "cadence_build_tests")  # build metadata
        ]
        assert len(tables) >= 25, tables
        problems = {}
        for schema, name in tables:
            columns, expected = _rows(con, f'full_refresh."{schema}"."{name}"')
            got_columns, got = _rows(con, f'incremental."{schema}"."{name}"')
            if got_columns != columns:
                problems[name] = f"columns {got_columns} != {columns}"
                continue
            if len(got) != len(expected):
                problems[name] = f"{len(got)} rows, full refresh has {len(expected)}"
                continue
            for got_row, expected_row in zip(
                sorted(got, key=_sort_key), sorted(expected, key=_sort_key), strict=True
            ):
                if not all(_same(a, b) for a, b in zip(got_row, expected_row, strict=True)):
                    problems[name] = f"{got_row} != {expected_row}"
                    break
        return problems
    finally:
        con.close()


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small demo organisation landed through the real pipeline and built once."""
    root = tmp_path_factory.mktemp("incremental")
    files = generate(root / "input", requests=3_000, people=150)
    home = root / "home"
    for entity, paths in files.items():
        ingest_files(SCHEMAS[entity], paths, home)
    build(home, DEFAULT_SEEDS, echo=_quiet)
    return {"root": root, "home": home, "inputs": root / "input"}


def _one(path: Path, sql: str) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert len(rows) == 1, rows
    return rows[0]


def test_late_and_corrected_rows_match_a_full_refresh(organisation: dict[str, Path]) -> None:
    home, changes = organisation["home"], organisation["root"] / "changes"
    con = duckdb.connect()
    _raw_views(con, organisation["inputs"])
    files = _write_changes(con, changes)
    for entity, paths in files.items():
        for path in paths:
            _ingest(home, entity, path)

    first = build(home, DEFAULT_SEEDS, echo=_quiet)
    assert first.timings.get("copy_previous_s") is not None  # built on the previous state
    # the lone late request made a day (and a week) that had no data
    assert _one(
        first.path,
        f"select count(*) from intermediate.int_requests_enriched "
        f"where request_date = date '{EMPTY_DAY}'",
    ) == (1,)

    _ingest(home, "requests", _move_lone_request(con, changes))
    con.close()
    second = build(home, DEFAULT_SEEDS, echo=_quiet)
    # its old day emptied: nothing left on it, in the rows or in the weekly mart
    assert _one(
        second.path,
        f"select count(*) from intermediate.int_requests_enriched "
        f"where request_date = date '{EMPTY_DAY}'",
    ) == (0,)
    assert _one(
        second.path,
        f"select coalesce(sum(requests), 0) from main.fct_operations_weekly "
        f"where week_start = date_trunc('week', date '{EMPTY_DAY}')",
    ) == (0,)

    full = build(home, DEFAULT_SEEDS, full_refresh=True, echo=_quiet)
    assert "copy_previous_s" not in full.timings
    assert _differences(second.path, full.path) == {}


def test_a_directory_change_rebuilds_what_it_reattributes(organisation: dict[str, Path]) -> None:
    """A person moves to another business unit from a date in the past: their requests
    without a business unit of their own change unit on every day since, however old, so
    the incremental build recomputes the request-based models (the people directory is in
    their fingerprint) and must again equal a full refresh."""
    home, changes = organisation["home"], organisation["root"] / "changes"
    con = duckdb.connect()
    _raw_views(con, organisation["inputs"])
    mover = con.execute(
        """
        select user_id from raw_requests
        where business_unit_id is null and user_id is not null
        group by 1 order by count(*) desc, 1 limit 1
        """
    ).fetchall()[0][0]
    people = _copy_csv(
        con,
        f"""
        select user_id, business_unit_id, job_function, is_manager, valid_from,
            date '{MOVED_ON}' - 1 as valid_to
        from read_csv('{organisation["inputs"]}/people/people.csv', all_varchar = true)
        where user_id = '{mover}'
        union all
        select user_id,
            case business_unit_id when 'bu_claims' then 'bu_engineering' else 'bu_claims' end,
            job_function, is_manager, date '{MOVED_ON}', null
        from read_csv('{organisation["inputs"]}/people/people.csv', all_varchar = true)
        where user_id = '{mover}'
        """,
        changes / "people_moved.csv",
    )
    con.close()
    _ingest(home, "people", people)

    incremental = build(home, DEFAULT_SEEDS, echo=_quiet)
    assert incremental.timings.get("copy_previous_s") is not None
    full = build(home, DEFAULT_SEEDS, full_refresh=True, echo=_quiet)
    assert _differences(incremental.path, full.path) == {}


def test_corrections_landed_before_the_first_build_are_counted_once(tmp_path: Path) -> None:
    """Requests moved by a correction to a day weeks back before the first (full) build:
    the correcting batch must log their old day too. An incremental build rebuilds that old
    day (it is in the lookback) from the versions of the batches that logged it; without the
    correcting batch among them it would bring the old versions back onto it."""
    files = generate(tmp_path / "input", requests=3_000, people=150)
    home = tmp_path / "home"
    for entity, paths in files.items():
        ingest_files(SCHEMAS[entity], paths, home)
    con = duckdb.connect()
    _raw_views(con, tmp_path / "input")
    iso = "strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ')"
    # the last day with requests (the generator also plants rows dated years ahead)
    last_day = (
        "(select max(cast(occurred_at as date)) from raw_requests "
        f"where occurred_at < date '{END}' + 1)"
    )
    moved = _copy_csv(
        con,
        f"""
        select * replace ({iso.replace("occurred_at", "occurred_at - interval 20 day")}
            as occurred_at)
        from raw_requests
        where cast(occurred_at as date) = {last_day}
        """,
        tmp_path / "changes" / "requests_moved_back.csv",
    )
    moved_count = con.execute(f"select count(*) from read_csv('{moved}')").fetchone()[0]
    assert moved_count > 0
    _ingest(home, "requests", moved)
    first = build(home, DEFAULT_SEEDS, echo=_quiet)
    assert "copy_previous_s" not in first.timings  # the first build is a full build

    next_day = _copy_csv(
        con,
        f"""
        select * replace ('next-' || request_id as request_id,
            {iso.replace("occurred_at", "occurred_at + interval 1 day")} as occurred_at)
        from raw_requests where cast(occurred_at as date) = {last_day}
        """,
        tmp_path / "changes" / "requests_next_day.csv",
    )
    con.close()
    _ingest(home, "requests", next_day)
    incremental = build(home, DEFAULT_SEEDS, echo=_quiet)
    assert incremental.timings.get("copy_previous_s") is not None
    full = build(home, DEFAULT_SEEDS, full_refresh=True, echo=_quiet)
    assert _differences(incremental.path, full.path) == {}
