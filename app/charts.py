"""Altair chart factories: each takes a frame (as returned by app/data.py) and returns a chart.

Targets, baselines, thresholds and launch dates are drawn as rules on the chart. Factories
shape nothing but the encoding; the figures are the marts'.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl

HEIGHT = 240
SUBTITLE_HEIGHT = 30
GREEN = "#1a7f37"
AMBER = "#bf8700"
RED = "#cf222e"
GREY = "#8c959f"
BLUE = "#0969da"
RAG_SCALE = alt.Scale(domain=["green", "amber", "red"], range=[GREEN, AMBER, RED])
# At most this many series (legend entries) per chart (issue 15): stacked bars keep the
# largest MAX_SERIES - 1 and draw the rest in grey as "Other (n)"; lines draw MAX_SERIES,
# the reader picking which (shell.chart).
MAX_SERIES = 8
# Vega-Lite's default categorical colours (tableau10), the first MAX_SERIES - 1 for the
# series kept beside "Other (n)".
PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2"]
# Measures that count things (requests, people, tokens, use cases) without a `_count` suffix:
# their axes tick at whole numbers (a tile series arrives as doubles, so the dtype can't say).
COUNT_COLUMNS = {
    "requests",
    "errored_requests",
    "blocked_requests",
    "redacted_requests",
    "request_count",
    "classification_violations",
    "active_users",
    "input_tokens",
    "output_tokens",
    "runs_started",
    "runs_completed",
    "reached_use_cases",
    "ready_use_cases",
    "use_cases",
    "eligible_headcount",
}
# What a reader sees for a mart column used as a series (a legend entry), an axis or a tooltip.
LABELS = {
    "quality_acceptance_pct": "accepted as is",
    "override_rate_pct": "overridden",
    "exception_rate_pct": "with an exception",
    "completion_rate_pct": "completed",
    "cost_per_request_usd": "per request",
    "cost_per_completed_run_usd": "per completed run",
    "latency_p50_ms": "p50",
    "latency_p95_ms": "p95",
    "week_start": "week",
    "month_start": "month",
    "period_start": "period",
    "shadow_ai_pct": "shadow AI (%)",
    "pct": "rates (%)",
    "usd": "amounts (USD)",
    "business_unit_name": "business unit",
    "use_case_name": "use case",
}
# What a chart's series are, in the plural, for the reader's pick of series to compare.
SERIES_NOUNS = {
    "business_unit_name": "business units",
    "use_case_name": "use cases",
    "model": "models",
}


def series_legend() -> alt.Legend:
    """The legend of a chart's series, on the right: compact enough (11 px labels, no row
    padding) for MAX_SERIES entries to fit beside a chart of HEIGHT, where Streamlit's theme
    spaces entries so that the seventh and eighth are cut off; 200 px for a name, so that
    "Customer email response drafting" reads whole (150 px cut it). A legend below the chart
    pushes its title out of the top of Streamlit's frame."""
    return alt.Legend(
        title=None,
        orient="right",
        labelLimit=200,
        labelFontSize=11,
        symbolSize=40,
        rowPadding=0,
    )


class EmptyChart(ValueError):
    """Nothing to draw: the frame has no rows, or the measure no value. The message names
    the chart and what is missing; shell.chart shows it instead of an empty chart (an empty
    chart draws a bare '0.000000' axis that reads as data)."""


def is_count(frame: pl.DataFrame, column: str) -> bool:
    """Whether `column` counts things: an integer column, one named `*_count`, or one of
    COUNT_COLUMNS."""
    dtype = frame.schema.get(column)
    return (
        column.endswith("_count")
        or column in COUNT_COLUMNS
        or (dtype is not None and dtype.is_integer())
    )


def _value_axis(frame: pl.DataFrame, column: str, **kwargs: object) -> alt.Axis:
    """A measure's axis: whole-number ticks for a count (no 0.2 steps), else Vega's default."""
    if is_count(frame, column):
        return alt.Axis(format=",d", tickMinStep=1, **kwargs)
    return alt.Axis(**kwargs)


def require(
    frame: pl.DataFrame, measures: list[str], *, title: str, missing: str | None = None
) -> None:
    """Raise EmptyChart when `frame` has no row or every value of `measures` is null, naming
    `title` and what is missing (`missing`, else the measures' labels); when every row is
    suppressed under the minimum group size (`is_suppressed`), say that instead."""
    if frame.height and any(frame.get_column(m).is_not_null().any() for m in measures):
        return
    what = missing or " or ".join(label(m) for m in measures)
    if frame.height and "is_suppressed" in frame.columns and frame["is_suppressed"].all():
        raise EmptyChart(
            f"{title}: every figure is suppressed (groups smaller than the minimum group size)."
        )
    raise EmptyChart(f"{title}: no {what} to chart for this selection and period.")


def ranked_series(frame: pl.DataFrame, y: str, color: str, x: str) -> list[str]:
    """The series of `color`, largest first by its latest value of `y` (its value in the
    latest `x` where it has one); series without a value last; ties by name. A ranking of
    the rows as dbt made them: nothing is computed."""
    latest: dict[str, float] = {}
    for name, value in frame.drop_nulls(y).sort(x, descending=True).select(color, y).iter_rows():
        latest.setdefault(name, value)
    ranked = sorted(latest, key=lambda name: (-latest[name], name))
    rest = sorted(set(frame.get_column(color).drop_nulls().to_list()) - set(latest))
    return [*ranked, *rest]


def label(column: str) -> str:
    """The human label of a mart column: LABELS, else its words ("error_rate_pct" ->
    "error rate (%)", "cost_usd" -> "cost (USD)")."""
    if column in LABELS:
        return LABELS[column]
    words, unit = column, ""
    for suffix, name in (("_pct", "%"), ("_usd", "USD"), ("_ms", "ms")):
        if column.endswith(suffix):
            words, unit = column[: -len(suffix)], f" ({name})"
    return words.replace("_", " ") + unit


def _labelled(frame: pl.DataFrame, color: str | None) -> pl.DataFrame:
    """Series named by mart columns (an unpivot) relabelled for the legend."""
    if color is None or frame.schema.get(color) != pl.String:
        return frame
    return frame.with_columns(pl.col(color).replace(LABELS))


def _threshold_rules(thresholds: dict[str, object] | None) -> list[alt.Chart]:
    """Dashed horizontal rules at a metric's green and amber bounds (seeds/thresholds.csv),
    in fixed colours so they never share a colour scale with the data."""
    if not thresholds:
        return []
    rules = []
    for band, colour in (("green", GREEN), ("amber", AMBER)):
        value = float(thresholds[band])  # type: ignore[arg-type]
        frame = pl.DataFrame({"threshold": [f"{band} bound"], "value": [value]})
        base = alt.Chart(frame).encode(y="value:Q")
        rules.append(
            base.mark_rule(color=colour, strokeDash=[6, 4], strokeWidth=1.5).encode(
                tooltip=[alt.Tooltip("threshold:N"), alt.Tooltip("value:Q", format=",.2f")]
            )
        )
        rules.append(
            base.mark_text(
                color=colour, align="right", baseline="bottom", dy=-2, x="width", fontSize=10
            ).encode(text="threshold:N")
        )
    return rules


def time_series(
    frame: pl.DataFrame,
    y: str,
    *,
    title: str,
    x: str = "week_start",
    color: str | None = None,
    y_title: str | None = None,
    thresholds: dict[str, object] | None = None,
    y_format: str = ",.1f",
    series: list[str] | None = None,
) -> alt.LayerChart:
    """A line per `color` (or one line) of `y` over `x`, with threshold rules when given.

    At most MAX_SERIES lines: `series` (values of `color`) when given, the reader's pick
    (shell.chart), else the MAX_SERIES with the largest latest value, said in a subtitle.
    Lines are never summed into an "Other" line: a rate or a head count does not add up."""
    require(frame, [y], title=title)
    subtitle = None
    if color is not None:
        ranked, noun = ranked_series(frame, y, color, x), SERIES_NOUNS.get(color, "series")
        if series is None and len(ranked) > MAX_SERIES:
            series = ranked[:MAX_SERIES]
            subtitle = f"{MAX_SERIES} of {len(ranked)} {noun} shown: the highest latest values"
        elif series is not None:
            series = [name for name in series if name in ranked][:MAX_SERIES]
            subtitle = f"{len(series)} of {len(ranked)} {noun} shown"
        if series is not None:
            if not series:
                raise EmptyChart(f"{title}: pick at least one of the {noun} to draw.")
            frame = frame.filter(pl.col(color).is_in(series))
    encoding: dict[str, object] = {
        "x": alt.X(f"{x}:T", title=None),
        "y": alt.Y(
            f"{y}:Q",
            title=y_title or label(y),
            scale=alt.Scale(zero=False),
            axis=_value_axis(frame, y),
        ),
        "tooltip": [
            alt.Tooltip(f"{x}:T", title=label(x)),
            alt.Tooltip(f"{y}:Q", format=y_format, title=y_title or label(y)),
        ],
    }
    if color is not None:
        encoding["color"] = alt.Color(f"{color}:N", title=None, legend=series_legend())
        encoding["tooltip"] = [*encoding["tooltip"], alt.Tooltip(f"{color}:N", title=label(color))]  # type: ignore[misc]
    columns = [x, y] if color is None else [x, y, color]
    line = (
        alt.Chart(_labelled(frame.select(columns), color)).mark_line(point=True).encode(**encoding)
    )
    if subtitle is None:
        # seven or eight legend entries beside HEIGHT push the title out of the frame's top
        many = color is not None and len(ranked) > 6
        height = HEIGHT + (SUBTITLE_HEIGHT if many else 0)
        return alt.layer(line, *_threshold_rules(thresholds)).properties(title=title, height=height)
    # the subtitle's line comes out of the chart's height: give it back, or the legend's
    # eighth entry is cut off
    return alt.layer(line, *_threshold_rules(thresholds)).properties(
        title=alt.TitleParams(title, subtitle=subtitle), height=HEIGHT + SUBTITLE_HEIGHT
    )


def bars(
    frame: pl.DataFrame,
    y: str,
    *,
    title: str,
    x: str = "week_start",
    color: str | None = None,
    y_title: str | None = None,
    y_format: str = ",.0f",
) -> alt.Chart:
    """Bars of `y` per `x` period, stacked by `color` when given: `frame` has one row per
    `x` (x `color`), each drawn as it is (the chart adds nothing up).

    With more than MAX_SERIES series, the MAX_SERIES - 1 with the largest latest value keep
    their colours and the rest are drawn in grey under one legend entry, "Other (n)": each
    still its own segment (its tooltip names it), stacked as before, so nothing is summed."""
    require(frame, [y], title=title)
    data = _labelled(frame.select([x, y] if color is None else [x, y, color]), color)
    encoding: dict[str, object] = {
        "x": alt.X(
            f"yearmonthdate({x}):O", title=None, axis=alt.Axis(format="%d %b", labelAngle=-45)
        ),
        "y": alt.Y(f"{y}:Q", title=y_title or label(y), stack=True, axis=_value_axis(frame, y)),
        "tooltip": [
            alt.Tooltip(f"{x}:T", title=label(x)),
            alt.Tooltip(f"{y}:Q", format=y_format, title=y_title or label(y)),
        ],
    }
    if color is not None:
        legend = series_legend()
        encoding["color"] = alt.Color(f"{color}:N", title=None, legend=legend)
        ranked = ranked_series(data, y, color, x)
        if len(ranked) > MAX_SERIES:
            kept = ranked[: MAX_SERIES - 1]
            other = f"Other ({len(ranked) - len(kept)})"
            data = data.with_columns(
                pl.when(pl.col(color).is_in(kept))
                .then(pl.col(color))
                .otherwise(pl.lit(other))
                .alias("series_group")
            )
            encoding["color"] = alt.Color(
                "series_group:N",
                title=None,
                legend=legend,
                scale=alt.Scale(domain=[*kept, other], range=[*PALETTE[: len(kept)], GREY]),
                sort=[*kept, other],
            )
            encoding["detail"] = alt.Detail(f"{color}:N")
        encoding["tooltip"] = [*encoding["tooltip"], alt.Tooltip(f"{color}:N", title=label(color))]  # type: ignore[misc]
    return alt.Chart(data).mark_bar().encode(**encoding).properties(title=title, height=HEIGHT)


LATENCY_TITLE = "Latency p50 / p95 vs p95 bounds"


def latency(frame: pl.DataFrame, *, thresholds: dict[str, object] | None = None) -> alt.LayerChart:
    """p50 and p95 latency (success requests) per week, the p95 thresholds as rules."""
    require(
        frame,
        ["latency_p50_ms", "latency_p95_ms"],
        title=LATENCY_TITLE,
        missing="latency (no success request)",
    )
    lines = (
        alt.Chart(
            frame.select(
                "week_start",
                pl.col("latency_p50_ms").alias(LABELS["latency_p50_ms"]),
                pl.col("latency_p95_ms").alias(LABELS["latency_p95_ms"]),
            )
        )
        .transform_fold(
            [LABELS["latency_p50_ms"], LABELS["latency_p95_ms"]], as_=["percentile", "latency_ms"]
        )
        .mark_line(point=True)
        .encode(
            x=alt.X("week_start:T", title=None),
            y=alt.Y("latency_ms:Q", title="success requests (ms)"),
            strokeDash=alt.StrokeDash("percentile:N", title=None, legend=series_legend()),
            tooltip=[
                alt.Tooltip("week_start:T", title="week"),
                alt.Tooltip("percentile:N"),
                alt.Tooltip("latency_ms:Q", format=",.0f", title="latency (ms)"),
            ],
        )
    )
    return alt.layer(lines, *_threshold_rules(thresholds)).properties(
        title=LATENCY_TITLE, height=HEIGHT
    )


def kpi_trend(frame: pl.DataFrame, *, title: str, unit: str | None) -> alt.LayerChart:
    """One KPI's actual per period, its baseline and target as horizontal rules and the use
    case's launch (production date) as a vertical rule. `frame`: one KPI's rows."""
    require(frame, ["actual_value"], title=title, missing="observed value")
    first = frame.row(0, named=True)
    y_title = f"actual ({unit})" if unit else "actual"
    actual = (
        alt.Chart(
            frame.select(
                "period_start", "actual_value", "gap_closed_pct", "expected_progress_pct", "status"
            )
        )
        .mark_line(point=True, color=BLUE)
        .encode(
            x=alt.X("period_start:T", title=None),
            y=alt.Y("actual_value:Q", title=y_title, scale=alt.Scale(zero=False)),
            tooltip=[
                alt.Tooltip("period_start:T", title="period start"),
                alt.Tooltip("actual_value:Q", format=",.2f", title="actual"),
                alt.Tooltip("gap_closed_pct:Q", format=",.1f", title="gap closed %"),
                alt.Tooltip("expected_progress_pct:Q", format=",.1f", title="expected %"),
                alt.Tooltip("status:N"),
            ],
        )
    )
    levels = pl.DataFrame(
        {
            "level": ["baseline", "target"],
            "value": [first["baseline_value"], first["target_value"]],
        },
        schema={"level": pl.String, "value": pl.Float64},
    ).drop_nulls()
    rules = (
        alt.Chart(levels)
        .mark_rule(strokeDash=[6, 4], strokeWidth=2)
        .encode(
            y="value:Q",
            color=alt.Color(
                "level:N",
                scale=alt.Scale(
                    domain=["baseline", "target", "launch"], range=[GREY, GREEN, "#8250df"]
                ),
                legend=series_legend(),
            ),
            tooltip=[alt.Tooltip("level:N"), alt.Tooltip("value:Q", format=",.2f")],
        )
    )
    layers: list[alt.Chart] = [actual, rules]
    launch = first.get("production_date")
    if isinstance(launch, date):
        launch_frame = pl.DataFrame({"level": ["launch"], "date": [launch]})
        layers.append(
            alt.Chart(launch_frame)
            .mark_rule(strokeWidth=2)
            .encode(
                x="date:T",
                color=alt.Color("level:N", legend=None),
                tooltip=[alt.Tooltip("level:N"), alt.Tooltip("date:T", title="production date")],
            )
        )
    return alt.layer(*layers).properties(title=title, height=HEIGHT)


VERDICT_SCALE = alt.Scale(
    domain=["improved", "worsened", "no detectable change", "not enough evidence", "suppressed"],
    range=[GREEN, RED, GREY, GREY, GREY],
)


def effects_forest(frame: pl.DataFrame) -> alt.LayerChart:
    """A forest plot: one row per KPI (in the frame's order), its launch effect and 95%
    interval as a share of its level before launch, signed so that right of the zero line is
    better; a KPI without enough evidence (or suppressed) says so on its row. `frame`:
    data.kpi_values rows (rpt_kpi_values)."""
    rows = frame.select(
        "kpi_name",
        "unit",
        pl.col("effect_verdict")
        .replace(
            {
                "no_detectable_change": "no detectable change",
                "insufficient_data": "not enough evidence",
            }
        )
        .fill_null("not enough evidence")
        .alias("verdict"),
        "effect",
        "effect_ci_low",
        "effect_ci_high",
        "effect_improvement_pct",
        "effect_improvement_ci_low_pct",
        "effect_improvement_ci_high_pct",
        "is_effect_suppressed",
        "is_effect_interim",
    ).with_columns(
        pl.when(pl.col("is_effect_suppressed"))
        .then(pl.lit("suppressed"))
        .otherwise(pl.col("verdict"))
        .alias("verdict"),
        pl.when(pl.col("is_effect_interim"))
        .then(pl.concat_str([pl.col("kpi_name"), pl.lit(" (interim)")]))
        .otherwise(pl.col("kpi_name"))
        .alias("kpi_label"),
    )
    order = rows.get_column("kpi_label").to_list()
    y = alt.Y("kpi_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("kpi_name:N", title="KPI"),
        alt.Tooltip("verdict:N"),
        alt.Tooltip("effect:Q", format="+,.2f", title="effect (KPI unit)"),
        alt.Tooltip("effect_ci_low:Q", format="+,.2f", title="95% CI from"),
        alt.Tooltip("effect_ci_high:Q", format="+,.2f", title="95% CI to"),
        alt.Tooltip("unit:N"),
        alt.Tooltip("effect_improvement_pct:Q", format="+,.1f", title="improvement (%)"),
    ]
    x_title = "effect of launch, % of the level before launch (right of 0 = better)"
    estimated = rows.filter(pl.col("effect_improvement_pct").is_not_null())
    base = alt.Chart(estimated).encode(y=y, tooltip=tooltip)
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X(
            "effect_improvement_ci_low_pct:Q", title=x_title, scale=alt.Scale(zero=True, nice=True)
        ),
        x2="effect_improvement_ci_high_pct:Q",
        color=alt.Color("verdict:N", scale=VERDICT_SCALE, legend=alt.Legend(title=None)),
    )
    point = base.mark_point(filled=True, size=80).encode(
        x="effect_improvement_pct:Q",
        color=alt.Color("verdict:N", scale=VERDICT_SCALE, legend=None),
    )
    zero = (
        alt.Chart(pl.DataFrame({"zero": [0.0]}))
        .mark_rule(color="#57606a", strokeDash=[4, 3])
        .encode(x="zero:Q")
    )
    unjudged = (
        alt.Chart(rows.filter(pl.col("effect_improvement_pct").is_null()))
        .mark_text(align="left", dx=4, color=GREY, fontStyle="italic")
        .encode(y=y, x=alt.datum(0), text="verdict:N", tooltip=tooltip)
    )
    return alt.layer(zero, interval, point, unjudged).properties(
        title="Effect of each KPI's launch, with its 95% interval",
        height=max(120, 28 * rows.height),
    )


def heatmap(
    frame: pl.DataFrame,
    value: str,
    *,
    title: str,
    row: str = "business_unit_name",
    x: str = "week_start",
    value_format: str = ",.2f",
) -> alt.LayerChart:
    """A week x group grid coloured by `value`; cells with a null value (suppressed) are grey."""
    require(frame, [value], title=title)
    base = alt.Chart(frame.select(x, row, value, "is_suppressed")).encode(
        x=alt.X(f"yearmonthdate({x}):O", title=None, axis=alt.Axis(format="%d %b", labelAngle=-45)),
        y=alt.Y(f"{row}:N", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=220)),
    )
    background = base.mark_rect(color="#eaeef2").encode(
        tooltip=[
            alt.Tooltip(f"{row}:N", title=label(row)),
            alt.Tooltip(f"{x}:T", title=label(x)),
            alt.Tooltip("is_suppressed:N", title="suppressed"),
        ]
    )
    cells = (
        base.transform_filter(f"isValid(datum.{value})")
        .mark_rect()
        .encode(
            color=alt.Color(f"{value}:Q", title=label(value), scale=alt.Scale(scheme="orangered")),
            tooltip=[
                alt.Tooltip(f"{row}:N", title=label(row)),
                alt.Tooltip(f"{x}:T", title=label(x)),
                alt.Tooltip(f"{value}:Q", format=value_format, title=label(value)),
            ],
        )
    )
    return alt.layer(background, cells).properties(title=title, height=alt.Step(24))


FUNNEL_TITLE = "Stage funnel: reached (blue), ready at the stage (green)"


def funnel(frame: pl.DataFrame) -> alt.LayerChart:
    """Use cases that reached each lifecycle stage (and those ready), in stage order."""
    require(frame, ["reached_use_cases"], title=FUNNEL_TITLE, missing="use case")
    base = alt.Chart(frame).encode(
        y=alt.Y(
            "stage:N",
            sort=alt.EncodingSortField("stage_order"),
            title=None,
            axis=alt.Axis(labelOverlap=False),
        ),
    )
    reached = base.mark_bar(color="#54aeff").encode(
        x=alt.X(
            "reached_use_cases:Q",
            title="use cases",
            axis=alt.Axis(format=",d", tickMinStep=1),
        ),
        tooltip=[
            alt.Tooltip("stage:N"),
            alt.Tooltip("reached_use_cases:Q", title="reached"),
            alt.Tooltip("use_cases:Q", title="at stage"),
            alt.Tooltip("ready_use_cases:Q", title="ready"),
        ],
    )
    ready = base.mark_bar(color=GREEN, height=alt.RelativeBandSize(0.35)).encode(
        x="ready_use_cases:Q"
    )
    labels = base.mark_text(align="left", dx=4).encode(
        x="reached_use_cases:Q", text="reached_use_cases:Q"
    )
    return alt.layer(reached, ready, labels).properties(title=FUNNEL_TITLE, height=alt.Step(34))


COST_SPLIT_TITLE = "Investment: cost in the period by use case"


def cost_split(frame: pl.DataFrame, *, category: str = "use_case_name") -> alt.Chart:
    """Horizontal stacked bars per `category` (one row each): reported cost and
    catalogue-priced estimate, the costliest (`period_cost_usd`) first."""
    require(frame, ["period_cost_usd"], title=COST_SPLIT_TITLE, missing="cost")
    return (
        alt.Chart(frame.select(category, "period_reported_cost_usd", "period_priced_cost_usd"))
        .transform_fold(
            ["period_reported_cost_usd", "period_priced_cost_usd"], as_=["source", "usd"]
        )
        .transform_calculate(
            source="datum.source == 'period_reported_cost_usd' ? 'reported (observed)' : 'catalogue-priced (estimate)'"
        )
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N",
                # the costliest first: the frame's order by its total (the chart adds nothing)
                sort=frame.sort("period_cost_usd", descending=True).get_column(category).to_list(),
                title=None,
                axis=alt.Axis(labelOverlap=False, labelLimit=260),
            ),
            x=alt.X("usd:Q", title="cost (USD)"),
            color=alt.Color(
                "source:N",
                scale=alt.Scale(
                    domain=["reported (observed)", "catalogue-priced (estimate)"],
                    range=[BLUE, "#9a6700"],
                ),
                legend=series_legend(),
            ),
            tooltip=[
                alt.Tooltip(f"{category}:N"),
                alt.Tooltip("source:N"),
                alt.Tooltip("usd:Q", format="$,.2f"),
            ],
        )
        .properties(title=COST_SPLIT_TITLE, height=alt.Step(22))
    )


SURVEY_TITLE = "Satisfaction and trust, monthly (mean score, 1 to 5)"


def survey_scores(frame: pl.DataFrame) -> alt.Chart:
    """A line per measure (satisfaction, trust) of the monthly mean score over `month_start`:
    data.survey_trend. The axis starts near the scores (a 1 to 5 scale would flatten a tenth of a
    point); the axis title says the scale."""
    require(frame, ["score"], title=SURVEY_TITLE, missing="survey response")
    return (
        alt.Chart(frame.select("month_start", "measure", "score", "survey_respondents"))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "month_start:T",
                timeUnit="yearmonth",
                title=None,
                axis=alt.Axis(format="%b %Y", tickCount="month", labelAngle=0),
            ),
            y=alt.Y("score:Q", title="mean score (1 to 5)", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=["satisfaction", "trust"], range=[BLUE, "#8250df"]),
                legend=series_legend(),
            ),
            tooltip=[
                alt.Tooltip("month_start:T", timeUnit="yearmonth", title="month"),
                alt.Tooltip("measure:N"),
                alt.Tooltip("score:Q", format=".2f", title="mean score"),
                alt.Tooltip("survey_respondents:Q", format=",", title="respondents"),
            ],
        )
        .properties(title=SURVEY_TITLE, height=HEIGHT)
    )
