"""Charts show human labels, never mart column names (issue 15)."""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from app import charts


def _spec(chart) -> dict:
    return json.loads(chart.to_json())


def _values(spec: dict) -> list[dict]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_label_names_units_and_known_columns():
    assert charts.label("error_rate_pct") == "error rate (%)"
    assert charts.label("cost_usd") == "cost (USD)"
    assert charts.label("latency_p95_ms") == "p95"
    assert charts.label("active_users") == "active users"


def test_series_named_by_columns_get_human_legend_entries():
    frame = pl.DataFrame(
        {
            "week_start": [date(2026, 11, 2)] * 2,
            "rate": ["quality_acceptance_pct", "completion_rate_pct"],
            "pct": [80.0, 95.0],
        }
    )
    spec = _spec(charts.time_series(frame, "pct", color="rate", title="t", y_title="%"))
    assert {row["rate"] for row in _values(spec)} == {"accepted as is", "completed"}
    bars = _spec(charts.bars(frame, "pct", color="rate", title="t"))
    assert {row["rate"] for row in _values(bars)} == {"accepted as is", "completed"}
    errors = frame.rename({"pct": "error_rate_pct"})
    axis = _spec(charts.bars(errors, "error_rate_pct", title="t"))["encoding"]["y"]
    assert axis["title"] == "error rate (%)"


def test_latency_legend_reads_p50_and_p95():
    frame = pl.DataFrame(
        {"week_start": [date(2026, 11, 2)], "latency_p50_ms": [800.0], "latency_p95_ms": [5000.0]}
    )
    spec = _spec(charts.latency(frame))
    text = json.dumps(spec)
    assert "latency_p50_ms" not in text
    assert "latency_p95_ms" not in text
    assert {"p50", "p95"} <= set(_values(spec)[0])


def test_a_small_change_in_points_keeps_a_significant_digit():
    from app import shell

    tile = {"metric_change": -0.03, "is_suppressed": False, "unit": "pct"}
    assert shell.tile_change(tile, "week") == "-0.03 pts"
    assert shell.tile_change({**tile, "metric_change": 2.345}, "week") == "+2.3 pts"
    assert shell.tile_change({**tile, "metric_change": 0.0}, "week") == "+0.0 pts"


def test_effects_forest_draws_each_interval_the_zero_line_and_says_when_there_is_no_verdict():
    frame = pl.DataFrame(
        {
            "kpi_name": ["Claim handling time", "Close duration", "Video time-to-publish"],
            "unit": ["minutes", "days", "hours"],
            "effect_verdict": ["improved", "no_detectable_change", "insufficient_data"],
            "effect": [-12.37, -0.02, None],
            "effect_ci_low": [-12.86, -0.11, None],
            "effect_ci_high": [-11.87, 0.08, None],
            "effect_improvement_pct": [27.5, 0.2, None],
            "effect_improvement_ci_low_pct": [26.4, -0.9, None],
            "effect_improvement_ci_high_pct": [28.6, 1.2, None],
            "is_effect_suppressed": [False, False, False],
            "is_effect_interim": [False, False, True],
        }
    )
    spec = _spec(charts.effects_forest(frame))
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "rule", "point", "text"]
    rows = _values(spec)
    assert {"zero": 0.0} in rows
    verdicts = {row["kpi_label"]: row["verdict"] for row in rows if "kpi_label" in row}
    assert verdicts == {
        "Claim handling time": "improved",
        "Close duration": "no detectable change",
        "Video time-to-publish (interim)": "not enough evidence",
    }
    text = json.dumps(spec)
    assert "effect_improvement_pct" not in json.dumps(spec["layer"][1]["encoding"]["x"]["title"])
    assert "right of 0 = better" in text
