"""Calibration benchmark for `fct_kpi_effects` (issue 19, item 3): do its 95% intervals hold
95%, and does a KPI that did not move stay `no_detectable_change`?

Simulates organisations whose monthly KPI series carry a linear trend, a seasonal term and
AR(1) noise (autocorrelation `rho`: independent periods would flatter Welch), each KPI with a
launch date and an effect drawn at random (a share exactly zero, a share exactly one noise
standard deviation, the rest spread up to three), then runs the estimator exactly as a build
does: every simulated KPI, use case and business unit is written into a configuration folder
(`seeds/` copied, its use cases, KPIs, business units and launch checklist replaced), the
observations and workflow events are landed with the real `cadence ingest` into a fresh
temporary cadence home, and a real `cadence build --home H --config DIR` (with
`CADENCE_BUILD_DATE`) builds, tests and publishes it. `fct_kpi_effects` is then read from the
published warehouse (`cadence status --json`'s `published_path`, read-only) and each
estimate compared with the effect planted.

The estimate read is the KPI's row for the fiscal quarter that ends on the build date (its
`as_of_date` is that quarter's end, every observation landed): the row the quarterly review
reads. The month row ending the same day is the same estimate (same as-of date, same cells).

Designs (`evaluation_design` set explicitly per KPI; sd = the noise's marginal standard
deviation, a KPI's own scale):

- `before_after`: the use case's business unit only. "trend": slope ~ N(0, (0.05 sd)²) a
  month, which the design cannot tell from the effect (kept to show by how much); "no trend":
  seasonality and noise only, so that autocorrelation is what is measured.
- `difference_in_differences`: five business units (treated + four comparison) sharing the
  trend, the season and a common shock (a step of N(0, sd²) at a random month), each with its
  own level and AR(1) noise; "single" launch, or "staggered": the comparison units go live
  at `scaled_date` too, which ends the after window.
- `assisted_vs_unassisted`: one use case per KPI, runs started after launch, each assisted
  with probability ½, cycle time = 240 min + trend + AR(1) noise over the runs in time order
  (sd = 30 min) + the effect when assisted, `run_measure = cycle_time_minutes`.

Per design x rho the table gives: KPIs planted, the share `insufficient_data` (a launch late
in the history leaves fewer than `min_periods` = 3 periods after it), and over the estimated
ones the coverage of the 95% interval (target ≥ 93%), the share of zero effects reported
`improved` or `worsened` (target ≤ 6%), the power at one sd (the share of ±1 sd effects
reported on the right side), the median interval width and the mean bias (sd). Every
design x rho has `--kpis` KPIs (default 3,400: at a 35% share, >= 1,000 zero effects
estimated). Each rho is one cadence home and one build; the run times of the stages are
printed. Nothing is written into the repository; `--out FILE` writes the tables (markdown)
and `--json FILE` the figures.

Checks printed under the tables: every published verdict agrees with its published interval,
and the build's effect and interval equal the same Welch recomputed in Python over the
simulated cells (so the windows and cells read are the ones intended). A second table gives
what-ifs, computed in Python over the same cells and never by the build: the Welch interval
with each cell's s²/n inflated for AR(1) noise (finite-n factor c(n-1)/(n-c), c = 1 +
2·sum_k (1 - k/n)·rho^k; df from Bartlett's n(1 - rho²)/(1 + rho²)), with the true rho and
with rho estimated from the KPI's own cells (pooled lag-1 autocorrelation of the deviations
from each cell's mean, clamped to [0, 0.9]), plain and with its small-sample bias removed;
and, for difference-in-differences, Welch over the per-period gap treated - comparison
(before against after), plain and AR-adjusted (bias-corrected rho).

    python benchmarks/effects_calibration.py [--kpis 3400] [--rhos 0 0.5] [--seed 19]
        [--zero-share 0.35] [--quick] [--keep DIR] [--out FILE] [--json FILE]

`--quick` is a smoke run (120 KPIs per cell, one rho, about a minute). The default run
builds two homes of 17,000 KPIs and 4,760 use cases each: 12 minutes on the 2-core machine
it was written on, under a load average of 6-7 from other work (builds of 300 s and 388 s,
nearly all of it the whole build's ~690 other nodes sharing the two cores with
`fct_kpi_effects`, itself about 150 s). A whole build rather than `--select
+fct_kpi_effects`: it fits the time, and it is exactly what a user's build runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
CLI = "import sys; from cadence.cli import main; sys.exit(main(sys.argv[1:]))"

HISTORY_START = date(2024, 10, 1)  # the first observed month
MONTHS = 24  # 2024-10 … 2026-09
BUILD_DATE = date(2026, 9, 30)  # the end of fiscal 2026-Q3: the quarterly review's row
BUSINESS_UNITS = [f"bu_{i}" for i in range(5)]
KPIS_PER_USE_CASE = 10  # before/after and difference-in-differences KPIs share use cases
TREND_SD = 0.05  # sd a month
SEASON_AMPLITUDE = 0.5  # sd
RUN_SIGMA_MINUTES = 30.0
EFFECT_MIX = {"zero": 0.35, "one_sigma": 0.3}  # the rest: |effect| ~ U(0.25 sd, 3 sd)
# t(0.975, df) as the build reads it: the table in the project's macro (df_low, t)
T_TABLE = [
    (int(df), float(t))
    for df, t in re.findall(
        r"\((\d+), (\d+\.\d+)\)",
        (REPO / "dbt_project" / "macros" / "statistics.sql").read_text(),
    )
]


@dataclass(frozen=True)
class Scenario:
    key: str
    design: str
    label: str
    trend: bool = True
    staggered: bool = False


SCENARIOS = (
    Scenario("ba_trend", "before_after", "before_after, trend"),
    Scenario("ba_flat", "before_after", "before_after, no trend", trend=False),
    Scenario("did_single", "difference_in_differences", "difference_in_differences, single"),
    Scenario(
        "did_staggered",
        "difference_in_differences",
        "difference_in_differences, staggered",
        staggered=True,
    ),
    Scenario("assisted", "assisted_vs_unassisted", "assisted_vs_unassisted (runs)"),
)


@dataclass
class Simulated:
    """Everything one home gets: configuration rows, landed rows and the truth."""

    use_cases: list[dict[str, object]] = field(default_factory=list)
    kpis: list[dict[str, object]] = field(default_factory=list)
    observations: dict[str, list[object]] = field(
        default_factory=lambda: {
            c: [] for c in ("kpi_id", "period_start", "grain", "business_unit_id", "value")
        }
    )
    events: dict[str, list[object]] = field(
        default_factory=lambda: {
            c: []
            for c in (
                "event_id",
                "run_id",
                "use_case_id",
                "occurred_at",
                "event_type",
                "ai_assisted",
            )
        }
    )
    truth: list[dict[str, object]] = field(default_factory=list)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def month_start(index: int) -> date:
    year, month = divmod(HISTORY_START.year * 12 + HISTORY_START.month - 1 + index, 12)
    return date(year, month + 1, 1)


def ar1(rng: np.random.Generator, rho: float, size: tuple[int, ...]) -> np.ndarray:
    """Stationary AR(1) noise with marginal standard deviation 1 along the last axis."""
    shocks = rng.standard_normal(size)
    noise = np.empty(size)
    noise[..., 0] = shocks[..., 0]
    scale = np.sqrt(1 - rho * rho)
    for t in range(1, size[-1]):
        noise[..., t] = rho * noise[..., t - 1] + scale * shocks[..., t]
    return noise


def planted_effect(rng: np.random.Generator) -> tuple[float, str]:
    """An effect in sd units, and its kind (zero, one_sigma, spread)."""
    draw = rng.random()
    sign = 1.0 if rng.random() < 0.5 else -1.0
    if draw < EFFECT_MIX["zero"]:
        return 0.0, "zero"
    if draw < EFFECT_MIX["zero"] + EFFECT_MIX["one_sigma"]:
        return sign, "one_sigma"
    return sign * rng.uniform(0.25, 3.0), "spread"


def use_case_row(use_case_id: str, business_unit_id: str, production: date, scaled: date | None):
    return {
        "use_case_id": use_case_id,
        "name": f"Simulated {use_case_id}",
        "portfolio_id": "pf_customer_operations",
        "business_unit_id": business_unit_id,
        "stage": "scaled" if scaled else "production",
        "outcome_owner": "Outcome owner",
        "platform_owner": "Platform owner",
        "risk_owner": "Risk owner",
        "measurement_owner": "Measurement owner",
        "risk_tier": "low",
        "value_score": 3,
        "feasibility_score": 3,
        "risk_score": 2,
        "scale_score": 3,
        "pilot_start_date": (production - timedelta(days=60)).isoformat(),
        "production_date": production.isoformat(),
        "exit_criterion": "Simulated for the calibration benchmark",
        "scaled_date": scaled.isoformat() if scaled else "",
        "retired_date": "",
    }


def kpi_row(kpi_id: str, use_case_id: str, unit: str, direction: str, baseline_window, design):
    baseline_start, baseline_end = baseline_window
    return {
        "kpi_id": kpi_id,
        "use_case_id": use_case_id,
        "name": f"Simulated {kpi_id}",
        "unit": unit,
        "direction": direction,
        "baseline_value": "",
        "baseline_start": baseline_start.isoformat(),
        "baseline_end": baseline_end.isoformat(),
        "target_value": 110 if direction == "increase" else 90,
        "target_date": "2027-06-30",
        "defined_on": (baseline_start - timedelta(days=1)).isoformat(),
        "evaluation_design": design,
        "run_measure": "cycle_time_minutes" if design == "assisted_vs_unassisted" else "",
        "min_periods": "",
        "evaluation_date": "",
    }


def t_critical(df: float) -> float:
    """t(0.975, df) as the build looks it up: floored df, the largest tabled df at or below."""
    df = max(1, int(np.floor(df + 1e-9)))
    return next(t for low, t in reversed(T_TABLE) if low <= df)


def inflation(n: int, rho: float) -> float:
    """For AR(1) with autocorrelation rho and n periods: the factor by which s²/n understates
    the variance of the mean (var(ȳ) = sd²·c/n, E[s²] = sd²·(n - c)/(n - 1))."""
    lags = np.arange(1, n)
    c = 1 + 2 * float(np.sum((1 - lags / n) * rho**lags))
    return c * (n - 1) / max(n - c, 1e-9)


def welch(cells: list[np.ndarray], signs: list[int], rho: float | None = None) -> tuple:
    """(effect, low, high) of a Welch interval over `cells` (period values in time order), as
    the build computes it when rho is None; with rho, each cell's s²/n is inflated for AR(1)
    noise and its df taken from Bartlett's effective size (the what-if fix). None when
    a cell has fewer than 3 periods (the build's insufficient_data)."""
    if min(len(c) for c in cells) < 3:
        return None
    effect = float(sum(sign * c.mean() for sign, c in zip(signs, cells, strict=True)))
    terms, df_terms = [], []
    for cell in cells:
        term, degrees = cell.var(ddof=1) / len(cell), len(cell) - 1.0
        if rho is not None:
            term *= inflation(len(cell), rho)
            # Bartlett: s² of AR(1) data carries about n(1 - rho²)/(1 + rho²) periods' worth
            degrees = max(len(cell) * (1 - rho * rho) / (1 + rho * rho) - 1, 1.0)
        terms.append(term)
        df_terms.append(term * term / degrees)
    variance = sum(terms)
    t = t_critical(variance * variance / sum(df_terms))
    return effect, effect - t * np.sqrt(variance), effect + t * np.sqrt(variance)


def pooled_lag1(cells: list[np.ndarray], corrected: bool = False) -> float:
    """Lag-1 autocorrelation of the deviations from each cell's mean, pooled over the cells,
    clamped to [0, 0.9]: the rho a build could estimate from the data. `corrected` removes
    its small-sample bias (E[r] ~ rho - (1 + 3 rho)/n for one series of n; pooled, the
    cells' biases weighted by their pairs: b = (cells - sum 1/n_i) / pairs)."""
    deviations = [c - c.mean() for c in cells]
    numerator = sum(float(np.sum(d[1:] * d[:-1])) for d in deviations)
    denominator = sum(float(np.sum(d * d)) for d in deviations)
    r = numerator / denominator if denominator else 0.0
    if corrected:
        pairs = sum(len(c) - 1 for c in cells)
        b = (len(cells) - sum(1 / len(c) for c in cells)) / pairs
        r = (r + b) / (1 - 3 * b)
    return min(max(r, 0.0), 0.9)


def what_ifs(cells: list[np.ndarray], signs: list[int], rho: float, differenced=None) -> dict:
    """The build's Welch reproduced in Python, and the candidate fixes, as interval columns."""
    rows: dict[str, float | None] = {}
    variants = {
        "py_welch": welch(cells, signs),
        "ar_oracle": welch(cells, signs, rho),
        "ar_estimated": welch(cells, signs, pooled_lag1(cells)),
        "ar_corrected": welch(cells, signs, pooled_lag1(cells, corrected=True)),
    }
    if differenced is not None:
        variants["diff_welch"] = welch(differenced, [-1, 1])
        variants["diff_ar_corrected"] = welch(
            differenced, [-1, 1], pooled_lag1(differenced, corrected=True)
        )
    for name, interval in variants.items():
        effect, low, high = interval if interval else (None, None, None)
        rows |= {f"{name}_effect": effect, f"{name}_low": low, f"{name}_high": high}
    return rows


WHAT_IFS = {
    "ar_oracle": "AR(1)-adjusted Welch, true rho",
    "ar_estimated": "AR(1)-adjusted Welch, rho estimated (pooled lag-1)",
    "ar_corrected": "AR(1)-adjusted Welch, rho estimated, bias-corrected",
    "diff_welch": "DiD on the per-period gap (treated - comparison), Welch",
    "diff_ar_corrected": "DiD on the per-period gap, AR(1)-adjusted, rho bias-corrected",
}
WHAT_IF_COLUMNS = [
    f"{name}_{part}" for name in ("py_welch", *WHAT_IFS) for part in ("effect", "low", "high")
]


def simulate_series(
    rng: np.random.Generator,
    scenario: Scenario,
    rho: float,
    count: int,
    prefix: str,
    out: Simulated,
) -> None:
    """`count` KPIs of a before/after or difference-in-differences scenario (monthly)."""
    months = np.arange(MONTHS)
    units = BUSINESS_UNITS if scenario.design == "difference_in_differences" else [None]
    for first in range(0, count, KPIS_PER_USE_CASE):
        use_case_id = f"uc_{prefix}_{first // KPIS_PER_USE_CASE:04d}"
        treated = BUSINESS_UNITS[int(rng.integers(len(BUSINESS_UNITS)))]
        launch = int(rng.integers(6, 23))  # 2 to 18 months after launch: some too few
        scaled = None
        if scenario.staggered and launch + 3 <= MONTHS - 1:
            scaled = int(rng.integers(launch + 3, MONTHS))
        production = month_start(launch)
        scaled_date = month_start(scaled) if scaled is not None else None
        out.use_cases.append(use_case_row(use_case_id, treated, production, scaled_date))
        window = (month_start(max(0, launch - 12)), production - timedelta(days=1))
        for k in range(first, min(first + KPIS_PER_USE_CASE, count)):
            kpi_id = f"kpi_{prefix}_{k:05d}"
            sigma = float(np.exp(rng.uniform(np.log(1.0), np.log(10.0))))
            direction = "increase" if rng.random() < 0.5 else "decrease"
            effect, kind = planted_effect(rng)
            slope = rng.normal(0, TREND_SD) if scenario.trend else 0.0
            phase = rng.uniform(0, 12)
            common = slope * (months - launch) + SEASON_AMPLITUDE * np.sin(
                2 * np.pi * (months + phase) / 12
            )
            if scenario.design == "difference_in_differences":
                shock_month = int(rng.integers(1, MONTHS))
                common = common + rng.normal(0, 1.0) * (months >= shock_month)
            noise = ar1(rng, rho, (len(units), MONTHS))
            series = {}
            for u, unit in enumerate(units):
                is_treated = unit is None or unit == treated
                live_from = launch if is_treated else scaled
                lifted = (months >= live_from) if live_from is not None else np.zeros(MONTHS, bool)
                level = 100.0 + (0.0 if is_treated else rng.normal(0, 2.0))
                values = level + sigma * (common + noise[u] + effect * lifted)
                series[unit] = values
                out.observations["kpi_id"].extend([kpi_id] * MONTHS)
                out.observations["period_start"].extend(
                    month_start(int(m)).isoformat() for m in months
                )
                out.observations["grain"].extend(["month"] * MONTHS)
                out.observations["business_unit_id"].extend([unit or treated] * MONTHS)
                out.observations["value"].extend(f"{v:.5f}" for v in values)
            out.kpis.append(
                kpi_row(kpi_id, use_case_id, "index", direction, window, scenario.design)
            )
            before = slice(max(0, launch - 12), launch)
            after = slice(launch, MONTHS if scaled is None else scaled)
            if scenario.design == "difference_in_differences":
                others = np.mean([v for unit, v in series.items() if unit != treated], axis=0)
                mine = series[treated]
                cells = [mine[before], mine[after], others[before], others[after]]
                gap = mine - others
                figures = what_ifs(cells, [-1, 1, 1, -1], rho, [gap[before], gap[after]])
            else:
                values = series[None]
                figures = what_ifs([values[before], values[after]], [-1, 1], rho)
            out.truth.append(
                {
                    "kpi_id": kpi_id,
                    "scenario": scenario.key,
                    "rho": rho,
                    "sigma": sigma,
                    "planted_effect": effect * sigma,
                    "effect_kind": kind,
                    "direction": direction,
                    **dict.fromkeys(WHAT_IF_COLUMNS),
                    **figures,
                }
            )


def simulate_runs(
    rng: np.random.Generator,
    scenario: Scenario,
    rho: float,
    count: int,
    prefix: str,
    out: Simulated,
) -> None:
    """`count` assisted-vs-unassisted KPIs, one use case each, with their runs' events."""
    end = datetime.combine(BUILD_DATE, datetime.min.time())
    for k in range(count):
        use_case_id = f"uc_{prefix}_{k:05d}"
        kpi_id = f"kpi_{prefix}_{k:05d}"
        launch = int(rng.integers(6, 21))
        production = month_start(launch)
        out.use_cases.append(
            use_case_row(
                use_case_id,
                BUSINESS_UNITS[int(rng.integers(len(BUSINESS_UNITS)))],
                production,
                None,
            )
        )
        window = (month_start(max(0, launch - 12)), production - timedelta(days=1))
        direction = "decrease"  # shorter cycles are better
        effect, kind = planted_effect(rng)
        runs = int(rng.integers(30, 121))
        start = datetime.combine(production, datetime.min.time())
        span = (end - start).total_seconds() - 2 * 86400  # every run completes before the end
        offsets = np.sort(rng.uniform(0, span, runs))
        assisted = rng.random(runs) < 0.5
        slope = rng.normal(0, TREND_SD) if scenario.trend else 0.0
        months_in = offsets / (30.4375 * 86400)
        minutes = 240.0 + RUN_SIGMA_MINUTES * (
            slope * months_in + ar1(rng, rho, (runs,)) + effect * assisted
        )
        minutes = np.round(minutes * 60) / 60  # whole seconds, as the events carry
        for r in range(runs):
            run_id = f"run_{prefix}_{k:05d}_{r:03d}"
            started = start + timedelta(seconds=float(np.round(offsets[r])))
            completed = started + timedelta(minutes=float(minutes[r]))
            for suffix, event_type, at, flag in (
                ("s", "run_started", started, bool(assisted[r])),
                ("c", "run_completed", completed, None),
            ):
                out.events["event_id"].append(f"{run_id}_{suffix}")
                out.events["run_id"].append(run_id)
                out.events["use_case_id"].append(use_case_id)
                out.events["occurred_at"].append(at.isoformat() + "Z")
                out.events["event_type"].append(event_type)
                out.events["ai_assisted"].append(flag)
        out.kpis.append(kpi_row(kpi_id, use_case_id, "minutes", direction, window, scenario.design))
        out.truth.append(
            {
                "kpi_id": kpi_id,
                "scenario": scenario.key,
                "rho": rho,
                "sigma": RUN_SIGMA_MINUTES,
                **dict.fromkeys(WHAT_IF_COLUMNS),
                "planted_effect": effect * RUN_SIGMA_MINUTES,
                "effect_kind": kind,
                "direction": direction,
            }
        )


def simulate(seed: int, rho: float, kpis: int) -> Simulated:
    out = Simulated()
    for index, scenario in enumerate(SCENARIOS):
        rng = np.random.default_rng([seed, round(rho * 1000), index])
        prefix = f"{scenario.key}_{round(rho * 100):02d}"
        if scenario.design == "assisted_vs_unassisted":
            simulate_runs(rng, scenario, rho, kpis, prefix, out)
        else:
            simulate_series(rng, scenario, rho, kpis, prefix, out)
    return out


def write_configuration(folder: Path, simulated: Simulated) -> None:
    """`seeds/` copied, with the simulated business units, use cases, KPIs, and an empty
    launch checklist (readiness is not what is measured)."""
    shutil.copytree(SEEDS, folder)
    pl.DataFrame(
        {
            "business_unit_id": BUSINESS_UNITS,
            "name": [f"Business unit {u}" for u in BUSINESS_UNITS],
            "eligible_headcount": [1000] * len(BUSINESS_UNITS),
        }
    ).write_csv(folder / "business_units.csv")
    header = pl.read_csv(SEEDS / "use_cases.csv", n_rows=0).columns
    pl.DataFrame(simulated.use_cases, infer_schema_length=None).select(header).write_csv(
        folder / "use_cases.csv"
    )
    header = pl.read_csv(SEEDS / "kpis.csv", n_rows=0).columns
    pl.DataFrame(simulated.kpis, infer_schema_length=None).select(header).write_csv(
        folder / "kpis.csv"
    )
    (folder / "launch_checklist.csv").write_text("use_case_id,item,completed_on\n")


def cadence(arguments: list[str], env: dict[str, str], log_file: Path) -> float:
    """`cadence <arguments>` in a child process (output to `log_file`); its wall seconds."""
    started = time.perf_counter()
    with log_file.open("a") as sink:
        code = subprocess.call(
            [sys.executable, "-c", CLI, *arguments],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO,
        )
    if code != 0:
        tail = log_file.read_text().splitlines()[-40:]
        raise SystemExit(f"cadence {' '.join(arguments[:2])} failed ({code}):\n" + "\n".join(tail))
    return time.perf_counter() - started


def run_home(work: Path, seed: int, rho: float, kpis: int) -> tuple[pl.DataFrame, dict]:
    """Simulate, ingest and build one home; its estimates joined to the truth, and timings."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    simulated = simulate(seed, rho, kpis)
    timings["simulate_s"] = time.perf_counter() - clock
    home, config, inputs = work / "home", work / "config", work / "inputs"
    inputs.mkdir(parents=True)
    write_configuration(config, simulated)
    observations = inputs / "kpi_observations.csv"
    pl.DataFrame(simulated.observations).write_csv(observations)
    events = inputs / "workflow_events.csv"
    pl.DataFrame(simulated.events, schema_overrides={"ai_assisted": pl.Boolean}).write_csv(events)
    env = {**os.environ, "CADENCE_BUILD_DATE": BUILD_DATE.isoformat()}
    for name in ("CADENCE_HOME", "CADENCE_CONFIG_DIR"):
        env.pop(name, None)
    where = ["--home", str(home), "--config", str(config)]
    log_file = work / "cadence.log"
    timings["ingest_s"] = cadence(
        ["ingest", "kpi_observations", str(observations), *where], env, log_file
    )
    timings["ingest_s"] += cadence(
        ["ingest", "workflow_events", str(events), *where], env, log_file
    )
    log(
        f"  rho={rho}: {len(simulated.kpis):,} KPIs, {len(simulated.use_cases):,} use cases, "
        f"{len(simulated.observations['value']):,} observations, "
        f"{len(simulated.events['event_id']):,} workflow events landed "
        f"({timings['ingest_s']:.0f} s); building"
    )
    timings["build_s"] = cadence(["build", *where], env, log_file)
    status = subprocess.run(
        [sys.executable, "-c", CLI, "status", "--json", "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
    )
    published = json.loads(status.stdout)["published_path"]
    with duckdb.connect(published, read_only=True) as con:
        cursor = con.execute(
            """
            select kpi_id, design, verdict, effect, ci_low, ci_high, periods_before,
                periods_after, degrees_of_freedom
            from main.fct_kpi_effects
            where period_grain = 'quarter' and as_of_date = $build_date
            """,
            {"build_date": BUILD_DATE},
        )
        columns = [d[0] for d in cursor.description]
        estimates = pl.DataFrame(cursor.fetchall(), schema=columns, orient="row")
    truth = pl.DataFrame(simulated.truth, infer_schema_length=None)
    joined = truth.join(estimates, on="kpi_id", how="left")
    missing = joined.filter(pl.col("verdict").is_null()).height
    if missing:
        raise SystemExit(f"{missing} simulated KPIs have no quarterly row in fct_kpi_effects")
    log(
        f"  rho={rho}: built in {timings['build_s']:.0f} s, "
        f"{estimates.height:,} quarterly estimates read"
    )
    return joined, timings


def calibration(low: pl.Expr, high: pl.Expr, estimated: pl.Expr) -> dict[str, pl.Expr]:
    """Coverage, false positives on zero effects and power at 1 sd of intervals [low, high]."""
    covered = (low <= pl.col("planted_effect")) & (pl.col("planted_effect") <= high)
    increases = pl.col("direction") == "increase"
    verdict = (
        pl.when((increases & (low > 0)) | (~increases & (high < 0)))
        .then(pl.lit("improved"))
        .when((increases & (high < 0)) | (~increases & (low > 0)))
        .then(pl.lit("worsened"))
        .otherwise(pl.lit("no_detectable_change"))
    )
    right_side = (
        pl.when((pl.col("planted_effect") > 0) == increases)
        .then(pl.lit("improved"))
        .otherwise(pl.lit("worsened"))
    )
    zero = estimated & (pl.col("effect_kind") == "zero")
    one = estimated & (pl.col("effect_kind") == "one_sigma")
    return {
        "estimated": estimated.sum(),
        "coverage_pct": 100 * covered.filter(estimated).mean(),
        "zero_effects": zero.sum(),
        "false_positive_pct": 100 * (verdict != "no_detectable_change").filter(zero).mean(),
        "one_sigma_effects": one.sum(),
        "power_one_sigma_pct": 100 * (verdict == right_side).filter(one).mean(),
        "median_width_sigma": ((high - low) / pl.col("sigma")).filter(estimated).median(),
    }


def summarise(joined: pl.DataFrame) -> pl.DataFrame:
    """One row per scenario x rho: the build's calibration figures, its verdicts checked
    against the intervals it published, and the what-ifs' figures (prefixed)."""
    estimated = pl.col("verdict") != "insufficient_data"
    figures = calibration(pl.col("ci_low"), pl.col("ci_high"), estimated)
    for name in WHAT_IFS:
        low, high = pl.col(f"{name}_low"), pl.col(f"{name}_high")
        for key, expression in calibration(low, high, low.is_not_null()).items():
            figures[f"{name}__{key}"] = expression
    order = {s.key: i for i, s in enumerate(SCENARIOS)}
    labels = {s.key: s.label for s in SCENARIOS}
    return (
        joined.group_by("scenario", "rho")
        .agg(
            planted=pl.len(),
            insufficient_pct=100 * (~estimated).mean(),
            **figures,
            mean_bias_sigma=((pl.col("effect") - pl.col("planted_effect")) / pl.col("sigma"))
            .filter(estimated)
            .mean(),
            # the build's verdicts against its own intervals, and its estimates against the
            # same Welch over the same simulated cells in Python (series designs)
            verdicts_consistent=(
                pl.col("verdict") == calibration_verdict(pl.col("ci_low"), pl.col("ci_high"))
            )
            .filter(estimated)
            .all(),
            python_reproduced=pl.col("py_welch_effect").is_not_null().sum(),
            python_max_gap_sigma=(
                (
                    (pl.col("effect") - pl.col("py_welch_effect")).abs()
                    + (pl.col("ci_low") - pl.col("py_welch_low")).abs()
                )
                / pl.col("sigma")
            ).max(),
            python_same_estimability=(estimated == pl.col("py_welch_effect").is_not_null()).all()
            | pl.col("scenario").first().eq("assisted"),
        )
        .with_columns(
            design=pl.col("scenario").replace_strict(labels),
            position=pl.col("scenario").replace_strict(order),
        )
        .sort("position", "rho")
        .drop("position")
    )


def calibration_verdict(low: pl.Expr, high: pl.Expr) -> pl.Expr:
    increases = pl.col("direction") == "increase"
    return (
        pl.when((increases & (low > 0)) | (~increases & (high < 0)))
        .then(pl.lit("improved"))
        .when((increases & (high < 0)) | (~increases & (low > 0)))
        .then(pl.lit("worsened"))
        .otherwise(pl.lit("no_detectable_change"))
    )


def markdown(summary: pl.DataFrame) -> str:
    lines = [
        "| design | rho | planted | insufficient | coverage of 95% CI | false positives "
        "(zero effects) | power at 1 sd | median CI width (sd) | mean bias (sd) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in summary.iter_rows(named=True):
        lines.append(
            f"| {row['design']} | {row['rho']:g} | {row['planted']:,} | "
            f"{row['insufficient_pct']:.1f}% | {row['coverage_pct']:.1f}% "
            f"(n={row['estimated']:,}) | {row['false_positive_pct']:.1f}% "
            f"(n={row['zero_effects']:,}) | {row['power_one_sigma_pct']:.1f}% "
            f"(n={row['one_sigma_effects']:,}) | {row['median_width_sigma']:.2f} | "
            f"{row['mean_bias_sigma']:+.3f} |"
        )
    lines += [
        "",
        "What-ifs (Python over the same simulated cells; not what the build computes): "
        "coverage / false positives / power at 1 sd / median width (sd)",
        "",
        "| design | rho | " + " | ".join(WHAT_IFS.values()) + " |",
        "|---|---|" + "---|" * len(WHAT_IFS),
    ]
    for row in summary.iter_rows(named=True):
        if row["scenario"] == "assisted":
            continue
        cells = []
        for name in WHAT_IFS:
            if not row[f"{name}__estimated"]:
                cells.append("-")
                continue
            cells.append(
                f"{row[f'{name}__coverage_pct']:.1f}% / "
                f"{row[f'{name}__false_positive_pct']:.1f}% / "
                f"{row[f'{name}__power_one_sigma_pct']:.1f}% / "
                f"{row[f'{name}__median_width_sigma']:.2f}"
            )
        lines.append(f"| {row['design']} | {row['rho']:g} | " + " | ".join(cells) + " |")
    checks = summary.select(
        pl.col("verdicts_consistent").all(),
        pl.col("python_reproduced").sum(),
        pl.col("python_max_gap_sigma").max(),
        pl.col("python_same_estimability").all(),
    ).row(0)
    lines += [
        "",
        f"Checks: every published verdict matches its published interval: {checks[0]}; "
        f"the build's effect and interval reproduced in Python for {checks[1]:,} series "
        f"estimates, largest gap {checks[2]:.1e}sd (values are landed to 5 decimals); the same "
        f"KPIs estimable: {checks[3]}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kpis", type=int, default=3400, help="KPIs per design x rho")
    parser.add_argument("--rhos", type=float, nargs="+", default=[0.0, 0.5])
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--zero-share", type=float, default=EFFECT_MIX["zero"])
    parser.add_argument("--quick", action="store_true", help="smoke run: 120 KPIs, rho 0.5")
    parser.add_argument("--keep", type=Path, help="keep the homes here (default: a temp dir)")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    parser.add_argument("--json", type=Path, help="also write the figures (and timings) here")
    args = parser.parse_args()
    if args.quick:
        args.kpis, args.rhos = 120, [0.5]
    EFFECT_MIX["zero"] = args.zero_share
    load = os.getloadavg()[0]
    log(
        f"{args.kpis:,} KPIs per design x rho, rho {args.rhos}, seed {args.seed}, "
        f"build date {BUILD_DATE} (load average {load:.1f})"
    )
    scratch = Path(tempfile.mkdtemp(prefix="cadence-calibration-"))
    root = args.keep or scratch
    clock = time.perf_counter()
    frames, timings = [], []
    try:
        for rho in args.rhos:
            work = root / f"rho-{rho:g}"
            shutil.rmtree(work, ignore_errors=True)
            joined, timing = run_home(work, args.seed, rho, args.kpis)
            frames.append(joined)
            timings.append({"rho": rho, **timing})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    summary = summarise(pl.concat(frames))
    table = markdown(summary)
    total = time.perf_counter() - clock
    print()
    print(table)
    print()
    for timing in timings:
        print(
            f"rho={timing['rho']:g}: simulate {timing['simulate_s']:.0f} s, ingest "
            f"{timing['ingest_s']:.0f} s, cadence build {timing['build_s']:.0f} s"
        )
    builds = [t["build_s"] for t in timings]
    print(
        f"median build {statistics.median(builds):.0f} s; whole run {total / 60:.1f} min "
        f"(load average {os.getloadavg()[0]:.1f} at the end)"
    )
    if args.out:
        args.out.write_text(table + "\n")
    if args.json:
        args.json.write_text(
            json.dumps({"summary": summary.to_dicts(), "timings": timings}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
