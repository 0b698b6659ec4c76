"""fct_kpi_effects on a tiny organisation, by hand (CONTRACTS.md §5.3, §5.4): landed through the
real ingestion and built by `cadence build` as of 2025-07-15 (calendar quarters).

The cases are those of the dbt unit test `test_effects_known_answers_for_each_design`
(dbt_project/models/marts/outcomes/fct_kpi_effects.yml), which pins the designs, counts,
means, degrees of freedom and t; this module checks the intervals. Before = monthly periods
starting 2024-12-01…2025-02-28; after = from the production date (2025-03-01; uc_late
2025-05-01) to the as-of date; uc_a is scaled on 2025-06-01, which ends the
difference-in-differences' after window. t(0.975, df) from macros/statistics.sql.

As of 2025-Q2 (as_of 2025-06-30):

- k_ba, before_after, decrease. bu_a (the KPI has business-unit observations, so bu_b's 100s
  are not read; July's 50 is after the as-of date): before 10, 12, 14 (mean 12, s² 4), after
  8, 9, 7, 8 (mean 8, s² 2/3). effect -4; se = √(4/3 + (2/3)/4) = √1.5 = 1.224745;
  df = 1.5² ÷ ((4/3)²/2 + (1/6)²/3) = 2.25 ÷ 0.898148 = 2.505 → 2; t(2) = 4.302653;
  interval -4 ± 5.269652 = (-9.269652, 1.269652): no_detectable_change (df 3, t 3.182, would
  have given (-7.898, -0.102), improved: the floor decides).
- k_did, auto → difference_in_differences (the comparison has 3 periods on each side).
  Treated bu_a before 20, 22, 21 (mean 21, s² 1), after 15, 16, 14 (mean 15, s² 1; June's 15
  is after scaling); comparison = mean of bu_b and bu_c per period: before 31, 32, 30, after
  31, 30, 32 (means 31, s² 1). effect (15 - 21) - (31 - 31) = -6; se = √(4 x 1/3) = 1.154701;
  df = (4/3)² ÷ (4 x (1/3)²/2) = 8 exactly; t(8) = 2.306004; interval -6 ± 2.662744 =
  (-8.662744, -3.337256): improved, interim (read-out 2025-12-31).
- k_short: 3 periods before, 2 after its 2025-05-01 launch: insufficient_data.
- k_flat, increase: before 5, 5, 5 (zero variance), after 6, 7, 8, 7 (mean 7, s² 2/3):
  effect 2; se = √(1/6) = 0.408248; df = (1/6)² ÷ ((1/6)²/3) = 3; t(3) = 3.182446; interval
  2 ± 1.299228 = (0.700772, 3.299228): improved.
- k_zero: 5 in every period: no cell varies, insufficient_data.
- k_runs, assisted_vs_unassisted over cycle_time_minutes: runs completed 2025-03-01…06-30
  (one before launch, one after the as-of date and one not completed are left out): assisted 10, 12, 14 (mean 12, s² 4), unassisted 20, 22, 18, 20
  (mean 20, s² 8/3). effect -8; se = √(4/3 + 2/3) = √2 = 1.414214; df = 4 ÷ ((4/3)²/2 +
  (2/3)²/3) = 3.857 → 3; interval -8 ± 4.500659 = (-12.500659, -3.499341): improved. Three
  people started each group: below the minimum group size (5), rpt_kpi_values hides it.
- k_future is defined on 2025-09-01: not defined yet.

As of the months: k_did in 2025-03 has one period after launch, so auto falls back to
before_after and the verdict is insufficient_data; by 2025-05 it is the quarter's answer.
"""

from __future__ import annotations

import math
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from tiny_organisation import OWNERS, USE_CASE_DEFAULTS, write_config, write_csv

from cadence.build import build
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)

MONTHS = (
    "2024-12-01",
    "2025-01-01",
    "2025-02-01",
    "2025-03-01",
    "2025-04-01",
    "2025-05-01",
    "2025-06-01",
)
OBSERVATIONS: list[tuple[str, str | None, str, float]] = [
    *[("k_ba", "bu_a", m, v) for m, v in zip(MONTHS, (10, 12, 14, 8, 9, 7, 8), strict=True)],
    ("k_ba", "bu_a", "2025-07-01", 50),
    ("k_ba", "bu_b", "2025-01-01", 100),
    ("k_ba", "bu_b", "2025-04-01", 100),
    *[("k_did", "bu_a", m, v) for m, v in zip(MONTHS, (20, 22, 21, 15, 16, 14, 15), strict=True)],
    *[("k_did", "bu_b", m, v) for m, v in zip(MONTHS, (30, 31, 29, 30, 29, 31, 31), strict=True)],
    *[("k_did", "bu_c", m, v) for m, v in zip(MONTHS, (32, 33, 31, 32, 31, 33), strict=False)],
    *[("k_short", None, m, v) for m, v in zip(MONTHS, (5, 6, 7, 5, 5, 4, 3), strict=True)],
    *[("k_flat", None, m, v) for m, v in zip(MONTHS, (5, 5, 5, 6, 7, 8, 7), strict=True)],
    *[("k_zero", None, m, 5) for m in MONTHS],
    ("k_future", None, "2025-01-01", 1),
]
# run, AI-assisted, cycle minutes, completed at (None: not completed), who started it; a run
# whose run_started does not say is quarantined at the door (the unit test covers it)
RUNS: list[tuple[str, bool, int, str | None, str]] = [
    ("r1", True, 10, "2025-03-05T10:00:00", "p1"),
    ("r2", True, 12, "2025-04-10T10:00:00", "p2"),
    ("r3", True, 14, "2025-06-30T23:00:00", "p3"),
    ("r4", False, 20, "2025-03-10T10:00:00", "p1"),
    ("r5", False, 22, "2025-04-10T10:00:00", "p1"),
    ("r6", False, 18, "2025-05-10T10:00:00", "p4"),
    ("r7", False, 20, "2025-06-10T10:00:00", "p5"),
    ("r8", True, 1, "2025-02-20T10:00:00", "p1"),  # before launch
    ("r9", False, 99, "2025-07-01T10:00:00", "p6"),  # after the as-of date
    ("r11", True, 5, None, "p1"),  # not completed
]
KPI_DEFAULTS = {
    "unit": "minutes",
    "direction": "decrease",
    "baseline_value": "",
    "baseline_start": "2024-12-01",
    "baseline_end": "2025-02-28",
    "target_value": 1,
    "target_date": "2025-12-31",
    "defined_on": "2024-11-01",
    "evaluation_design": "",
    "run_measure": "",
    "min_periods": "",
    "evaluation_date": "",
}
T_975 = {2: 4.302652730, 3: 3.182446305, 8: 2.306004135}


def _kpi(kpi_id: str, use_case_id: str, **values: object) -> dict[str, object]:
    return {"kpi_id": kpi_id, "use_case_id": use_case_id, "name": kpi_id, **KPI_DEFAULTS, **values}


def _use_case(use_case_id: str, production: str, scaled: str = "") -> dict[str, object]:
    return {
        "use_case_id": use_case_id,
        "name": use_case_id,
        "stage": "scaled" if scaled else "production",
        **OWNERS,
        **USE_CASE_DEFAULTS,
        "pilot_start_date": "2024-11-01",
        "production_date": production,
        "scaled_date": scaled,
        "retired_date": "",
    }


CONFIG = {
    "calendar": [{"setting": "fiscal_year_start_month", "value": 1}],
    "business_units": [
        {"business_unit_id": unit, "name": unit.upper(), "eligible_headcount": 10}
        for unit in ("bu_a", "bu_b", "bu_c")
    ],
    "use_cases": [
        _use_case("uc_a", "2025-03-01", scaled="2025-06-01"),
        _use_case("uc_late", "2025-05-01"),
        _use_case("uc_r", "2025-03-01"),
    ],
    "kpis": [
        _kpi("k_ba", "uc_a", evaluation_design="before_after", evaluation_date="2025-06-30"),
        _kpi("k_did", "uc_a", min_periods=3, evaluation_date="2025-12-31"),
        _kpi("k_short", "uc_late", evaluation_design="auto", unit="days"),
        _kpi("k_flat", "uc_a", evaluation_design="before_after", direction="increase"),
        _kpi("k_zero", "uc_a", evaluation_design="before_after"),
        _kpi(
            "k_runs",
            "uc_r",
            evaluation_design="assisted_vs_unassisted",
            run_measure="cycle_time_minutes",
        ),
        _kpi("k_future", "uc_a", defined_on="2025-09-01"),
    ],
    "launch_checklist": [{"use_case_id": "uc_a", "item": "data_review", "completed_on": ""}],
}


def _land(home: Path, work: Path) -> None:
    observations = work / "kpi_observations.csv"
    write_csv(
        observations,
        [
            {
                "kpi_id": kpi,
                "period_start": start,
                "grain": "month",
                "business_unit_id": unit or "",
                "value": value,
            }
            for kpi, unit, start, value in OBSERVATIONS
        ],
    )
    events = []
    for run, assisted, minutes, completed, starter in RUNS:
        end = datetime.fromisoformat(completed or "2025-04-01T12:00:00").replace(tzinfo=UTC)
        start = end - timedelta(minutes=minutes)
        events.append(
            {
                "event_id": f"{run}-1",
                "run_id": run,
                "use_case_id": "uc_r",
                "occurred_at": start.isoformat(),
                "event_type": "run_started",
                "actor_id": starter,
                "ai_assisted": str(assisted).lower(),
            }
        )
        if completed is not None:
            events.append(
                {
                    "event_id": f"{run}-2",
                    "run_id": run,
                    "use_case_id": "uc_r",
                    "occurred_at": end.isoformat(),
                    "event_type": "run_completed",
                    "actor_id": starter,
                    "ai_assisted": "",
                }
            )
    workflow = work / "workflow_events.csv"
    write_csv(workflow, events)
    for entity, path in (("kpi_observations", observations), ("workflow_events", workflow)):
        results = ingest_files(SCHEMAS[entity], [path], home, echo=lambda _: None)
        assert all(result.rows_quarantined == 0 for result in results), results


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny organisation landed and built as of 2025-07-15; its published file."""
    root = tmp_path_factory.mktemp("effects")
    config, home = write_config(root / "config", CONFIG), root / "home"
    _land(home, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", "2025-07-15")
        build(home, config, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    return Path(str(pointer["published_path"]))


def _query(published: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.sql(sql).pl().to_dicts()
    finally:
        con.close()


@pytest.fixture(scope="module")
def effects(published: Path) -> dict[tuple[str, str], dict]:
    """fct_kpi_effects by (kpi, period label)."""
    rows = _query(published, "select * from main.fct_kpi_effects")
    return {(row["kpi_id"], row["period_label"]): row for row in rows}


def welch(cells: list[list[float]], signs: list[int]) -> tuple[float, float, int, float, float]:
    """effect, se, floored df, ci_low, ci_high of CONTRACTS.md §5.4, independently of the SQL."""
    effect = sum(sign * statistics.mean(cell) for cell, sign in zip(cells, signs, strict=True))
    terms = [statistics.variance(cell) / len(cell) for cell in cells]
    total = sum(terms)
    df = max(
        1,
        math.floor(
            total**2 / sum(t**2 / (len(c) - 1) for t, c in zip(terms, cells, strict=True)) + 1e-9
        ),
    )
    se = math.sqrt(total)
    return effect, se, df, effect - T_975[df] * se, effect + T_975[df] * se


@pytest.mark.parametrize(
    ("kpi_id", "design", "cells", "signs", "hand", "verdict"),
    [
        (
            "k_ba",
            "before_after",
            [[10, 12, 14], [8, 9, 7, 8]],
            [-1, 1],
            (-4, 1.224745, 2, -9.269652, 1.269652),
            "no_detectable_change",
        ),
        (
            "k_did",
            "difference_in_differences",
            [[20, 22, 21], [15, 16, 14], [31, 32, 30], [31, 30, 32]],
            [-1, 1, 1, -1],
            (-6, 1.154701, 8, -8.662744, -3.337256),
            "improved",
        ),
        (
            "k_flat",
            "before_after",
            [[5, 5, 5], [6, 7, 8, 7]],
            [-1, 1],
            (2, 0.408248, 3, 0.700772, 3.299228),
            "improved",
        ),
        (
            "k_runs",
            "assisted_vs_unassisted",
            [[20, 22, 18, 20], [10, 12, 14]],
            [-1, 1],
            (-8, 1.414214, 3, -12.500659, -3.499341),
            "improved",
        ),
    ],
)
def test_each_design_gives_the_hand_computed_interval(
    effects: dict, kpi_id: str, design: str, cells: list, signs: list, hand: tuple, verdict: str
) -> None:
    row = effects[(kpi_id, "2025-Q2")]
    effect, se, df, low, high = welch(cells, signs)
    assert (effect, round(se, 6), df, round(low, 6), round(high, 6)) == hand
    assert row["design"] == design
    assert row["degrees_of_freedom"] == df
    assert row["t_critical"] == T_975[df]
    for column, expected in (
        ("effect", effect),
        ("standard_error", se),
        ("ci_low", low),
        ("ci_high", high),
    ):
        assert math.isclose(row[column], expected, rel_tol=1e-9, abs_tol=1e-12), column
    assert row["verdict"] == verdict


def test_too_few_periods_no_variation_and_an_undefined_kpi_give_no_verdict(effects: dict) -> None:
    short, zero, future = (effects[(k, "2025-Q2")] for k in ("k_short", "k_zero", "k_future"))
    assert (short["periods_before"], short["periods_after"]) == (3, 2)
    assert (zero["periods_before"], zero["periods_after"]) == (3, 4)
    for row in (short, zero, future):
        assert row["verdict"] == "insufficient_data"
        assert row["effect"] is None
        assert row["ci_low"] is None
        assert row["ci_high"] is None
    assert future["design"] is None
    assert zero["verdict_text"] == "k_zero: not enough evidence, no variation in any cell"


def test_the_comparison_is_explained_in_words_and_interim_before_the_read_out(
    effects: dict,
) -> None:
    did = effects[("k_did", "2025-Q2")]
    assert did["comparison_business_units"] == 2
    assert (did["comparison_periods_before"], did["comparison_periods_after"]) == (3, 3)
    assert did["is_interim"]
    assert did["verdict_text"] == (
        "k_did fell 6.00 min (95% CI 3.34 to 8.66), against two business units not yet live; "
        "interim, read out on 2025-12-31"
    )
    assert not effects[("k_ba", "2025-Q2")]["is_interim"]  # read out on 2025-06-30 itself


def test_each_month_is_judged_on_what_was_known_at_its_end(effects: dict) -> None:
    march, april, may = (effects[("k_did", f"2025-{m:02d}")] for m in (3, 4, 5))
    # one, then two months after launch: the comparison is too short, auto reads before/after
    assert (march["design"], march["periods_after"], march["verdict"]) == (
        "before_after",
        1,
        "insufficient_data",
    )
    assert (april["design"], april["verdict"]) == ("before_after", "insufficient_data")
    assert (may["design"], may["effect"], may["degrees_of_freedom"]) == (
        "difference_in_differences",
        -6,
        8,
    )
    assert ("k_did", "2024-11") not in effects  # before its first observation
    assert ("k_runs", "2025-02") in effects  # its first run completed on 2025-02-20


def test_the_review_hides_an_effect_drawn_from_fewer_people_than_the_minimum(
    published: Path,
) -> None:
    rows = {
        row["kpi_id"]: row
        for row in _query(
            published,
            "select * from main.rpt_kpi_values where scope_id = 'organisation' "
            "and period_grain = 'quarter' and period_start = date '2025-04-01'",
        )
    }
    runs = rows["k_runs"]
    assert runs["is_effect_suppressed"]
    assert runs["effect"] is None
    assert runs["effect_improvement_pct"] is None
    assert runs["effect_verdict_text"] == (
        "k_runs: effect hidden, fewer than 5 people behind a group of runs"
    )
    did = rows["k_did"]
    assert not did["is_effect_suppressed"]
    # -6 on a before level of 21, a decrease KPI: 28.6 % better, interval mirrored
    assert math.isclose(did["effect_improvement_pct"], 600 / 21, rel_tol=1e-9)
    assert math.isclose(did["effect_improvement_ci_low_pct"], 3.337256 * 100 / 21, rel_tol=1e-6)
    assert math.isclose(did["effect_improvement_ci_high_pct"], 8.662744 * 100 / 21, rel_tol=1e-6)
