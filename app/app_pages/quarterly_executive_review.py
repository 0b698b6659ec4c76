"""Quarterly executive review: is AI creating value, where is the risk, and which use cases do
we scale, hold or redesign — and why."""

import polars as pl
import streamlit as st

from app import charts, data, decisions, export, privacy, shell, tables

context = shell.page(
    "Quarterly executive review",
    "Is AI creating value? Where is the risk? Which use cases do we scale, hold or redesign, and why?",
)
wh, scope, quarter, k = context.wh, context.scope, context.period_start, context.min_group_size
assert quarter is not None
assert context.period_end is not None
assert context.previous_period_start is not None

# ------------------------------------------------------------------------------- queries
headline = data.quarterly_headline(wh, quarter)
current = headline.row(0, named=True)
previous = headline.row(1, named=True) if headline.height > 1 else None
scorecard = data.use_case_scorecard(wh, scope, "quarter", quarter)
scorecard = privacy.suppress_list(
    privacy.suppress(scorecard, "active_users", [], k), "active_users_trend", k
)
kpis = data.kpi_values(wh, scope, "quarter", quarter)
readiness = data.readiness(wh, scope, "quarter", quarter)
funnel = data.stage_funnel(wh, scope)
weeks = data.weekly_platform(wh, context.previous_period_start, context.period_end)
units = privacy.suppress(
    data.trust_by_business_unit(wh, quarter, context.period_end, scope.business_unit_id),
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
thresholds = data.thresholds(wh)
to_decide = decisions.quarterly(current, previous, readiness, kpis)

# ------------------------------------------------------------------------------ headline
people_hidden = privacy.is_small(current["active_users"], k)


def change(key: str, unit: str = "", digits: int = 1) -> str | None:
    """This quarter's published value minus last quarter's, for st.metric's delta."""
    if previous is None or current[key] is None or previous[key] is None:
        return None
    return f"{current[key] - previous[key]:+,.{digits}f}{unit} vs last quarter"


def status(key: str) -> str:
    value = current.get(key)
    return f"{shell.RAG_ICONS.get(str(value), '')} {value}" if value else ""


st.subheader("Value, adoption and risk this quarter")
if scope.is_filtered:
    st.caption(
        "Headline figures are organisation-wide (rpt_quarterly_executive has no portfolio or "
        "business-unit grain); the sections below follow the filters."
    )
columns = st.columns(6)
with columns[0]:
    shell.metric(
        "Active users",
        privacy.SUPPRESSED if people_hidden else shell.fmt_int(current["active_users"]),
        delta=None if people_hidden else change("active_users", digits=0),
        help="Distinct people with a request or vendor activity in the quarter.",
    )
with columns[1]:
    shell.metric(
        "Penetration",
        privacy.SUPPRESSED if people_hidden else shell.fmt_pct(current["penetration_pct"]),
        delta=None if people_hidden else change("penetration_pct", " pts"),
        help=f"Share of eligible headcount active in the quarter: active users ÷ eligible headcount ({shell.fmt_int(current['eligible_headcount'])}). "
        f"Status: {status('penetration_status')}",
    )
with columns[2]:
    shell.metric(
        "Cost",
        shell.fmt_usd(current["cost_usd"]),
        delta=change("cost_usd", digits=2),
        delta_color="off",
        help=f"Reported plus estimated cost. Reported (observed) {shell.fmt_usd(current['reported_cost_usd'])}; catalogue-priced "
        f"estimate {shell.fmt_usd(current['priced_cost_usd'])} for requests without a reported cost.",
    )
with columns[3]:
    shell.metric(
        "Policy adherence",
        shell.fmt_pct(current["policy_adherence_pct"], 2),
        delta=change("policy_adherence_pct", " pts", 2),
        help=f"Requests without a policy violation ÷ all requests. Status: {status('policy_adherence_status')}",
    )
with columns[4]:
    shell.metric(
        "Shadow AI",
        shell.fmt_pct(current["shadow_ai_pct"], 2),
        delta=change("shadow_ai_pct", " pts", 2),
        delta_color="inverse",
        help=f"Requests to models absent from or unapproved in the catalogue. Status: {status('shadow_ai_status')}",
    )
with columns[5]:
    shell.metric(
        "KPIs G / A / R",
        f"{current['kpis_green']} / {current['kpis_amber']} / {current['kpis_red']}",
        help=f"KPI status as known at the quarter's end, of {current['kpis_reported']} KPIs defined: "
        f"{current['kpis_stale']} stale and {current['kpis_pre_launch']} pre-launch KPIs are "
        "neither green, amber nor red (they are not on track).",
    )
shell.suppression_caption(context, people_hidden)

# ----------------------------------------------------------------------------- decisions
with st.container(border=True):
    st.subheader(":material/gavel: Decisions this quarter")
    if to_decide.is_empty():
        st.success("No decision is flagged for this quarter.")
    for row in to_decide.iter_rows(named=True):
        st.markdown(f"**{row['decision']}** · {row['subject']} — {row['why']}")
    shell.download(to_decide, "quarterly_decisions")

# ----------------------------------------------------------------------------- scorecard
st.subheader("Portfolio scorecard")
scorecard_gt = tables.portfolio_scorecard(scorecard, period_label=context.period_label, min_size=k)
shell.table(scorecard_gt, scorecard, "portfolio_scorecard")
shell.suppression_caption(context, bool(scorecard.get_column("is_suppressed").any()))

# ------------------------------------------------------------------ value and investment
st.subheader("Value realised and investment")
if kpis.is_empty():
    st.info("No KPI observation falls in this quarter for the selected use cases.")
    kpi_gt = None
else:
    kpi_gt = tables.kpi_values(kpis, period_label=context.period_label)
    shell.table(kpi_gt, kpis, "kpi_values")
costs = scorecard.filter(pl.col("period_cost_usd") > 0)
if costs.is_empty():
    st.info("No cost was recorded in this quarter for the selected use cases.")
else:
    shell.chart(charts.cost_split, costs)
    st.caption(
        "Cost is shown apart from value: reported cost is observed; the estimate prices requests "
        "without a reported cost from the model catalogue. Untagged usage is not attributed to a use case."
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

# ---------------------------------------------------------------- funnel and readiness
st.subheader("Stage funnel and readiness to scale")
left, right = st.columns([2, 1])
with left:
    shell.chart(charts.funnel, funnel)
with right:
    shell.metric(
        "In production or scaled, ready",
        f"{current['use_cases_in_production']}, {current['use_cases_ready']} ready",
        help="Organisation-wide, as known at the quarter's end (rpt_quarterly_executive).",
    )
    shell.metric(
        "Scale / hold / redesign",
        f"{current['use_cases_to_scale']} / {current['use_cases_to_hold']} / {current['use_cases_to_redesign']}",
        help="Organisation-wide recommendation counts as known at the quarter's end.",
    )
if scope.business_unit_id:
    st.caption("The funnel is by portfolio; the business-unit filter does not apply to it.")
readiness_gt = tables.readiness(readiness)
shell.table(readiness_gt, readiness, "readiness")

# ------------------------------------------------------------------------------ export


def board_pack() -> str:
    """The quarterly review as one self-contained HTML file."""
    head = pl.DataFrame(
        {
            "metric": [
                "Active users",
                "Penetration",
                "Cost (reported + estimate)",
                "Reported cost",
                "Estimated cost",
                "Policy adherence",
                "Shadow AI share",
                "KPIs green / amber / red",
            ],
            "current": [
                privacy.SUPPRESSED if people_hidden else shell.fmt_int(current["active_users"]),
                privacy.SUPPRESSED if people_hidden else shell.fmt_pct(current["penetration_pct"]),
                shell.fmt_usd(current["cost_usd"]),
                shell.fmt_usd(current["reported_cost_usd"]),
                shell.fmt_usd(current["priced_cost_usd"]),
                shell.fmt_pct(current["policy_adherence_pct"], 2),
                shell.fmt_pct(current["shadow_ai_pct"], 2),
                f"{current['kpis_green']} / {current['kpis_amber']} / {current['kpis_red']}",
            ],
            "previous": [
                "\u2013"
                if previous is None or privacy.is_small(previous["active_users"], k)
                else shell.fmt_int(previous["active_users"]),
                "\u2013"
                if previous is None or privacy.is_small(previous["active_users"], k)
                else shell.fmt_pct(previous["penetration_pct"]),
                "\u2013" if previous is None else shell.fmt_usd(previous["cost_usd"]),
                "\u2013" if previous is None else shell.fmt_usd(previous["reported_cost_usd"]),
                "\u2013" if previous is None else shell.fmt_usd(previous["priced_cost_usd"]),
                "\u2013"
                if previous is None
                else shell.fmt_pct(previous["policy_adherence_pct"], 2),
                "\u2013" if previous is None else shell.fmt_pct(previous["shadow_ai_pct"], 2),
                "\u2013"
                if previous is None
                else f"{previous['kpis_green']} / {previous['kpis_amber']} / {previous['kpis_red']}",
            ],
            "status": [
                None,
                current["penetration_status"],
                None,
                None,
                None,
                current["policy_adherence_status"],
                current["shadow_ai_status"],
                None,
            ],
        }
    )
    sections = [
        (
            "Headline (organisation-wide)",
            tables.headline(head, title="Headline", subtitle=context.period_label).as_raw_html(),
        ),
        ("Decisions this quarter", export.decisions_html(to_decide)),
        ("Portfolio scorecard", scorecard_gt.as_raw_html()),
    ]
    if kpi_gt is not None:
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
