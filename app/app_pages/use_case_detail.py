"""Use case detail: everything about one use case — owners, readiness, recommendation and its
evidence, KPIs against baseline and target, workflow quality, adoption, operations and cost."""

import polars as pl
import streamlit as st

from app import charts, data, shell, tables

context = shell.page(
    "Use case detail",
    "Everything about one use case: readiness, recommendation and evidence, KPIs, workflow, adoption, cost.",
)
wh, scope = context.wh, context.scope

choices = data.use_cases(wh, scope)
if choices.is_empty():
    st.info(
        "No use case matches the selected portfolio and business unit. Clear a filter in the sidebar."
    )
    st.stop()
names = dict(zip(choices["use_case_id"], choices["use_case_name"], strict=True))
requested = st.query_params.get("use_case")
use_case_id = st.selectbox(
    "Use case",
    list(names),
    index=list(names).index(requested) if requested in names else 0,
    format_func=lambda uid: f"{names[uid]} ({uid})",
    key="use_case",
)
if requested is not None and requested not in names:
    # a link to a use case this scope does not hold (or none configured): say so, never swap
    # it silently for the first one
    st.warning(
        f"The link asks for use case {shell.literal(requested)}, which is not configured in "
        f"this selection ({shell.literal(context.scope_label)}); showing "
        f"{shell.literal(names[use_case_id])} instead.",
        icon=":material/link_off:",
    )
st.query_params["use_case"] = use_case_id

# ------------------------------------------------------------------------------- queries
profile = (
    data.readiness(wh, data.Scope()).filter(pl.col("use_case_id") == use_case_id).row(0, named=True)
)
series = data.kpi_series(wh, use_case_id)
effects = data.kpi_effects(wh, data.Scope().scope_id, "month", None, use_case_id)
workflow = data.workflow_weekly(wh, data.Scope(), None, None, use_case_id)
operations = data.operations_for_use_case(wh, use_case_id)
costs = data.unit_costs(wh, use_case_id)
adoption = data.adoption_for_use_case(wh, use_case_id)
thresholds = data.thresholds(wh)

# -------------------------------------------------------------------------- profile
badge = {
    "scale": "green",
    "hold": "orange",
    "redesign": "red",
    "ready": "green",
    "not_ready": "red",
    "not assessed": "gray",  # proposed or retired: no recommendation
}
st.markdown(
    f"### {shell.literal(profile['use_case_name'])}\n"
    f":{badge[profile['recommendation']]}-badge[{shell.literal(profile['recommendation'])}] "
    f":{badge[profile['readiness_status']]}-badge"
    f"[{shell.literal(shell.humanise(profile['readiness_status']))}] "
    f":blue-badge[{shell.literal(profile['stage'])}] "
    f":gray-badge[risk tier {shell.literal(profile['risk_tier'])}] · "
    f"{shell.literal(profile['portfolio_name'])} · priority score "
    f"{shell.fmt_number(profile['priority_score'], 0)}"
)
with st.container(border=True):
    st.markdown(
        " · ".join(
            f"**{role.split('_')[0].title()} owner:** "
            + (shell.literal(profile[role]) if profile[role] else ":red[not named]")
            for role in ("outcome_owner", "platform_owner", "risk_owner", "measurement_owner")
        )
    )
left, right = st.columns(2)
with left, st.container(border=True):
    st.markdown(f"**Recommendation: {shell.literal(profile['recommendation'])}**")
    st.markdown(
        "\n".join(
            f"- {shell.literal(reason)}"
            for reason in shell.split_list(profile["recommendation_reasons"])
        )
    )
    st.markdown(f"**Exit criterion:** {shell.literal(profile['exit_criterion']) or shell.DASH}")
    st.caption(
        f"Pilot started {shell.fmt_date(profile['pilot_start_date'])}; production "
        f"{shell.fmt_date(profile['production_date'])}."
    )
with right, st.container(border=True):
    gaps = shell.split_list(profile["readiness_gaps"])
    st.markdown(f"**Readiness: {shell.literal(shell.humanise(profile['readiness_status']))}**")
    st.markdown(
        "\n".join(f"- {shell.literal(gap)}" for gap in gaps)
        if gaps
        else "All four owners named, every checklist item dated, KPI targets set before launch."
    )

st.markdown(
    f"**Evidence window** {shell.fmt_date(profile['window_start_date'])} \u2013 {shell.fmt_date(profile['window_end_date'])}"
)
columns = st.columns(5)
with columns[0]:
    shell.metric("Reviews", shell.fmt_int(profile["window_reviews"]))
with columns[1]:
    shell.metric("Override rate", shell.fmt_pct(profile["window_override_rate_pct"]))
with columns[2]:
    shell.metric("Quality acceptance", shell.fmt_pct(profile["window_quality_acceptance_pct"]))
with columns[3]:
    shell.metric("Policy adherence", shell.fmt_pct(profile["window_policy_adherence_pct"], 2))
with columns[4]:
    shell.metric(
        "KPIs on track for scale",
        f"{profile['kpis_on_track_for_scale'] or 0} / {profile['kpis'] or 0}",
    )

# ----------------------------------------------------------------------------- KPIs
st.subheader("KPIs")
if series.is_empty():
    st.info(
        "No KPI observation for this use case. Define its KPIs in seeds/kpis.csv and ingest kpi_observations."
    )
else:
    kpi_ids = series.get_column("kpi_id").unique(maintain_order=True).to_list()
    for column, kpi_id in zip(st.columns(len(kpi_ids)), kpi_ids, strict=True):
        kpi = series.filter(pl.col("kpi_id") == kpi_id)
        latest = kpi.row(-1, named=True)
        with column:
            shell.chart(
                charts.kpi_trend,
                kpi,
                title=f"{latest['kpi_name']} ({latest['unit']})",
                unit=latest["unit"],
            )
            st.caption(
                f"Latest {shell.fmt_number(latest['actual_value'], 2)} "
                f"{shell.literal(latest['unit'])} · gap closed "
                f"{shell.fmt_pct(latest['gap_closed_pct'])} vs {shell.fmt_pct(latest['expected_progress_pct'])} expected · "
                f"{shell.RAG_ICONS.get(latest['status'], '')} {latest['status']}"
            )
if not effects.is_empty():
    shell.table(tables.kpi_effects(effects), effects, "kpi_effects")
    shell.suppression_caption(context, bool(effects.get_column("is_effect_suppressed").any()))

# ------------------------------------------------------------------------- workflow
st.subheader("Workflow")
if workflow.is_empty():
    st.info("No workflow run recorded for this use case.")
else:
    left, right = st.columns(2)
    with left:
        shell.chart(
            charts.time_series,
            workflow.select(
                "week_start",
                "quality_acceptance_pct",
                "override_rate_pct",
                "exception_rate_pct",
                "completion_rate_pct",
            )
            .unpivot(index="week_start", variable_name="rate", value_name="pct")
            .drop_nulls("pct"),
            "pct",
            color="rate",
            title="Workflow quality per week",
            y_title="%",
        )
    with right:
        shell.chart(
            charts.time_series,
            workflow.drop_nulls("median_cycle_time_minutes"),
            "median_cycle_time_minutes",
            title="Median cycle time (completed runs)",
            y_title="minutes",
        )

# ----------------------------------------------------------------- adoption and cost
st.subheader("Adoption, operations and cost")
left, right = st.columns(2)
with left:
    if adoption.is_empty():
        st.info("No tagged request for this use case yet.")
    else:
        shell.chart(
            charts.time_series,
            adoption,
            "active_users",
            title="Active users per week",
            y_title="active users",
            y_format=",.0f",
        )
        shell.suppression_caption(context, bool(adoption.get_column("is_suppressed").any()))
with right:
    if costs.is_empty():
        st.info("No cost recorded for this use case.")
    else:
        shell.chart(
            charts.time_series,
            costs.select("week_start", "cost_per_request_usd", "cost_per_completed_run_usd")
            .unpivot(index="week_start", variable_name="unit_cost", value_name="usd")
            .drop_nulls("usd"),
            "usd",
            color="unit_cost",
            title="Unit cost per week (USD)",
            y_title="USD",
            y_format="$,.4f",
        )
if not operations.is_empty():
    left, right = st.columns(2)
    with left:
        shell.chart(
            charts.bars,
            operations,
            "requests",
            color="model",
            title="Requests by model",
            y_title="requests",
        )
    with right:
        shell.chart(
            charts.time_series,
            operations.drop_nulls("latency_p95_ms"),
            "latency_p95_ms",
            color="model",
            title="Latency p95 by model",
            y_title="ms",
            thresholds=thresholds.get("latency_p95_ms"),
            y_format=",.0f",
        )
    shell.download(operations, f"operations_{use_case_id}")
