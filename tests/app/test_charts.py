"""Charts a reader can trust at a glance (issue 15): human labels, never mart column names; an
empty-state message instead of an empty chart; whole-number axes for counts; at most 8 series."""

from __future__ import annotations

import json
from datetime import date, timedelta

import polars as pl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

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
    assert shell.tile_change({**tile, "metric_change": 0.0}, "week") == "no change"  # greyed


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


# ------------------------------------------------------------------ issue 15: chart hygiene

WEEKS = [date(2026, 9, 7) + timedelta(weeks=i) for i in range(4)]


def _sixteen_series(measure: str = "requests") -> pl.DataFrame:
    """Four weeks x 16 business units; unit k has the value 10 k + week (so unit 16 is largest)."""
    return pl.DataFrame(
        [
            {"week_start": week, "business_unit_name": f"Unit {k:02d}", measure: 10 * k + i}
            for k in range(1, 17)
            for i, week in enumerate(WEEKS)
        ]
    )


def _series(spec: dict, field: str) -> set[str]:
    return {row[field] for row in _values(spec) if field in row}


def _legend_entries(spec: dict) -> set[str]:
    """The distinct values of every nominal colour encoding in the spec (its legend entries)."""
    fields = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            colour = node.get("encoding", {}).get("color", {})
            if isinstance(colour, dict) and colour.get("type") == "nominal":
                fields.add(colour["field"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return {str(row[f]) for row in _values(spec) for f in fields if f in row}


@pytest.mark.parametrize(
    "draw",
    [
        lambda f: charts.time_series(f, "requests", title="Requests per week"),
        lambda f: charts.bars(f, "requests", title="Requests per week"),
    ],
)
def test_an_empty_frame_or_an_all_null_measure_is_an_empty_state_not_a_chart(draw):
    empty = pl.DataFrame(schema={"week_start": pl.Date, "requests": pl.Float64})
    with pytest.raises(charts.EmptyChart, match=r"^Requests per week: no requests to chart"):
        draw(empty)
    nulls = pl.DataFrame({"week_start": WEEKS, "requests": [None] * 4}, schema=empty.schema)
    with pytest.raises(charts.EmptyChart, match="no requests"):
        draw(nulls)


def test_every_factory_refuses_an_empty_frame_naming_what_is_missing():
    with pytest.raises(charts.EmptyChart, match=r"Latency p50 / p95.*no latency"):
        charts.latency(
            pl.DataFrame(schema={"latency_p50_ms": pl.Float64, "latency_p95_ms": pl.Float64})
        )
    with pytest.raises(charts.EmptyChart, match=r"Stage funnel.*no use case"):
        charts.funnel(pl.DataFrame(schema={"reached_use_cases": pl.Int64}))
    with pytest.raises(charts.EmptyChart, match=r"Investment.*no cost"):
        charts.cost_split(pl.DataFrame(schema={"period_cost_usd": pl.Float64}))
    with pytest.raises(charts.EmptyChart, match=r"Shadow AI.*no shadow AI"):
        charts.heatmap(
            pl.DataFrame(schema={"shadow_ai_pct": pl.Float64}), "shadow_ai_pct", title="Shadow AI"
        )
    with pytest.raises(charts.EmptyChart, match=r"Handling cost.*no observed value"):
        charts.kpi_trend(
            pl.DataFrame(schema={"actual_value": pl.Float64}), title="Handling cost", unit="usd"
        )


def test_a_fully_suppressed_series_says_it_is_suppressed():
    frame = pl.DataFrame(
        {
            "week_start": WEEKS,
            "lifecycle_group": ["new"] * 4,
            "users_count": [None] * 4,
            "is_suppressed": [True] * 4,
        },
        schema_overrides={"users_count": pl.Int64},
    )
    with pytest.raises(charts.EmptyChart, match="every figure is suppressed"):
        charts.time_series(frame, "users_count", color="lifecycle_group", title="Users")


def test_shell_chart_shows_the_empty_state_message_instead_of_a_chart():
    def page() -> None:
        import polars as pl

        from app import charts, shell

        empty = pl.DataFrame(schema={"week_start": pl.Date, "cost_usd": pl.Float64})
        shell.chart(charts.bars, empty, "cost_usd", title="Cost by model (USD)", color=None)

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert not at.get("vega_lite_chart")
    (info,) = at.info
    assert (
        info.value == "Cost by model (USD): no cost (USD) to chart for this selection and period."
    )


@pytest.mark.parametrize(
    ("measure", "draw"),
    [
        ("requests", lambda f: charts.bars(f, "requests", title="t")),
        ("users_count", lambda f: charts.time_series(f, "users_count", title="t")),
        (
            "active_users",
            lambda f: charts.time_series(
                f.cast({"active_users": pl.Float64}), "active_users", title="t"
            ),
        ),
    ],
)
def test_a_count_measure_has_an_integer_axis(measure, draw):
    frame = pl.DataFrame({"week_start": WEEKS, measure: [0, 1, 2, 1]})
    spec = _spec(draw(frame))
    encoding = spec["encoding"] if "encoding" in spec else spec["layer"][0]["encoding"]
    assert encoding["y"]["axis"] == {"format": ",d", "tickMinStep": 1}


def test_a_rate_keeps_decimal_ticks_and_the_funnel_counts_in_whole_use_cases():
    rate = pl.DataFrame({"week_start": WEEKS, "error_rate_pct": [0.5, 0.7, 0.2, 0.1]})
    encoding = _spec(charts.time_series(rate, "error_rate_pct", title="t"))["layer"][0]["encoding"]
    assert "format" not in encoding["y"].get("axis", {})
    funnel = pl.DataFrame(
        {
            "stage": ["pilot", "production"],
            "stage_order": [1, 2],
            "reached_use_cases": [2, 1],
            "use_cases": [1, 1],
            "ready_use_cases": [0, 1],
        }
    )
    reached = _spec(charts.funnel(funnel))["layer"][0]["encoding"]["x"]
    assert reached["axis"] == {"format": ",d", "tickMinStep": 1}


def test_sixteen_stacked_series_show_seven_and_other_nothing_summed():
    frame = _sixteen_series()
    spec = _spec(charts.bars(frame, "requests", color="business_unit_name", title="t"))
    entries = _legend_entries(spec)
    assert len(entries) <= charts.MAX_SERIES
    assert entries == {f"Unit {k:02d}" for k in range(10, 17)} | {"Other (9)"}
    assert spec["encoding"]["color"]["scale"]["range"][-1] == charts.GREY
    # every unit is still its own bar segment, with its own value: nothing was added up
    drawn = {(row["business_unit_name"], row["requests"]) for row in _values(spec)}
    assert drawn == set(frame.select("business_unit_name", "requests").iter_rows())
    assert spec["encoding"]["detail"]["field"] == "business_unit_name"


def test_sixteen_lines_draw_eight_the_largest_latest_or_the_ones_picked():
    frame = _sixteen_series("penetration_pct")
    spec = _spec(
        charts.time_series(frame, "penetration_pct", color="business_unit_name", title="t")
    )
    assert _series(spec, "business_unit_name") == {f"Unit {k:02d}" for k in range(9, 17)}
    assert spec["title"] == {
        "text": "t",
        "subtitle": "8 of 16 business units shown: the highest latest values",
    }
    picked = ["Unit 01", "Unit 05"]
    spec = _spec(
        charts.time_series(
            frame, "penetration_pct", color="business_unit_name", title="t", series=picked
        )
    )
    assert _series(spec, "business_unit_name") == set(picked)
    assert spec["title"] == {"text": "t", "subtitle": "2 of 16 business units shown"}
    with pytest.raises(charts.EmptyChart, match="pick at least one of the business units"):
        charts.time_series(
            frame, "penetration_pct", color="business_unit_name", title="t", series=[]
        )


def test_series_rank_by_their_latest_value():
    frame = pl.DataFrame(
        {
            "week_start": [WEEKS[0], WEEKS[1], WEEKS[0], WEEKS[0], WEEKS[1]],
            "model": ["a", "a", "b", "c", "c"],
            "requests": [100.0, 1.0, 5.0, 2.0, None],
        }
    )
    # a's latest is 1 (week 1); b's 5 and c's 2 (week 0: c has no value in week 1)
    assert charts.ranked_series(frame, "requests", "model", "week_start") == ["b", "c", "a"]


def test_shell_lets_the_reader_pick_at_most_eight_lines():
    def page() -> None:
        from datetime import date, timedelta

        import polars as pl

        from app import charts, shell

        weeks = [date(2026, 9, 7) + timedelta(weeks=i) for i in range(4)]
        frame = pl.DataFrame(
            [
                {"week_start": w, "business_unit_name": f"Unit {k:02d}", "penetration_pct": k + i}
                for k in range(1, 17)
                for i, w in enumerate(weeks)
            ]
        )
        shell.chart(
            charts.time_series,
            frame,
            "penetration_pct",
            color="business_unit_name",
            title="Penetration",
        )

    at = AppTest.from_function(page).run()
    assert not at.exception
    (picker,) = at.multiselect
    assert picker.label == "Business units shown (at most 8 of 16)"
    assert picker.value == [f"Unit {k:02d}" for k in range(16, 8, -1)]
    (drawn,) = at.get("vega_lite_chart")
    spec = json.loads(drawn.proto.spec)
    assert spec["title"] == {"text": "Penetration", "subtitle": "8 of 16 business units shown"}
    picker.set_value(["Unit 01", "Unit 02"]).run()
    assert not at.exception
    frames = [
        pl.from_arrow(pa.ipc.open_stream(d.data.data).read_all())
        for d in at.get("vega_lite_chart")[0].proto.datasets
    ]
    shown = {
        name
        for f in frames
        if "business_unit_name" in f.columns
        for name in f["business_unit_name"]
    }
    assert shown == {"Unit 01", "Unit 02"}
