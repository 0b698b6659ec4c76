"""great-tables builders: each takes a frame from app/data.py (already suppressed where it
holds person figures) and returns a GT. Chains are split into header, formatting and style.

Columns are selected by unit suffix (`_pct`, `_usd`, `_ms`) where a table holds many. Every
table has a fixed id so its HTML is stable (snapshot-tested) and self-contained.
"""

from __future__ import annotations

import polars as pl
import polars.selectors as cs
from great_tables import GT, loc, nanoplot_options, style

from app import shell

GREEN_BG, GREEN_FG = "#dafbe1", "#1a7f37"
AMBER_BG, AMBER_FG = "#fff8c5", "#9a6700"
RED_BG, RED_FG = "#ffebe9", "#cf222e"
RAG = {"green": (GREEN_BG, GREEN_FG), "amber": (AMBER_BG, AMBER_FG), "red": (RED_BG, RED_FG)}
RECOMMENDATION = {"scale": "green", "hold": "amber", "redesign": "red"}
READINESS = {"ready": "green", "not_ready": "red"}
OWNER_ROLES = ("outcome_owner", "platform_owner", "risk_owner", "measurement_owner")
NOT_NAMED = "not named"
VERDICTS = {
    "improved": "improved",
    "worsened": "worsened",
    "no_detectable_change": "no detectable change",
    "insufficient_data": "not enough evidence",
}


def _base(
    frame: pl.DataFrame, table_id: str, title: str, subtitle: str | None = None, **kwargs
) -> GT:
    return (
        GT(frame, id=table_id, **kwargs)
        .tab_header(title=title, subtitle=subtitle)
        .tab_options(
            table_font_size="13px",
            heading_align="left",
            heading_title_font_size="16px",
            column_labels_font_weight="600",
            row_group_font_weight="600",
            data_row_padding="4px",
        )
        .sub_missing(missing_text="\u2013")
    )


def _colour_by(gt: GT, column: str, values: dict[str, str], *, target: str | None = None) -> GT:
    """Fill `target` (default `column`) cells by the RAG colour that `column`'s value maps to."""
    for value, rag in values.items():
        background, foreground = RAG[rag]
        gt = gt.tab_style(
            style=[style.fill(color=background), style.text(color=foreground, weight="bold")],
            locations=loc.body(columns=target or column, rows=pl.col(column) == value),
        )
    return gt


def _nano(colour: str) -> dict[str, object]:
    """Line nanoplot options: one colour, no guides or area (keeps the HTML small)."""
    return nanoplot_options(
        show_vertical_guides=False,
        show_y_axis_guide=False,
        show_data_area=False,
        data_point_radius=6,
        data_point_fill_color=colour,
        data_point_stroke_color=colour,
        data_line_stroke_color=colour,
    )


def _nanoplot_ready(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """Lists with fewer than two values become null (a nanoplot needs two points)."""
    return frame.with_columns(
        pl.when(pl.col(c).list.drop_nulls().list.len() >= 2)
        .then(pl.col(c))
        .otherwise(None)
        .alias(c)
        for c in columns
    )


def _people_label(frame: pl.DataFrame, column: str, min_size: int) -> pl.Series:
    """A people count as text, 'suppressed (<k)' where the group is too small."""
    suppressed = (
        frame.get_column("is_suppressed").to_list()
        if "is_suppressed" in frame.columns
        else [False] * frame.height
    )
    return pl.Series(
        [
            f"suppressed (<{min_size})" if hidden else (None if count is None else f"{count:,}")
            for count, hidden in zip(frame.get_column(column).to_list(), suppressed, strict=True)
        ],
        dtype=pl.String,
    )


def _verdict_label() -> pl.Expr:
    """A KPI effect's verdict for a reader: interim and suppressed said as such."""
    verdict = pl.col("effect_verdict").replace(VERDICTS)
    return (
        pl.when(pl.col("is_effect_suppressed"))
        .then(pl.lit("suppressed (small group)"))
        .when(pl.col("is_effect_interim") & pl.col("effect_verdict").is_not_null())
        .then(pl.concat_str([verdict, pl.lit(" (interim)")]))
        .otherwise(verdict)
    )


def _owners(frame: pl.DataFrame) -> pl.Series:
    """The accountable outcome owner, and any of the four owners not named."""
    cells = []
    for row in frame.select(*OWNER_ROLES).iter_rows(named=True):
        missing = [role.split("_")[0] for role in OWNER_ROLES if not row[role]]
        named = row["outcome_owner"] or f"outcome owner {NOT_NAMED}"
        cells.append(named + (f" · {NOT_NAMED}: {', '.join(missing)}" if missing else ""))
    return pl.Series(cells, dtype=pl.String)


def _md_list(frame: pl.DataFrame, column: str) -> pl.Series:
    """A '; '-separated mart text list as compact Markdown lines (rendered by fmt_markdown),
    each item literal text (shell.literal: a checklist item's own Markdown never renders)."""
    return pl.Series(
        [
            "  \n".join(
                f"• {shell.literal(item.strip())}"
                for item in (text or "").split(";")
                if item.strip()
            )
            for text in frame.get_column(column).to_list()
        ],
        dtype=pl.String,
    )


# ------------------------------------------------------------------- quarterly review


def portfolio_scorecard(frame: pl.DataFrame, *, period_label: str, min_size: int) -> GT:
    """Scorecard: one row per use case (rows grouped by portfolio). Input: data.use_case_scorecard
    (rpt_use_case_scorecard: active users and their trend points already suppressed)."""
    shaped = _nanoplot_ready(frame, "gap_closed_trend", "active_users_trend").select(
        "portfolio_name",
        "use_case_name",
        "stage",
        "recommendation",
        "kpis_green",
        "kpis_amber",
        "kpis_red",
        "avg_gap_closed_pct",
        "avg_expected_progress_pct",
        "gap_closed_trend",
        _people_label(frame, "active_users", min_size).alias("active_users_label"),
        "active_users_trend",
        "quality_acceptance_pct",
        "policy_adherence_pct",
        "period_cost_usd",
        _owners(frame).alias("owners"),
    )
    gt = _base(
        shaped,
        "portfolio_scorecard",
        "Portfolio scorecard",
        f"{period_label} · KPI status at each KPI's latest period, adoption and trust in the "
        "period's latest month, cost added up over the period; trends: trailing 12 months",
        rowname_col="use_case_name",
        groupname_col="portfolio_name",
    )
    # header
    gt = (
        gt.tab_spanner(
            "KPI progress vs target",
            [
                "kpis_green",
                "kpis_amber",
                "kpis_red",
                "avg_gap_closed_pct",
                "avg_expected_progress_pct",
                "gap_closed_trend",
            ],
        )
        .tab_spanner("Adoption", ["active_users_label", "active_users_trend"])
        .tab_spanner("Trust", ["quality_acceptance_pct", "policy_adherence_pct"])
        .cols_label(
            stage="Stage",
            # a soft hyphen: the one long word may break, so the table fits 1280 px
            recommendation="Recommen\u00addation",
            kpis_green="G",
            kpis_amber="A",
            kpis_red="R",
            avg_gap_closed_pct="Gap closed",
            avg_expected_progress_pct="Expected",
            gap_closed_trend="Gap closed, monthly",
            active_users_label="Active users",
            active_users_trend="Monthly",
            quality_acceptance_pct="Quality accepted",
            policy_adherence_pct="Policy adherence",
            period_cost_usd="Cost (USD)",
            owners="Outcome owner",
        )
        .tab_stubhead("Use case")
    )
    # formatting
    gt = (
        gt.fmt_number(columns=cs.ends_with("_pct"), decimals=1, pattern="{x}%")
        .fmt_currency(columns="period_cost_usd", currency="USD", decimals=0)
        .fmt_nanoplot("gap_closed_trend", reference_line=0, options=_nano("#0969da"))
        .fmt_nanoplot("active_users_trend", options=_nano("#8250df"))
        .text_transform(
            loc.body(columns=["stage", "recommendation"]), lambda text: text.replace("_", " ")
        )
        .tab_options(table_font_size="12px")
        .tab_source_note(
            "G / A / R: KPIs green / amber / red, each KPI's status at the period's end (stale "
            "and pre-launch KPIs in none). "
            "Stage and recommendation: as known at the period's end (see the readiness table). "
            "All four owners per use case: monthly review and use-case detail."
        )
    )
    # style
    gt = _colour_by(gt, "recommendation", RECOMMENDATION)
    for column, rag in (("kpis_green", "green"), ("kpis_amber", "amber"), ("kpis_red", "red")):
        background, foreground = RAG[rag]
        gt = gt.tab_style(
            style=[style.fill(color=background), style.text(color=foreground, weight="bold")],
            locations=loc.body(columns=column, rows=pl.col(column) > 0),
        )
    missing = pl.col("owners").str.contains(NOT_NAMED)
    owners_css = "font-size: 11px; min-width: 90px"
    gt = gt.tab_style(style.css(owners_css), loc.body(columns="owners", rows=~missing))
    return gt.tab_style(
        style.css(f"{owners_css}; color: {RED_FG}"), loc.body(columns="owners", rows=missing)
    )


def kpi_values(frame: pl.DataFrame, *, period_label: str) -> GT:
    """Value realised per KPI, observed units. Input: data.kpi_values (rpt_kpi_values)."""
    shaped = _nanoplot_ready(frame, "actual_trend").select(
        (pl.col("portfolio_name") + " — " + pl.col("use_case_name")).alias("group"),
        "kpi_name",
        pl.concat_str(
            [pl.col("unit"), pl.col("direction").replace({"increase": "↑", "decrease": "↓"})],
            separator=" ",
        ).alias("unit"),
        "baseline_value",
        "actual_value",
        "target_value",
        "change_from_baseline",
        "gap_closed_pct",
        "expected_progress_pct",
        "status",
        "effect",
        "effect_ci_low",
        "effect_ci_high",
        _verdict_label().alias("effect_verdict"),
        "actual_trend",
        pl.col("observation_period_start").alias("period_start"),
    )
    gt = _base(
        shaped,
        "kpi_values",
        "Value realised per KPI (observed)",
        f"{period_label} · each KPI known at the period's end, at its latest period on or before "
        "it, in the KPI's own unit; observed KPI extracts only, no modelled value",
        rowname_col="kpi_name",
        groupname_col="group",
    )
    gt = (
        gt.tab_spanner(
            "Against baseline and target",
            [
                "baseline_value",
                "actual_value",
                "target_value",
                "change_from_baseline",
                "gap_closed_pct",
                "expected_progress_pct",
                "status",
            ],
        )
        .tab_spanner(
            "Effect of launch (95% interval)",
            ["effect", "effect_ci_low", "effect_ci_high", "effect_verdict"],
        )
        .cols_label(
            unit="Unit",
            baseline_value="Baseline",
            actual_value="Actual",
            target_value="Target",
            change_from_baseline="Change",
            gap_closed_pct="Gap closed",
            expected_progress_pct="Expected",
            status="Status",
            effect="Effect",
            effect_ci_low="From",
            effect_ci_high="To",
            effect_verdict="Verdict",
            actual_trend="Actual, trailing 26 weeks",
            period_start="Period from",
        )
        .tab_stubhead("KPI")
    )
    gt = (
        gt.fmt_number(
            columns=["baseline_value", "actual_value", "target_value"],
            decimals=2,
            drop_trailing_zeros=True,
        )
        .fmt_number(
            columns=["change_from_baseline", "effect", "effect_ci_low", "effect_ci_high"],
            decimals=2,
            drop_trailing_zeros=True,
            force_sign=True,
        )
        .fmt_number(columns=cs.ends_with("_pct"), decimals=1, pattern="{x}%")
        .fmt_date(columns="period_start", date_style="day_m_year")
        .fmt_nanoplot("actual_trend", options=_nano("#0969da"))
        .tab_source_note(
            "Change is actual minus baseline in the KPI's unit (↑ higher is better, ↓ lower is "
            "better). Effect is the launch's effect as known at the period's end, in the KPI's "
            "unit, with its 95% interval (from, to): against the KPI's level before launch, the "
            "business units not yet live or unassisted runs, as the KPI's evaluation design says."
        )
        .tab_options(table_font_size="12px")
    )
    return _colour_by(gt, "status", {"green": "green", "amber": "amber", "red": "red"})


def readiness(frame: pl.DataFrame) -> GT:
    """Readiness to scale, grouped by recommendation: gaps, reasons and the evidence window.
    Input: data.readiness (ordered scale, redesign, hold)."""
    shaped = frame.select(
        pl.col("recommendation")
        .replace(
            {
                "scale": "Scale",
                "redesign": "Redesign",
                "hold": "Hold",
                "not assessed": "Not assessed",
            }
        )
        .alias("group"),
        "use_case_name",
        "stage",
        "readiness_status",
        _md_list(frame, "readiness_gaps").alias("gaps"),
        _md_list(frame, "recommendation_reasons").alias("reasons"),
        "priority_score",
        "window_reviews",
        "window_override_rate_pct",
        "window_quality_acceptance_pct",
        "window_policy_adherence_pct",
        pl.format("{} / {}", pl.col("kpis_on_track_for_scale"), pl.col("kpis")).alias(
            "kpis_on_track"
        ),
    )
    gt = _base(
        shaped,
        "readiness",
        "Readiness to scale",
        "Each use case's readiness gaps and its scale / hold / redesign recommendation with the "
        "reasons and the trailing evidence window it rests on (as of the build)",
        rowname_col="use_case_name",
        groupname_col="group",
    )
    gt = (
        gt.tab_spanner(
            "Evidence window",
            [
                "window_reviews",
                "window_override_rate_pct",
                "window_quality_acceptance_pct",
                "window_policy_adherence_pct",
                "kpis_on_track",
            ],
        )
        .cols_label(
            stage="Stage",
            readiness_status="Readiness",
            gaps="Readiness gaps",
            reasons="Why this recommendation",
            priority_score="Priority",
            window_reviews="Reviews",
            window_override_rate_pct="Override",
            window_quality_acceptance_pct="Accepted",
            window_policy_adherence_pct="Policy adherence",
            kpis_on_track="KPIs on track",
        )
        .tab_stubhead("Use case")
    )
    gt = (
        gt.fmt_number(columns=cs.ends_with("_pct"), decimals=1, pattern="{x}%")
        .fmt_number(columns="priority_score", decimals=0)
        .fmt_integer(columns="window_reviews")
        .fmt_markdown(columns=["gaps", "reasons"])
        .text_transform(
            loc.body(columns=["stage", "readiness_status"]), lambda text: text.replace("_", " ")
        )
        .tab_style(
            style.css("min-width: 160px; font-size: 12px"), loc.body(columns=["gaps", "reasons"])
        )
        .tab_options(table_font_size="12px")
        .tab_source_note(
            "Priority: the prioritisation rubric (value, feasibility, scale potential, risk) on 0\u2013100."
        )
    )
    return _colour_by(gt, "readiness_status", READINESS)


def headline(frame: pl.DataFrame, *, title: str, subtitle: str) -> GT:
    """Headline figures: metric, this period, previous period, status. Input columns:
    metric, current, previous, status (strings already formatted)."""
    gt = _base(frame, "headline", title, subtitle, rowname_col="metric").cols_label(
        current="This period", previous="Previous period", status="Status"
    )
    return _colour_by(gt, "status", {"green": "green", "amber": "amber", "red": "red"})


def funnel(frame: pl.DataFrame) -> GT:
    """Stage funnel as a table (for the board pack). Input: data.stage_funnel."""
    gt = _base(
        frame.select("stage", "use_cases", "ready_use_cases", "reached_use_cases"),
        "stage_funnel",
        "Stage funnel",
        "Use cases at each stage at the period's end, ready among them, and those that reached it",
        rowname_col="stage",
    )
    return gt.cols_label(use_cases="At stage", ready_use_cases="Ready", reached_use_cases="Reached")


# --------------------------------------------------------------------- monthly review


def monthly_use_cases(frame: pl.DataFrame, *, period_label: str, min_size: int) -> GT:
    """The month per use case: usage, workflow quality, KPIs. Input: data.use_case_scorecard
    (grain 'month'; rpt_use_case_scorecard, active users already suppressed)."""
    shaped = _nanoplot_ready(frame, "gap_closed_trend", "active_users_trend").select(
        "portfolio_name",
        "use_case_name",
        "stage",
        "recommendation",
        _people_label(frame, "active_users", min_size).alias("active_users_label"),
        "active_users_trend",
        "period_requests",
        "period_reported_cost_usd",
        "period_priced_cost_usd",
        "quality_acceptance_pct",
        "override_rate_pct",
        "kpis_green",
        "kpis_amber",
        "kpis_red",
        "avg_gap_closed_pct",
        "avg_expected_progress_pct",
        "gap_closed_trend",
    )
    gt = _base(
        shaped,
        "monthly_use_cases",
        "Use cases this month",
        f"{period_label} · trends: trailing 12 months",
        rowname_col="use_case_name",
        groupname_col="portfolio_name",
    )
    gt = (
        gt.tab_spanner("Usage", ["active_users_label", "active_users_trend", "period_requests"])
        .tab_spanner("Cost (USD)", ["period_reported_cost_usd", "period_priced_cost_usd"])
        .tab_spanner("Workflow quality", ["quality_acceptance_pct", "override_rate_pct"])
        .tab_spanner(
            "KPIs",
            [
                "kpis_green",
                "kpis_amber",
                "kpis_red",
                "avg_gap_closed_pct",
                "avg_expected_progress_pct",
                "gap_closed_trend",
            ],
        )
        .cols_label(
            stage="Stage",
            recommendation="Recommen\u00addation",
            active_users_label="Active users",
            active_users_trend="Monthly",
            period_requests="Requests",
            period_reported_cost_usd="Reported",
            period_priced_cost_usd="Estimate",
            quality_acceptance_pct="Accepted",
            override_rate_pct="Override",
            kpis_green="G",
            kpis_amber="A",
            kpis_red="R",
            avg_gap_closed_pct="Gap closed",
            avg_expected_progress_pct="Expected",
            gap_closed_trend="Gap closed, monthly",
        )
        .tab_stubhead("Use case")
    )
    gt = (
        gt.fmt_number(columns=cs.ends_with("_pct"), decimals=1, pattern="{x}%")
        .fmt_currency(columns=cs.ends_with("_usd"), currency="USD", decimals=2)
        .fmt_integer(columns="period_requests")
        .fmt_nanoplot("active_users_trend", options=_nano("#8250df"))
        .fmt_nanoplot("gap_closed_trend", reference_line=0, options=_nano("#0969da"))
        .text_transform(
            loc.body(columns=["stage", "recommendation"]), lambda text: text.replace("_", " ")
        )
        .tab_source_note(
            "Reported cost is observed; the estimate is priced from the model catalogue. "
            "G / A / R: KPIs green / amber / red at the month's end."
        )
        # sixteen columns: narrower cell padding so the table fits 1280 px
        .tab_options(
            table_font_size="12px",
            data_row_padding_horizontal="3px",
            column_labels_padding_horizontal="3px",
        )
    )
    gt = _colour_by(gt, "recommendation", RECOMMENDATION)
    for column, rag in (("kpis_green", "green"), ("kpis_amber", "amber"), ("kpis_red", "red")):
        background, foreground = RAG[rag]
        gt = gt.tab_style(
            style=[style.fill(color=background), style.text(color=foreground, weight="bold")],
            locations=loc.body(columns=column, rows=pl.col(column) > 0),
        )
    return gt


def owners(frame: pl.DataFrame) -> GT:
    """The four owners, readiness and its gaps per use case. Input: data.readiness."""
    shaped = frame.select(
        "use_case_name",
        "stage",
        *[pl.col(role).fill_null(NOT_NAMED) for role in OWNER_ROLES],
        "readiness_status",
        _md_list(frame, "readiness_gaps").alias("gaps"),
        "exit_criterion",
    )
    gt = _base(
        shaped,
        "owners",
        "Owners and launch checklist",
        "The four owners and the readiness gaps (unnamed owners, undated checklist items, KPI "
        "targets defined late)",
        rowname_col="use_case_name",
    )
    gt = (
        gt.tab_spanner("Owners", list(OWNER_ROLES))
        .cols_label(
            stage="Stage",
            outcome_owner="Outcome",
            platform_owner="Platform",
            risk_owner="Risk",
            measurement_owner="Measurement",
            readiness_status="Readiness",
            gaps="Checklist and readiness gaps",
            exit_criterion="Exit criterion",
        )
        .tab_stubhead("Use case")
    )
    gt = (
        gt.fmt_markdown(columns="gaps")
        .text_transform(
            loc.body(columns=["stage", "readiness_status"]), lambda text: text.replace("_", " ")
        )
        .tab_style(style.css("min-width: 200px; font-size: 12px"), loc.body(columns="gaps"))
    )
    for role in OWNER_ROLES:
        gt = gt.tab_style(
            style=[style.fill(color=RED_BG), style.text(color=RED_FG, weight="bold")],
            locations=loc.body(columns=role, rows=pl.col(role) == NOT_NAMED),
        )
    return _colour_by(gt, "readiness_status", READINESS)


def kpi_effects(frame: pl.DataFrame) -> GT:
    """The effect of the launch per KPI with its 95% interval and verdict. Input:
    data.kpi_effects (rpt_kpi_values)."""
    gt = _base(
        frame.select(
            "kpi_name",
            "unit",
            pl.col("effect_design").str.replace_all("_", " ").alias("design"),
            "effect",
            "effect_ci_low",
            "effect_ci_high",
            _verdict_label().alias("effect_verdict"),
            "effect_verdict_text",
        ),
        "kpi_effects",
        "Effect of launch",
        f"As known at the end of {frame.get_column('period_label').first() or 'the period'}, "
        "with its 95% interval; a verdict only where each side has enough periods",
        rowname_col="kpi_name",
    )
    return (
        gt.cols_label(
            unit="Unit",
            design="Design",
            effect="Effect",
            effect_ci_low="95% CI from",
            effect_ci_high="to",
            effect_verdict="Verdict",
            effect_verdict_text="In words",
        )
        .tab_stubhead("KPI")
        .fmt_number(
            columns=["effect", "effect_ci_low", "effect_ci_high"],
            decimals=2,
            drop_trailing_zeros=True,
            force_sign=True,
        )
    )


# ---------------------------------------------------------------------- weekly review


def week_over_week_rows(tiles: dict[str, dict[str, object]]) -> pl.DataFrame:
    """The week-over-week table's rows from a week's rpt_review_tiles (observed metrics, in the
    tiles' order): metric, previous and current value as text, change_pct, status,
    previous_status and is_flagged (all decided in dbt)."""
    rows = [
        {
            "metric": tile["metric_label"],
            "previous": shell.previous_tile_value(tile, 2),
            "current": shell.tile_value(tile, 2),
            "change_pct": None if tile["is_suppressed"] else tile["metric_change_pct"],
            "status": tile["status"],
            "previous_status": tile["previous_status"],
            "is_flagged": tile["is_flagged"],
        }
        for tile in tiles.values()
        if tile["value_kind"] not in ("status", "configured")
    ]
    return pl.DataFrame(
        rows,
        schema={
            "metric": pl.String,
            "previous": pl.String,
            "current": pl.String,
            "change_pct": pl.Float64,
            "status": pl.String,
            "previous_status": pl.String,
            "is_flagged": pl.Boolean,
        },
    )


def week_over_week(frame: pl.DataFrame, *, threshold_pct: float) -> GT:
    """Week-over-week changes. Input columns: metric, previous, current (strings), change_pct,
    status (RAG of the current week from the mart, may be null), is_flagged."""
    gt = _base(
        frame.select("metric", "previous", "current", "change_pct", "status", "is_flagged"),
        "week_over_week",
        "Week over week",
        f"Flagged: the RAG band changed, or the value moved more than {threshold_pct:g}% (relative)",
        rowname_col="metric",
    )
    gt = (
        gt.cols_label(
            previous="Previous week",
            current="This week",
            change_pct="Change",
            status="Status",
            is_flagged="Flag",
        )
        .fmt_number(columns="change_pct", decimals=1, pattern="{x}%", force_sign=True)
        .text_transform(
            loc.body(columns="is_flagged"), lambda text: "⚑ check" if text == "True" else ""
        )
    )
    gt = gt.tab_style(
        style=[style.fill(color=AMBER_BG), style.text(weight="bold")],
        locations=loc.body(columns=["change_pct", "is_flagged"], rows=pl.col("is_flagged")),
    )
    return _colour_by(gt, "status", {"green": "green", "amber": "amber", "red": "red"})


def workflow_week(frame: pl.DataFrame, *, period_label: str) -> GT:
    """Workflow health per use case for one week. Input: data.workflow_week_rows (or
    data.workflow_weekly) rows of a week."""
    gt = _base(
        frame.select(
            "use_case_name",
            "runs_started",
            "runs_completed",
            "completion_rate_pct",
            "human_review_rate_pct",
            "quality_acceptance_pct",
            "override_rate_pct",
            "exception_rate_pct",
            "median_cycle_time_minutes",
        ),
        "workflow_week",
        "Workflow exceptions and overrides",
        f"{period_label} · runs started that week (a run's later events count in its start week)",
        rowname_col="use_case_name",
    )
    return (
        gt.cols_label(
            runs_started="Runs",
            runs_completed="Completed",
            completion_rate_pct="Completion",
            human_review_rate_pct="Reviewed",
            quality_acceptance_pct="Accepted",
            override_rate_pct="Override",
            exception_rate_pct="Exceptions",
            median_cycle_time_minutes="Median cycle (min)",
        )
        .tab_stubhead("Use case")
        .fmt_integer(columns=["runs_started", "runs_completed"])
        .fmt_number(columns=cs.ends_with("_pct"), decimals=1, pattern="{x}%")
        .fmt_number(columns="median_cycle_time_minutes", decimals=0)
    )


def latency_breaches(
    frame: pl.DataFrame,
    *,
    period_label: str,
    latency_bounds: dict[str, object],
    error_bounds: dict[str, object],
) -> GT:
    """Model x use case cells of one week with latency p95 or error rate beyond a bound, worst
    first, each figure coloured by its own RAG band. Input: data.latency_by_model_use_case rows
    (statuses decided in dbt); the bounds (dim_thresholds rows) only name the bands."""
    p95_red, p95_amber = float(latency_bounds["amber"]), float(latency_bounds["green"])  # type: ignore[arg-type]
    error_red, error_amber = float(error_bounds["amber"]), float(error_bounds["green"])  # type: ignore[arg-type]
    gt = _base(
        frame.select(
            "use_case_name",
            "model",
            "requests",
            "latency_p95_ms",
            "latency_p50_ms",
            "error_rate_pct",
            "errored_requests",
            "latency_p95_status",
            "error_rate_status",
        ),
        "latency_breaches",
        "Latency and errors by model and use case: cells beyond a bound",
        f"{period_label} · red: p95 above {p95_red:,.0f} ms or errors above {error_red:g}%; "
        f"amber: p95 above {p95_amber:,.0f} ms or errors above {error_amber:g}%",
    )
    gt = (
        gt.cols_label(
            use_case_name="Use case",
            model="Model",
            requests="Requests",
            latency_p95_ms=f"p95 (red > {p95_red:,.0f} ms)",
            latency_p50_ms="p50",
            error_rate_pct=f"Errors (red > {error_red:g}%)",
            errored_requests="Errored",
        )
        .cols_hide(["latency_p95_status", "error_rate_status"])
        .fmt_integer(columns=["requests", "errored_requests"])
        .fmt_number(columns=cs.ends_with("_ms"), decimals=0, pattern="{x} ms")
        .fmt_number(columns="error_rate_pct", decimals=1, pattern="{x}%")
    )
    gt = _colour_by(
        gt, "latency_p95_status", {"amber": "amber", "red": "red"}, target="latency_p95_ms"
    )
    return _colour_by(
        gt, "error_rate_status", {"amber": "amber", "red": "red"}, target="error_rate_pct"
    )


def shadow_ai(frame: pl.DataFrame, *, period_label: str, min_size: int) -> GT:
    """Shadow AI and policy outcomes per business unit for one week. Input: data.
    trust_by_business_unit rows of a week (rpt_risk_by_business_unit_weekly, suppressed there)."""
    shaped = frame.select(
        "business_unit_name",
        "requests",
        "shadow_ai_requests",
        "shadow_ai_pct",
        "policy_adherence_pct",
        "blocked_requests",
        "redacted_requests",
        "classification_violations",
        *[c for c in ("avg_satisfaction", "avg_trust") if c in frame.columns],
        pl.when(pl.col("is_suppressed"))
        .then(pl.lit(f"suppressed (<{min_size} people)"))
        .otherwise(pl.lit(""))
        .alias("note"),
    )
    gt = _base(
        shaped,
        "shadow_ai_by_unit",
        "Shadow AI and policy by business unit",
        f"{period_label} · shadow AI: requests to models absent from or unapproved in the catalogue",
        rowname_col="business_unit_name",
    )
    gt = (
        gt.cols_label(
            requests="Requests",
            shadow_ai_requests="Shadow-AI requests",
            shadow_ai_pct="Shadow AI",
            policy_adherence_pct="Policy adherence",
            blocked_requests="Blocked",
            redacted_requests="Redacted",
            classification_violations="Classification violations",
            note="",
            **{
                c: label
                for c, label in (("avg_satisfaction", "Satisfaction"), ("avg_trust", "Trust"))
                if c in frame.columns
            },
        )
        .tab_stubhead("Business unit")
        .fmt_integer(
            columns=[
                "requests",
                "shadow_ai_requests",
                "blocked_requests",
                "redacted_requests",
                "classification_violations",
            ]
        )
        .fmt_number(columns=cs.ends_with("_pct"), decimals=2, pattern="{x}%")
        .fmt_number(columns=cs.starts_with("avg_"), decimals=2)
    )
    return gt.tab_style(
        style=[style.fill(color=AMBER_BG), style.text(color=AMBER_FG, weight="bold")],
        locations=loc.body(columns="shadow_ai_requests", rows=pl.col("shadow_ai_requests") > 0),
    )


def shadow_ai_models(frame: pl.DataFrame, *, period_label: str) -> GT:
    """Shadow-AI models in use per business unit for one week. Input: data.shadow_ai_models
    rows after dropping the business units under the minimum group size."""
    shaped = frame.select(
        pl.concat_str("provider", pl.lit(" / "), "model").alias("model_name"),
        pl.when(pl.col("is_in_catalogue"))
        .then(pl.lit("not approved"))
        .otherwise(pl.lit("not in catalogue"))
        .alias("catalogue_status"),
        "business_unit_name",
        "requests",
        "requesting_users",
    )
    gt = _base(
        shaped,
        "shadow_ai_models",
        "Shadow-AI models in use",
        f"{period_label} · models absent from or unapproved in the catalogue, by business unit",
        groupname_col="model_name",
    )
    return gt.cols_label(
        catalogue_status="Catalogue",
        business_unit_name="Business unit",
        requests="Requests",
        requesting_users="People",
    ).fmt_integer(columns=["requests", "requesting_users"])


def unit_costs(frame: pl.DataFrame, *, period_label: str) -> GT:
    """Cost and unit costs per use case for one week. Input: data.unit_costs_week."""
    gt = _base(
        frame.select(
            "use_case_name",
            "requests",
            "runs_completed",
            "reported_cost_usd",
            "priced_cost_usd",
            "cost_usd",
            "cost_per_request_usd",
            "cost_per_completed_run_usd",
        ),
        "unit_costs",
        "Unit costs",
        f"{period_label} · reported cost is observed, the estimate is catalogue-priced",
        rowname_col="use_case_name",
    )
    return (
        gt.tab_spanner("Cost (USD)", ["reported_cost_usd", "priced_cost_usd", "cost_usd"])
        .tab_spanner("Per unit (USD)", ["cost_per_request_usd", "cost_per_completed_run_usd"])
        .cols_label(
            requests="Requests",
            runs_completed="Runs completed",
            reported_cost_usd="Reported",
            priced_cost_usd="Estimate",
            cost_usd="Total",
            cost_per_request_usd="Per request",
            cost_per_completed_run_usd="Per completed run",
        )
        .tab_stubhead("Use case")
        .fmt_integer(columns=["requests", "runs_completed"])
        .fmt_currency(
            columns=["reported_cost_usd", "priced_cost_usd", "cost_usd"], currency="USD", decimals=2
        )
        .fmt_currency(
            columns=["cost_per_request_usd", "cost_per_completed_run_usd"],
            currency="USD",
            decimals=4,
        )
    )


def agents(
    frame: pl.DataFrame,
    *,
    period_label: str,
    success_bounds: dict[str, object],
    duration_bounds: dict[str, object],
    cost_bounds: dict[str, object],
    with_recommendation: bool = False,
) -> GT:
    """Agents with runs in one period, each rate coloured by its own RAG band. Input:
    data.agent_periods rows (statuses decided in dbt); the bounds (dim_thresholds rows) only
    name the bands. A shadow agent is one absent from agents.csv or not approved there."""
    success_red, cost_red = float(success_bounds["amber"]), float(cost_bounds["amber"])  # type: ignore[arg-type]
    duration_red = float(duration_bounds["amber"]) / 1000  # type: ignore[arg-type]
    columns = [
        "agent_name",
        pl.when(pl.col("is_shadow_agent"))
        .then(pl.lit("shadow agent"))
        .otherwise(pl.lit("registered"))
        .alias("registry"),
        "use_case_name",
        pl.col("owner").fill_null("—"),
        "runs",
        "success_rate_pct",
        "tool_errors",
        "duration_p95_ms",
        "cost_per_successful_run_usd",
        *(["recommendation", "readiness_status"] if with_recommendation else []),
        "success_rate_status",
        "duration_p95_status",
        "cost_per_successful_run_status",
        "is_shadow_agent",
    ]
    gt = _base(
        frame.with_columns(pl.col("agent_name").fill_null(pl.col("agent_id"))).select(columns),
        "agents",
        "Agents",
        f"{period_label} · red: success below {success_red:g}%, p95 duration above "
        f"{duration_red:g} s or cost above ${cost_red:,.2f} per successful run",
        rowname_col="agent_name",
    )
    gt = (
        gt.cols_label(
            registry="Registry",
            use_case_name="Use case",
            owner="Owner",
            runs="Runs",
            success_rate_pct="Success",
            tool_errors="Tool errors",
            duration_p95_ms="p95 duration",
            cost_per_successful_run_usd="Cost per successful run",
            **(
                {"recommendation": "Use case verdict", "readiness_status": "Use case readiness"}
                if with_recommendation
                else {}
            ),
        )
        .tab_stubhead("Agent")
        .cols_hide(
            [
                "success_rate_status",
                "duration_p95_status",
                "cost_per_successful_run_status",
                "is_shadow_agent",
            ]
        )
        .fmt_integer(columns=["runs", "tool_errors"])
        .fmt_number(columns="success_rate_pct", decimals=1, pattern="{x}%")
        .fmt_number(columns="duration_p95_ms", scale_by=0.001, decimals=1, pattern="{x} s")
        .fmt_currency(columns="cost_per_successful_run_usd", currency="USD", decimals=3)
        .sub_missing(columns="cost_per_successful_run_usd", missing_text="no success")
    )
    if with_recommendation:
        gt = _colour_by(
            gt.sub_missing(columns=["recommendation", "readiness_status"], missing_text="—"),
            "recommendation",
            RECOMMENDATION,
        )
        gt = _colour_by(
            gt.text_transform(
                loc.body(columns="readiness_status"), lambda text: text.replace("_", " ")
            ),
            "readiness_status",
            READINESS,
        )
    gt = _colour_by(gt, "is_shadow_agent", {True: "red"}, target="registry")  # type: ignore[dict-item]
    for status, target in (
        ("success_rate_status", "success_rate_pct"),
        ("duration_p95_status", "duration_p95_ms"),
        ("cost_per_successful_run_status", "cost_per_successful_run_usd"),
    ):
        gt = _colour_by(gt, status, {"amber": "amber", "red": "red"}, target=target)
    return gt


def licenses(frame: pl.DataFrame, *, period_label: str) -> GT:
    """Licence seats and their use per tool for one week. Input: data.license_utilisation
    (suppressed in dbt: null figures and `is_suppressed`)."""
    gt = _base(
        frame.select(
            "tool",
            "licensed_seats",
            "used_seats",
            "idle_licenses",
            "license_utilisation_pct",
            "is_suppressed",
        ),
        "license_utilisation",
        "Licence utilisation",
        f"{period_label} · seats held that week and whether the holder used the tool",
        rowname_col="tool",
    )
    return (
        gt.cols_label(
            licensed_seats="Seats",
            used_seats="Used",
            idle_licenses="Idle",
            license_utilisation_pct="Utilisation",
        )
        .tab_stubhead("Tool")
        .fmt_integer(columns=["licensed_seats", "used_seats", "idle_licenses"])
        .fmt_number(columns="license_utilisation_pct", decimals=1, pattern="{x}%")
        .sub_missing(
            columns=["licensed_seats", "used_seats", "idle_licenses", "license_utilisation_pct"],
            rows=pl.col("is_suppressed"),
            missing_text="suppressed",
        )
        .cols_hide("is_suppressed")
    )


# ------------------------------------------------------------------------ data health


FRESHNESS_WORDS = {
    "green": "fresh",
    "amber": "stale",
    "red": "overdue",
    "no_data": "no data",
    "not_monitored": "no cadence set",
}


def _cadence(hours: float | None) -> str | None:
    """A source's cadence as its configuration reads: `2 d`, `36 h`."""
    if hours is None:
        return None
    return f"{hours / 24:g} d" if hours % 24 == 0 else f"{hours:g} h"


def freshness(frame: pl.DataFrame) -> GT:
    """Per entity: freshness now, its latest event and its deadlines. Input: data.data_health
    rows with `freshness_status` as at the page load (freshness.classify)."""
    shown = frame.select(
        "entity",
        pl.col("freshness_status").replace_strict(FRESHNESS_WORDS).alias("freshness_now"),
        "freshness_status",
        *(
            pl.Series(column, [_cadence(hours) for hours in frame[column]], dtype=pl.String)
            for column in ("warn_after_hours", "error_after_hours")
        ),
        "latest_event_at",
        "fresh_until_at",
        "error_after_at",
        "latest_ingested_at",
    )
    gt = _base(
        shown,
        "freshness",
        "Freshness now",
        "Each source's latest event against the cadence its dbt source freshness sets "
        "(_landing__sources.yml): fresh until latest event + expected cadence, overdue from "
        "latest event + overdue limit, compared with the clock when this page was loaded",
        rowname_col="entity",
    )
    gt = (
        gt.cols_label(
            freshness_now="Now",
            warn_after_hours="Expected every",
            error_after_hours="Overdue after",
            latest_event_at="Latest event",
            fresh_until_at="Fresh until",
            error_after_at="Overdue from",
            latest_ingested_at="Latest ingestion",
        )
        .tab_stubhead("Source")
        .cols_hide("freshness_status")
        .fmt_datetime(columns=cs.ends_with("_at"), date_style="day_m_year", time_style="iso-short")
        .tab_style(  # a deadline on one line: its hour matters for a daily source
            style=style.text(whitespace="nowrap"), locations=loc.body(columns=cs.ends_with("_at"))
        )
    )
    return _colour_by(
        gt,
        "freshness_status",
        {"green": "green", "amber": "amber", "red": "red"},
        target="freshness_now",
    )


def data_health(frame: pl.DataFrame) -> GT:
    """Per entity: rows, quarantine and refused files. Input: data.data_health."""
    gt = _base(
        frame.select(
            "entity",
            "batches",
            "rows_read",
            "rows_landed",
            "rows_visible",
            "rows_quarantined",
            "quarantined_pct",
            "rejected_files",
        ),
        "data_health",
        "Landing zone by entity",
        "Rows read, landed, visible after deduplication and quarantined; files refused whole",
        rowname_col="entity",
    )
    gt = (
        gt.cols_label(
            batches="Batches",
            rows_read="Read",
            rows_landed="Landed",
            rows_visible="Visible",
            rows_quarantined="Quarantined",
            quarantined_pct="Quarantined %",
            rejected_files="Files refused",
        )
        .tab_stubhead("Entity")
        .fmt_integer(columns=cs.starts_with("rows_") | cs.by_name("batches", "rejected_files"))
        .fmt_number(columns="quarantined_pct", decimals=3, pattern="{x}%")
    )
    for column in ("rows_quarantined", "rejected_files"):
        gt = gt.tab_style(
            style=[style.fill(color=AMBER_BG), style.text(weight="bold")],
            locations=loc.body(columns=column, rows=pl.col(column) > 0),
        )
    return gt


def quarantine(frame: pl.DataFrame) -> GT:
    """Quarantined rows by entity and reason. Input: data.quarantine_reasons."""
    gt = _base(
        frame.select("entity", "reason", "quarantined_rows", "batches", "latest_ingested_at"),
        "quarantine_reasons",
        "Quarantine by reason",
        "Rows that broke a rule, kept with their reason (nothing is silently dropped)",
        groupname_col="entity",
    )
    return (
        gt.cols_label(
            reason="Reason", quarantined_rows="Rows", batches="Batches", latest_ingested_at="Latest"
        )
        .fmt_integer(columns=["quarantined_rows", "batches"])
        .fmt_datetime(columns="latest_ingested_at", date_style="day_m_year", time_style="iso-short")
    )


def quarantine_samples(frame: pl.DataFrame) -> GT:
    """Where to find a few quarantined rows of each reason. Input: data.quarantine_samples."""
    gt = _base(
        frame.select("entity", "reason", "source_file", "source_row_number", "ingested_at"),
        "quarantine_samples",
        "Sample of quarantined rows",
        "Up to three rows per reason: the file and row to look at in the source",
        groupname_col="entity",
    )
    return (
        gt.cols_label(
            reason="Reason", source_file="File", source_row_number="Row", ingested_at="Ingested"
        )
        .fmt_integer(columns="source_row_number")
        .fmt_datetime(columns="ingested_at", date_style="day_m_year", time_style="iso-short")
    )


def unknown_references(frame: pl.DataFrame) -> GT:
    """Landed ids missing from the configuration. Input: data.unknown_references."""
    gt = _base(
        frame.select(
            "entity",
            "column_name",
            "unknown_value",
            "configuration_file",
            "rows",
            "first_seen_at",
            "last_seen_at",
        ),
        "unknown_references",
        "Unknown ids",
        "Published under the unknown id; add it to the configuration or correct the source",
    )
    return (
        gt.cols_label(
            entity="Entity",
            column_name="Column",
            unknown_value="Unknown id",
            configuration_file="Missing from",
            rows="Rows",
            first_seen_at="First seen",
            last_seen_at="Last seen",
        )
        .fmt_integer(columns="rows")
        .fmt_datetime(
            columns=["first_seen_at", "last_seen_at"],
            date_style="day_m_year",
            time_style="iso-short",
        )
    )


def rejected_files(frame: pl.DataFrame) -> GT:
    """Input files refused whole. Input: data.rejected_files."""
    gt = _base(
        frame.select("entity", "source_file", "line_number", "reason", "rejected_at"),
        "rejected_files",
        "Files refused whole",
        "A file that cannot be parsed or lacks required columns is refused with the line and problem",
    )
    return (
        gt.cols_label(
            entity="Entity",
            source_file="File",
            line_number="Line",
            reason="Problem",
            rejected_at="Refused at",
        )
        .fmt_integer(columns="line_number")
        .fmt_datetime(columns="rejected_at", date_style="day_m_year", time_style="iso-short")
    )


def usage_reconciliation(frame: pl.DataFrame) -> GT:
    """Providers' own usage and cost reports against the per-call logs, per report over its
    last 28 days. Input: data.usage_reconciliation (summed and compared in dbt)."""
    gt = _base(
        frame.select(
            "provider",
            "source",
            "window_start",
            "window_end",
            "reported_requests",
            "per_call_requests",
            "requests_difference_pct",
            "reported_cost_usd",
            "per_call_cost_usd",
            "cost_usd_difference",
            "cost_usd_difference_pct",
            "reported_currency",
            "unconverted_days",
        ),
        "usage_reconciliation",
        "Provider reports against the per-call logs",
        "Each report's last 28 days · difference: reported less logged call by call, as a share "
        "of what the provider reported",
    )
    return (
        gt.cols_label(
            provider="Provider",
            source="Report",
            window_start="From",
            window_end="To",
            reported_requests="Requests reported",
            per_call_requests="Calls logged",
            requests_difference_pct="Not logged",
            reported_cost_usd="Cost reported",
            per_call_cost_usd="Cost logged",
            cost_usd_difference="Cost difference",
            cost_usd_difference_pct="Share",
            reported_currency="Currency",
            unconverted_days="Days without a rate",
        )
        .fmt_date(columns=["window_start", "window_end"], date_style="day_m_year")
        .fmt_integer(columns=["reported_requests", "per_call_requests", "unconverted_days"])
        .fmt_number(
            columns=["requests_difference_pct", "cost_usd_difference_pct"],
            decimals=1,
            pattern="{x}%",
        )
        .fmt_currency(
            columns=["reported_cost_usd", "per_call_cost_usd", "cost_usd_difference"],
            currency="USD",
            decimals=2,
        )
    )


def _tests(row: dict[str, object]) -> str | None:
    """A build's tests in words: `500 passed, 1 warning`; `480 passed, 2 failed, 18 skipped`.
    A build stamped before warnings were told apart (no `tests_warned`) counted every test
    that did not pass as failed: a published one had no failure, so those were warnings or
    skips."""
    if row.get("tests_run") is None:
        return None
    if row.get("tests_warned") is None:
        if str(row["status"]).startswith("failed"):
            return f"{row['tests_run']} run, {row['tests_failed']} failed or warned"
        return f"{row['tests_run']} run, {row['tests_failed']} warned or skipped"
    parts = [f"{row['tests_passed']} passed"]
    for count, one, many in (
        ("tests_warned", "warning", "warnings"),
        ("tests_failed", "failed", "failed"),
        ("tests_skipped", "skipped", "skipped"),
    ):
        if row[count]:
            parts.append(f"{row[count]} {one if row[count] == 1 else many}")
    return ", ".join(parts)


def builds(frame: pl.DataFrame) -> GT:
    """The kept builds and their stored dbt tests. Input: data.kept_builds."""
    shown = frame.select("build_id", "status", "published_at").with_columns(
        pl.Series("tests", [_tests(row) for row in frame.iter_rows(named=True)], dtype=pl.String)
    )
    gt = _base(
        shown,
        "builds",
        "Last builds",
        "Published build, builds kept for rollback and failed builds, and the dbt tests each "
        "ran: a warning (a test of severity warn) is reported and does not block a publish, "
        "a failure does",
        rowname_col="build_id",
    )
    gt = (
        gt.cols_label(status="Status", published_at="Published", tests="Tests")
        .tab_stubhead("Build")
        .fmt_datetime(columns="published_at", date_style="day_m_year", time_style="iso")
    )
    gt = gt.tab_style(
        style=[style.fill(color=RED_BG), style.text(color=RED_FG, weight="bold")],
        locations=loc.body(columns="status", rows=pl.col("status").str.starts_with("failed")),
    )
    return gt.tab_style(
        style=[style.fill(color=GREEN_BG), style.text(color=GREEN_FG, weight="bold")],
        locations=loc.body(columns="status", rows=pl.col("status") == "published"),
    )


def enablement(frame: pl.DataFrame, *, period_label: str) -> GT:
    """Enablement coverage per business unit (any training level). Input: data.
    adoption_by_business_unit rows of one month (suppressed in dbt: `is_suppressed`)."""
    gt = _base(
        frame.select(
            "business_unit_name",
            "active_users",
            "trained_active_users",
            "enablement_coverage_pct",
            "champion_active_users",
            "is_suppressed",
        ),
        "enablement_coverage",
        "Enablement coverage",
        f"{period_label} · active users who completed training (any level) by the month's end",
        rowname_col="business_unit_name",
    )
    return (
        gt.cols_label(
            active_users="Active users",
            trained_active_users="Trained",
            enablement_coverage_pct="Coverage",
            champion_active_users="Champions",
        )
        .tab_stubhead("Business unit")
        .fmt_integer(columns=["active_users", "trained_active_users", "champion_active_users"])
        .fmt_number(columns="enablement_coverage_pct", decimals=1, pattern="{x}%")
        .sub_missing(
            columns=[
                "active_users",
                "trained_active_users",
                "enablement_coverage_pct",
                "champion_active_users",
            ],
            rows=pl.col("is_suppressed"),
            missing_text="suppressed",
        )
        .cols_hide("is_suppressed")
    )
