"""KPI observations (`kpi_observations/kpi_observations.csv`): one row per KPI x complete
period x business unit, values as text with the KPI's decimals.

Before launch a KPI sits at its baseline; after, it closes its profile's `realisation` of the
gap to its target along a curve that reaches it on the target date (`organisation.kpis`),
with a slight seasonality and noise. A KPI with a planted `step` instead moves by exactly that
much in its use case's business unit from the production date, and in its other units from
the scaled date. A KPI observed in several units has each one offset by a constant (a level
that differs by unit, not a trend). Observations stop when the use case retires.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from cadence.demo.contract import COLUMNS
from cadence.demo.frames import replace_at
from cadence.demo.operating_model import Config, Kpi, UseCase
from cadence.demo.organisation.kpis import KPI_PROFILES, KpiProfile
from cadence.demo.timeline import Calendar, retire_day


def _periods(grain: str, cal: Calendar) -> list[tuple[date, date]]:
    """(start, end) of each period of `grain` (week, month, calendar quarter) that ends inside
    the generated history."""
    periods = []
    if grain == "week":
        for offset in range(0, cal.n_days - 6, 7):
            first = cal.start + timedelta(days=offset)
            periods.append((first, first + timedelta(days=6)))
        return periods
    months = 3 if grain == "quarter" else 1
    cursor = date(cal.start.year, cal.start.month - (cal.start.month - 1) % months, 1)
    while True:
        month_index = cursor.year * 12 + cursor.month - 1 + months - 1
        year, month = divmod(month_index, 12)
        last = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        if last > cal.end:
            return periods
        periods.append((cursor, last))
        cursor = last + timedelta(days=1)


def _progress(middle: date, live: date | None, target_date: date) -> float:
    """Share of the way from launch to the target date, eased out (0 before launch)."""
    progress = 0.0
    if live is not None and middle > live and target_date > live:
        fraction = min(1.0, (middle - live) / (target_date - live))
        progress = 1 - (1 - fraction) ** 1.5
    return progress


def _expected(
    kpi: Kpi,
    use_case: UseCase | None,
    profile: KpiProfile,
    baseline: float,
    unit: str | None,
    period: tuple[date, date],
) -> float:
    """The KPI's value in one unit and period, before seasonality and noise."""
    first, last = period
    live = use_case.production if use_case else None
    if profile.step is None:
        progress = _progress(first + (last - first) / 2, live, kpi.target_date)
        return baseline + profile.realisation * progress * (kpi.target - baseline)
    treated = use_case is not None and unit == use_case.business_unit_id
    since = live if treated else (use_case.scaled if use_case else None)
    return baseline + (profile.step if since is not None and first >= since else 0.0)


def _kpi_rows(
    rng: np.random.Generator,
    kpi: Kpi,
    use_case: UseCase | None,
    cal: Calendar,
    rows: dict[str, list[object]],
) -> None:
    """Append one KPI's observations to `rows` (by column)."""
    profile = KPI_PROFILES.get(kpi.kpi_id, KpiProfile())
    fallback = kpi.target * 1.5 if kpi.direction == "decrease" else kpi.target / 1.3
    baseline = kpi.baseline if kpi.baseline is not None else profile.hidden_baseline or fallback
    retire = cal.start + timedelta(days=retire_day(use_case, cal)) if use_case else cal.end
    units = profile.business_units or ((use_case.business_unit_id if use_case else None),)
    for first, last in _periods(profile.grain, cal):
        if first >= retire:
            break
        middle = first + (last - first) / 2
        season = 1 + profile.seasonality * np.sin(2 * np.pi * (middle - cal.start).days / 365)
        for i, unit in enumerate(units):
            expected = _expected(kpi, use_case, profile, baseline, unit, (first, last))
            offset = 0.03 * (i - (len(units) - 1) / 2) * abs(baseline)
            noise = rng.normal(0, profile.noise * abs(baseline))
            value = expected * season + offset + noise
            if kpi.kpi_id.endswith(("_rate", "_resolution", "_completeness")):
                value = min(value, 100.0)
            rows["kpi_id"].append(kpi.kpi_id)
            rows["period_start"].append(first.isoformat())
            rows["grain"].append(profile.grain)
            rows["business_unit_id"].append(unit)
            rows["value"].append(f"{max(value, 0.0):.{profile.decimals}f}")
            rows["source"].append(profile.source)


def write_kpi_observations(path: Path, seed: int, config: Config, cal: Calendar) -> Path:
    rng = np.random.default_rng([seed, 30])
    use_cases = {uc.use_case_id: uc for uc in config.use_cases}
    rows: dict[str, list[object]] = {c: [] for c in COLUMNS["kpi_observations"]}
    for kpi in config.kpis:
        _kpi_rows(rng, kpi, use_cases.get(kpi.use_case_id), cal, rows)
    frame = pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS["kpi_observations"], pl.String))
    frame = replace_at(frame, len(frame) // 3, "value", "n/a")
    frame = replace_at(frame, 2 * len(frame) // 3, "grain", "fortnight")
    frame.write_csv(path)
    return path
