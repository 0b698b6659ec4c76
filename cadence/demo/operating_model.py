"""The operating-model configuration the demo organisation agrees with: `seeds/` (CONTRACTS §2).

`load_config` reads the business units (with their eligible headcount), the use cases (stage,
risk tier, pilot and production dates), the KPIs (baseline, target) and the model catalogue,
and adds the models people reach outside the catalogue (`organisation.models`).

The generator does not read the other seeds. For the record, as the warehouse reads it:
`seeds/thresholds.csv` rows (`metric,direction,green,amber`; the names are the ones the
warehouse reads, `vars.thresholds` in dbt_project.yml, which holds the fallbacks). For a
band, a value is green when it is at least `green` (`higher_is_better`) or at most `green`
(`lower_is_better`), amber when it is on the good side of `amber`, else red. A rule row
(`recommend_*`) is one number, repeated in `green` and `amber`:

- penetration_pct: weekly active users per 100 eligible headcount.
- enablement_coverage_pct: people with a completed training per 100 eligible headcount.
- license_utilisation_pct: licensed users active in the week per 100 licensed users.
- error_rate_pct: error + timeout requests per 100 requests (week x use case x model).
- latency_p95_ms: p95 latency of successful requests.
- completion_rate_pct: runs completed per 100 runs started.
- human_review_rate_pct: AI-assisted runs with a review per 100 AI-assisted runs.
- quality_acceptance_pct, override_rate_pct: accepted / overridden reviews per 100 reviews.
- exception_rate_pct: runs with an exception per 100 runs started.
- policy_adherence_pct: requests without a policy violation per 100 requests.
- shadow_ai_pct: requests to unapproved or uncatalogued models per 100 requests.
- avg_satisfaction, avg_trust: survey means (1-5).
- kpi_progress_shortfall_pct: expected_progress_pct - gap_closed_pct, in points (KPI status).
- recommend_window_weeks: trailing weeks of evidence behind a recommendation.
- recommend_min_reviews: reviews needed before review-based rules apply.
- recommend_scale_min_kpi_progress_ratio: "scale" needs every KPI's gap_closed_pct at least
  this share of its expected_progress_pct.
- recommend_scale_max_override_rate_pct, recommend_scale_min_quality_acceptance_pct,
  recommend_scale_min_policy_adherence_pct: the other bars for "scale".
- recommend_redesign_override_rate_pct: "redesign" at or above this override rate.
- recommend_redesign_min_quality_acceptance_pct: "redesign" below this acceptance rate.
- recommend_redesign_min_gap_closed_pct: "redesign" when a KPI's latest post-launch
  gap_closed_pct is below this (the KPI moved away from its target).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from cadence.demo.contract import CLASSIFICATIONS
from cadence.demo.organisation.models import ABSENT_MODELS

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


@dataclass(frozen=True)
class UseCase:
    use_case_id: str
    name: str
    business_unit_id: str
    stage: str
    risk_tier: str
    pilot_start: date | None
    production: date | None
    scaled: date | None = None


@dataclass(frozen=True)
class Kpi:
    kpi_id: str
    use_case_id: str
    direction: str
    baseline: float | None
    target: float
    target_date: date


@dataclass(frozen=True)
class Model:
    provider: str
    model: str
    approved: bool
    in_catalogue: bool
    max_class: int
    input_usd_per_1k: float
    output_usd_per_1k: float

    @property
    def is_embedding(self) -> bool:
        return "embedding" in self.model

    @property
    def speed(self) -> float:
        name = self.model
        if any(word in name for word in ("mini", "flash", "haiku")):
            return 0.6
        if "sonnet" in name:
            return 1.25
        if "deepseek" in name:
            return 1.5
        return 1.0


@dataclass(frozen=True)
class Config:
    business_units: tuple[tuple[str, int], ...]
    use_cases: tuple[UseCase, ...]
    kpis: tuple[Kpi, ...]
    models: tuple[Model, ...]  # catalogue first, then absent (shadow) models


def _parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _current_catalogue_rows(rows: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """One row per provider x model: the one in force today, with the latest `valid_from` (a
    blank one is the earliest; CONTRACTS.md §5.2). The demo's gateway reports today's price;
    the warehouse prices the requests that report none at the price of their day."""
    current: dict[tuple[str, str], dict[str, str | None]] = {}
    for row in rows:
        key = (str(row["provider"]), str(row["model"]))
        held = current.get(key)
        if held is None or (row.get("valid_from") or "") >= (held.get("valid_from") or ""):
            current[key] = row
    return list(current.values())


def _read_seed(seeds_dir: Path, name: str) -> list[dict[str, str | None]]:
    return pl.read_csv(seeds_dir / f"{name}.csv", infer_schema=False).to_dicts()


def load_config(seeds_dir: Path) -> Config:
    units = tuple(
        (str(row["business_unit_id"]), int(str(row["eligible_headcount"])))
        for row in _read_seed(seeds_dir, "business_units")
    )
    use_cases = tuple(
        UseCase(
            use_case_id=str(row["use_case_id"]),
            name=str(row["name"]),
            business_unit_id=str(row["business_unit_id"]),
            stage=str(row["stage"]),
            risk_tier=str(row["risk_tier"] or "medium"),
            pilot_start=_parse_date(row["pilot_start_date"]),
            production=_parse_date(row["production_date"]),
            scaled=_parse_date(row.get("scaled_date")),
        )
        for row in _read_seed(seeds_dir, "use_cases")
    )
    kpis = tuple(
        Kpi(
            kpi_id=str(row["kpi_id"]),
            use_case_id=str(row["use_case_id"]),
            direction=str(row["direction"]),
            baseline=float(row["baseline_value"]) if row["baseline_value"] else None,
            target=float(str(row["target_value"])),
            target_date=date.fromisoformat(str(row["target_date"])),
        )
        for row in _read_seed(seeds_dir, "kpis")
    )
    catalogue = [
        Model(
            provider=str(row["provider"]),
            model=str(row["model"]),
            approved=str(row["is_approved"]).strip().lower() == "true",
            in_catalogue=True,
            max_class=CLASSIFICATIONS.index(str(row["max_data_classification"])),
            input_usd_per_1k=float(str(row["input_usd_per_1k_tokens"])),
            output_usd_per_1k=float(str(row["output_usd_per_1k_tokens"])),
        )
        for row in _current_catalogue_rows(_read_seed(seeds_dir, "models"))
    ]
    known = {(m.provider, m.model) for m in catalogue}
    absent = [
        Model(provider, name, False, False, len(CLASSIFICATIONS) - 1, price_in, price_out)
        for provider, name, price_in, price_out in ABSENT_MODELS
        if (provider, name) not in known
    ]
    return Config(units, use_cases, kpis, tuple(catalogue + absent))
