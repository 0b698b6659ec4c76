"""Monthly portfolio review: are the portfolio's use cases moving their KPIs from baseline
toward target, on time — and are people adopting them?"""

import polars as pl
import streamlit as st

from app import charts, data, shell, tables

context = shell.page(
    "Monthly portfolio review",
    "Are the portfolio's use cases moving their KPIs from baseline toward target, on time?",
)
wh, scope, month, k = context.wh, context.scope, context.period_start, context.min_group_size
assert month is not None
assert context.period_end is not None
trend_start = data.shift_period("month", month, -11)

# ------------------------------------------------------------------------------- queries
use_cases = data.use_cases(wh, scope)
summary = data.use_case_scorecard(wh, scope.scope_id, "month", month)
months = data.use_case_months(wh, scope.scope_id, trend_start, month)
adoption = data.adoption_by_business_unit(wh, scope.scope_id, trend_start, month)
enablement = adoption.filter(pl.col("month_start") == month)
readiness = data.readiness(wh, scope, "month", month)
thresholds = data.thresholds(wh)

if use_cases.is_empty():
    st.info(
        "No use case matches the selected portfolio and business unit. Clear a filter in the sidebar."
    )
    st.stop()

# ------------------------------------------------------------------------- the month
shell.table(
    tables.monthly_use_cases(summary, period_label=context.period_label, min_size=k),
    summary,
    "monthly_use_cases",
)
shell.suppression_caption(context, bool(summary.get_column("is_suppressed").any()))

# ---------------------------------------------------------------------------- KPIs


@st.fragment
def kpi_section() -> None:
    """One use case's KPIs: baseline, actual and target over time, launch marked."""
    st.subheader("KPIs: baseline, actual and target")
    names = dict(zip(use_cases["use_case_id"], use_cases["use_case_name"], strict=True))
    use_case_id = st.selectbox(
        "Use case", list(names), format_func=lambda uid: names[uid], key="monthly_use_case"
    )
    series = data.kpi_series(wh, use_case_id, context.period_end)
    effects = data.kpi_effects(wh, scope.scope_id, "month", month, use_case_id)
    if series.is_empty():
        st.info(
            f"{shell.literal(names[use_case_id])} has no KPI observation up to this month. "
            "Define its KPIs in "
            "seeds/kpis.csv and ingest kpi_observations."
        )
        return
    for kpi_id in series.get_column("kpi_id").unique(maintain_order=True):
        kpi = series.filter(pl.col("kpi_id") == kpi_id)
        latest = kpi.row(-1, named=True)
        effect = effects.filter(pl.col("kpi_id") == kpi_id)
        with st.container(border=True):
            chart_column, figures = st.columns([2, 1])
            with chart_column:
                shell.chart(
                    charts.kpi_trend,
                    kpi,
                    title=f"{latest['kpi_name']} ({latest['unit']})",
                    unit=latest["unit"],
                )
            with figures:
                shell.metric(
                    "Latest actual",
                    f"{latest['actual_value']:,.2f} {shell.literal(latest['unit'])}",
                    help=f"Period starting {shell.fmt_date(latest['period_start'])}; baseline "
                    f"{shell.fmt_number(latest['baseline_value'], 2)}, target {shell.fmt_number(latest['target_value'], 2)} by "
                    f"{shell.fmt_date(latest['target_date'])}.",
                )
                shell.metric(
                    "Gap closed vs expected",
                    f"{shell.fmt_pct(latest['gap_closed_pct'])} / {shell.fmt_pct(latest['expected_progress_pct'])}",
                    help=f"Status {latest['status']}: share of the baseline-to-target gap closed, "
                    "against the share of time elapsed from launch to the target date.",
                )
                if not effect.is_empty():
                    row = effect.row(0, named=True)
                    shell.metric(
                        "Effect of launch",
                        shell.fmt_effect(row["effect"], row["unit"], row["is_effect_suppressed"]),
                        help=f"{shell.literal(row['effect_verdict_text'])}. As known at the "
                        "month's end, with its "
                        "95% interval (kpis.csv evaluation_design).",
                    )
    if not effects.is_empty():
        shell.table(tables.kpi_effects(effects), effects, f"kpi_effects_{use_case_id}")


kpi_section()

# ------------------------------------------------------------------------- adoption
st.subheader("Adoption and penetration")
left, right = st.columns(2)
with left:
    if adoption.is_empty():
        st.info("No adoption data for the selected scope.")
    else:
        shell.chart(
            charts.time_series,
            adoption,
            "penetration_pct",
            x="month_start",
            color="business_unit_name",
            title="Penetration by business unit (monthly)",
            y_title="active / eligible headcount (%)",
            thresholds=thresholds.get("penetration_pct"),
        )
        st.caption(
            "People of each unit active in the scope's use cases (the organisation and a "
            "business unit: all their activity) over the unit's eligible headcount at the "
            "month's end."
        )
with right:
    shell.chart(
        charts.time_series,
        months.filter(pl.col("active_users") > 0),
        "active_users",
        x="month_start",
        color="use_case_name",
        title="Active users by use case (monthly)",
        y_title="active users",
        y_format=",.0f",
    )
shell.suppression_caption(
    context,
    bool(adoption.get_column("is_suppressed").any() or months.get_column("is_suppressed").any()),
)
if not enablement.is_empty():
    with st.expander("Enablement coverage this month (trained share of active users)"):
        shell.table(
            tables.enablement(enablement, period_label=context.period_label),
            enablement,
            "enablement_coverage",
        )

# -------------------------------------------------------------------------- quality
st.subheader("Quality acceptance and override")
reviewed = months.filter(pl.col("quality_acceptance_pct").is_not_null())
if reviewed.is_empty():
    st.info("No workflow review was completed by the selected use cases in the last 12 months.")
else:
    left, right = st.columns(2)
    with left:
        shell.chart(
            charts.time_series,
            reviewed,
            "quality_acceptance_pct",
            x="month_start",
            color="use_case_name",
            title="Quality acceptance (reviews accepted as is)",
            y_title="accepted (%)",
            thresholds=thresholds.get("quality_acceptance_pct"),
        )
    with right:
        shell.chart(
            charts.time_series,
            reviewed,
            "override_rate_pct",
            x="month_start",
            color="use_case_name",
            title="Override rate (reviews overridden)",
            y_title="overridden (%)",
            thresholds=thresholds.get("override_rate_pct"),
        )

# --------------------------------------------------------------------------- owners
st.subheader("Owners and checklist")
shell.table(tables.owners(readiness), readiness, "owners_and_checklist")
st.caption(
    "Checklist state is shown through the readiness gaps (each undated item is named); a "
    "per-item checklist mart would let this table show every item's date."
)
