"""Snapshot tests (syrupy) for the great-tables builders on small literal frames, plus the
pure helpers around them: suppression, the week-over-week table, the board pack and
the SVG-to-image step st.html needs."""

from __future__ import annotations

import re
from datetime import date, datetime

import polars as pl
import pytest

from app import export, shell, tables

RANDOM_IDS = re.compile(r"(gt-nanoplot-|area_pattern_)[0-9a-f]{6,}")


def stable(markup: str) -> str:
    """great-tables gives each nanoplot a random class and pattern id; pin them."""
    return RANDOM_IDS.sub(r"\1x", markup)


def _suppress(frame: pl.DataFrame, people: str, values: list[str], min_size: int) -> pl.DataFrame:
    """A frame as the rpt_ models deliver it: `people` and `values` null where 1 to
    min_size - 1 people, flagged is_suppressed (the suppression itself is dbt's)."""
    small = pl.col(people).is_between(1, min_size - 1).fill_null(False)
    return frame.with_columns(
        *[pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in [people, *values]],
        small.alias("is_suppressed"),
    )


def _suppress_list(frame: pl.DataFrame, column: str, min_size: int) -> pl.DataFrame:
    """A list column of per-period people counts with each small period null."""
    masked = [
        [None if value is not None and 0 < value < min_size else value for value in values]
        for values in frame.get_column(column).to_list()
    ]
    return frame.with_columns(pl.Series(column, masked, dtype=frame.schema[column]))


@pytest.fixture
def scorecard() -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "portfolio_name": ["Customer Operations", "Customer Operations", "Risk"],
            "use_case_name": ["Claims triage", "Email drafting", "Contract review"],
            "stage": ["scaled", "production", "pilot"],
            "recommendation": ["scale", "hold", "redesign"],
            "kpis_green": [2, 0, 0],
            "kpis_amber": [0, 1, 0],
            "kpis_red": [0, 0, 1],
            "avg_gap_closed_pct": [87.5, 40.0, -5.0],
            "avg_expected_progress_pct": [80.0, 70.0, 60.0],
            "gap_closed_trend": [[10.0, 40.0, 87.5], [5.0, 20.0, 40.0], [0.0, -5.0]],
            "active_users": [120, 3, 0],
            "active_users_trend": [[50, 90, 120], [1, 2, 3], [0, 0, 0]],
            "quality_acceptance_pct": [72.4, 60.0, None],
            "policy_adherence_pct": [98.2, 97.0, 99.0],
            "period_cost_usd": [38.1, 10.0, 0.0],
            "outcome_owner": ["Head of Claims", "Director of Service", "General Counsel"],
            "platform_owner": ["AI Platform PM", "Contact Platform Lead", None],
            "risk_owner": ["Risk Partner", "Conduct Risk", "Legal Risk"],
            "measurement_owner": ["Claims Analyst", None, "Legal Analyst"],
        }
    )
    suppressed = _suppress(frame, "active_users", [], 5)
    return _suppress_list(suppressed, "active_users_trend", 5)


@pytest.fixture
def readiness_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "use_case_name": ["Claims triage", "Contract review", "Email drafting"],
            "stage": ["scaled", "production", "production"],
            "readiness_status": ["ready", "not_ready", "not_ready"],
            "readiness_gaps": [
                "",
                "checklist item undated: qa_metrics",
                "owner not named: risk_owner; no kpi defined",
            ],
            "recommendation": ["scale", "redesign", "hold"],
            "recommendation_reasons": [
                "ready; 2 KPI(s) on track",
                "override rate 33.3% at or above 25.0% over the last 8 weeks",
                "not ready (2 readiness gap(s))",
            ],
            "priority_score": [81.25, 44.0, 75.0],
            "window_reviews": [98, 21, 0],
            "window_override_rate_pct": [0.0, 33.3, None],
            "window_quality_acceptance_pct": [72.4, 47.6, None],
            "window_policy_adherence_pct": [98.2, 97.0, 99.0],
            "kpis": [2, 1, 0],
            "kpis_on_track_for_scale": [2, 0, 0],
            "outcome_owner": ["Head of Claims", "General Counsel", "Director of Service"],
            "platform_owner": ["AI Platform PM", "Document AI Lead", "Contact Platform Lead"],
            "risk_owner": ["Risk Partner", "Legal Risk", None],
            "measurement_owner": ["Claims Analyst", "Legal Analyst", "Insights Analyst"],
            "exit_criterion": ["cycle time <= 48 h", None, "backlog under 2,500"],
        }
    )


def test_portfolio_scorecard(scorecard, snapshot):
    html = tables.portfolio_scorecard(scorecard, period_label="Q3 2026", min_size=5).as_raw_html()
    assert "suppressed (&lt;5)" in html or "suppressed (<5)" in html
    assert stable(html) == snapshot


def test_kpi_values(snapshot):
    frame = pl.DataFrame(
        {
            "portfolio_name": ["Customer Operations"],
            "use_case_name": ["Claims triage"],
            "kpi_name": ["Claim triage cycle time"],
            "unit": ["hours"],
            "direction": ["decrease"],
            "baseline_value": [72.0],
            "actual_value": [54.43],
            "target_value": [48.0],
            "change_from_baseline": [-17.57],
            "gap_closed_pct": [73.2],
            "expected_progress_pct": [75.4],
            "status": ["green"],
            "effect": [-13.37],
            "effect_ci_low": [-15.65],
            "effect_ci_high": [-11.1],
            "effect_verdict": ["improved"],
            "is_effect_interim": [True],
            "is_effect_suppressed": [False],
            "actual_trend": [[72.0, 65.0, 60.0, 54.43]],
            "observation_period_start": [date(2026, 9, 28)],
        }
    )
    html = tables.kpi_values(frame, period_label="Q3 2026").as_raw_html()
    assert "improved (interim)" in html
    assert stable(html) == snapshot


def test_kpi_effects_say_not_enough_evidence_and_suppressed(snapshot):
    frame = pl.DataFrame(
        {
            "kpi_name": ["Claim handling time", "Video time-to-publish", "Average handle time"],
            "unit": ["minutes", "hours", "minutes"],
            "effect_design": [
                "difference_in_differences",
                "before_after",
                "assisted_vs_unassisted",
            ],
            "effect": [-12.37, None, None],
            "effect_ci_low": [-12.86, None, None],
            "effect_ci_high": [-11.87, None, None],
            "effect_verdict": ["improved", "insufficient_data", "improved"],
            "effect_verdict_text": [
                "Claim handling time fell 12.4 min (95% CI 11.9 to 12.9), against three business "
                "units not yet live",
                "Video time-to-publish: not enough evidence yet, periods before / after launch "
                "3 / 1 (3 needed in each)",
                "Average handle time: effect hidden, fewer than 5 people behind a group of runs",
            ],
            "is_effect_interim": [False, True, False],
            "is_effect_suppressed": [False, False, True],
            "period_label": ["2026-11"] * 3,
        }
    )
    html = tables.kpi_effects(frame).as_raw_html()
    assert "not enough evidence (interim)" in html
    assert "suppressed (small group)" in html
    assert stable(html) == snapshot


def test_readiness(readiness_frame, snapshot):
    assert tables.readiness(readiness_frame).as_raw_html() == snapshot


def test_owners(readiness_frame, snapshot):
    html = tables.owners(readiness_frame).as_raw_html()
    assert tables.NOT_NAMED in html
    assert html == snapshot


def _tile(metric, label, unit, value, previous, status=None, previous_status=None, flagged=False):
    change = None if value is None or previous is None else value - previous
    return {
        "metric": metric,
        "metric_label": label,
        "unit": unit,
        "value_kind": "observed",
        "metric_value": value,
        "previous_metric_value": previous,
        "metric_change": change,
        "metric_change_pct": None if change is None else change * 100.0 / abs(previous),
        "status": status,
        "previous_status": previous_status,
        "is_flagged": flagged,
        "is_suppressed": False,
        "is_previous_suppressed": False,
        "is_period_to_date": False,
    }


def test_week_over_week(snapshot):
    tiles = {
        "requests": _tile("requests", "Requests", "count", 4370.0, 4199.0),
        "error_rate_pct": _tile(
            "error_rate_pct", "Error rate", "pct", 1.28, 1.55, "green", "green", True
        ),
        "latency_p95_ms": _tile(
            "latency_p95_ms", "Latency p95", "ms", 5570.0, 4990.0, "amber", "green", True
        ),
        "kpis_green": {
            **_tile("kpis_green", "KPIs on track", "count", 3.0, 2.0),
            "value_kind": "status",
        },
    }
    frame = tables.week_over_week_rows(tiles)
    assert frame["metric"].to_list() == ["Requests", "Error rate", "Latency p95"]  # no states
    assert frame.row(0, named=True)["previous"] == "4,199"
    assert frame.row(1, named=True)["current"] == "1.28%"
    assert frame.row(2, named=True)["current"] == "5,570 ms"
    assert frame["change_pct"][1] == pytest.approx((1.28 - 1.55) * 100 / 1.55)
    assert frame["is_flagged"].to_list() == [False, True, True]  # as dbt decided
    assert tables.week_over_week(frame, threshold_pct=10.0).as_raw_html() == snapshot


def test_shadow_ai(snapshot):
    frame = pl.DataFrame(
        {
            "business_unit_name": ["Finance", "Sales and Marketing"],
            "requests": [208, 12],
            "shadow_ai_requests": [0, 6],
            "shadow_ai_pct": [0.0, 50.0],
            "policy_adherence_pct": [97.6, 40.0],
            "blocked_requests": [3, 0],
            "redacted_requests": [1, 0],
            "classification_violations": [3, 1],
            "active_users": [150, 3],
        }
    )
    frame = _suppress(
        frame, "active_users", ["shadow_ai_pct", "shadow_ai_requests", "policy_adherence_pct"], 5
    )
    html = tables.shadow_ai(frame, period_label="Week of 16 Nov 2026", min_size=5).as_raw_html()
    assert "suppressed (&lt;5 people)" in html or "suppressed (<5 people)" in html
    assert html == snapshot


def test_latency_breaches(snapshot):
    """Each figure coloured by its own band (dbt's statuses), the bounds named in the header
    and column labels; a cell without a timed request shows a dash for its latency."""
    frame = pl.DataFrame(
        {
            "use_case_name": ["Claims triage", "KYC review", "HR helpdesk"],
            "model": ["gpt-4.1", "gpt-4o", "gpt-4o"],
            "requests": [28, 12, 3],
            "latency_p95_ms": [18995.0, 7100.0, None],
            "latency_p50_ms": [6120.0, 3300.0, None],
            "error_rate_pct": [0.0, 2.5, 100.0],
            "errored_requests": [0, 0, 3],
            "latency_p95_status": ["red", "amber", None],
            "error_rate_status": ["green", "amber", "red"],
        }
    )
    html = tables.latency_breaches(
        frame,
        period_label="Week of 16 Nov 2026",
        latency_bounds={"green": 6000.0, "amber": 12000.0},
        error_bounds={"green": 2.0, "amber": 5.0},
    ).as_raw_html()
    assert "p95 (red &gt; 12,000 ms)" in html or "p95 (red > 12,000 ms)" in html
    assert "18,995 ms" in html
    assert "latency_p95_status" not in html.split("</thead>")[0]  # statuses colour, not shown
    assert html == snapshot


def test_data_health_tables(snapshot):
    health = pl.DataFrame(
        {
            "entity": ["requests", "survey_responses", "people", "licenses"],
            "batches": [16, 1, 1, 0],
            "rows_read": [200000, 5965, 40, 0],
            "rows_landed": [199991, 5962, 40, 0],
            "rows_visible": [199991, 5962, 40, 0],
            "rows_quarantined": [9, 0, 0, 0],
            "quarantined_pct": [0.0045, 0.0, 0.0, None],
            "rejected_files": [0, 1, 0, 0],
            "warn_after_hours": [48.0, 840.0, 36.0, 840.0],
            "error_after_hours": [168.0, 2280.0, None, 2280.0],
            "latest_event_at": [
                datetime(2026, 11, 22, 18, 45),
                datetime(2026, 9, 23, 20, 12),
                datetime(2026, 11, 22),
                None,
            ],
            "fresh_until_at": [
                datetime(2026, 11, 24, 18, 45),
                datetime(2026, 10, 28, 20, 12),
                datetime(2026, 11, 23, 12),
                None,
            ],
            "error_after_at": [
                datetime(2026, 11, 29, 18, 45),
                datetime(2026, 12, 27, 20, 12),
                None,
                None,
            ],
            "latest_ingested_at": [
                datetime(2026, 11, 24, 7, 54),
                datetime(2026, 11, 24, 7, 54),
                datetime(2026, 11, 24, 7, 54),
                None,
            ],
            # as freshness.classify makes it at 2026-11-24 08:00
            "freshness_status": ["green", "amber", "amber", "no_data"],
        }
    )
    reasons = pl.DataFrame(
        {
            "entity": ["requests", "requests"],
            "reason": ["status: unknown value", "occurred_at: in the future"],
            "quarantined_rows": [5, 4],
            "batches": [1, 1],
            "latest_ingested_at": [datetime(2026, 11, 24, 7, 54)] * 2,
        }
    )
    refused = pl.DataFrame(
        {
            "entity": ["requests"],
            "source_file": ["gateway_2026_11.csv"],
            "line_number": [1],
            "reason": ["missing required column: request_id"],
            "rejected_at": [datetime(2026, 11, 24, 7, 50)],
        }
    )
    builds = pl.DataFrame(
        {
            "build_id": [
                "20261124T075434503082Z",
                "20261123T120000000000Z",
                "20261123T000000000000Z",
                "20261122T000000000000Z",
            ],
            "status": ["published", "kept for rollback", "failed", "failed"],
            "published_at": [datetime(2026, 11, 24, 7, 55), datetime(2026, 11, 23, 12), None, None],
            "tests_run": [201, 201, 201, 201],
            # a build stamped before warnings were told apart has no tests_passed / _warned
            "tests_passed": [200, None, 181, 199],
            "tests_warned": [1, None, 1, 0],
            "tests_failed": [0, 1, 2, 2],
            "tests_skipped": [0, None, 17, 0],
        }
    )
    builds_html = tables.builds(builds).as_raw_html()
    rows = re.findall(r"<tr>(.*?)</tr>", builds_html, re.DOTALL)[-4:]
    tests = [re.findall(r"<td [^>]*>(.*?)</td>", row, re.DOTALL)[-1] for row in rows]
    # a warning is a warning: the published build never reads "failed"
    assert tests == [
        "200 passed, 1 warning",
        "201 run, 1 warned or skipped",
        "181 passed, 1 warning, 2 failed, 17 skipped",
        "199 passed, 2 failed",
    ]
    html = "\n".join(
        [
            tables.freshness(health).as_raw_html(),
            tables.data_health(health).as_raw_html(),
            tables.quarantine(reasons).as_raw_html(),
            tables.rejected_files(refused).as_raw_html(),
            tables.builds(builds).as_raw_html(),
        ]
    )
    assert html == snapshot


# --------------------------------------------------------------------------- helpers


def test_board_pack_is_one_self_contained_file(scorecard):
    gt = tables.portfolio_scorecard(scorecard, period_label="Q3 2026", min_size=5)
    pack = export.board_pack(
        "Quarterly AI review",
        ["All portfolios"],
        [
            ("Scorecard", gt.as_raw_html()),
            (
                "Decisions",
                export.decisions_html(
                    pl.DataFrame(schema=dict.fromkeys(["decision", "subject", "why"], pl.String))
                ),
            ),
        ],
        "footer <b>",
    )
    assert pack.startswith("<!DOCTYPE html>")
    assert "<svg" in pack  # nanoplots inline
    for external in ("<script", "<link", "@import", 'src="http', "url(http"):
        assert external not in pack
    assert "footer &lt;b&gt;" in pack


def test_svgs_become_data_uri_images_that_st_html_keeps():
    markup = '<td><svg viewBox="0 0 10 10" aria-label="Line plot of 3 values"><path d="M0 0"/></svg></td>'
    out = shell.svgs_as_images(markup)
    assert "<svg" not in out
    assert out.startswith('<td><img src="data:image/svg+xml;base64,')
    assert 'title="Line plot of 3 values"' in out


def test_period_labels():
    assert shell.period_label("quarter", date(2026, 7, 1)) == "Q3 2026 (Jul\u2013Sep)"
    # the warehouse's fiscal name (dim_periods), e.g. a fiscal year starting in May
    assert (
        shell.period_label("quarter", date(2025, 8, 1), fiscal_label="2026-Q2")
        == "2026-Q2 (Aug\u2013Oct)"
    )
    assert (
        shell.period_label("month", date(2026, 10, 1), to_date=True)
        == "October 2026 \u2014 to date"
    )
    assert shell.period_label("week", date(2026, 11, 16)) == "Week of 16 Nov 2026 (W47)"
