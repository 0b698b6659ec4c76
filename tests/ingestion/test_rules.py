"""Every row rule of CONTRACTS.md §1, per entity: the row that breaks it is quarantined with the
exact reason, the other rows land with exact typed values, and the counts add up.

Each case is a three-row CSV (rows 1 and 3 are the entity's base rows, row 2 breaks one rule).
The expected reasons are written out here from the contract, and
`test_rule_tables_cover_every_declared_rule` checks that these tables and the declared schemas
describe the same rules, so a new column or rule cannot go untested.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from ingest_helpers import (
    ENTITIES,
    KEY,
    KEY_HEX,
    LINEAGE,
    canonical,
    expected_frame,
    ingest,
    landed,
    ledger_batches,
    quarantined,
    query,
    raw_row,
    typed_row,
    write_csv,
)
from polars.testing import assert_frame_equal

from ingestion.entities.registry import SCHEMAS
from ingestion.landing import FileResult
from ingestion.pseudonymise import pseudonym

# ---------------------------------------------------------------- the rules, from the contract

REQUIRED: dict[str, tuple[str, ...]] = {
    "requests": (
        "request_id",
        "occurred_at",
        "user_id",
        "tool",
        "provider",
        "model",
        "operation",
        "status",
    ),
    "activity": ("user_id", "activity_date", "tool"),
    "workflow_events": ("event_id", "run_id", "use_case_id", "occurred_at", "event_type"),
    "kpi_observations": ("kpi_id", "period_start", "grain", "value"),
    "survey_responses": ("response_id", "submitted_at", "user_id"),
    "enablement_events": ("event_id", "user_id", "occurred_at", "activity"),
    "people": ("user_id", "business_unit_id"),
    "licenses": ("user_id", "tool", "assigned_on"),
}

ACTIVITY_COUNTS = (
    "interactions",
    "generations",
    "acceptances",
    "lines_suggested",
    "lines_accepted",
    "input_tokens",
    "output_tokens",
)

#: kind -> the value that does not cast, and every (entity, column) of that kind.
BAD_VALUES: dict[str, str] = {
    "integer": "1.5",
    "number": "abc",
    "timestamp": "yesterday",
    "date": "2026-13-01",
    "boolean": "maybe",
}
TYPED_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "integer": (
        ("requests", "input_tokens"),
        ("requests", "output_tokens"),
        ("requests", "feedback_score"),
        *(("activity", column) for column in ACTIVITY_COUNTS),
        ("survey_responses", "satisfaction"),
        ("survey_responses", "trust"),
    ),
    "number": (
        ("requests", "latency_ms"),
        ("requests", "cost_usd"),
        ("workflow_events", "quality_score"),
        ("kpi_observations", "value"),
        ("survey_responses", "minutes_saved_per_week"),
    ),
    "timestamp": (
        ("requests", "occurred_at"),
        ("workflow_events", "occurred_at"),
        ("survey_responses", "submitted_at"),
        ("enablement_events", "occurred_at"),
    ),
    "date": (
        ("activity", "activity_date"),
        ("kpi_observations", "period_start"),
        ("people", "valid_from"),
        ("people", "valid_to"),
        ("licenses", "assigned_on"),
        ("licenses", "removed_on"),
    ),
    "boolean": (
        ("activity", "is_active"),
        ("workflow_events", "ai_assisted"),
        ("people", "is_manager"),
    ),
}

ENUM_REASONS: dict[tuple[str, str], str] = {
    ("requests", "status"): (
        "status: unknown value (allowed: success, error, timeout, blocked, filtered)"
    ),
    ("requests", "data_classification"): (
        "data_classification: unknown value (allowed: public, internal, confidential, restricted)"
    ),
    ("requests", "policy_action"): (
        "policy_action: unknown value (allowed: allowed, redacted, blocked)"
    ),
    ("workflow_events", "event_type"): (
        "event_type: unknown value (allowed: run_started, ai_output, review_completed, "
        "exception, run_completed, run_abandoned, published)"
    ),
    ("workflow_events", "review_outcome"): (
        "review_outcome: unknown value (allowed: accepted, edited, overridden)"
    ),
    ("kpi_observations", "grain"): "grain: unknown value (allowed: day, week, month, quarter)",
    ("enablement_events", "activity"): (
        "activity: unknown value (allowed: training_completed, office_hours, champion_joined)"
    ),
    ("enablement_events", "level"): (
        "level: unknown value (allowed: beginner, intermediate, advanced)"
    ),
}

#: (entity, column, value, reason) for bounds and allowed integers.
RANGE_CASES: tuple[tuple[str, str, str, str], ...] = (
    ("requests", "input_tokens", "-1", "input_tokens: below the minimum of 0"),
    ("requests", "output_tokens", "-20", "output_tokens: below the minimum of 0"),
    ("requests", "latency_ms", "-0.5", "latency_ms: below the minimum of 0"),
    ("requests", "cost_usd", "-0.01", "cost_usd: below the minimum of 0"),
    ("requests", "feedback_score", "5", "feedback_score: must be one of -1, 0, 1"),
    ("requests", "feedback_score", "-2", "feedback_score: must be one of -1, 0, 1"),
    *(("activity", c, "-1", f"{c}: below the minimum of 0") for c in ACTIVITY_COUNTS),
    ("workflow_events", "quality_score", "1.7", "quality_score: above the maximum of 1"),
    ("workflow_events", "quality_score", "-0.1", "quality_score: below the minimum of 0"),
    ("survey_responses", "satisfaction", "0", "satisfaction: below the minimum of 1"),
    ("survey_responses", "satisfaction", "6", "satisfaction: above the maximum of 5"),
    ("survey_responses", "trust", "0", "trust: below the minimum of 1"),
    ("survey_responses", "trust", "6", "trust: above the maximum of 5"),
    (
        "survey_responses",
        "minutes_saved_per_week",
        "-30",
        "minutes_saved_per_week: below the minimum of 0",
    ),
)

#: Conditionally required values: (overrides of the workflow base row, reason).
CONDITIONAL_CASES: tuple[tuple[dict[str, str], str], ...] = (
    (
        {"event_type": "run_started", "ai_assisted": "", "review_outcome": ""},
        "ai_assisted: required when event_type is run_started",
    ),
    (
        {"event_type": "review_completed", "review_outcome": ""},
        "review_outcome: required when event_type is review_completed",
    ),
)


def _quarantine_cases() -> list[tuple[str, str, dict[str, str], str]]:
    """(case id, entity, overrides of row 2, exact reason)."""
    cases = []
    for entity, columns in REQUIRED.items():
        for column in columns:
            reason = f"{column}: required value missing"
            cases.append((f"{entity}-{column}-required", entity, {column: ""}, reason))
    for kind, pairs in TYPED_COLUMNS.items():
        for entity, column in pairs:
            reason = f"{column}: not a valid {kind}"
            cases.append(
                (f"{entity}-{column}-not-{kind}", entity, {column: BAD_VALUES[kind]}, reason)
            )
    for (entity, column), reason in ENUM_REASONS.items():
        cases.append((f"{entity}-{column}-enum", entity, {column: "bogus"}, reason))
    for entity, column, value, reason in RANGE_CASES:
        cases.append((f"{entity}-{column}-{value}", entity, {column: value}, reason))
    for overrides, reason in CONDITIONAL_CASES:
        case_id = f"workflow_events-{reason.split(':')[0]}-conditional"
        cases.append((case_id, "workflow_events", overrides, reason))
    # Values that look numeric to a lenient parser but are not finite / do not fit.
    for case_id, entity, overrides, reason in (
        (
            "requests-latency_ms-nan",
            "requests",
            {"latency_ms": "NaN"},
            "latency_ms: not a valid number",
        ),
        (
            "kpi-value-infinity",
            "kpi_observations",
            {"value": "Infinity"},
            "value: not a valid number",
        ),
        (
            "requests-input_tokens-overflow",
            "requests",
            {"input_tokens": "99999999999999999999"},
            "input_tokens: not a valid integer",
        ),
        (
            "survey-trust-overflow",
            "survey_responses",
            {"trust": "3000000000"},
            "trust: not a valid integer",
        ),
        (
            "requests-input_tokens-text",
            "requests",
            {"input_tokens": "12 tokens"},
            "input_tokens: not a valid integer",
        ),
        (
            "licenses-assigned_on-us-format",
            "licenses",
            {"assigned_on": "03/01/2026"},
            "assigned_on: not a valid date",
        ),
    ):
        cases.append((case_id, entity, overrides, reason))
    cases.append(
        (
            "requests-user_id-blank",
            "requests",
            {"user_id": "   "},
            "user_id: required value missing",
        )
    )
    cases.append(
        (
            "requests-two-rules-joined",
            "requests",
            {"input_tokens": "-5", "status": "weird"},
            "input_tokens: below the minimum of 0; status: unknown value "
            "(allowed: success, error, timeout, blocked, filtered)",
        )
    )
    return cases


def _lands_cases() -> list[tuple[str, str, dict[str, str], dict[str, Any]]]:
    """(case id, entity, overrides of row 2, typed values row 2 lands with)."""
    params = [
        pytest.param(
            "requests",
            {"policy_action": ""},
            {"policy_action": "allowed"},
            id="requests-policy_action-defaults-to-allowed",
        ),
        pytest.param(
            "activity", {"is_active": ""}, {"is_active": True}, id="activity-is_active-default"
        ),
        pytest.param(
            "requests",
            {"cost_usd": "", "data_classification": "", "feedback_score": "", "latency_ms": ""},
            {
                "cost_usd": None,
                "data_classification": None,
                "feedback_score": None,
                "latency_ms": None,
            },
            id="requests-optional-empty-is-null",
        ),
        pytest.param(
            "requests",
            {
                "input_tokens": "0",
                "output_tokens": "0",
                "latency_ms": "0",
                "cost_usd": "0",
                "feedback_score": "1",
            },
            {
                "input_tokens": 0,
                "output_tokens": 0,
                "latency_ms": 0.0,
                "cost_usd": 0.0,
                "feedback_score": 1,
            },
            id="requests-zero-bounds",
        ),
        pytest.param(
            "requests", {"feedback_score": "0"}, {"feedback_score": 0}, id="requests-feedback-0"
        ),
        pytest.param(
            "workflow_events",
            {"event_type": "ai_output", "ai_assisted": "", "review_outcome": ""},
            {"event_type": "ai_output", "ai_assisted": None, "review_outcome": None},
            id="workflow-conditional-columns-optional-elsewhere",
        ),
        pytest.param(
            "workflow_events",
            {"event_type": "run_started", "ai_assisted": "false", "review_outcome": ""},
            {"event_type": "run_started", "ai_assisted": False, "review_outcome": None},
            id="workflow-run_started-with-ai_assisted",
        ),
        pytest.param(
            "workflow_events",
            {"quality_score": "0", "event_type": "exception", "exception_type": "timeout"},
            {"quality_score": 0.0, "event_type": "exception", "exception_type": "timeout"},
            id="workflow-quality-0",
        ),
        pytest.param(
            "workflow_events",
            {"quality_score": "1"},
            {"quality_score": 1.0},
            id="workflow-quality-1",
        ),
        pytest.param(
            "survey_responses",
            {"satisfaction": "1", "trust": "5", "minutes_saved_per_week": "0"},
            {"satisfaction": 1, "trust": 5, "minutes_saved_per_week": 0.0},
            id="survey-bounds-inclusive",
        ),
        pytest.param(
            "kpi_observations",
            {"business_unit_id": "", "source": "", "value": "-3.25"},
            {"business_unit_id": None, "source": None, "value": -3.25},
            id="kpi-optional-empty-negative-value",
        ),
        pytest.param(
            "people",
            {"job_function": "", "is_manager": "", "valid_to": ""},
            {"job_function": None, "is_manager": None, "valid_to": None},
            id="people-optional-empty",
        ),
        pytest.param(
            "licenses", {"removed_on": ""}, {"removed_on": None}, id="licenses-removed_on-empty"
        ),
        pytest.param(
            "enablement_events",
            {"level": "", "business_unit_id": ""},
            {"level": None, "business_unit_id": None},
            id="enablement-optional-empty",
        ),
        pytest.param(
            "workflow_events", {"actor_id": "   "}, {"actor_id": None}, id="workflow-actor-blank"
        ),
        # Surrounding spaces (fixed-width exports) are ignored by every cast.
        pytest.param(
            "requests",
            {
                "input_tokens": " 1200 ",
                "latency_ms": " 812.5 ",
                "status": " success ",
                "occurred_at": " 2026-03-02T09:30:00Z ",
                "feedback_score": " -1",
            },
            {},
            id="requests-padded-values",
        ),
        pytest.param(
            "activity",
            {"is_active": " false ", "activity_date": " 2026-03-02 ", "interactions": "12 "},
            {},
            id="activity-padded-values",
        ),
        pytest.param(
            "people", {"is_manager": " TRUE"}, {"is_manager": True}, id="people-padded-boolean"
        ),
        # Timestamps: ISO 8601, converted to UTC, stored as naive UTC.
        pytest.param(
            "requests",
            {"occurred_at": "2026-03-02T09:30:00+02:00"},
            {"occurred_at": datetime(2026, 3, 2, 7, 30)},
            id="timestamp-offset-plus-2",
        ),
        pytest.param(
            "requests",
            {"occurred_at": "2026-03-02T23:30:00-05:00"},
            {"occurred_at": datetime(2026, 3, 3, 4, 30)},
            id="timestamp-offset-minus-5-next-day",
        ),
        pytest.param(
            "requests",
            {"occurred_at": "2026-03-02T09:30:00"},
            {"occurred_at": datetime(2026, 3, 2, 9, 30)},
            id="timestamp-no-offset-is-utc",
        ),
        pytest.param(
            "requests",
            {"occurred_at": "2026-03-02T09:30:00.250Z"},
            {"occurred_at": datetime(2026, 3, 2, 9, 30, 0, 250000)},
            id="timestamp-z-fraction",
        ),
        pytest.param(
            "requests",
            {"occurred_at": "2026-03-02 09:30:00"},
            {"occurred_at": datetime(2026, 3, 2, 9, 30)},
            id="timestamp-space-separator",
        ),
    ]
    return [(param.id, *param.values) for param in params]  # type: ignore[misc]


QUARANTINE_CASES = _quarantine_cases()
LANDS_CASES = _lands_cases()


def _expected_quarantine_row(entity: str, row: dict[str, str]) -> dict[str, Any]:
    """A quarantined row as the README describes it: declared columns as received (text,
    empty as null), ids pseudonymised, free text dropped."""
    expected: dict[str, Any] = {}
    for column in SCHEMAS[entity].columns:
        value = row.get(column.name) or None
        if value is not None and column.pseudonymise:
            value = pseudonym(KEY, value) if value.strip() else None
        expected[column.name] = value
    return expected


def _row2(entity: str, overrides: dict[str, str]) -> dict[str, str]:
    return {**raw_row(entity, 2), **overrides}


@dataclass
class Outcome:
    """Everything one entity's case files produced, in one cadence home."""

    results: dict[str, FileResult]
    landed: pl.DataFrame
    quarantined: pl.DataFrame
    ledger: pl.DataFrame


@pytest.fixture(scope="module")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory, blank_home: Path
) -> Callable[[str], Outcome]:
    """Land every case file of an entity (one file, one batch per case) on first use.

    Each case is its own three-row CSV `<case id>.csv` (rows 1 and 3 the entity's base rows,
    row 2 with the case's overrides); all cases of an entity share one cadence home, which is
    only a matter of speed: every check below looks at its own file's batch.
    """
    cache: dict[str, Outcome] = {}

    def run(entity: str) -> Outcome:
        if entity not in cache:
            root = tmp_path_factory.mktemp(entity)
            home = root / "home"
            shutil.copytree(blank_home, home)
            files = []
            for case_id, case_entity, overrides, _ in [*QUARANTINE_CASES, *LANDS_CASES]:
                if case_entity == entity:
                    rows = [raw_row(entity, 1), _row2(entity, overrides), raw_row(entity, 3)]
                    files.append(write_csv(root / f"{case_id}.csv", rows))
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("CADENCE_PSEUDONYM_KEY", KEY_HEX)
                results = ingest(entity, files, home)
            cache[entity] = Outcome(
                {r.path.name: r for r in results},
                landed(home, entity),
                quarantined(home, entity),
                ledger_batches(home),
            )
        return cache[entity]

    return run


@pytest.mark.parametrize(
    ("case_id", "entity", "bad", "reason"),
    [pytest.param(*case, id=case[0]) for case in QUARANTINE_CASES],
)
def test_row_breaking_a_rule_is_quarantined_with_its_reason(
    case_id: str,
    entity: str,
    bad: dict[str, str],
    reason: str,
    outcomes: Callable[[str], Outcome],
) -> None:
    out = outcomes(entity)
    name = f"{case_id}.csv"
    result = out.results[name]

    assert result.status == "landed", result.message
    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (3, 2, 1)

    rows = out.landed.filter(_source_file=name)
    assert_frame_equal(
        canonical(rows, entity),
        expected_frame(entity, [typed_row(entity, 1), typed_row(entity, 3)]),
    )
    assert rows["_source_row"].to_list() == [1, 3]
    assert set(rows["_batch_id"]) == {result.batch_id}

    held = out.quarantined.filter(_source_file=name)
    assert held.height == 1
    got = held.row(0, named=True)
    assert got["_reason"] == reason
    expected = _expected_quarantine_row(entity, _row2(entity, bad))
    assert {c: got[c] for c in SCHEMAS[entity].column_names} == expected
    assert (got["_source_row"], got["_batch_id"]) == (2, result.batch_id)

    ledger = out.ledger.filter(batch_id=result.batch_id)
    assert ledger.select("rows_read", "rows_landed", "rows_quarantined").rows() == [(3, 2, 1)]


@pytest.mark.parametrize(
    ("case_id", "entity", "overrides", "typed"),
    [pytest.param(*case, id=case[0]) for case in LANDS_CASES],
)
def test_valid_row_lands_with_typed_values(
    case_id: str,
    entity: str,
    overrides: dict[str, str],
    typed: dict[str, Any],
    outcomes: Callable[[str], Outcome],
) -> None:
    out = outcomes(entity)
    name = f"{case_id}.csv"
    result = out.results[name]

    assert (result.status, result.rows_read, result.rows_landed, result.rows_quarantined) == (
        "landed",
        3,
        3,
        0,
    ), result.message
    expected = [typed_row(entity, 1), {**typed_row(entity, 2), **typed}, typed_row(entity, 3)]
    rows = out.landed.filter(_source_file=name)
    assert_frame_equal(canonical(rows, entity), expected_frame(entity, expected))
    assert out.quarantined.filter(_source_file=name).height == 0


def _ingest_three(
    entity: str, bad: dict[str, str], home: Path, inputs: Path
) -> tuple[dict[str, str], Any]:
    row2 = _row2(entity, bad)
    path = write_csv(inputs / f"{entity}.csv", [raw_row(entity, 1), row2, raw_row(entity, 3)])
    [result] = ingest(entity, [path], home)
    return row2, result


def test_timestamps_land_as_naive_utc_timestamp(home: Path, inputs: Path) -> None:
    """The landed file stores TIMESTAMP (no time zone), whatever offset the input had."""
    path = write_csv(inputs / "r.csv", [raw_row("requests", 1)])
    ingest("requests", [path], home)
    glob = str(home / "landing" / "requests" / "batch_id=2*" / "*.parquet")
    types = dict(
        query("describe select * from read_parquet($glob, hive_partitioning=false)", {"glob": glob})
        .select("column_name", "column_type")
        .iter_rows()
    )
    assert types["occurred_at"] == "TIMESTAMP"
    assert types["_ingested_at"] == "TIMESTAMP"


# ---------------------------------------------------------------- not in the future


@pytest.mark.parametrize(
    ("ahead", "offset_hours", "lands"),
    [
        pytest.param(timedelta(minutes=2), 0, True, id="2-min-ahead-lands"),
        pytest.param(timedelta(minutes=10), 0, False, id="10-min-ahead-quarantined"),
        pytest.param(timedelta(days=3), 0, False, id="days-ahead-quarantined"),
        # Local clock time looks 1 h ahead but is 1 h ago in UTC: the offset is applied first.
        pytest.param(timedelta(hours=-1), 2, True, id="offset-makes-it-past"),
        # Local clock time looks 30 min ago but is 90 min ahead in UTC.
        pytest.param(timedelta(minutes=90), -2, False, id="offset-makes-it-future"),
    ],
)
def test_requests_in_the_future_beyond_clock_skew_are_quarantined(
    ahead: timedelta, offset_hours: int, lands: bool, home: Path, inputs: Path
) -> None:
    moment = (datetime.now(UTC) + ahead).replace(microsecond=0)
    text = moment.astimezone(timezone(timedelta(hours=offset_hours))).isoformat()
    _, result = _ingest_three("requests", {"occurred_at": text}, home, inputs)

    if lands:
        assert (result.rows_landed, result.rows_quarantined) == (3, 0)
        got = landed(home, "requests").filter(_source_row=2)["occurred_at"].item()
        assert got == moment.replace(tzinfo=None)
    else:
        assert (result.rows_landed, result.rows_quarantined) == (2, 1)
        held = quarantined(home, "requests")
        assert held["_reason"].to_list() == ["occurred_at: in the future"]
        assert held["occurred_at"].to_list() == [text]


# ---------------------------------------------------------------- conditional columns absent


def test_workflow_file_without_conditional_columns_checks_rows_not_file(
    home: Path, inputs: Path
) -> None:
    """ai_assisted / review_outcome are required only on some event types: a file without
    those columns (JSON exporters drop null keys) lands the rows that do not need them."""
    base = {
        k: v
        for k, v in raw_row("workflow_events", 1).items()
        if k not in ("ai_assisted", "review_outcome")
    }
    rows = [
        {**base, "event_id": "a", "event_type": "ai_output"},
        {**base, "event_id": "b", "event_type": "run_started"},
        {**base, "event_id": "c", "event_type": "review_completed"},
        {**base, "event_id": "d", "event_type": "published"},
    ]
    path = write_csv(inputs / "wf.csv", rows)
    [result] = ingest("workflow_events", [path], home)

    assert (result.status, result.rows_landed, result.rows_quarantined) == ("landed", 2, 2)
    rows_landed = landed(home, "workflow_events")
    assert rows_landed["event_id"].to_list() == ["a", "d"]
    assert rows_landed["ai_assisted"].to_list() == [None, None]
    assert quarantined(home, "workflow_events")["_reason"].to_list() == [
        "ai_assisted: required when event_type is run_started",
        "review_outcome: required when event_type is review_completed",
    ]


def test_absent_optional_columns_take_their_defaults(home: Path, inputs: Path) -> None:
    """An absent optional column is null; policy_action and is_active still get defaults."""
    activity = {k: v for k, v in raw_row("activity", 1).items() if k != "is_active"}
    requests = {k: v for k, v in raw_row("requests", 1).items() if k != "policy_action"}
    ingest("activity", [write_csv(inputs / "a.csv", [activity])], home)
    ingest("requests", [write_csv(inputs / "r.csv", [requests])], home)

    assert landed(home, "activity")["is_active"].to_list() == [True]
    assert landed(home, "requests")["policy_action"].to_list() == ["allowed"]


# ---------------------------------------------------------------- the column contract


#: Landed columns and types per entity, copied from ingestion/README.md's table.
README_COLUMNS = {
    "requests": "request_id VARCHAR, occurred_at TIMESTAMP, user_id VARCHAR, business_unit_id "
    "VARCHAR, use_case_id VARCHAR, tool VARCHAR, provider VARCHAR, model VARCHAR, operation "
    "VARCHAR, input_tokens BIGINT, output_tokens BIGINT, latency_ms DOUBLE, status VARCHAR, "
    "cost_usd DOUBLE, data_classification VARCHAR, policy_action VARCHAR, feedback_score INTEGER, "
    "trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR, agent_id VARCHAR, agent_name "
    "VARCHAR, tool_name VARCHAR",
    "activity": "user_id VARCHAR, activity_date DATE, tool VARCHAR, interactions BIGINT, "
    "generations BIGINT, acceptances BIGINT, lines_suggested BIGINT, lines_accepted BIGINT, "
    "input_tokens BIGINT, output_tokens BIGINT, is_active BOOLEAN",
    "workflow_events": "event_id VARCHAR, run_id VARCHAR, use_case_id VARCHAR, occurred_at "
    "TIMESTAMP, event_type VARCHAR, actor_id VARCHAR, ai_assisted BOOLEAN, review_outcome "
    "VARCHAR, quality_score DOUBLE, exception_type VARCHAR",
    "kpi_observations": "kpi_id VARCHAR, period_start DATE, grain VARCHAR, business_unit_id "
    "VARCHAR, value DOUBLE, source VARCHAR",
    "survey_responses": "response_id VARCHAR, submitted_at TIMESTAMP, user_id VARCHAR, "
    "use_case_id VARCHAR, business_unit_id VARCHAR, satisfaction INTEGER, trust INTEGER, "
    "minutes_saved_per_week DOUBLE",
    "enablement_events": "event_id VARCHAR, user_id VARCHAR, occurred_at TIMESTAMP, activity "
    "VARCHAR, level VARCHAR, business_unit_id VARCHAR",
    "people": "user_id VARCHAR, business_unit_id VARCHAR, job_function VARCHAR, is_manager "
    "BOOLEAN, valid_from DATE, valid_to DATE",
    "licenses": "user_id VARCHAR, tool VARCHAR, assigned_on DATE, removed_on DATE",
}
LINEAGE_TYPES = [
    ("_batch_id", "VARCHAR"),
    ("_source_file", "VARCHAR"),
    ("_source_row", "BIGINT"),
    ("_ingested_at", "TIMESTAMP"),
]


def _describe(glob: str) -> list[tuple[str, str]]:
    frame = query(
        "describe select * from read_parquet($glob, hive_partitioning=false)", {"glob": glob}
    )
    return list(frame.select("column_name", "column_type").iter_rows())


@pytest.mark.parametrize("entity", ENTITIES)
def test_landed_and_quarantined_files_have_the_documented_columns(
    entity: str, home: Path, inputs: Path
) -> None:
    """A real batch's files: README's canonical columns and types, then lineage; the
    quarantine holds every declared column as text, `_reason` and lineage."""
    first = REQUIRED[entity][0]
    rows = [raw_row(entity, 1), {**raw_row(entity, 2), first: ""}]
    ingest(entity, [write_csv(inputs / f"{entity}.csv", rows)], home)

    declared = [tuple(item.rsplit(" ", 1)) for item in README_COLUMNS[entity].split(", ")]
    batch = "batch_id=2*"
    assert _describe(str(home / "landing" / entity / batch / "*.parquet")) == [
        *declared,
        *LINEAGE_TYPES,
    ]
    assert _describe(str(home / "quarantine" / entity / batch / "*.parquet")) == [
        *((name, "VARCHAR") for name, _ in declared),
        ("_reason", "VARCHAR"),
        *LINEAGE_TYPES,
    ]
    # The zero-row schema batch has the same columns, so globs always see every column.
    assert _describe(str(home / "landing" / entity / "batch_id=0-schema" / "*.parquet")) == [
        *declared,
        *LINEAGE_TYPES,
    ]


def test_rule_tables_cover_every_declared_rule() -> None:
    """The tables above and the declared schemas state the same rules, entity by entity."""
    # The canonical entities of CONTRACTS §1 (connectors may register more, e.g. vendor detail).
    assert tuple(SCHEMAS)[: len(ENTITIES)] == ENTITIES
    canonical_schemas = {entity: SCHEMAS[entity] for entity in ENTITIES}
    for entity, schema in canonical_schemas.items():
        assert schema.required == REQUIRED[entity], entity
        assert set(schema.dropped) == ({"prompt", "response"} if entity == "requests" else set())
    for kind, pairs in TYPED_COLUMNS.items():
        declared = {
            (entity, c.name)
            for entity, schema in canonical_schemas.items()
            for c in schema.columns
            if c.kind == kind
        }
        assert declared == set(pairs), kind
    enums = {
        (entity, c.name)
        for entity, schema in canonical_schemas.items()
        for c in schema.columns
        if c.kind == "enum"
    }
    assert enums == set(ENUM_REASONS)
    bounded = {
        (entity, c.name)
        for entity, schema in canonical_schemas.items()
        for c in schema.columns
        if c.minimum is not None or c.maximum is not None or (c.kind == "integer" and c.allowed)
    }
    assert bounded == {(entity, column) for entity, column, _, _ in RANGE_CASES}
    conditional = {
        (c.name, c.required_when)
        for schema in canonical_schemas.values()
        for c in schema.columns
        if c.required_when
    }
    assert conditional == {
        ("ai_assisted", ("event_type", "run_started")),
        ("review_outcome", ("event_type", "review_completed")),
    }
    defaults = {
        (entity, c.name, c.default)
        for entity, schema in canonical_schemas.items()
        for c in schema.columns
        if c.default is not None
    }
    assert defaults == {("requests", "policy_action", "allowed"), ("activity", "is_active", True)}
    pseudonymised = {
        (entity, c.name)
        for entity, schema in canonical_schemas.items()
        for c in schema.columns
        if c.pseudonymise
    }
    assert pseudonymised == {
        (entity, "user_id")
        for entity in ENTITIES
        if entity not in ("workflow_events", "kpi_observations")
    } | {("workflow_events", "actor_id")}
    for entity, schema in canonical_schemas.items():
        assert not (set(schema.column_names) & set(LINEAGE)), entity
