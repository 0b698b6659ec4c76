"""Flags for the reviews. The decisions a quarterly review needs, read off the marts' own flags: recommendations
(dim_use_cases), KPI statuses (fct_kpi_progress), readiness gaps and the quarter's shadow-AI
and policy-adherence figures against the previous quarter (rpt_quarterly_executive).

And the weekly review's week-over-week flags: a published weekly value against the previous
week's. Nothing here computes a metric: it selects rows by the marts' statuses and compares two
published values.
"""

from __future__ import annotations

import polars as pl

SCHEMA = {"decision": pl.String, "subject": pl.String, "why": pl.String}
ORDER = [
    "Redesign",
    "Act on red KPI",
    "Scale",
    "Close readiness gaps",
    "Shadow AI",
    "Policy adherence",
    "Hold",
]


def _fmt(value: object) -> str:
    return "\u2013" if value is None else f"{float(value):.2f}%"  # type: ignore[arg-type]


def quarterly(
    current: dict[str, object],
    previous: dict[str, object] | None,
    readiness: pl.DataFrame,
    kpis: pl.DataFrame,
) -> pl.DataFrame:
    """One row per decision: decision, subject, why (ordered by urgency).

    Inputs: the quarter's and previous quarter's rpt_quarterly_executive rows, data.readiness
    and data.kpi_values frames for the scope.
    """
    rows: list[dict[str, str]] = []
    for row in readiness.iter_rows(named=True):
        reasons = row["recommendation_reasons"] or ""
        if row["recommendation"] == "redesign":
            rows.append({"decision": "Redesign", "subject": row["use_case_name"], "why": reasons})
        elif row["recommendation"] == "scale":
            rows.append({"decision": "Scale", "subject": row["use_case_name"], "why": reasons})
        elif row["stage"] in ("production", "scaled") and row["readiness_status"] != "ready":
            rows.append(
                {
                    "decision": "Close readiness gaps",
                    "subject": row["use_case_name"],
                    "why": f"{row['stage']} but not ready: {row['readiness_gaps']}",
                }
            )
    for row in kpis.filter(pl.col("status") == "red").iter_rows(named=True):
        rows.append(
            {
                "decision": "Act on red KPI",
                "subject": f"{row['kpi_name']} ({row['use_case_name']})",
                "why": (
                    f"gap closed {_fmt(row['gap_closed_pct'])} against {_fmt(row['expected_progress_pct'])} "
                    f"expected by now (actual {row['actual_value']:.2f} {row['unit']}, baseline "
                    f"{row['baseline_value']:.2f}, target {row['target_value']:.2f})"
                ),
            }
        )
    if previous is not None:
        now, before = current.get("shadow_ai_pct"), previous.get("shadow_ai_pct")
        if isinstance(now, float) and isinstance(before, float) and now > before:
            rows.append(
                {
                    "decision": "Shadow AI",
                    "subject": "rising",
                    "why": f"{_fmt(now)} of requests to unapproved models, up from {_fmt(before)} "
                    f"last quarter (status {current.get('shadow_ai_status')})",
                }
            )
        now, before = current.get("policy_adherence_pct"), previous.get("policy_adherence_pct")
        if isinstance(now, float) and isinstance(before, float) and now < before:
            rows.append(
                {
                    "decision": "Policy adherence",
                    "subject": "falling",
                    "why": f"{_fmt(now)} of requests without a violation, down from {_fmt(before)}",
                }
            )
    if current.get("shadow_ai_status") in ("amber", "red") and not any(
        r["decision"] == "Shadow AI" for r in rows
    ):
        rows.append(
            {
                "decision": "Shadow AI",
                "subject": f"status {current.get('shadow_ai_status')}",
                "why": f"{_fmt(current.get('shadow_ai_pct'))} of requests to unapproved models",
            }
        )
    holds = (
        readiness.filter(pl.col("recommendation") == "hold").get_column("use_case_name").to_list()
    )
    if holds:
        rows.append(
            {
                "decision": "Hold",
                "subject": f"{len(holds)} use case(s)",
                "why": ", ".join(holds) + " — reasons in the readiness table",
            }
        )
    frame = pl.DataFrame(rows, schema=SCHEMA)
    rank = {name: i for i, name in enumerate(ORDER)}
    return (
        frame.with_columns(
            pl.col("decision").replace_strict(rank, default=len(ORDER)).alias("_rank")
        )
        .sort("_rank", maintain_order=True)
        .drop("_rank")
    )


# (label, rpt_weekly_operations column, status column or None, formatter kind)
WEEKLY_METRICS = [
    ("Requests", "requests", None, "int"),
    ("Error rate", "error_rate_pct", "error_rate_status", "pct"),
    ("Latency p50", "latency_p50_ms", None, "ms"),
    ("Latency p95", "latency_p95_ms", "latency_p95_status", "ms"),
    ("Cost (USD)", "cost_usd", None, "usd"),
    ("Cost per request (USD)", "cost_per_request_usd", None, "usd4"),
    ("Input tokens", "input_tokens", None, "int"),
    ("Output tokens", "output_tokens", None, "int"),
    ("Policy adherence", "policy_adherence_pct", "policy_adherence_status", "pct"),
    ("Shadow AI share", "shadow_ai_pct", "shadow_ai_status", "pct"),
    ("Blocked requests", "blocked_requests", None, "int"),
    ("Classification violations", "classification_violations", None, "int"),
    ("Workflow runs started", "runs_started", None, "int"),
    ("Completion rate", "completion_rate_pct", "completion_rate_status", "pct"),
    ("Override rate", "override_rate_pct", "override_rate_status", "pct"),
    ("Quality acceptance", "quality_acceptance_pct", "quality_acceptance_status", "pct"),
    ("Exception rate", "exception_rate_pct", "exception_rate_status", "pct"),
]


def _text(value: object, kind: str) -> str:
    if value is None:
        return "\u2013"
    number = float(value)  # type: ignore[arg-type]
    return {
        "int": f"{number:,.0f}",
        "pct": f"{number:.2f}%",
        "ms": f"{number:,.0f} ms",
        "usd": f"${number:,.2f}",
        "usd4": f"${number:,.4f}",
    }[kind]


def week_over_week(
    this_week: dict[str, object], last_week: dict[str, object] | None, threshold_pct: float
) -> pl.DataFrame:
    """One row per weekly metric: previous and current value (text), relative change in %,
    the current week's RAG status from the mart, and whether the change exceeds the threshold.

    Inputs: two rpt_weekly_operations rows.
    """
    rows = []
    for label, column, status_column, kind in WEEKLY_METRICS:
        now = this_week.get(column)
        before = None if last_week is None else last_week.get(column)
        change = None
        if isinstance(now, int | float) and isinstance(before, int | float) and before != 0:
            change = (float(now) - float(before)) / abs(float(before)) * 100.0
        rows.append(
            {
                "metric": label,
                "previous": _text(before, kind),
                "current": _text(now, kind),
                "change_pct": change,
                "status": this_week.get(status_column) if status_column else None,
                "is_flagged": change is not None and abs(change) > threshold_pct,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "metric": pl.String,
            "previous": pl.String,
            "current": pl.String,
            "change_pct": pl.Float64,
            "status": pl.String,
            "is_flagged": pl.Boolean,
        },
    )
