"""Data access for the review app: the published warehouse, read-only.

Every query reads the file named by `$CADENCE_HOME/published.json`, through a read-only DuckDB
connection cached per published file (`st.cache_resource`) with a fresh `.cursor()` per
query. Results are cached with `st.cache_data`, keyed by the build id, so a newly published
build is picked up on the next rerun without a restart and never mixed with the previous one.

Queries select from the public marts (`fct_`, `dim_`, `rpt_`) with bound parameters only;
identifiers (grain, breakdown column) come from whitelists. The app filters, orders and shapes
rows (lists for sparklines); it never defines a metric. The RAG bands drawn as rules on charts
and the minimum group size come from `dim_thresholds`, as the build applied them; one
configuration seed is read as labels, not metrics: `config.business_units` (names).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from app import settings
from cadence.build import build_path, failed_builds
from cadence.published import read_pointer


class DataUnavailable(RuntimeError):
    """The published warehouse cannot answer: missing file or mart. The message says what to do."""


class WarehouseGone(DataUnavailable):
    """The file a rerun read from the pointer is gone. A writer may have published newer builds
    and pruned it (or rolled back) between this rerun's reading of the pointer and its opening
    of the file: the router then reruns on the new pointer (`is_superseded`)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Warehouse:
    """The published build the app serves."""

    build_id: str
    path: str
    published_at: str
    history: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """The sidebar's organisational filters; None means all."""

    business_unit_id: str | None = None
    portfolio_id: str | None = None

    def params(self) -> dict[str, object]:
        return {"business_unit_id": self.business_unit_id, "portfolio_id": self.portfolio_id}

    @property
    def is_filtered(self) -> bool:
        return self.business_unit_id is not None or self.portfolio_id is not None

    @property
    def scope_id(self) -> str:
        """The dim_scopes id of this choice (CONTRACTS.md §5.3): the rpt_ models' scope key."""
        if self.portfolio_id is not None and self.business_unit_id is not None:
            return f"portfolio_business_unit:{self.portfolio_id}:{self.business_unit_id}"
        if self.portfolio_id is not None:
            return f"portfolio:{self.portfolio_id}"
        if self.business_unit_id is not None:
            return f"business_unit:{self.business_unit_id}"
        return "organisation"


# ---------------------------------------------------------------------------- connection


def published() -> Warehouse | None:
    """The published pointer, read on every rerun (cheap), or None when nothing is published."""
    try:
        document = read_pointer(settings.cadence_home())
    except (OSError, json.JSONDecodeError):
        return None
    if document is None:
        return None
    return Warehouse(
        build_id=str(document["build_id"]),
        path=str(document["published_path"]),
        published_at=str(document.get("published_at") or ""),
        history=tuple(str(b) for b in document.get("history", [])),
    )


@st.cache_resource(max_entries=3, show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per published file; queries take their own cursor."""
    return duckdb.connect(path, read_only=True)


def _missing(path: str) -> WarehouseGone:
    return WarehouseGone(
        f"The published warehouse file `{path}` is missing. Run `cadence build` to publish "
        "a new one (or `cadence build --rollback` to return to the previous build).",
        path,
    )


def is_superseded(gone: WarehouseGone) -> bool:
    """Whether the pointer now names another file that exists: the missing one was pruned
    after this rerun read the pointer, and a rerun will read the new one."""
    current = published()
    return current is not None and current.path != gone.path and Path(current.path).exists()


def run_query(path: str, sql: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """Run one bound query against a published file; raise DataUnavailable when it cannot
    (WarehouseGone when the file is missing).

    Once open, a connection keeps answering even if a writer prunes its file later: the open
    file lives on until the connection is closed."""
    if not Path(path).exists():
        raise _missing(path)
    try:
        cursor = _connection(path).cursor()
    except duckdb.Error as error:
        if not Path(path).exists():  # pruned between the check and the open
            raise _missing(path) from error
        raise DataUnavailable(f"The published warehouse cannot be opened: {error}") from error
    try:
        return cursor.sql(sql, params=params or {}).pl()
    except duckdb.CatalogException as error:
        raise DataUnavailable(
            "This build lacks a table the page needs; rebuild with `cadence build`. "
            f"({str(error).splitlines()[0]})"
        ) from error
    finally:
        cursor.close()


@st.cache_data(ttl=settings.QUERY_TTL_SECONDS, max_entries=512, show_spinner=False)
def _cached(
    build_id: str, path: str, sql: str, params: tuple[tuple[str, object], ...]
) -> pl.DataFrame:
    """Cached result of one query, keyed by build id, SQL text and bound values."""
    return run_query(path, sql, dict(params))


def _frame(wh: Warehouse, sql: str, **params: object) -> pl.DataFrame:
    return _cached(wh.build_id, wh.path, sql, tuple(sorted(params.items())))


# ------------------------------------------------------------------------------ shared

USE_CASES_IN_SCOPE = """
    select dim_use_cases.use_case_id
    from dim_use_cases
    where
        ($portfolio_id is null or dim_use_cases.portfolio_id = $portfolio_id)
        and ($business_unit_id is null or dim_use_cases.business_unit_id = $business_unit_id)
"""

PERIOD_SQL = """
    select dim_periods.period_start
    from dim_periods
    where
        dim_periods.period_grain = $grain
        and exists (
            select 1
            from rpt_review_tiles
            where
                rpt_review_tiles.period_grain = dim_periods.period_grain
                and rpt_review_tiles.period_start = dim_periods.period_start
                and rpt_review_tiles.scope_id = 'organisation'
                and list_contains($activity_metrics, rpt_review_tiles.metric)
                and rpt_review_tiles.metric_value > 0
        )
    order by dim_periods.period_start
"""

# the organisation tiles that mark a period as holding data: activity, or KPI statuses (month)
PERIOD_ACTIVITY_METRICS = {
    "week": ["requests", "runs_started", "active_users"],
    "month": ["requests", "runs_started", "active_users", "kpis_known"],
    "quarter": ["requests", "active_users"],
}


def period_end(grain: str, start: date) -> date:
    """The last day of the period of `grain` starting on `start`."""
    if grain == "week":
        return start + timedelta(days=6)
    months = {"month": 1, "quarter": 3}[grain]
    month_index = start.month - 1 + months
    first_of_next = date(start.year + month_index // 12, month_index % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def shift_period(grain: str, start: date, steps: int) -> date:
    """The start of the period `steps` periods after (negative: before) `start`."""
    if grain == "week":
        return start + timedelta(weeks=steps)
    months = {"month": 1, "quarter": 3}[grain] * steps
    month_index = start.month - 1 + months
    return date(start.year + month_index // 12, month_index % 12 + 1, 1)


def periods(wh: Warehouse, grain: str) -> list[date]:
    """Starts of the periods of `grain` ('week', 'month', 'quarter') that hold data, oldest first."""
    frame = _frame(wh, PERIOD_SQL, grain=grain, activity_metrics=PERIOD_ACTIVITY_METRICS[grain])
    return frame.get_column("period_start").to_list()


def periods_to_date(wh: Warehouse, grain: str) -> set[date]:
    """The period of `grain` holding the build date (dim_periods.is_period_to_date): the one
    whose figures run to date and compare like for like (CONTRACTS.md §5.4)."""
    frame = _frame(
        wh,
        """
        select dim_periods.period_start
        from dim_periods
        where dim_periods.period_grain = $grain and dim_periods.is_period_to_date
        """,
        grain=grain,
    )
    return set(frame.get_column("period_start").to_list())


def period_labels(wh: Warehouse, grain: str) -> dict[date, str]:
    """How the warehouse names each period of `grain` (dim_periods: weeks YYYY-MM-DD, months
    YYYY-MM, fiscal quarters YYYY-Qn), by period start."""
    frame = _frame(
        wh,
        """
        select dim_periods.period_start, dim_periods.period_label
        from dim_periods
        where dim_periods.period_grain = $grain
        """,
        grain=grain,
    )
    return dict(frame.iter_rows())


def data_health_summary(wh: Warehouse) -> dict[str, object]:
    """rpt_data_health's one row: entities, totals of rows visible / quarantined and files
    refused, unknown ids and their rows, and the time the activity data runs through
    (`data_through_at`). Freshness is not in it: app/freshness.py compares data_health's
    deadlines with the clock."""
    frame = _frame(wh, "select rpt_data_health.* from rpt_data_health")
    return frame.row(0, named=True)


def business_units(wh: Warehouse) -> pl.DataFrame:
    """One row per configured business unit: id and name (configuration labels)."""
    return _frame(
        wh,
        """
        select business_units.business_unit_id, business_units.name as business_unit_name
        from config.business_units as business_units
        order by business_units.name
        """,
    )


def portfolios(wh: Warehouse) -> pl.DataFrame:
    """One row per portfolio with use cases (dim_portfolios): id and name, by name."""
    return _frame(
        wh,
        """
        select dim_portfolios.portfolio_id, dim_portfolios.portfolio_name
        from dim_portfolios
        where dim_portfolios.has_use_cases
        order by dim_portfolios.portfolio_name
        """,
    )


def use_cases(wh: Warehouse, scope: Scope) -> pl.DataFrame:
    """One row per configured use case in the reader's scope (dim_use_cases, whose portfolio x
    business unit is a cell of the scope in dim_scope_cells; the organisation: all): id, name,
    portfolio, stage (by portfolio, name)."""
    return _frame(
        wh,
        """
        select
            dim_use_cases.use_case_id,
            dim_use_cases.use_case_name,
            dim_use_cases.portfolio_name,
            dim_use_cases.stage
        from dim_use_cases
        where
            $scope_id = 'organisation'
            or exists (
                select 1
                from dim_scope_cells
                where
                    dim_scope_cells.scope_id = $scope_id
                    and dim_scope_cells.portfolio_id = dim_use_cases.portfolio_id
                    and dim_scope_cells.business_unit_id = dim_use_cases.business_unit_id
            )
        order by dim_use_cases.portfolio_name, dim_use_cases.use_case_name
        """,
        scope_id=scope.scope_id,
    )


THRESHOLDS_SQL = """
    select
        dim_thresholds.metric,
        dim_thresholds.direction,
        dim_thresholds.unit,
        dim_thresholds.green_threshold as green,
        dim_thresholds.amber_threshold as amber
    from dim_thresholds
"""


def thresholds(wh: Warehouse) -> dict[str, dict[str, object]]:
    """The thresholds the build applied (dim_thresholds: seeds/thresholds.csv over the project
    defaults): metric -> {metric, direction, unit, green, amber}."""
    frame = _frame(wh, THRESHOLDS_SQL)
    return {row["metric"]: row for row in frame.iter_rows(named=True)}


def min_group_size(wh: Warehouse) -> int:
    """The minimum group size the warehouse was built with (dim_thresholds `min_group_size`:
    CADENCE_MIN_GROUP_SIZE at build time, default 5): the app suppresses with the same k."""
    return int(thresholds(wh)["min_group_size"]["green"])  # type: ignore[call-overload]


# ------------------------------------------------------------------------ review tiles

TILES_SQL = """
    select rpt_review_tiles.*
    from rpt_review_tiles
    where
        rpt_review_tiles.scope_id = $scope_id
        and rpt_review_tiles.period_grain = $grain
        and rpt_review_tiles.period_start between $start and $end
    order by rpt_review_tiles.period_start, rpt_review_tiles.metric_order
"""


def review_tiles(
    wh: Warehouse, scope_id: str, grain: str, period_start: date
) -> dict[str, dict[str, object]]:
    """The period's tiles for a reading scope (rpt_review_tiles), by metric: value, previous
    value (like for like for the period to date), change, RAG statuses, week-over-week flag
    and suppression, all computed in dbt."""
    frame = _frame(
        wh, TILES_SQL, scope_id=scope_id, grain=grain, start=period_start, end=period_start
    )
    return {row["metric"]: row for row in frame.iter_rows(named=True)}


def tile_series(
    wh: Warehouse, scope_id: str, grain: str, start: date, end: date, metrics: list[str]
) -> pl.DataFrame:
    """One row per period in [start, end] for a reading scope, one column per metric
    (rpt_review_tiles values, suppressed ones null), oldest first; `period_start` is also
    named `week_start` / `month_start` / `quarter_start` for the charts."""
    frame = _frame(wh, TILES_SQL, scope_id=scope_id, grain=grain, start=start, end=end)
    columns = [
        frame.filter(pl.col("metric") == metric).select(
            "period_start", pl.col("metric_value").alias(metric)
        )
        for metric in metrics
    ]
    series = columns[0]
    for column in columns[1:]:
        series = series.join(column, on="period_start", how="left", maintain_order="left")
    return series.with_columns(pl.col("period_start").alias(f"{grain}_start"))


def review_decisions(wh: Warehouse, scope_id: str, grain: str, period_start: date) -> pl.DataFrame:
    """One row per decision the review puts to a reading scope (rpt_review_decisions):
    decision, subject, why, in order of urgency."""
    return _frame(
        wh,
        """
        select
            rpt_review_decisions.decision,
            rpt_review_decisions.subject,
            rpt_review_decisions.why,
            rpt_review_decisions.is_restated
        from rpt_review_decisions
        where
            rpt_review_decisions.scope_id = $scope_id
            and rpt_review_decisions.period_grain = $grain
            and rpt_review_decisions.period_start = $period_start
        order by rpt_review_decisions.decision_order, rpt_review_decisions.subject
        """,
        scope_id=scope_id,
        grain=grain,
        period_start=period_start,
    )


# --------------------------------------------------------------------- quarterly review


SCORECARD_SQL = """
    select
        rpt_use_case_scorecard.use_case_id,
        rpt_use_case_scorecard.use_case_name,
        rpt_use_case_scorecard.portfolio_name,
        rpt_use_case_scorecard.stage,
        rpt_use_case_scorecard.readiness_status,
        coalesce(rpt_use_case_scorecard.recommendation, 'not assessed') as recommendation,
        rpt_use_case_scorecard.outcome_owner,
        rpt_use_case_scorecard.platform_owner,
        rpt_use_case_scorecard.risk_owner,
        rpt_use_case_scorecard.measurement_owner,
        rpt_use_case_scorecard.priority_score,
        rpt_use_case_scorecard.latest_month_start,
        rpt_use_case_scorecard.active_users,
        rpt_use_case_scorecard.is_suppressed,
        rpt_use_case_scorecard.kpis_reported,
        rpt_use_case_scorecard.kpis_green,
        rpt_use_case_scorecard.kpis_amber,
        rpt_use_case_scorecard.kpis_red,
        rpt_use_case_scorecard.kpis_stale,
        rpt_use_case_scorecard.kpis_pre_launch,
        rpt_use_case_scorecard.avg_gap_closed_pct,
        rpt_use_case_scorecard.avg_expected_progress_pct,
        rpt_use_case_scorecard.quality_acceptance_pct,
        rpt_use_case_scorecard.override_rate_pct,
        rpt_use_case_scorecard.policy_adherence_pct,
        rpt_use_case_scorecard.period_requests,
        rpt_use_case_scorecard.period_cost_usd,
        rpt_use_case_scorecard.period_reported_cost_usd,
        rpt_use_case_scorecard.period_priced_cost_usd,
        rpt_use_case_scorecard.is_restated
    from rpt_use_case_scorecard
    where
        rpt_use_case_scorecard.period_grain = $grain
        and rpt_use_case_scorecard.period_start = $period_start
        and rpt_use_case_scorecard.scope_id = $scope_id
    order by rpt_use_case_scorecard.scorecard_order
"""

SCORECARD_TRENDS_SQL = """
    select
        rpt_use_case_trends.use_case_id,
        rpt_use_case_trends.month_start,
        rpt_use_case_trends.active_users,
        rpt_use_case_trends.avg_gap_closed_pct,
        rpt_use_case_trends.cost_usd
    from rpt_use_case_trends
    where
        rpt_use_case_trends.period_grain = $grain
        and rpt_use_case_trends.period_start = $period_start
        and rpt_use_case_trends.scope_id = $scope_id
    order by rpt_use_case_trends.use_case_id, rpt_use_case_trends.month_start
"""


def _with_sparklines(
    rows: pl.DataFrame,
    points: pl.DataFrame,
    key: str,
    at: str,
    lists: dict[str, str],
    *,
    drop_gaps: bool = False,
) -> pl.DataFrame:
    """`rows` with one list column per entry of `lists` (list name -> point column): each row's
    points from a long rpt_ trend model, oldest first, for great-tables nanoplots.

    A reshape (a pivot on the point's date, then the dated columns in order), not an aggregation:
    every point is a figure the model made and suppressed. `drop_gaps` drops the nulls a row
    gets on dates only other rows have points on."""
    if points.is_empty():
        return rows.with_columns(
            pl.lit(None, dtype=pl.List(points.schema[column])).alias(name)
            for name, column in lists.items()
        )
    dated = points.with_columns(pl.col(at).cast(pl.String))
    for name, column in lists.items():
        wide = dated.pivot(on=at, index=key, values=column, sort_columns=True)
        listed = pl.concat_list(pl.exclude(key))
        wide = wide.select(key, (listed.list.drop_nulls() if drop_gaps else listed).alias(name))
        rows = rows.join(wide, on=key, how="left", maintain_order="left")
    return rows


def use_case_scorecard(
    wh: Warehouse, scope_id: str, grain: str, period_start: date
) -> pl.DataFrame:
    """One row per use case in the reader's scope for a month or quarter, in table order
    (rpt_use_case_scorecard, keyed by period x scope_id: every figure made in dbt).

    Stage, readiness, recommendation, owners and the KPI status counts are as known at the
    period's end; active users (null and `is_suppressed` below the minimum group size), rates and
    KPI means are those of the period's latest month; requests and cost add up the period's
    months. `active_users_trend`, `gap_closed_trend` and `cost_trend` list the trailing 12
    months' points (rpt_use_case_trends), oldest first.
    """
    params = {"grain": grain, "period_start": period_start, "scope_id": scope_id}
    return _with_sparklines(
        _frame(wh, SCORECARD_SQL, **params),
        _frame(wh, SCORECARD_TRENDS_SQL, **params),
        "use_case_id",
        "month_start",
        {
            "active_users_trend": "active_users",
            "gap_closed_trend": "avg_gap_closed_pct",
            "cost_trend": "cost_usd",
        },
    )


KPI_VALUES_SQL = """
    select
        rpt_kpi_values.kpi_id,
        rpt_kpi_values.use_case_id,
        rpt_kpi_values.use_case_name,
        rpt_kpi_values.portfolio_name,
        rpt_kpi_values.kpi_name,
        rpt_kpi_values.unit,
        rpt_kpi_values.direction,
        rpt_kpi_values.observation_period_start,
        rpt_kpi_values.observation_period_end_date,
        rpt_kpi_values.baseline_value,
        rpt_kpi_values.actual_value,
        rpt_kpi_values.target_value,
        rpt_kpi_values.target_date,
        rpt_kpi_values.change_from_baseline,
        rpt_kpi_values.gap_closed_pct,
        rpt_kpi_values.expected_progress_pct,
        rpt_kpi_values.status,
        rpt_kpi_values.effect_design,
        rpt_kpi_values.effect_verdict,
        rpt_kpi_values.effect_verdict_text,
        rpt_kpi_values.effect,
        rpt_kpi_values.effect_ci_low,
        rpt_kpi_values.effect_ci_high,
        rpt_kpi_values.effect_improvement_pct,
        rpt_kpi_values.effect_improvement_ci_low_pct,
        rpt_kpi_values.effect_improvement_ci_high_pct,
        rpt_kpi_values.is_effect_interim,
        rpt_kpi_values.is_effect_suppressed,
        rpt_kpi_values.use_case_cost_usd,
        rpt_kpi_values.effect_cost_per_unit_usd,
        rpt_kpi_values.is_restated
    from rpt_kpi_values
    where
        rpt_kpi_values.period_grain = $grain
        and rpt_kpi_values.period_start = $period_start
        and rpt_kpi_values.scope_id = $scope_id
    order by rpt_kpi_values.kpi_order
"""

KPI_TRENDS_SQL = """
    select
        rpt_kpi_trends.kpi_id,
        rpt_kpi_trends.observation_period_start,
        rpt_kpi_trends.actual_value
    from rpt_kpi_trends
    where
        rpt_kpi_trends.period_grain = $grain
        and rpt_kpi_trends.period_start = $period_start
        and rpt_kpi_trends.scope_id = $scope_id
    order by rpt_kpi_trends.kpi_id, rpt_kpi_trends.observation_period_start
"""


def kpi_values(wh: Warehouse, scope_id: str, grain: str, period_start: date) -> pl.DataFrame:
    """One row per KPI known at the period's end of the use cases in the reader's scope, in table
    order (rpt_kpi_values, keyed by period x scope_id): baseline, the latest actual on or before
    the period's end (its observation period), target, change from baseline, gap closed against
    expected, status (green, amber, red, stale, pre_launch), the before/after-launch means, and
    `actual_trend` (the actuals of the 26 weeks to the period's end, rpt_kpi_trends)."""
    params = {"grain": grain, "period_start": period_start, "scope_id": scope_id}
    return _with_sparklines(
        _frame(wh, KPI_VALUES_SQL, **params),
        _frame(wh, KPI_TRENDS_SQL, **params),
        "kpi_id",
        "observation_period_start",
        {"actual_trend": "actual_value"},
        drop_gaps=True,
    )


COST_AND_VALUE_SQL = """
    select rpt_cost_and_value.*
    from rpt_cost_and_value
    where
        rpt_cost_and_value.period_grain = $grain
        and rpt_cost_and_value.scope_id = $scope_id
        and rpt_cost_and_value.period_start between $first and $last
    order by rpt_cost_and_value.period_start
"""


def cost_and_value(
    wh: Warehouse, scope_id: str, grain: str, period_start: date
) -> dict[str, object] | None:
    """The period's rpt_cost_and_value row for the reader's scope: usage cost (reported,
    catalogue-priced), modelled seat cost, total, survey figures and the modelled value."""
    rows = _frame(
        wh,
        COST_AND_VALUE_SQL,
        grain=grain,
        scope_id=scope_id,
        first=period_start,
        last=period_start,
    ).to_dicts()
    return rows[0] if rows else None


def survey_trend(wh: Warehouse, scope_id: str, first: date, last: date) -> pl.DataFrame:
    """Monthly satisfaction and trust (1-5, mean over responses) of the reader's scope, months
    starting from `first` through `last`, long: month_start, measure, score, respondents.
    Months without a response, or hidden by the minimum group size, have no row."""
    months = _frame(
        wh, COST_AND_VALUE_SQL, grain="month", scope_id=scope_id, first=first, last=last
    )
    return (
        months.select(
            pl.col("period_start").alias("month_start"),
            "survey_respondents",
            pl.col("avg_satisfaction").alias("satisfaction"),
            pl.col("avg_trust").alias("trust"),
        )
        .unpivot(
            ["satisfaction", "trust"],
            index=["month_start", "survey_respondents"],
            variable_name="measure",
            value_name="score",
        )
        .drop_nulls("score")
        .sort("month_start", "measure")
    )


READINESS_SQL = """
    select
        rpt_readiness.use_case_id,
        rpt_readiness.use_case_name,
        rpt_readiness.portfolio_name,
        rpt_readiness.business_unit_id,
        rpt_readiness.stage,
        rpt_readiness.risk_tier,
        rpt_readiness.readiness_status,
        rpt_readiness.readiness_gaps,
        rpt_readiness.readiness_gap_count,
        coalesce(rpt_readiness.recommendation, 'not assessed') as recommendation,
        rpt_readiness.recommendation_reasons,
        rpt_readiness.priority_score,
        rpt_readiness.outcome_owner,
        rpt_readiness.platform_owner,
        rpt_readiness.risk_owner,
        rpt_readiness.measurement_owner,
        rpt_readiness.exit_criterion,
        rpt_readiness.pilot_start_date,
        rpt_readiness.production_date,
        rpt_readiness.as_of_date,
        rpt_readiness.window_start_date,
        rpt_readiness.as_of_date as window_end_date,
        rpt_readiness.window_reviews,
        rpt_readiness.window_override_rate_pct,
        rpt_readiness.window_quality_acceptance_pct,
        rpt_readiness.window_requests,
        rpt_readiness.window_policy_adherence_pct,
        rpt_readiness.kpis_known as kpis,
        rpt_readiness.kpis_on_track_for_scale,
        rpt_readiness.kpis_regressing,
        rpt_readiness.is_restated
    from rpt_readiness
    where
        rpt_readiness.period_grain = $grain
        and rpt_readiness.scope_id = $scope_id
        and (
            rpt_readiness.period_start = $period_start
            or ($period_start is null and rpt_readiness.is_period_to_date)
        )
    order by rpt_readiness.readiness_order
"""


def readiness(
    wh: Warehouse, scope: Scope, grain: str = "week", period_start: date | None = None
) -> pl.DataFrame:
    """One row per use case in the reader's scope, in table order (scale, redesign, hold, not
    assessed; then priority): stage, readiness, gaps, recommendation, reasons, owners and the
    evidence, as known at the end of the `grain` period starting on `period_start` (by default
    the week to date: as of the build), from rpt_readiness (keyed by period x scope_id)."""
    return _frame(
        wh, READINESS_SQL, grain=grain, period_start=period_start, scope_id=scope.scope_id
    )


def stage_funnel(wh: Warehouse, scope_id: str, grain: str, period_start: date) -> pl.DataFrame:
    """One row per lifecycle stage (in order) for a reading scope and period (rpt_stage_funnel):
    use cases at the stage, ready among them, and having reached it, as known at the period's
    end."""
    return _frame(
        wh,
        """
        select
            rpt_stage_funnel.stage,
            rpt_stage_funnel.stage_order,
            rpt_stage_funnel.use_cases,
            rpt_stage_funnel.ready_use_cases,
            rpt_stage_funnel.reached_use_cases,
            rpt_stage_funnel.is_restated
        from rpt_stage_funnel
        where
            rpt_stage_funnel.scope_id = $scope_id
            and rpt_stage_funnel.period_grain = $grain
            and rpt_stage_funnel.period_start = $period_start
        order by rpt_stage_funnel.stage_order
        """,
        scope_id=scope_id,
        grain=grain,
        period_start=period_start,
    )


def trust_by_business_unit(wh: Warehouse, scope_id: str, start: date, end: date) -> pl.DataFrame:
    """One row per week x business unit of one scope (rpt_risk_by_business_unit_weekly) with
    week_start in [start, end]: the unit's requests, policy and shadow-AI figures and survey
    means over the scope's cells, the minimum group size already applied (`is_suppressed`,
    `is_survey_suppressed`; survey figures only where the scope covers the whole unit)."""
    return _frame(
        wh,
        """
        select
            rpt_risk_by_business_unit_weekly.week_start,
            rpt_risk_by_business_unit_weekly.business_unit_id,
            rpt_risk_by_business_unit_weekly.business_unit_name,
            rpt_risk_by_business_unit_weekly.requests,
            rpt_risk_by_business_unit_weekly.policy_violations,
            rpt_risk_by_business_unit_weekly.policy_adherence_pct,
            rpt_risk_by_business_unit_weekly.shadow_ai_requests,
            rpt_risk_by_business_unit_weekly.shadow_ai_pct,
            rpt_risk_by_business_unit_weekly.classification_violations,
            rpt_risk_by_business_unit_weekly.blocked_requests,
            rpt_risk_by_business_unit_weekly.redacted_requests,
            rpt_risk_by_business_unit_weekly.requesting_users,
            rpt_risk_by_business_unit_weekly.survey_responses,
            rpt_risk_by_business_unit_weekly.survey_respondents,
            rpt_risk_by_business_unit_weekly.avg_satisfaction,
            rpt_risk_by_business_unit_weekly.avg_trust,
            rpt_risk_by_business_unit_weekly.is_suppressed,
            rpt_risk_by_business_unit_weekly.is_survey_suppressed
        from rpt_risk_by_business_unit_weekly
        where
            rpt_risk_by_business_unit_weekly.scope_id = $scope_id
            and rpt_risk_by_business_unit_weekly.week_start between $start and $end
        order by
            rpt_risk_by_business_unit_weekly.week_start,
            rpt_risk_by_business_unit_weekly.business_unit_name
        """,
        scope_id=scope_id,
        start=start,
        end=end,
    )


def shadow_ai_models(wh: Warehouse, scope_id: str, week: date) -> pl.DataFrame:
    """One row per shadow-AI model x business unit of one scope and week
    (rpt_shadow_ai_models_weekly), most requests first: rows under the minimum group size (and
    their complements) come flagged `is_suppressed` with null figures, and `hidden_rows_count`
    (the same on every row) says how many the week hides."""
    return _frame(
        wh,
        """
        select
            rpt_shadow_ai_models_weekly.provider,
            rpt_shadow_ai_models_weekly.model,
            rpt_shadow_ai_models_weekly.is_in_catalogue,
            rpt_shadow_ai_models_weekly.business_unit_id,
            rpt_shadow_ai_models_weekly.business_unit_name,
            rpt_shadow_ai_models_weekly.requests,
            rpt_shadow_ai_models_weekly.requesting_users,
            rpt_shadow_ai_models_weekly.is_suppressed,
            rpt_shadow_ai_models_weekly.hidden_rows_count
        from rpt_shadow_ai_models_weekly
        where
            rpt_shadow_ai_models_weekly.scope_id = $scope_id
            and rpt_shadow_ai_models_weekly.week_start = $week
        order by
            rpt_shadow_ai_models_weekly.requests desc nulls last,
            rpt_shadow_ai_models_weekly.provider,
            rpt_shadow_ai_models_weekly.model,
            rpt_shadow_ai_models_weekly.business_unit_name
        """,
        scope_id=scope_id,
        week=week,
    )


# ----------------------------------------------------------------------- monthly review


def kpi_series(wh: Warehouse, use_case_id: str, until: date | None = None) -> pl.DataFrame:
    """One row per KPI x period of one use case (fct_kpi_progress) up to `until`, with the
    KPI's name and unit (the configuration the build used) and the use case's production
    (launch) date."""
    return _frame(
        wh,
        """
        select
            fct_kpi_progress.kpi_id,
            coalesce(kpis.name, fct_kpi_progress.kpi_id) as kpi_name,
            kpis.unit,
            fct_kpi_progress.direction,
            fct_kpi_progress.period_start,
            fct_kpi_progress.baseline_value,
            fct_kpi_progress.actual_value,
            fct_kpi_progress.target_value,
            fct_kpi_progress.target_date,
            fct_kpi_progress.gap_closed_pct,
            fct_kpi_progress.expected_progress_pct,
            fct_kpi_progress.status,
            dim_use_cases.production_date
        from fct_kpi_progress
        left join config.kpis as kpis on fct_kpi_progress.kpi_id = kpis.kpi_id
        left join dim_use_cases on fct_kpi_progress.use_case_id = dim_use_cases.use_case_id
        where
            fct_kpi_progress.use_case_id = $use_case_id
            and ($until is null or fct_kpi_progress.period_start <= $until)
        order by fct_kpi_progress.kpi_id, fct_kpi_progress.period_start
        """,
        use_case_id=use_case_id,
        until=until,
    )


KPI_EFFECTS_SQL = """
    select
        rpt_kpi_values.kpi_id,
        rpt_kpi_values.use_case_id,
        rpt_kpi_values.use_case_name,
        rpt_kpi_values.kpi_name,
        rpt_kpi_values.unit,
        rpt_kpi_values.direction,
        rpt_kpi_values.effect_design,
        rpt_kpi_values.effect_comparison,
        rpt_kpi_values.effect_verdict,
        rpt_kpi_values.effect_verdict_text,
        rpt_kpi_values.effect,
        rpt_kpi_values.effect_ci_low,
        rpt_kpi_values.effect_ci_high,
        rpt_kpi_values.is_effect_interim,
        rpt_kpi_values.is_effect_suppressed,
        rpt_kpi_values.period_label,
        rpt_kpi_values.as_of_date
    from rpt_kpi_values
    where
        rpt_kpi_values.period_grain = $grain
        and rpt_kpi_values.scope_id = $scope_id
        and (
            rpt_kpi_values.period_start = $period_start
            or ($period_start is null and rpt_kpi_values.is_period_to_date)
        )
        and ($use_case_id is null or rpt_kpi_values.use_case_id = $use_case_id)
    order by rpt_kpi_values.kpi_order
"""


def kpi_effects(
    wh: Warehouse,
    scope_id: str,
    grain: str,
    period_start: date | None = None,
    use_case_id: str | None = None,
) -> pl.DataFrame:
    """One row per KPI known at the end of the `grain` period starting on `period_start` (None:
    the period to date, as of the build) of the use cases in the reader's scope (or of one
    use case), in table order: the effect of the launch with its 95% interval, design,
    comparison, verdict and the verdict in words, as known at the period's end
    (rpt_kpi_values, keyed by period x scope_id, from fct_kpi_effects); effect and interval
    null and `is_effect_suppressed` below the minimum group size."""
    return _frame(
        wh,
        KPI_EFFECTS_SQL,
        grain=grain,
        period_start=period_start,
        scope_id=scope_id,
        use_case_id=use_case_id,
    )


def use_case_months(wh: Warehouse, scope_id: str, start: date, end: date) -> pl.DataFrame:
    """One row per month in [start, end] x use case the reader's scope covered as known at that
    month's end (rpt_use_case_scorecard's month rows, keyed by month x scope_id), oldest first:
    `month_start`, the use case's name then, active users (null and `is_suppressed` below the
    minimum group size), quality acceptance and override rate of that month."""
    return _frame(
        wh,
        """
        select
            rpt_use_case_scorecard.period_start as month_start,
            rpt_use_case_scorecard.use_case_id,
            rpt_use_case_scorecard.use_case_name,
            rpt_use_case_scorecard.active_users,
            rpt_use_case_scorecard.is_suppressed,
            rpt_use_case_scorecard.quality_acceptance_pct,
            rpt_use_case_scorecard.override_rate_pct
        from rpt_use_case_scorecard
        where
            rpt_use_case_scorecard.period_grain = 'month'
            and rpt_use_case_scorecard.scope_id = $scope_id
            and rpt_use_case_scorecard.period_start between $start and $end
        order by rpt_use_case_scorecard.period_start, rpt_use_case_scorecard.use_case_name
        """,
        scope_id=scope_id,
        start=start,
        end=end,
    )


def adoption_by_business_unit(wh: Warehouse, scope_id: str, start: date, end: date) -> pl.DataFrame:
    """One row per month in [start, end] x business unit the reader's scope covers
    (rpt_adoption_by_business_unit_monthly, keyed by month x scope_id), oldest first: active
    users, eligible headcount (as configured at the month's end), penetration, and enablement
    (trained active users, coverage, champions); people figures null and `is_suppressed` below
    the minimum group size or as a complement."""
    return _frame(
        wh,
        """
        select
            rpt_adoption_by_business_unit_monthly.month_start,
            rpt_adoption_by_business_unit_monthly.business_unit_id,
            rpt_adoption_by_business_unit_monthly.business_unit_name,
            rpt_adoption_by_business_unit_monthly.active_users,
            rpt_adoption_by_business_unit_monthly.eligible_headcount,
            rpt_adoption_by_business_unit_monthly.penetration_pct,
            rpt_adoption_by_business_unit_monthly.trained_active_users,
            rpt_adoption_by_business_unit_monthly.enablement_coverage_pct,
            rpt_adoption_by_business_unit_monthly.champion_active_users,
            rpt_adoption_by_business_unit_monthly.is_suppressed
        from rpt_adoption_by_business_unit_monthly
        where
            rpt_adoption_by_business_unit_monthly.scope_id = $scope_id
            and rpt_adoption_by_business_unit_monthly.month_start between $start and $end
        order by
            rpt_adoption_by_business_unit_monthly.month_start,
            rpt_adoption_by_business_unit_monthly.business_unit_name
        """,
        scope_id=scope_id,
        start=start,
        end=end,
    )


# ------------------------------------------------------------------------ weekly review


def operations_breakdown(
    wh: Warehouse, scope_id: str, start: date, end: date, by: str
) -> pl.DataFrame:
    """One row per week x `by` item ('model' or 'use_case') with model calls in [start, end],
    for a reading scope (rpt_operations_breakdown_weekly): requests, errors, tokens, cost and
    its reported / catalogue-priced split; `breakdown` names the item (a model, or a use
    case's name, untagged usage 'unassigned'). Oldest first."""
    return _frame(
        wh,
        """
        select
            rpt_operations_breakdown_weekly.week_start,
            rpt_operations_breakdown_weekly.item_label as breakdown,
            rpt_operations_breakdown_weekly.item_id,
            rpt_operations_breakdown_weekly.requests,
            rpt_operations_breakdown_weekly.errored_requests,
            rpt_operations_breakdown_weekly.error_rate_pct,
            rpt_operations_breakdown_weekly.input_tokens,
            rpt_operations_breakdown_weekly.output_tokens,
            rpt_operations_breakdown_weekly.cost_usd,
            rpt_operations_breakdown_weekly.reported_cost_usd,
            rpt_operations_breakdown_weekly.priced_cost_usd,
            rpt_operations_breakdown_weekly.unpriced_requests
        from rpt_operations_breakdown_weekly
        where
            rpt_operations_breakdown_weekly.scope_id = $scope_id
            and rpt_operations_breakdown_weekly.breakdown_kind = $by
            and rpt_operations_breakdown_weekly.week_start between $start and $end
        order by
            rpt_operations_breakdown_weekly.week_start,
            rpt_operations_breakdown_weekly.item_label
        """,
        scope_id=scope_id,
        by=by,
        start=start,
        end=end,
    )


def latency_by_model_use_case(wh: Warehouse, scope_id: str, week: date) -> pl.DataFrame:
    """One row per use case x model with requests in one week, for a reading scope
    (rpt_latency_by_model_use_case_weekly): requests, errors, error rate, latency p50/p95 and
    their RAG bands (`latency_p95_status`, `error_rate_status`, the worse as `status`), all
    decided in dbt. Worst first: red, then amber, then green; slowest p95 first within each."""
    return _frame(
        wh,
        """
        select
            rpt_latency_by_model_use_case_weekly.use_case_id,
            rpt_latency_by_model_use_case_weekly.use_case_name,
            rpt_latency_by_model_use_case_weekly.model,
            rpt_latency_by_model_use_case_weekly.status,
            rpt_latency_by_model_use_case_weekly.latency_p95_status,
            rpt_latency_by_model_use_case_weekly.error_rate_status,
            rpt_latency_by_model_use_case_weekly.requests,
            rpt_latency_by_model_use_case_weekly.errored_requests,
            rpt_latency_by_model_use_case_weekly.error_rate_pct,
            rpt_latency_by_model_use_case_weekly.timed_requests,
            rpt_latency_by_model_use_case_weekly.latency_p50_ms,
            rpt_latency_by_model_use_case_weekly.latency_p95_ms
        from rpt_latency_by_model_use_case_weekly
        where
            rpt_latency_by_model_use_case_weekly.scope_id = $scope_id
            and rpt_latency_by_model_use_case_weekly.week_start = $week
        order by
            case rpt_latency_by_model_use_case_weekly.status
                when 'red' then 1 when 'amber' then 2 else 3
            end,
            rpt_latency_by_model_use_case_weekly.latency_p95_ms desc nulls last,
            rpt_latency_by_model_use_case_weekly.error_rate_pct desc,
            rpt_latency_by_model_use_case_weekly.use_case_name,
            rpt_latency_by_model_use_case_weekly.model
        """,
        scope_id=scope_id,
        week=week,
    )


def workflow_weekly(
    wh: Warehouse,
    scope: Scope,
    start: date | None,
    end: date | None,
    use_case_id: str | None = None,
) -> pl.DataFrame:
    """fct_workflow_weekly rows (week x use case) in scope in [start, end] (None: unbounded),
    with use case names, oldest first. The scope is today's (dim_use_cases): for the use-case
    detail page; a review reads workflow_week_rows (as known at each week's end)."""
    return _frame(
        wh,
        f"""
        select dim_use_cases.use_case_name, fct_workflow_weekly.*
        from fct_workflow_weekly
        left join dim_use_cases on fct_workflow_weekly.use_case_id = dim_use_cases.use_case_id
        where
            fct_workflow_weekly.use_case_id in ({USE_CASES_IN_SCOPE})
            and ($use_case_id is null or fct_workflow_weekly.use_case_id = $use_case_id)
            and ($start is null or fct_workflow_weekly.week_start >= $start)
            and ($end is null or fct_workflow_weekly.week_start <= $end)
        order by fct_workflow_weekly.week_start, dim_use_cases.use_case_name
        """,
        start=start,
        end=end,
        use_case_id=use_case_id,
        **scope.params(),
    )


def workflow_week_rows(wh: Warehouse, scope_id: str, start: date, end: date) -> pl.DataFrame:
    """rpt_workflow_weekly rows (week x use case) of a reading scope in [start, end], oldest
    first: each use case in the scopes of its portfolio and business unit as known at the
    week's end."""
    return _frame(
        wh,
        """
        select rpt_workflow_weekly.*
        from rpt_workflow_weekly
        where
            rpt_workflow_weekly.scope_id = $scope_id
            and rpt_workflow_weekly.week_start between $start and $end
        order by rpt_workflow_weekly.week_start, rpt_workflow_weekly.use_case_name
        """,
        scope_id=scope_id,
        start=start,
        end=end,
    )


def user_lifecycle(wh: Warehouse, scope_id: str, start: date, end: date) -> pl.DataFrame:
    """rpt_user_lifecycle_weekly rows (week x lifecycle group: new, returning, lapsed) of a
    reading scope in [start, end], suppressed in dbt (`users_count` null, `is_suppressed`)."""
    return _frame(
        wh,
        """
        select
            rpt_user_lifecycle_weekly.week_start,
            rpt_user_lifecycle_weekly.lifecycle_group,
            rpt_user_lifecycle_weekly.users_count,
            rpt_user_lifecycle_weekly.is_suppressed
        from rpt_user_lifecycle_weekly
        where
            rpt_user_lifecycle_weekly.scope_id = $scope_id
            and rpt_user_lifecycle_weekly.week_start between $start and $end
        order by
            rpt_user_lifecycle_weekly.week_start, rpt_user_lifecycle_weekly.lifecycle_order
        """,
        scope_id=scope_id,
        start=start,
        end=end,
    )


def license_utilisation(wh: Warehouse, scope_id: str, week: date) -> pl.DataFrame:
    """rpt_license_utilisation_weekly rows (one per licensed tool) of a reading scope and week,
    suppressed in dbt (null figures, `is_suppressed`). No rows for a scope that covers no
    whole business unit (a portfolio): seats belong to business units."""
    return _frame(
        wh,
        """
        select rpt_license_utilisation_weekly.*
        from rpt_license_utilisation_weekly
        where
            rpt_license_utilisation_weekly.scope_id = $scope_id
            and rpt_license_utilisation_weekly.week_start = $week
        order by rpt_license_utilisation_weekly.tool
        """,
        scope_id=scope_id,
        week=week,
    )


def unit_costs_week(wh: Warehouse, scope_id: str, week: date) -> pl.DataFrame:
    """rpt_unit_costs_weekly rows (one per use case of a reading scope, 'unassigned' in the
    organisation's) of one week, most expensive first: each use case's whole figures, in the
    scopes of its portfolio and business unit as known at the week's end."""
    return _frame(
        wh,
        """
        select rpt_unit_costs_weekly.*
        from rpt_unit_costs_weekly
        where
            rpt_unit_costs_weekly.scope_id = $scope_id
            and rpt_unit_costs_weekly.week_start = $week
        order by rpt_unit_costs_weekly.cost_usd desc, rpt_unit_costs_weekly.use_case_name
        """,
        scope_id=scope_id,
        week=week,
    )


def agent_periods(wh: Warehouse, scope_id: str, grain: str, period_start: date) -> pl.DataFrame:
    """rpt_agent_periods rows of one reading scope and period (one per agent with runs), shadow
    agents first, then the lowest success rate: runs, success rate, tool errors, p95 duration,
    cost per successful run with their RAG statuses (decided in dbt), the use case, its owner
    and recommendation."""
    return _frame(
        wh,
        """
        select rpt_agent_periods.*
        from rpt_agent_periods
        where
            rpt_agent_periods.scope_id = $scope_id
            and rpt_agent_periods.period_grain = $grain
            and rpt_agent_periods.period_start = $period_start
        order by
            rpt_agent_periods.is_shadow_agent desc,
            rpt_agent_periods.success_rate_pct,
            rpt_agent_periods.runs desc,
            rpt_agent_periods.agent_id
        """,
        scope_id=scope_id,
        grain=grain,
        period_start=period_start,
    )


# -------------------------------------------------------------------- use-case detail


def operations_for_use_case(wh: Warehouse, use_case_id: str) -> pl.DataFrame:
    """fct_operations_weekly rows (week x model) of one use case, oldest first."""
    return _frame(
        wh,
        """
        select fct_operations_weekly.*
        from fct_operations_weekly
        where fct_operations_weekly.use_case_id = $use_case_id
        order by fct_operations_weekly.week_start, fct_operations_weekly.model
        """,
        use_case_id=use_case_id,
    )


def unit_costs(wh: Warehouse, use_case_id: str) -> pl.DataFrame:
    """fct_unit_costs_weekly rows (one per week) of one use case, oldest first."""
    return _frame(
        wh,
        """
        select fct_unit_costs_weekly.*
        from fct_unit_costs_weekly
        where fct_unit_costs_weekly.use_case_id = $use_case_id
        order by fct_unit_costs_weekly.week_start
        """,
        use_case_id=use_case_id,
    )


def adoption_for_use_case(wh: Warehouse, use_case_id: str) -> pl.DataFrame:
    """One row per week of one use case (rpt_use_case_adoption_weekly), oldest first: active
    users (null and `is_suppressed` below the minimum group size) and requests."""
    return _frame(
        wh,
        """
        select
            rpt_use_case_adoption_weekly.week_start,
            rpt_use_case_adoption_weekly.active_users,
            rpt_use_case_adoption_weekly.requests,
            rpt_use_case_adoption_weekly.is_suppressed
        from rpt_use_case_adoption_weekly
        where rpt_use_case_adoption_weekly.use_case_id = $use_case_id
        order by rpt_use_case_adoption_weekly.week_start
        """,
        use_case_id=use_case_id,
    )


# ------------------------------------------------------------------------- data health


def data_health(wh: Warehouse) -> pl.DataFrame:
    """fct_data_health: one row per landing-zone entity, by entity: rows, quarantine, refused
    files, latest event and ingestion, and the freshness deadlines (`fresh_until_at`,
    `error_after_at`) that app/freshness.py compares with the clock. Cached with the build:
    the deadlines change only with one."""
    return _frame(wh, "select * from fct_data_health order by fct_data_health.entity")


def quarantine_reasons(wh: Warehouse) -> pl.DataFrame:
    """fct_quarantine_reasons: one row per entity x reason, most rows first."""
    return _frame(
        wh,
        """
        select *
        from fct_quarantine_reasons
        order by
            fct_quarantine_reasons.entity,
            fct_quarantine_reasons.quarantined_rows desc,
            fct_quarantine_reasons.reason
        """,
    )


def quarantine_samples(wh: Warehouse) -> pl.DataFrame:
    """fct_quarantine_samples: up to three located rows per entity x reason."""
    return _frame(
        wh,
        """
        select *
        from fct_quarantine_samples
        order by
            fct_quarantine_samples.entity,
            fct_quarantine_samples.reason,
            fct_quarantine_samples.sample_number
        """,
    )


def unknown_references(wh: Warehouse) -> pl.DataFrame:
    """fct_unknown_references: one row per entity x column x unknown id, most rows first."""
    return _frame(
        wh,
        """
        select *
        from fct_unknown_references
        order by
            fct_unknown_references.rows desc,
            fct_unknown_references.entity,
            fct_unknown_references.column_name,
            fct_unknown_references.unknown_value
        """,
    )


def rejected_files(wh: Warehouse) -> pl.DataFrame:
    """fct_rejected_files: one row per input file refused whole, newest first."""
    return _frame(
        wh, "select * from fct_rejected_files order by fct_rejected_files.rejected_at desc"
    )


def usage_reconciliation(wh: Warehouse) -> pl.DataFrame:
    """rpt_usage_reconciliation: each provider report's last 28 days beside the per-call
    model calls of the same days, largest cost difference first."""
    return _frame(
        wh,
        """
        select *
        from rpt_usage_reconciliation
        order by
            abs(coalesce(rpt_usage_reconciliation.cost_usd_difference_pct, 0)) desc,
            abs(coalesce(rpt_usage_reconciliation.requests_difference_pct, 0)) desc,
            rpt_usage_reconciliation.provider,
            rpt_usage_reconciliation.source
        """,
    )


# one row, stamped by `cadence build`; a build stamped before tests_run / tests_failed were
# stamped lacks them (shown as a dash), one stamped before tests_passed / tests_warned /
# tests_skipped lacks those (its tests_failed then counted every test that did not pass)
BUILD_SQL = """
select cadence_build.*
from main.cadence_build as cadence_build
"""
TEST_COUNTS = ("tests_run", "tests_passed", "tests_warned", "tests_failed", "tests_skipped")


def _build_summary(path: Path, sql: str) -> dict[str, object]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(sql).pl().row(0, named=True)
    finally:
        con.close()


@st.cache_data(ttl=60, show_spinner=False)
def builds(
    build_id: str, home: str, history: tuple[str, ...], failed: tuple[tuple[str, str], ...]
) -> pl.DataFrame:
    """One row per kept build (published history, newest first, then failed builds): status,
    publication time, and the dbt tests the build ran, with how many passed, warned (a test
    of `severity: warn`, which never blocks a publish), failed and were skipped, as `cadence
    build` stamped them (`main.cadence_build`)."""
    rows: list[dict[str, object]] = []
    for kept in history:
        row: dict[str, object] = {
            "build_id": kept,
            "status": "published" if kept == build_id else "kept for rollback",
        }
        try:
            summary = _build_summary(build_path(Path(home), kept), BUILD_SQL)
            row["published_at"] = summary["published_at"]
            row.update({count: summary.get(count) for count in TEST_COUNTS})
        except duckdb.Error:
            row["status"] += " (file unreadable)"
        rows.append(row)
    for failed_id, failed_path in failed:
        row = {"build_id": failed_id, "status": "failed"}
        try:
            summary = _build_summary(Path(failed_path), BUILD_SQL)
            row.update({count: summary.get(count) for count in TEST_COUNTS})
        except duckdb.Error:
            row["status"] = "failed (file unreadable)"
        rows.append(row)
    schema = {
        "build_id": pl.String,
        "status": pl.String,
        "published_at": pl.Datetime(time_zone="UTC"),
        **dict.fromkeys(TEST_COUNTS, pl.Int64),
    }
    return pl.DataFrame(rows, schema=schema, strict=False)


def kept_builds(wh: Warehouse) -> pl.DataFrame:
    """The published build, the builds kept for rollback and the failed builds on disk."""
    home = settings.cadence_home()
    failed = tuple((build_id, str(path)) for build_id, path in failed_builds(home))
    return builds(wh.build_id, str(home), wh.history or (wh.build_id,), failed)
