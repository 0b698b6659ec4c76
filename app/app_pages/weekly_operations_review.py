"""Weekly operations review: is the platform healthy — volume, errors, latency, cost, policy
blocks, shadow AI and workflow exceptions over the last 13 weeks?"""

import polars as pl
import streamlit as st

from app import charts, data, shell, tables

context = shell.page(
    "Weekly operations review",
    "Is the platform healthy: latency, errors, cost, policy blocks, shadow AI, workflow exceptions?",
)
wh, scope, week, k = context.wh, context.scope, context.period_start, context.min_group_size
assert week is not None
start = data.shift_period("week", week, -12)

# ------------------------------------------------------------------------------- queries
tiles = data.review_tiles(wh, scope.scope_id, "week", week)
# latency percentiles are platform-wide: rpt_review_tiles has them for the organisation only
platform_tiles = (
    tiles
    if scope.scope_id == "organisation"
    else data.review_tiles(wh, "organisation", "week", week)
)
platform = data.tile_series(
    wh, scope.scope_id, "week", start, week, ["requests", "error_rate_pct"]
).join(
    data.tile_series(wh, "organisation", "week", start, week, ["latency_p50_ms", "latency_p95_ms"]),
    on=["period_start", "week_start"],
    how="left",
    maintain_order="left",
)
by_model = data.operations_breakdown(wh, scope.scope_id, start, week, "model")
by_use_case = data.operations_breakdown(wh, scope.scope_id, start, week, "use_case")
cells = data.latency_by_model_use_case(wh, scope.scope_id, week)
units = data.trust_by_business_unit(wh, scope.scope_id, start, week)
policy_actions = data.tile_series(
    wh, scope.scope_id, "week", start, week, ["blocked_requests", "redacted_requests"]
).select("week_start", "blocked_requests", "redacted_requests")
workflow = data.workflow_week_rows(wh, scope.scope_id, start, week)
unit_costs = data.unit_costs_week(wh, scope.scope_id, week)
lifecycle = data.user_lifecycle(wh, scope.scope_id, start, week)
seats = data.license_utilisation(wh, scope.scope_id, week)
agents = data.agent_periods(wh, scope.scope_id, "week", week)
thresholds = data.thresholds(wh)
threshold_pct = float(thresholds["week_over_week_change_pct"]["green"])  # type: ignore[arg-type]
changes = tables.week_over_week_rows(tiles)
people_hidden = bool(tiles["active_users"]["is_suppressed"])

# ------------------------------------------------------------------------------ headline
st.subheader("Platform this week")
st.caption(
    f"{shell.literal(context.scope_label)}. Changes compare with last week"
    + (" over the same days (week to date)." if tiles["requests"]["is_period_to_date"] else ".")
    + " The latency tiles and chart are platform-wide; the model \u00d7 use case table below is "
    "the selection's."
)
shell.close_notice(tiles, "week")
columns = [*st.columns(4), *st.columns(4)]  # two rows: seven tiles fit at 1280 px
with columns[0]:
    shell.review_tile(tiles, "requests", "week", delta_color="off")
with columns[1]:
    shell.review_tile(
        tiles,
        "error_rate_pct",
        "week",
        label="Errors",
        digits=2,
        delta_color="inverse",
        help="Errors and timeouts ÷ requests.",
    )
with columns[2]:
    shell.review_tile(
        platform_tiles,
        "latency_p95_ms",
        "week",
        label="p95 latency",
        delta_color="inverse",
        help="Success requests, platform-wide; p50 "
        f"{shell.tile_value(platform_tiles.get('latency_p50_ms'))}.",
    )
with columns[3]:
    shell.review_tile(
        tiles,
        "cost_usd",
        "week",
        label="Cost",
        delta_color="off",
        help=f"Reported {shell.tile_value(tiles.get('reported_cost_usd'))} (observed) + "
        f"catalogue-priced estimate {shell.tile_value(tiles.get('priced_cost_usd'))}.",
    )
with columns[4]:
    shell.review_tile(tiles, "policy_adherence_pct", "week", label="Adherence", digits=2)
with columns[5]:
    shell.review_tile(
        tiles, "shadow_ai_pct", "week", label="Shadow AI", digits=2, delta_color="inverse"
    )
with columns[6]:
    shell.review_tile(tiles, "active_users", "week", delta_color="off")
shell.suppression_caption(context, people_hidden)

flagged = changes.filter(pl.col("is_flagged"))
with st.container(border=True):
    if flagged.is_empty():
        st.markdown(
            f":material/check_circle: No metric changed RAG band or moved more than "
            f"{threshold_pct:g}% against last week."
        )
    else:
        st.markdown(
            f":material/flag: **{flagged.height} metric(s) changed RAG band or moved more than "
            f"{threshold_pct:g}% against last week:** "
            + "; ".join(
                f"{shell.literal(r['metric'])} {r['change_pct']:+.1f}%"
                if r["change_pct"] is not None
                else f"{shell.literal(r['metric'])} now {shell.literal(r['status'])}"
                for r in flagged.iter_rows(named=True)
            )
        )
    with st.expander("All week-over-week changes"):
        shell.table(
            tables.week_over_week(changes, threshold_pct=threshold_pct), changes, "week_over_week"
        )

# ----------------------------------------------------------------------- reliability
st.subheader("Volume, errors and latency (13 weeks)")
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

# ------------------------------------------------- latency and errors by model x use case
st.subheader("Latency and errors by model and use case (this week)")
latency_bounds, error_bounds = thresholds["latency_p95_ms"], thresholds["error_rate_pct"]
p95_red, error_red = float(latency_bounds["amber"]), float(error_bounds["amber"])  # type: ignore[arg-type]
bounds = f"the {p95_red:,.0f} ms p95 bound or the {error_red:g}% error bound"
breaches = cells.filter(pl.col("status").is_in(["red", "amber"]))
red = breaches.filter(pl.col("status") == "red").height
amber = breaches.filter(pl.col("status") == "amber").height
if cells.is_empty():
    st.info(
        f"No model call in {shell.literal(context.scope_label)} this week: no latency or error "
        "to compare."
    )
elif not red:
    st.success(
        f"No model \u00d7 use case cell is above {bounds} this week"
        + (f"; {amber} within the amber band (below)." if amber else ", nor in the amber band."),
        icon=":material/check_circle:",
    )
else:
    st.markdown(
        f":material/error: **{red} model \u00d7 use case cell(s) above {bounds} this week**"
        + (f", {amber} more in the amber band" if amber else "")
        + ": worst first."
    )
if not breaches.is_empty():
    shell.table(
        tables.latency_breaches(
            breaches,
            period_label=context.period_label,
            latency_bounds=latency_bounds,
            error_bounds=error_bounds,
        ),
        breaches,
        "latency_by_model_use_case",
        csv=cells,
    )
    st.caption(
        f"{shell.literal(context.scope_label)}. Latency is over success requests (percentiles from a latency "
        "histogram with 1% steps: within 0.5% of the exact figure); errors are errors and "
        "timeouts \u00f7 requests. A p95 over a handful of requests is close to the slowest one: "
        "read it with its requests. The CSV holds every model \u00d7 use case cell of the week."
    )

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
    st.caption(
        "Unit costs are each use case's whole week (all its requests and completed runs), for the "
        "use cases the scope held at the week's end; the charts above count the scope's requests."
    )

# ---------------------------------------------------------------------------- agents
st.subheader("Agents")
agent_success, agent_duration, agent_cost = (
    thresholds["agent_success_rate_pct"],
    thresholds["agent_duration_p95_ms"],
    thresholds["agent_cost_per_successful_run_usd"],
)
if agents.is_empty():
    st.info(f"No agent run in {shell.literal(context.scope_label)} this week.")
else:
    breaking = agents.filter(
        (pl.col("success_rate_status") == "red")
        | (pl.col("duration_p95_status") == "red")
        | (pl.col("cost_per_successful_run_status") == "red")
    ).height
    shadow = agents.filter(pl.col("is_shadow_agent")).height
    st.markdown(
        f"**{agents.height} agent(s) ran this week**"
        + (f"; :red[{breaking} beyond a red bound]" if breaking else "; none beyond a red bound")
        + (
            f"; :red[{shadow} shadow agent(s)] (absent from agents.csv or not approved)."
            if shadow
            else "."
        )
    )
    shell.table(
        tables.agents(
            agents,
            period_label=context.period_label,
            success_bounds=agent_success,
            duration_bounds=agent_duration,
            cost_bounds=agent_cost,
        ),
        agents,
        "agents",
    )
    st.caption(
        "An agent run is an invoke_agent span; the model calls and tool calls beneath it, down to "
        "the next agent, are its own. The operations figures above count model calls only. Cost "
        "per successful run is every run's cost ÷ the runs that succeeded."
    )

# -------------------------------------------------------------------------- adoption
st.subheader("Users and licences")
left, right = st.columns(2)
with left:
    shell.chart(
        charts.time_series,
        lifecycle,
        "users_count",
        color="lifecycle_group",
        title="New, returning and lapsed users",
        y_title="people",
        y_format=",.0f",
    )
    st.caption(
        f"{shell.literal(context.scope_label)}: people with a request or tool activity in the scope's use cases "
        "and business units; new = first active week in the scope."
    )
with right:
    if seats.is_empty() and scope.portfolio_id is not None:
        st.info(
            "Licence seats are held by business units, not portfolios: choose a business unit "
            "alone (or no filter) to see utilisation."
        )
    elif seats.is_empty():
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
        policy_actions.unpivot(
            index="week_start", variable_name="policy_action", value_name="request_count"
        ).with_columns(pl.col("policy_action").str.replace("_requests", "")),
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
    "Satisfaction and trust are survey means (1-5) of a whole business unit, shown when at least "
    f"{k} people answered that week and the scope covers the whole unit."
)
shadow_models = data.shadow_ai_models(wh, scope.scope_id, week)
if shadow_models.is_empty():
    st.success("No request to a model absent from or unapproved in the catalogue this week.")
else:
    shown_models = shadow_models.filter(~pl.col("is_suppressed"))
    hidden = shadow_models.item(0, "hidden_rows_count")
    if not shown_models.is_empty():
        shell.table(
            tables.shadow_ai_models(shown_models, period_label=context.period_label),
            shown_models,
            "shadow_ai_models",
        )
    if hidden:
        st.caption(
            f"{hidden} model x business unit row(s) used by fewer than {k} people, or "
            "hidden with one as its complement, are not shown, to protect individuals (they "
            "are in the business-unit totals above)."
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
