"""Quarterly executive review: is AI creating value, where is the risk, and which use cases do
we scale, hold or redesign — and why."""

import polars as pl
import streamlit as st

from app import charts, data, export, privacy, shell, tables

context = shell.page(
    "Quarterly executive review",
    "Is AI creating value? Where is the risk? Which use cases do we scale, hold or redesign, and why?",
)
wh, scope, quarter, k = context.wh, context.scope, context.period_start, context.min_group_size
assert quarter is not None
assert context.period_end is not None
assert context.previous_period_start is not None

# ------------------------------------------------------------------------------- queries
tiles = data.review_tiles(wh, scope.scope_id, "quarter", quarter)
scorecard = data.use_case_scorecard(wh, scope.scope_id, "quarter", quarter)
kpis = data.kpi_values(wh, scope.scope_id, "quarter", quarter)
readiness = data.readiness(wh, scope, "quarter", quarter)
funnel = data.stage_funnel(wh, scope.scope_id, "quarter", quarter)
weeks = data.tile_series(
    wh,
    scope.scope_id,
    "week",
    context.previous_period_start,
    context.period_end,
    ["policy_adherence_pct", "shadow_ai_pct", "classification_violations"],
)
units = data.trust_by_business_unit(wh, scope.scope_id, quarter, context.period_end)
thresholds = data.thresholds(wh)
to_decide = data.review_decisions(wh, scope.scope_id, "quarter", quarter)
money = data.cost_and_value(wh, scope.scope_id, "quarter", quarter)
agents = data.agent_periods(wh, scope.scope_id, "quarter", quarter)
surveys = data.survey_trend(
    wh,
    scope.scope_id,
    data.shift_period("month", context.period_end.replace(day=1), -11),
    context.period_end,
)

# ------------------------------------------------------------------------------ headline
people_hidden = bool(tiles["active_users"]["is_suppressed"])


def value(metric: str, digits: int = 1) -> str:
    return shell.tile_value(tiles.get(metric), digits)


st.subheader("Value, adoption and risk this quarter")
to_date = bool(tiles["requests"]["is_period_to_date"])
st.caption(
    f"{shell.literal(context.scope_label)}, as known "
    + ("today (quarter to date)" if to_date else "at the quarter's end")
    + ". Changes compare with last quarter"
    + (" over the same number of days." if to_date else ".")
)
shell.close_notice(tiles, "quarter")
columns = [*st.columns(3), *st.columns(3)]  # two rows: six tiles fit at 1280 px
with columns[0]:
    shell.review_tile(
        tiles,
        "active_users",
        "quarter",
        delta_color="off",
        help="Distinct people with a request or vendor activity in the quarter.",
    )
with columns[1]:
    shell.review_tile(
        tiles,
        "penetration_pct",
        "quarter",
        help="Share of eligible headcount active in the quarter: active users ÷ eligible "
        f"headcount ({value('eligible_headcount')}, as configured at the quarter's end).",
    )
with columns[2]:
    shell.review_tile(
        tiles,
        "cost_usd",
        "quarter",
        label="Cost",
        delta_color="off",
        help=f"Reported plus estimated cost. Reported (observed) {value('reported_cost_usd')}; "
        f"catalogue-priced estimate {value('priced_cost_usd')} for requests without a reported cost.",
    )
with columns[3]:
    shell.review_tile(
        tiles,
        "policy_adherence_pct",
        "quarter",
        digits=2,
        help="Requests without a policy violation ÷ all requests.",
    )
with columns[4]:
    shell.review_tile(
        tiles,
        "shadow_ai_pct",
        "quarter",
        label="Shadow AI",
        digits=2,
        delta_color="inverse",
        help="Requests to models absent from or unapproved in the catalogue.",
    )
with columns[5]:
    shell.metric(
        "KPIs G / A / R",
        f"{value('kpis_green')} / {value('kpis_amber')} / {value('kpis_red')}",
        help=f"KPI status as known at the quarter's end, of {value('kpis_known')} KPIs defined: "
        f"{value('kpis_stale')} stale and {value('kpis_pre_launch')} pre-launch KPIs are "
        "neither green, amber nor red (they are not on track).",
    )
shell.suppression_caption(context, people_hidden)

# ----------------------------------------------------------------------------- decisions
with st.container(border=True):
    st.subheader(":material/gavel: Decisions this quarter")
    if scorecard.is_empty():
        # an empty selection is not an all-clear
        st.info(
            f"No use cases in this selection ({shell.literal(context.scope_label)}) at the "
            "quarter's end: "
            "nothing to decide. Widen the portfolio or business-unit filter."
        )
    elif to_decide.is_empty():
        st.success("No decision is flagged for this quarter.")
    for row in to_decide.iter_rows(named=True):
        restated = " · *restated since the close*" if row["is_restated"] else ""
        st.markdown(
            f"**{shell.literal(row['decision'])}** · {shell.literal(row['subject'])} — "
            f"{shell.literal(row['why'])}{restated}"
        )
    shell.restated_caption(to_decide)
    shell.download(to_decide, "quarterly_decisions")

# ----------------------------------------------------------------------------- scorecard
st.subheader("Portfolio scorecard")
scorecard_gt = tables.portfolio_scorecard(scorecard, period_label=context.period_label, min_size=k)
shell.table(scorecard_gt, scorecard, "portfolio_scorecard")
shell.suppression_caption(context, bool(scorecard.get_column("is_suppressed").any()))

# ------------------------------------------------------------------ value and investment
st.subheader("Value realised and investment")
if kpis.is_empty():
    st.info("No KPI is defined at the quarter's end for the selected use cases.")
    kpi_gt = None
else:
    with st.container(border=True):
        shell.chart(charts.effects_forest, kpis)
        st.markdown(
            "\n".join(
                f"- {shell.literal(row['effect_verdict_text'])}{shell.effect_cost_text(row, 'quarter')}"
                for row in kpis.filter(pl.col("effect_verdict_text").is_not_null()).to_dicts()
            )
        )
        st.caption(
            "Each KPI's effect as known at the quarter's end, by the design its configuration "
            "declares: against its level before launch, the business units not yet live, or "
            "unassisted runs. 95% intervals (Welch); no verdict where a side has fewer periods "
            "than the KPI's minimum; interim before the KPI's pre-registered evaluation date."
        )
        shell.suppression_caption(context, bool(kpis.get_column("is_effect_suppressed").any()))
    kpi_gt = tables.kpi_values(kpis, period_label=context.period_label)
    shell.table(kpi_gt, kpis, "kpi_values")

st.markdown("##### Cost and modelled value")
shell.cost_and_value_tiles(money, context, seats_attributed=scope.portfolio_id is None)
costs = scorecard.filter(pl.col("period_cost_usd") > 0)
if costs.is_empty():
    st.info("No usage cost was recorded in this quarter for the selected use cases.")
else:
    shell.chart(charts.cost_split, costs)
    st.caption(
        "Cost is shown apart from value: reported cost is observed; the estimate prices requests "
        "without a reported cost from the model catalogue at the price of their day. Untagged "
        "usage and licence seats are not attributed to a use case."
    )

st.markdown("##### Satisfaction and trust")
if surveys.is_empty():
    st.info("No survey response in the twelve months to the quarter's end in this selection.")
else:
    shell.chart(charts.survey_scores, surveys)
    st.caption(
        "Pulse survey answers of the people in this selection, by the month they answered: "
        "mean over responses. A month with fewer respondents than the minimum group size "
        f"({k}) is left out."
    )

# ---------------------------------------------------------------------------- risk posture
st.subheader("Risk posture")
left, right = st.columns(2)
with left:
    shell.chart(
        charts.time_series,
        weeks,
        "policy_adherence_pct",
        title="Policy adherence, this and last quarter (weekly)",
        y_title="policy adherence (%)",
        thresholds=thresholds.get("policy_adherence_pct"),
        y_format=",.2f",
    )
with right:
    shell.chart(
        charts.time_series,
        weeks,
        "shadow_ai_pct",
        title="Shadow AI share, this and last quarter (weekly)",
        y_title="shadow AI (%)",
        thresholds=thresholds.get("shadow_ai_pct"),
        y_format=",.2f",
    )
left, right = st.columns(2)
with left:
    shell.chart(
        charts.bars,
        weeks,
        "classification_violations",
        title="Data-classification violations per week",
        y_title="requests",
    )
with right:
    if units.is_empty():
        st.info("No request from the selected business unit this quarter.")
    else:
        shell.chart(
            charts.heatmap,
            units,
            "shadow_ai_pct",
            title="Shadow AI share by business unit (weekly, %)",
        )
        shell.suppression_caption(context, bool(units.get_column("is_suppressed").any()))

st.markdown("##### Agents")
if agents.is_empty():
    st.info(f"No agent run in {shell.literal(context.scope_label)} this quarter.")
else:
    shadow = agents.filter(pl.col("is_shadow_agent"))
    if shadow.is_empty():
        st.markdown("Every agent that ran this quarter is registered and approved in agents.csv.")
    else:
        st.markdown(
            f":material/warning: **{shadow.height} shadow agent(s)** ran this quarter: absent "
            "from agents.csv or not approved there, so no owner answers for them (listed first)."
        )
    shell.table(
        tables.agents(
            agents,
            period_label=context.period_label,
            success_bounds=thresholds["agent_success_rate_pct"],
            duration_bounds=thresholds["agent_duration_p95_ms"],
            cost_bounds=thresholds["agent_cost_per_successful_run_usd"],
            with_recommendation=True,
        ),
        agents,
        "agents",
    )
    st.caption(
        "Each agent with its use case and owner from agents.csv, and its use case's verdict and "
        "launch readiness as known at the quarter's end. Success, p95 duration and cost per "
        "successful run are over the quarter's runs."
    )

# ---------------------------------------------------------------- funnel and readiness
st.subheader("Stage funnel and readiness to scale")
left, right = st.columns([2, 1])
with left:
    shell.chart(charts.funnel, funnel)
with right:
    shell.metric(
        "In production or scaled, ready",
        f"{value('use_cases_in_production')}, {value('use_cases_ready')} ready",
        help="In the selected scope, as known at the quarter's end.",
    )
    shell.metric(
        "Scale / hold / redesign",
        f"{value('use_cases_to_scale')} / {value('use_cases_to_hold')} / {value('use_cases_to_redesign')}",
        help="Recommendation counts in the selected scope, as known at the quarter's end.",
    )
readiness_gt = tables.readiness(readiness)
shell.table(readiness_gt, readiness, "readiness")

# ------------------------------------------------------------------------------ export


def board_pack() -> str:
    """The quarterly review as one self-contained HTML file."""
    shown = [
        ("Active users", "active_users", 1),
        ("Penetration", "penetration_pct", 1),
        ("Cost (reported + estimate)", "cost_usd", 1),
        ("Reported cost", "reported_cost_usd", 1),
        ("Estimated cost", "priced_cost_usd", 1),
        ("Policy adherence", "policy_adherence_pct", 2),
        ("Shadow AI share", "shadow_ai_pct", 2),
    ]
    head = pl.DataFrame(
        {
            "metric": [label for label, _, _ in shown] + ["KPIs green / amber / red"],
            "current": [value(metric, digits) for _, metric, digits in shown]
            + [f"{value('kpis_green')} / {value('kpis_amber')} / {value('kpis_red')}"],
            "previous": [
                shell.previous_tile_value(tiles.get(metric), digits) for _, metric, digits in shown
            ]
            + [
                " / ".join(
                    shell.previous_tile_value(tiles.get(metric))
                    for metric in ("kpis_green", "kpis_amber", "kpis_red")
                )
            ],
            "status": [tiles[metric]["status"] for _, metric, _ in shown] + [None],
        }
    )
    sections = [
        (
            f"Headline ({context.scope_label})",
            tables.headline(head, title="Headline", subtitle=context.period_label).as_raw_html(),
        ),
        ("Decisions this quarter", export.decisions_html(to_decide)),
        ("Portfolio scorecard", scorecard_gt.as_raw_html()),
    ]
    if kpi_gt is not None:
        sections.append(
            (
                "Effect of each launch (95% intervals)",
                export.verdicts_html(kpis.get_column("effect_verdict_text").drop_nulls().to_list()),
            )
        )
        sections.append(("Value realised per KPI (observed)", kpi_gt.as_raw_html()))
    sections += [
        ("Stage funnel", tables.funnel(funnel).as_raw_html()),
        ("Readiness to scale", readiness_gt.as_raw_html()),
    ]
    return export.board_pack(
        f"Quarterly AI review — {context.period_label}",
        [
            context.scope_label,
            f"Data through {shell.fmt_date(context.data_through)}; build {wh.build_id} published {wh.published_at}",
        ],
        sections,
        f"cadence · {privacy.note(k)} Observed values and modelled estimates are labelled apart.",
    )


st.download_button(
    "Download the quarterly review (HTML, board pack)",
    board_pack,
    file_name=f"cadence_quarterly_review_{quarter.isoformat()}.html",
    mime="text/html",
    icon=":material/picture_as_pdf:",
    type="primary",
    key="board_pack",
    on_click="ignore",
)
