"""Weekly operations review: is the platform healthy — volume, errors, latency, cost, policy
blocks, shadow AI and workflow exceptions over the last 13 weeks?"""

import polars as pl
import streamlit as st

from app import charts, data, decisions, privacy, settings, shell, tables

context = shell.page(
    "Weekly operations review",
    "Is the platform healthy: latency, errors, cost, policy blocks, shadow AI, workflow exceptions?",
)
wh, scope, week, k = context.wh, context.scope, context.period_start, context.min_group_size
assert week is not None
start = data.shift_period("week", week, -12)
threshold_pct = settings.wow_threshold_pct()

# ------------------------------------------------------------------------------- queries
platform = data.weekly_platform(wh, start, week)
this_week = platform.filter(pl.col("week_start") == week).row(0, named=True)
previous = platform.filter(pl.col("week_start") == data.shift_period("week", week, -1))
last_week = previous.row(0, named=True) if previous.height else None
by_model = data.operations_breakdown(wh, scope, start, week, "model")
by_use_case = data.operations_breakdown(wh, scope, start, week, "use_case")
units = privacy.suppress(
    data.trust_by_business_unit(wh, start, week, scope.business_unit_id),
    "requesting_users",
    ["policy_adherence_pct", "shadow_ai_pct", "shadow_ai_requests"],
    k,
).pipe(
    privacy.suppress,
    "survey_respondents",
    ["avg_satisfaction", "avg_trust"],
    k,
    flag="is_survey_suppressed",
)
workflow = data.workflow_weekly(wh, scope, start, week)
unit_costs = data.unit_costs_week(wh, scope, week)
lifecycle = privacy.suppress(
    data.user_lifecycle(wh, start, week)
    .select("week_start", "new_users", "returning_users", "lapsed_users")
    .unpivot(index="week_start", variable_name="users", value_name="people")
    .with_columns(pl.col("users").str.replace("_users", "")),
    "people",
    [],
    k,
)
seats = privacy.suppress(
    data.license_utilisation(wh, week),
    "licensed_seats",
    ["used_seats", "idle_licenses", "license_utilisation_pct"],
    k,
)
thresholds = data.thresholds(wh)
changes = decisions.week_over_week(this_week, last_week, threshold_pct)
people_hidden = privacy.is_small(this_week["active_users"], k)

# ------------------------------------------------------------------------------ headline
st.subheader("Platform this week")
if scope.is_filtered:
    st.caption(
        "Headline figures and the volume, error and latency charts are platform-wide "
        "(rpt_weekly_operations); cost, trust and workflow breakdowns follow the filters."
    )


def delta(column: str, unit: str = "", digits: int = 1) -> str | None:
    if last_week is None or this_week[column] is None or last_week[column] is None:
        return None
    return f"{this_week[column] - last_week[column]:+,.{digits}f}{unit}"


def rag(column: str) -> str:
    value = this_week.get(column)
    return (
        f"{shell.RAG_ICONS.get(str(value), '')} {shell.RAG_WORDS.get(str(value), '')}"
        if value
        else ""
    )


columns = st.columns(7)
with columns[0]:
    shell.metric(
        "Requests",
        shell.fmt_int(this_week["requests"]),
        delta=delta("requests", digits=0),
        delta_color="off",
    )
with columns[1]:
    shell.metric(
        "Errors",
        shell.fmt_pct(this_week["error_rate_pct"], 2),
        delta=delta("error_rate_pct", " pts", 2),
        delta_color="inverse",
        help=f"Errors and timeouts ÷ requests. {rag('error_rate_status')}",
    )
with columns[2]:
    shell.metric(
        "p95 latency",
        shell.fmt_ms(this_week["latency_p95_ms"]),
        delta=delta("latency_p95_ms", " ms", 0),
        delta_color="inverse",
        help=f"Success requests; p50 {shell.fmt_ms(this_week['latency_p50_ms'])}. {rag('latency_p95_status')}",
    )
with columns[3]:
    shell.metric(
        "Cost",
        shell.fmt_usd(this_week["cost_usd"]),
        delta=delta("cost_usd", "", 2),
        delta_color="off",
        help=f"Reported {shell.fmt_usd(this_week['reported_cost_usd'])} (observed) + catalogue-priced "
        f"estimate {shell.fmt_usd(this_week['priced_cost_usd'])}.",
    )
with columns[4]:
    shell.metric(
        "Adherence",
        shell.fmt_pct(this_week["policy_adherence_pct"], 2),
        delta=delta("policy_adherence_pct", " pts", 2),
        help=rag("policy_adherence_status"),
    )
with columns[5]:
    shell.metric(
        "Shadow AI",
        shell.fmt_pct(this_week["shadow_ai_pct"], 2),
        delta=delta("shadow_ai_pct", " pts", 2),
        delta_color="inverse",
        help=rag("shadow_ai_status"),
    )
with columns[6]:
    shell.metric(
        "Active users",
        privacy.SUPPRESSED if people_hidden else shell.fmt_int(this_week["active_users"]),
        delta=None if people_hidden else delta("active_users", digits=0),
        delta_color="off",
    )
shell.suppression_caption(context, people_hidden)

flagged = changes.filter(pl.col("is_flagged"))
with st.container(border=True):
    if flagged.is_empty():
        st.markdown(f":material/check_circle: No weekly change beyond {threshold_pct:g}%.")
    else:
        st.markdown(
            f":material/flag: **{flagged.height} change(s) beyond {threshold_pct:g}% week over week:** "
            + "; ".join(
                f"{r['metric']} {r['change_pct']:+.1f}%" for r in flagged.iter_rows(named=True)
            )
        )
    with st.expander("All week-over-week changes"):
        shell.table(
            tables.week_over_week(changes, threshold_pct=threshold_pct), changes, "week_over_week"
        )

# ----------------------------------------------------------------------- reliability
st.subheader("Volume, errors and latency (13 weeks, platform-wide)")
left, middle, right = st.columns(3)
with left:
    shell.chart(charts.bars, platform, "requests", title="Requests per week", y_title="requests")
with middle:
    shell.chart(
        charts.time_series,
        platform,
        "error_rate_pct",
        title="Error rate vs thresholds",
        y_title="errors + timeouts (%)",
        thresholds=thresholds.get("error_rate_pct"),
        y_format=",.2f",
    )
with right:
    shell.chart(charts.latency, platform, thresholds=thresholds.get("latency_p95_ms"))

# ------------------------------------------------------------------------ cost, tokens
st.subheader("Tokens and cost by model and use case")
left, right = st.columns(2)
with left:
    shell.chart(
        charts.bars,
        by_model,
        "cost_usd",
        color="breakdown",
        title="Cost by model (USD)",
        y_title="USD",
        y_format="$,.2f",
    )
    shell.chart(
        charts.bars,
        by_model,
        "input_tokens",
        color="breakdown",
        title="Input tokens by model",
        y_title="tokens",
    )
with right:
    shell.chart(
        charts.bars,
        by_use_case,
        "cost_usd",
        color="breakdown",
        title="Cost by use case (USD)",
        y_title="USD",
        y_format="$,.2f",
    )
    shell.chart(
        charts.bars,
        by_use_case,
        "output_tokens",
        color="breakdown",
        title="Output tokens by use case",
        y_title="tokens",
    )
shell.download(by_model, "operations_by_model")
shell.download(by_use_case, "operations_by_use_case")
if not unit_costs.is_empty():
    shell.table(
        tables.unit_costs(unit_costs, period_label=context.period_label), unit_costs, "unit_costs"
    )

# -------------------------------------------------------------------------- adoption
st.subheader("Users and licences")
left, right = st.columns(2)
with left:
    shell.chart(
        charts.time_series,
        lifecycle,
        "people",
        color="users",
        title="New, returning and lapsed users (organisation-wide)",
        y_title="people",
        y_format=",.0f",
    )
with right:
    if seats.is_empty():
        st.info("No licence seat was held this week; ingest `licenses` to see utilisation.")
    else:
        shell.table(tables.licenses(seats, period_label=context.period_label), seats, "licenses")
shell.suppression_caption(
    context,
    bool(lifecycle.get_column("is_suppressed").any() or seats.get_column("is_suppressed").any()),
)

# ----------------------------------------------------------------------------- trust
st.subheader("Policy blocks, redactions and shadow AI")
week_units = units.filter(pl.col("week_start") == week)
left, right = st.columns(2)
with left:
    shell.chart(
        charts.bars,
        units.select("week_start", "blocked_requests", "redacted_requests")
        .unpivot(index="week_start", variable_name="policy_action", value_name="request_count")
        .with_columns(pl.col("policy_action").str.replace("_requests", "")),
        "request_count",
        color="policy_action",
        title="Blocked and redacted requests per week",
        y_title="requests",
    )
with right:
    shell.chart(
        charts.heatmap, units, "shadow_ai_pct", title="Shadow AI share by business unit (%)"
    )
if week_units.is_empty():
    st.info("No request from the selected business unit this week.")
else:
    shell.table(
        tables.shadow_ai(week_units, period_label=context.period_label, min_size=k),
        week_units,
        "shadow_ai_by_business_unit",
    )
shell.suppression_caption(
    context,
    bool(units["is_suppressed"].any() or units["is_survey_suppressed"].any()),
)
st.caption(
    "Satisfaction and trust are survey means (1-5), shown when at least "
    f"{k} people answered that week."
)
shadow_models = data.shadow_ai_models(wh, week, scope.business_unit_id)
if shadow_models.is_empty():
    st.success("No request to a model absent from or unapproved in the catalogue this week.")
else:
    shown_models = shadow_models.filter(~pl.col("requesting_users").is_between(1, k - 1))
    hidden = shadow_models.height - shown_models.height
    if not shown_models.is_empty():
        shell.table(
            tables.shadow_ai_models(shown_models, period_label=context.period_label),
            shown_models,
            "shadow_ai_models",
        )
    if hidden:
        st.caption(
            f"{hidden} model x business unit row(s) used by fewer than {k} people are not "
            "shown, to protect individuals (they are in the business-unit totals above)."
        )

# -------------------------------------------------------------------------- workflow
st.subheader("Workflow exceptions and overrides")
if workflow.is_empty():
    st.info("No workflow run started in these 13 weeks for the selected use cases.")
else:
    left, right = st.columns(2)
    with left:
        shell.chart(
            charts.time_series,
            workflow.filter(pl.col("runs_started") > 0),
            "exception_rate_pct",
            color="use_case_name",
            title="Exception rate by use case",
            y_title="runs with an exception (%)",
            thresholds=thresholds.get("exception_rate_pct"),
        )
    with right:
        shell.chart(
            charts.time_series,
            workflow.filter(pl.col("override_rate_pct").is_not_null()),
            "override_rate_pct",
            color="use_case_name",
            title="Override rate by use case",
            y_title="reviews overridden (%)",
            thresholds=thresholds.get("override_rate_pct"),
        )
    this_week_runs = workflow.filter(pl.col("week_start") == week)
    if not this_week_runs.is_empty():
        shell.table(
            tables.workflow_week(this_week_runs, period_label=context.period_label),
            this_week_runs,
            "workflow_this_week",
        )
