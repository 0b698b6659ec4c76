"""Data access for the review app: the published warehouse, read-only.

Every query reads the file named by `$CADENCE_HOME/published.json`, through a read-only DuckDB
connection cached per published file (`st.cache_resource`) with a fresh `.cursor()` per
query. Results are cached with `st.cache_data`, keyed by the build id, so a newly published
build is picked up on the next rerun without a restart and never mixed with the previous one.

Queries select from the public marts (`fct_`, `dim_`, `rpt_`) with bound parameters only;
identifiers (grain, breakdown column) come from whitelists. The app filters, orders and shapes
rows (lists for sparklines); it never defines a metric. Two configuration seeds are read as
labels, not metrics: `config.business_units` (names) and `config.thresholds` (RAG bands drawn
as rules on charts).
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

ACTIVITY_ENTITIES = ["requests", "activity", "workflow_events"]


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


def build_stamp(wh: Warehouse) -> pl.DataFrame:
    """One row: the build id and publication time stamped inside the published file."""
    return _frame(wh, "select build_id, published_at from main.cadence_build")


def freshness(wh: Warehouse) -> pl.DataFrame:
    """One row per landed entity: freshness status, latest event and ingestion times."""
    return _frame(
        wh,
        """
        select
            fct_data_health.entity,
            fct_data_health.freshness_status,
            fct_data_health.latest_event_at,
            fct_data_health.latest_ingested_at,
            fct_data_health.hours_since_ingestion,
            list_contains($activity_entities, fct_data_health.entity) as is_activity_source
        from fct_data_health
        order by fct_data_health.entity
        """,
        activity_entities=ACTIVITY_ENTITIES,
    )


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
    """One row per portfolio with use cases: id and name."""
    return _frame(
        wh,
        """
        select distinct dim_use_cases.portfolio_id, dim_use_cases.portfolio_name
        from dim_use_cases
        order by dim_use_cases.portfolio_name
        """,
    )


def use_cases(wh: Warehouse, scope: Scope) -> pl.DataFrame:
    """One row per use case in scope: id, name, portfolio, stage (by portfolio, name)."""
    return _frame(
        wh,
        f"""
        select
            dim_use_cases.use_case_id,
            dim_use_cases.use_case_name,
            dim_use_cases.portfolio_name,
            dim_use_cases.stage
        from dim_use_cases
        where dim_use_cases.use_case_id in ({USE_CASES_IN_SCOPE})
        order by dim_use_cases.portfolio_name, dim_use_cases.use_case_name
        """,
        **scope.params(),
    )


THRESHOLD_METRICS = frozenset(
    {
        "penetration_pct",
        "enablement_coverage_pct",
        "license_utilisation_pct",
        "error_rate_pct",
        "latency_p95_ms",
        "policy_adherence_pct",
        "shadow_ai_pct",
        "completion_rate_pct",
        "override_rate_pct",
        "quality_acceptance_pct",
        "exception_rate_pct",
        "data_freshness_hours",
        "kpi_progress_shortfall_pct",
        "week_over_week_change_pct",
    }
)


def thresholds(wh: Warehouse) -> dict[str, dict[str, object]]:
    """RAG bands from seeds/thresholds.csv: metric -> {direction, green, amber}."""
    frame = _frame(
        wh,
        """
        select thresholds.metric, thresholds.direction, thresholds.green, thresholds.amber
        from config.thresholds as thresholds
        where list_contains($metrics, thresholds.metric)
        """,
        metrics=sorted(THRESHOLD_METRICS),
    )
    return {row["metric"]: row for row in frame.iter_rows(named=True)}


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
            rpt_review_decisions.why
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


def quarterly_headline(wh: Warehouse, quarter: date) -> pl.DataFrame:
    """Up to two rows of rpt_quarterly_executive: the quarter and the one before (newest first)."""
    return _frame(
        wh,
        """
        select *
        from rpt_quarterly_executive
        where rpt_quarterly_executive.quarter_start <= $quarter
        order by rpt_quarterly_executive.quarter_start desc
        limit 2
        """,
        quarter=quarter,
    )


SCORECARD_SQL = f"""
with

scoped as ({USE_CASES_IN_SCOPE}),

months as (
    select rpt_monthly_portfolio.*
    from rpt_monthly_portfolio
    where
        rpt_monthly_portfolio.use_case_id in (select scoped.use_case_id from scoped)
        and rpt_monthly_portfolio.month_start between $trend_start and $period_end
),

months_in_period as (
    select months.* from months where months.month_start >= $period_start
),

latest_month as (
    select months_in_period.*
    from months_in_period
    qualify row_number() over (
        partition by months_in_period.use_case_id order by months_in_period.month_start desc
    ) = 1
),

period_costs as (
    select
        months_in_period.use_case_id,
        cast(sum(months_in_period.requests) as bigint) as period_requests,
        sum(months_in_period.cost_usd) as period_cost_usd,
        sum(months_in_period.reported_cost_usd) as period_reported_cost_usd,
        sum(months_in_period.priced_cost_usd) as period_priced_cost_usd
    from months_in_period
    group by 1
),

as_of as (
    select fct_use_case_periods.*
    from fct_use_case_periods
    where
        fct_use_case_periods.period_grain = $grain
        and fct_use_case_periods.period_start <= $period_start
        and fct_use_case_periods.period_end >= $period_start
),

trends as (
    select
        months.use_case_id,
        list(months.active_users order by months.month_start) as active_users_trend,
        list(months.avg_gap_closed_pct order by months.month_start) as gap_closed_trend,
        list(months.cost_usd order by months.month_start) as cost_trend
    from months
    group by 1
)

select
    dim_use_cases.use_case_id,
    dim_use_cases.use_case_name,
    dim_use_cases.portfolio_name,
    as_of.stage,
    as_of.readiness_status,
    coalesce(as_of.recommendation, 'not assessed') as recommendation,
    dim_use_cases.outcome_owner,
    dim_use_cases.platform_owner,
    dim_use_cases.risk_owner,
    dim_use_cases.measurement_owner,
    dim_use_cases.priority_score,
    latest_month.month_start as latest_month_start,
    latest_month.active_users,
    latest_month.kpis_reported,
    as_of.kpis_green,
    as_of.kpis_amber,
    as_of.kpis_red,
    as_of.kpis_stale,
    as_of.kpis_pre_launch,
    latest_month.avg_gap_closed_pct,
    latest_month.avg_expected_progress_pct,
    latest_month.quality_acceptance_pct,
    latest_month.override_rate_pct,
    latest_month.policy_adherence_pct,
    period_costs.period_requests,
    period_costs.period_cost_usd,
    period_costs.period_reported_cost_usd,
    period_costs.period_priced_cost_usd,
    trends.active_users_trend,
    trends.gap_closed_trend,
    trends.cost_trend
from dim_use_cases
inner join as_of on dim_use_cases.use_case_id = as_of.use_case_id
left join latest_month on dim_use_cases.use_case_id = latest_month.use_case_id
left join period_costs on dim_use_cases.use_case_id = period_costs.use_case_id
left join trends on dim_use_cases.use_case_id = trends.use_case_id
where dim_use_cases.use_case_id in (select scoped.use_case_id from scoped)
order by dim_use_cases.portfolio_name, dim_use_cases.priority_score desc, dim_use_cases.use_case_name
"""


def use_case_scorecard(
    wh: Warehouse, scope: Scope, grain: str, period_start: date, trend_periods: int = 12
) -> pl.DataFrame:
    """One row per use case in scope for a month or quarter (from rpt_monthly_portfolio).

    Stage, readiness, recommendation and the KPI status counts are as known at the period's end
    (fct_use_case_periods: stale and pre-launch KPIs are neither green, amber nor red); other
    figures are those of the period's latest month (active users, rates); requests and cost are the period's months added up (additive sums);
    `*_trend` lists hold the monthly values of the trailing `trend_periods` months.
    """
    end = period_end(grain, period_start)
    trend_start = shift_period("month", date(end.year, end.month, 1), -(trend_periods - 1))
    return _frame(
        wh,
        SCORECARD_SQL,
        grain=grain,
        period_start=period_start,
        period_end=end,
        trend_start=trend_start,
        **scope.params(),
    )


KPI_VALUES_SQL = f"""
with

scoped as ({USE_CASES_IN_SCOPE}),

progress as (
    select fct_kpi_progress.*
    from fct_kpi_progress
    where
        fct_kpi_progress.use_case_id in (select scoped.use_case_id from scoped)
        and fct_kpi_progress.period_start <= $period_end
),

latest_in_period as (
    select progress.*
    from progress
    where progress.period_start >= $period_start
    qualify row_number() over (
        partition by progress.kpi_id order by progress.period_start desc
    ) = 1
),

trends as (
    select progress.kpi_id, list(progress.actual_value order by progress.period_start) as actual_trend
    from progress
    where progress.period_start >= $trend_start
    group by 1
)

select
    latest_in_period.kpi_id,
    dim_use_cases.use_case_id,
    dim_use_cases.use_case_name,
    dim_use_cases.portfolio_name,
    fct_kpi_launch_comparison.kpi_name,
    fct_kpi_launch_comparison.unit,
    latest_in_period.direction,
    latest_in_period.period_start,
    latest_in_period.period_end_date,
    latest_in_period.baseline_value,
    latest_in_period.actual_value,
    latest_in_period.target_value,
    latest_in_period.target_date,
    latest_in_period.change_from_baseline,
    latest_in_period.gap_closed_pct,
    latest_in_period.expected_progress_pct,
    latest_in_period.status,
    fct_kpi_launch_comparison.mean_before_launch,
    fct_kpi_launch_comparison.mean_after_launch,
    fct_kpi_launch_comparison.change_after_launch,
    fct_kpi_launch_comparison.improvement_pct,
    trends.actual_trend
from latest_in_period
left join dim_use_cases on latest_in_period.use_case_id = dim_use_cases.use_case_id
left join fct_kpi_launch_comparison on latest_in_period.kpi_id = fct_kpi_launch_comparison.kpi_id
left join trends on latest_in_period.kpi_id = trends.kpi_id
order by dim_use_cases.portfolio_name, dim_use_cases.use_case_name, fct_kpi_launch_comparison.kpi_name
"""


def kpi_values(
    wh: Warehouse, scope: Scope, grain: str, period_start: date, trend_weeks: int = 26
) -> pl.DataFrame:
    """One row per KPI of the use cases in scope, at its latest period within the period.

    Observed values only (fct_kpi_progress, fct_kpi_launch_comparison): baseline, actual,
    target, change from baseline in the KPI's unit, gap closed vs expected, RAG status, the
    before/after-launch means, and `actual_trend` (the trailing `trend_weeks` weeks' actuals).
    """
    end = period_end(grain, period_start)
    return _frame(
        wh,
        KPI_VALUES_SQL,
        period_start=period_start,
        period_end=end,
        trend_start=end - timedelta(weeks=trend_weeks),
        **scope.params(),
    )


READINESS_SQL = f"""
with

as_of as (
    select fct_use_case_periods.*
    from fct_use_case_periods
    where
        fct_use_case_periods.period_grain = $grain
        and (
            ($period_start is null and fct_use_case_periods.is_period_to_date)
            or (
                fct_use_case_periods.period_start <= $period_start
                and fct_use_case_periods.period_end >= $period_start
            )
        )
)

select
    dim_use_cases.use_case_id,
    dim_use_cases.use_case_name,
    dim_use_cases.portfolio_name,
    dim_use_cases.business_unit_id,
    as_of.stage,
    dim_use_cases.risk_tier,
    as_of.readiness_status,
    as_of.readiness_gaps,
    as_of.readiness_gap_count,
    coalesce(as_of.recommendation, 'not assessed') as recommendation,
    as_of.recommendation_reasons,
    dim_use_cases.priority_score,
    dim_use_cases.outcome_owner,
    dim_use_cases.platform_owner,
    dim_use_cases.risk_owner,
    dim_use_cases.measurement_owner,
    dim_use_cases.exit_criterion,
    dim_use_cases.pilot_start_date,
    dim_use_cases.production_date,
    as_of.as_of_date,
    as_of.window_start_date,
    as_of.as_of_date as window_end_date,
    as_of.window_reviews,
    as_of.window_override_rate_pct,
    as_of.window_quality_acceptance_pct,
    as_of.window_requests,
    as_of.window_policy_adherence_pct,
    as_of.kpis_known as kpis,
    as_of.kpis_on_track_for_scale,
    as_of.kpis_regressing
from dim_use_cases
inner join as_of on dim_use_cases.use_case_id = as_of.use_case_id
where dim_use_cases.use_case_id in ({USE_CASES_IN_SCOPE})
order by
    case as_of.recommendation
        when 'scale' then 1 when 'redesign' then 2 when 'hold' then 3 else 4
    end,
    dim_use_cases.priority_score desc,
    dim_use_cases.use_case_name
"""


def readiness(
    wh: Warehouse, scope: Scope, grain: str = "week", period_start: date | None = None
) -> pl.DataFrame:
    """One row per use case in scope: stage, readiness, gaps, recommendation, reasons and the
    evidence, as known at the end of the `grain` period holding `period_start` (by default the
    week to date: as of the build), from fct_use_case_periods."""
    return _frame(wh, READINESS_SQL, grain=grain, period_start=period_start, **scope.params())


def stage_funnel(wh: Warehouse, scope: Scope) -> pl.DataFrame:
    """One row per lifecycle stage (in order): use cases at, ready at and having reached it.

    Counts of use cases added up over the portfolios in scope (fct_stage_funnel's grain is
    portfolio x stage; the business-unit filter does not apply to it).
    """
    return _frame(
        wh,
        """
        select
            fct_stage_funnel.stage,
            fct_stage_funnel.stage_order,
            cast(sum(fct_stage_funnel.use_cases) as bigint) as use_cases,
            cast(sum(fct_stage_funnel.ready_use_cases) as bigint) as ready_use_cases,
            cast(sum(fct_stage_funnel.reached_use_cases) as bigint) as reached_use_cases
        from fct_stage_funnel
        where $portfolio_id is null or fct_stage_funnel.portfolio_id = $portfolio_id
        group by 1, 2
        order by 2
        """,
        portfolio_id=scope.portfolio_id,
    )


def weekly_platform(wh: Warehouse, start: date, end: date) -> pl.DataFrame:
    """rpt_weekly_operations rows (platform-wide, one per week) with week_start in [start, end]."""
    return _frame(
        wh,
        """
        select *
        from rpt_weekly_operations
        where rpt_weekly_operations.week_start between $start and $end
        order by rpt_weekly_operations.week_start
        """,
        start=start,
        end=end,
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
    KPI's name and unit and the use case's production (launch) date."""
    return _frame(
        wh,
        """
        select
            fct_kpi_progress.kpi_id,
            fct_kpi_launch_comparison.kpi_name,
            fct_kpi_launch_comparison.unit,
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
        left join fct_kpi_launch_comparison
            on fct_kpi_progress.kpi_id = fct_kpi_launch_comparison.kpi_id
        left join dim_use_cases on fct_kpi_progress.use_case_id = dim_use_cases.use_case_id
        where
            fct_kpi_progress.use_case_id = $use_case_id
            and ($until is null or fct_kpi_progress.period_start <= $until)
        order by fct_kpi_progress.kpi_id, fct_kpi_progress.period_start
        """,
        use_case_id=use_case_id,
        until=until,
    )


def launch_comparison(wh: Warehouse, use_case_id: str) -> pl.DataFrame:
    """One row per KPI of one use case: observed means before and after launch, and the change."""
    return _frame(
        wh,
        """
        select
            fct_kpi_launch_comparison.kpi_id,
            fct_kpi_launch_comparison.kpi_name,
            fct_kpi_launch_comparison.unit,
            fct_kpi_launch_comparison.direction,
            fct_kpi_launch_comparison.production_date,
            fct_kpi_launch_comparison.periods_before_launch,
            fct_kpi_launch_comparison.mean_before_launch,
            fct_kpi_launch_comparison.periods_after_launch,
            fct_kpi_launch_comparison.mean_after_launch,
            fct_kpi_launch_comparison.change_after_launch,
            fct_kpi_launch_comparison.improvement_pct
        from fct_kpi_launch_comparison
        where fct_kpi_launch_comparison.use_case_id = $use_case_id
        order by fct_kpi_launch_comparison.kpi_name
        """,
        use_case_id=use_case_id,
    )


def use_case_months(wh: Warehouse, scope: Scope, start: date, end: date) -> pl.DataFrame:
    """rpt_monthly_portfolio rows (month x use case) in scope with month_start in [start, end]."""
    return _frame(
        wh,
        f"""
        select rpt_monthly_portfolio.*
        from rpt_monthly_portfolio
        where
            rpt_monthly_portfolio.use_case_id in ({USE_CASES_IN_SCOPE})
            and rpt_monthly_portfolio.month_start between $start and $end
        order by rpt_monthly_portfolio.month_start, rpt_monthly_portfolio.use_case_name
        """,
        start=start,
        end=end,
        **scope.params(),
    )


def adoption_monthly(
    wh: Warehouse, start: date, end: date, business_unit_id: str | None
) -> pl.DataFrame:
    """fct_adoption_monthly rows (month x business unit) in [start, end], with unit names."""
    return _frame(
        wh,
        """
        select
            fct_adoption_monthly.month_start,
            fct_adoption_monthly.business_unit_id,
            coalesce(business_units.name, fct_adoption_monthly.business_unit_id)
                as business_unit_name,
            fct_adoption_monthly.active_users,
            fct_adoption_monthly.eligible_headcount,
            fct_adoption_monthly.penetration_pct,
            fct_adoption_monthly.repeat_users,
            fct_adoption_monthly.repeat_usage_pct
        from fct_adoption_monthly
        left join config.business_units as business_units
            on fct_adoption_monthly.business_unit_id = business_units.business_unit_id
        where
            fct_adoption_monthly.month_start between $start and $end
            and ($business_unit_id is null
                or fct_adoption_monthly.business_unit_id = $business_unit_id)
        order by fct_adoption_monthly.month_start, business_unit_name
        """,
        start=start,
        end=end,
        business_unit_id=business_unit_id,
    )


def enablement_monthly(wh: Warehouse, month: date, business_unit_id: str | None) -> pl.DataFrame:
    """fct_enablement_coverage_monthly rows (business unit x training level) for one month."""
    return _frame(
        wh,
        """
        select
            fct_enablement_coverage_monthly.business_unit_id,
            coalesce(business_units.name, fct_enablement_coverage_monthly.business_unit_id)
                as business_unit_name,
            fct_enablement_coverage_monthly.training_level,
            fct_enablement_coverage_monthly.active_users,
            fct_enablement_coverage_monthly.trained_active_users,
            fct_enablement_coverage_monthly.enablement_coverage_pct,
            fct_enablement_coverage_monthly.champion_active_users
        from fct_enablement_coverage_monthly
        left join config.business_units as business_units
            on fct_enablement_coverage_monthly.business_unit_id = business_units.business_unit_id
        where
            fct_enablement_coverage_monthly.month_start = $month
            and ($business_unit_id is null
                or fct_enablement_coverage_monthly.business_unit_id = $business_unit_id)
        order by business_unit_name, fct_enablement_coverage_monthly.training_level
        """,
        month=month,
        business_unit_id=business_unit_id,
    )


# ------------------------------------------------------------------------ weekly review

BREAKDOWNS = {"model": "fct_operations_weekly.model", "use_case": "use_case_label"}


def operations_breakdown(
    wh: Warehouse, scope: Scope, start: date, end: date, by: str
) -> pl.DataFrame:
    """One row per week x `by` ('model' or 'use_case') in [start, end]: requests, tokens and
    cost added up over fct_operations_weekly's other dimension (additive sums only).

    Untagged usage ('unassigned') is included only when no organisational filter is set.
    """
    column = BREAKDOWNS[by]
    return _frame(
        wh,
        f"""
        with labelled as (
            select
                fct_operations_weekly.*,
                coalesce(dim_use_cases.use_case_name, fct_operations_weekly.use_case_id)
                    as use_case_label
            from fct_operations_weekly
            left join dim_use_cases
                on fct_operations_weekly.use_case_id = dim_use_cases.use_case_id
            where
                fct_operations_weekly.week_start between $start and $end
                and (
                    fct_operations_weekly.use_case_id in ({USE_CASES_IN_SCOPE})
                    or ($portfolio_id is null and $business_unit_id is null)
                )
        )
        select
            labelled.week_start,
            {column.replace("fct_operations_weekly.", "labelled.")} as breakdown,
            cast(sum(labelled.requests) as bigint) as requests,
            cast(sum(labelled.input_tokens) as bigint) as input_tokens,
            cast(sum(labelled.output_tokens) as bigint) as output_tokens,
            sum(labelled.cost_usd) as cost_usd,
            sum(labelled.reported_cost_usd) as reported_cost_usd,
            sum(labelled.priced_cost_usd) as priced_cost_usd
        from labelled
        group by 1, 2
        order by 1, 2
        """,
        start=start,
        end=end,
        **scope.params(),
    )


def workflow_weekly(
    wh: Warehouse,
    scope: Scope,
    start: date | None,
    end: date | None,
    use_case_id: str | None = None,
) -> pl.DataFrame:
    """fct_workflow_weekly rows (week x use case) in scope in [start, end] (None: unbounded),
    with use case names, oldest first."""
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


def adoption_weekly(
    wh: Warehouse, start: date, end: date, business_unit_id: str | None
) -> pl.DataFrame:
    """fct_adoption_weekly rows (week x business unit) in [start, end], with unit names."""
    return _frame(
        wh,
        """
        select
            fct_adoption_weekly.*,
            coalesce(business_units.name, fct_adoption_weekly.business_unit_id)
                as business_unit_name
        from fct_adoption_weekly
        left join config.business_units as business_units
            on fct_adoption_weekly.business_unit_id = business_units.business_unit_id
        where
            fct_adoption_weekly.week_start between $start and $end
            and ($business_unit_id is null
                or fct_adoption_weekly.business_unit_id = $business_unit_id)
        order by fct_adoption_weekly.week_start, business_unit_name
        """,
        start=start,
        end=end,
        business_unit_id=business_unit_id,
    )


def user_lifecycle(wh: Warehouse, start: date, end: date) -> pl.DataFrame:
    """fct_user_lifecycle_weekly rows (organisation-wide, one per week) in [start, end]."""
    return _frame(
        wh,
        """
        select fct_user_lifecycle_weekly.*
        from fct_user_lifecycle_weekly
        where fct_user_lifecycle_weekly.week_start between $start and $end
        order by fct_user_lifecycle_weekly.week_start
        """,
        start=start,
        end=end,
    )


def license_utilisation(wh: Warehouse, week: date) -> pl.DataFrame:
    """fct_license_utilisation_weekly rows (one per licensed tool) of one week."""
    return _frame(
        wh,
        """
        select fct_license_utilisation_weekly.*
        from fct_license_utilisation_weekly
        where fct_license_utilisation_weekly.week_start = $week
        order by fct_license_utilisation_weekly.tool
        """,
        week=week,
    )


def unit_costs_week(wh: Warehouse, scope: Scope, week: date) -> pl.DataFrame:
    """fct_unit_costs_weekly rows (one per use case, 'unassigned' when unfiltered) of one week,
    with use case names, most expensive first."""
    return _frame(
        wh,
        f"""
        select
            coalesce(dim_use_cases.use_case_name, fct_unit_costs_weekly.use_case_id)
                as use_case_name,
            fct_unit_costs_weekly.*
        from fct_unit_costs_weekly
        left join dim_use_cases on fct_unit_costs_weekly.use_case_id = dim_use_cases.use_case_id
        where
            fct_unit_costs_weekly.week_start = $week
            and (
                fct_unit_costs_weekly.use_case_id in ({USE_CASES_IN_SCOPE})
                or ($portfolio_id is null and $business_unit_id is null)
            )
        order by fct_unit_costs_weekly.cost_usd desc
        """,
        week=week,
        **scope.params(),
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
    """fct_adoption_by_use_case_weekly rows (one per week) of one use case, oldest first."""
    return _frame(
        wh,
        """
        select fct_adoption_by_use_case_weekly.*
        from fct_adoption_by_use_case_weekly
        where fct_adoption_by_use_case_weekly.use_case_id = $use_case_id
        order by fct_adoption_by_use_case_weekly.week_start
        """,
        use_case_id=use_case_id,
    )


def assistance_comparison(wh: Warehouse, use_case_id: str) -> pl.DataFrame:
    """fct_workflow_assistance_comparison rows (one per assistance) of one use case."""
    return _frame(
        wh,
        """
        select fct_workflow_assistance_comparison.*
        from fct_workflow_assistance_comparison
        where fct_workflow_assistance_comparison.use_case_id = $use_case_id
        order by fct_workflow_assistance_comparison.assistance
        """,
        use_case_id=use_case_id,
    )


# ------------------------------------------------------------------------- data health


def data_health(wh: Warehouse) -> pl.DataFrame:
    """fct_data_health: one row per landed entity."""
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


BUILD_SQL = """
select
    (select build_id from main.cadence_build) as build_id,
    (select published_at from main.cadence_build) as published_at,
    count(*) as tests_run,
    count(*) filter (where status <> 'pass') as tests_failed
from main.cadence_build_tests
"""


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
    publication time, and the dbt tests the build ran (`main.cadence_build_tests`)."""
    rows: list[dict[str, object]] = []
    for kept in history:
        row: dict[str, object] = {
            "build_id": kept,
            "status": "published" if kept == build_id else "kept for rollback",
        }
        try:
            summary = _build_summary(build_path(Path(home), kept), BUILD_SQL)
            row.update(
                published_at=summary["published_at"],
                tests_run=summary["tests_run"],
                tests_failed=summary["tests_failed"],
            )
        except duckdb.Error:
            row["status"] += " (file unreadable)"
        rows.append(row)
    for failed_id, failed_path in failed:
        row = {"build_id": failed_id, "status": "failed"}
        try:
            summary = _build_summary(Path(failed_path), BUILD_SQL)
            row.update(tests_run=summary["tests_run"], tests_failed=summary["tests_failed"])
        except duckdb.Error:
            row["status"] = "failed (file unreadable)"
        rows.append(row)
    schema = {
        "build_id": pl.String,
        "status": pl.String,
        "published_at": pl.Datetime(time_zone="UTC"),
        "tests_run": pl.Int64,
        "tests_failed": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema, strict=False)


def kept_builds(wh: Warehouse) -> pl.DataFrame:
    """The published build, the builds kept for rollback and the failed builds on disk."""
    home = settings.cadence_home()
    failed = tuple((build_id, str(path)) for build_id, path in failed_builds(home))
    return builds(wh.build_id, str(home), wh.history or (wh.build_id,), failed)
