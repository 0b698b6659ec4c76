"""The demo organisation generator: deterministic, contract-shaped, with its planted stories.

The planted bad rows are counted by an independent reading of the CONTRACTS §1 rules below
(not by the ingestion package), so the two can be checked against each other.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from cadence.demo.contract import COLUMNS
from cadence.demo.generate import generate
from cadence.demo.operating_model import DEFAULT_SEEDS_DIR
from cadence.demo.planted import PLANTED_BAD_ROWS, PLANTED_EFFECTS
from cadence.demo.profile import DEFAULT_END_DATE
from cadence.demo.timeline import history_start

REQUESTS = 20_000
PEOPLE = 1_500

SEED_COLUMNS = {
    "business_units": ["business_unit_id", "name", "eligible_headcount"],
    "portfolios": [
        "portfolio_id",
        "name",
        "strategic_theme",
        "executive_sponsor",
        "platform_owner",
    ],
    "use_cases": [
        "use_case_id",
        "name",
        "portfolio_id",
        "business_unit_id",
        "stage",
        "outcome_owner",
        "platform_owner",
        "risk_owner",
        "measurement_owner",
        "risk_tier",
        "value_score",
        "feasibility_score",
        "risk_score",
        "scale_score",
        "pilot_start_date",
        "production_date",
        "exit_criterion",
        # CONTRACTS.md §5.2 (optional)
        "scaled_date",
        "retired_date",
    ],
    "kpis": [
        "kpi_id",
        "use_case_id",
        "name",
        "unit",
        "direction",
        "baseline_value",
        "baseline_start",
        "baseline_end",
        "target_value",
        "target_date",
        "defined_on",
        # CONTRACTS.md §5.2: how the KPI's effect is evaluated (optional columns)
        "evaluation_design",
        "run_measure",
        "min_periods",
        "evaluation_date",
    ],
    "models": [
        "provider",
        "model",
        "is_approved",
        "max_data_classification",
        "input_usd_per_1k_tokens",
        "output_usd_per_1k_tokens",
        # CONTRACTS.md §5 (optional): a model may have several rows, priced from that date
        "valid_from",
    ],
    "launch_checklist": ["use_case_id", "item", "completed_on"],
    "thresholds": ["metric", "direction", "green", "amber"],
}
CHECKLIST_ITEMS = (
    "sponsor_signoff",
    "data_review",
    "security_review",
    "change_plan",
    "training_artifacts",
    "qa_metrics",
    "exit_criterion",
)
OWNERS = ("outcome_owner", "platform_owner", "risk_owner", "measurement_owner")

# CONTRACTS §1 as rules: column -> (kind, required, allowed values, minimum, maximum).
Rule = tuple[str, bool, tuple[object, ...] | None, float | None, float | None]
RULES: dict[str, dict[str, Rule]] = {
    "requests": {
        "request_id": ("string", True, None, None, None),
        "occurred_at": ("timestamp", True, None, None, None),
        "user_id": ("string", True, None, None, None),
        "tool": ("string", True, None, None, None),
        "provider": ("string", True, None, None, None),
        "model": ("string", True, None, None, None),
        "operation": ("string", True, None, None, None),
        "input_tokens": ("integer", False, None, 0, None),
        "output_tokens": ("integer", False, None, 0, None),
        "latency_ms": ("number", False, None, 0, None),
        "status": (
            "enum",
            True,
            ("success", "error", "timeout", "blocked", "filtered"),
            None,
            None,
        ),
        "cost_usd": ("number", False, None, 0, None),
        "data_classification": (
            "enum",
            False,
            ("public", "internal", "confidential", "restricted"),
            None,
            None,
        ),
        "policy_action": ("enum", False, ("allowed", "redacted", "blocked"), None, None),
        "feedback_score": ("integer", False, (-1, 0, 1), None, None),
    },
    "activity": {
        "user_id": ("string", True, None, None, None),
        "activity_date": ("date", True, None, None, None),
        "tool": ("string", True, None, None, None),
        **{
            name: ("integer", False, None, 0, None)
            for name in (
                "interactions",
                "generations",
                "acceptances",
                "lines_suggested",
                "lines_accepted",
                "input_tokens",
                "output_tokens",
            )
        },
        "is_active": ("boolean", False, None, None, None),
    },
    "workflow_events": {
        "event_id": ("string", True, None, None, None),
        "run_id": ("string", True, None, None, None),
        "use_case_id": ("string", True, None, None, None),
        "occurred_at": ("timestamp", True, None, None, None),
        "event_type": (
            "enum",
            True,
            (
                "run_started",
                "ai_output",
                "review_completed",
                "exception",
                "run_completed",
                "run_abandoned",
                "published",
            ),
            None,
            None,
        ),
        "ai_assisted": ("boolean", False, None, None, None),
        "review_outcome": ("enum", False, ("accepted", "edited", "overridden"), None, None),
        "quality_score": ("number", False, None, 0, 1),
    },
    "kpi_observations": {
        "kpi_id": ("string", True, None, None, None),
        "period_start": ("date", True, None, None, None),
        "grain": ("enum", True, ("day", "week", "month", "quarter"), None, None),
        "value": ("number", True, None, None, None),
    },
    "survey_responses": {
        "response_id": ("string", True, None, None, None),
        "submitted_at": ("timestamp", True, None, None, None),
        "user_id": ("string", True, None, None, None),
        "satisfaction": ("integer", False, None, 1, 5),
        "trust": ("integer", False, None, 1, 5),
        "minutes_saved_per_week": ("number", False, None, 0, None),
    },
    "enablement_events": {
        "event_id": ("string", True, None, None, None),
        "user_id": ("string", True, None, None, None),
        "occurred_at": ("timestamp", True, None, None, None),
        "activity": (
            "enum",
            True,
            ("training_completed", "office_hours", "champion_joined"),
            None,
            None,
        ),
        "level": ("enum", False, ("beginner", "intermediate", "advanced"), None, None),
    },
    "people": {
        "user_id": ("string", True, None, None, None),
        "business_unit_id": ("string", True, None, None, None),
        "is_manager": ("boolean", False, None, None, None),
        "valid_from": ("date", False, None, None, None),
        "valid_to": ("date", False, None, None, None),
    },
    "licenses": {
        "user_id": ("string", True, None, None, None),
        "tool": ("string", True, None, None, None),
        "assigned_on": ("date", True, None, None, None),
        "removed_on": ("date", False, None, None, None),
    },
}
REQUIRED_WHEN = {
    "workflow_events": (
        ("ai_assisted", "event_type", "run_started"),
        ("review_outcome", "event_type", "review_completed"),
    )
}
CAST = {"timestamp": "timestamptz", "date": "date", "number": "double", "boolean": "boolean"}


def _quote(value: object) -> str:
    return repr(value) if isinstance(value, int | float) else "'" + str(value) + "'"


def _broken_rule(entity: str) -> str:
    """SQL: true when a row breaks at least one CONTRACTS §1 rule of `entity`."""
    checks = []
    for column, (kind, required, allowed, low, high) in RULES[entity].items():
        text = f"nullif(trim(cast({column} as varchar)), '')"
        number = f"try_cast({text} as double)"
        if required:
            checks.append(f"{text} is null")
        if kind == "enum":
            checks.append(f"{text} not in ({', '.join(map(_quote, allowed or ()))})")
        elif kind == "integer":
            checks.append(
                f"{text} is not null and ({number} is null or {number} <> floor({number}))"
            )
            if allowed:
                checks.append(f"{number} not in ({', '.join(map(_quote, allowed))})")
        elif kind in CAST:
            checks.append(f"{text} is not null and try_cast({text} as {CAST[kind]}) is null")
        if low is not None:
            checks.append(f"{number} < {low}")
        if high is not None:
            checks.append(f"{number} > {high}")
        if kind in ("timestamp", "date"):
            checks.append(f"try_cast({text} as timestamptz) > now() + interval 5 minute")
    for column, other, value in REQUIRED_WHEN.get(entity, ()):
        checks.append(
            f"{other} = '{value}' and nullif(trim(cast({column} as varchar)), '') is null"
        )
    return " or ".join(f"coalesce({check}, false)" for check in checks)


def _scan(path: Path) -> str:
    """A DuckDB FROM clause over a generated file, values as the file holds them."""
    if path.suffix == ".csv":
        return f"read_csv('{path}', all_varchar=true, header=true)"
    if path.suffix == ".jsonl":
        with path.open() as lines:
            keys = json.loads(next(lines))  # every line has the same keys, in order
        columns = ", ".join(f"'{key}': 'VARCHAR'" for key in keys)
        return f"read_json('{path}', format='newline_delimited', columns={{{columns}}})"
    return f"read_parquet('{path}')"


def _frame(files: list[Path]) -> pl.DataFrame:
    """All files of one entity as text columns (one row per input row)."""
    frames = [duckdb.sql(f"select * from {_scan(path)}").pl() for path in files]
    return pl.concat([frame.select(pl.all().cast(pl.String)) for frame in frames], how="diagonal")


def _digests(files: dict[str, list[Path]], root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for paths in files.values()
        for path in paths
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[Path]]]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out, requests=REQUESTS, people=PEOPLE)


@pytest.fixture(scope="module")
def frames(demo: tuple[Path, dict[str, list[Path]]]) -> dict[str, pl.DataFrame]:
    return {entity: _frame(paths) for entity, paths in demo[1].items()}


@pytest.fixture(scope="module")
def seeds() -> dict[str, pl.DataFrame]:
    return {
        name: pl.read_csv(DEFAULT_SEEDS_DIR / f"{name}.csv", infer_schema=False)
        for name in SEED_COLUMNS
    }


def test_same_seed_gives_identical_files(
    demo: tuple[Path, dict[str, list[Path]]], tmp_path: Path
) -> None:
    root, files = demo
    again = generate(tmp_path / "again", requests=REQUESTS, people=PEOPLE)
    assert _digests(again, tmp_path / "again") == _digests(files, root)


def test_another_seed_gives_other_data(
    demo: tuple[Path, dict[str, list[Path]]], tmp_path: Path
) -> None:
    root, files = demo
    other = generate(tmp_path / "other", requests=REQUESTS, people=PEOPLE, seed=8)
    assert set(_digests(other, tmp_path / "other")) == set(_digests(files, root))
    assert _digests(other, tmp_path / "other") != _digests(files, root)


def test_period_is_fifteen_months_ending_on_the_end_date(frames: dict[str, pl.DataFrame]) -> None:
    start = history_start(DEFAULT_END_DATE)
    assert start == date(2025, 8, 18)
    assert start.weekday() == 0
    assert DEFAULT_END_DATE.weekday() == 6
    moments = (
        frames["requests"]
        .select(pl.col("occurred_at").str.slice(0, 10).str.to_date(strict=False))
        .drop_nulls()
        .to_series()
    )
    outside = moments.filter((moments < start) | (moments > DEFAULT_END_DATE))
    assert outside.to_list() == [date(2031, 3, 14)]  # the planted future timestamp only
    assert moments.min() == start


def test_every_entity_in_its_format_with_the_contract_columns(
    demo: tuple[Path, dict[str, list[Path]]],
) -> None:
    _, files = demo
    assert set(files) == set(COLUMNS)
    suffixes = {entity: {path.suffix for path in paths} for entity, paths in files.items()}
    assert suffixes == {
        "requests": {".parquet"},
        "activity": {".csv"},
        "workflow_events": {".jsonl"},
        "kpi_observations": {".csv"},
        "survey_responses": {".jsonl"},
        "enablement_events": {".csv"},
        "people": {".csv"},
        "licenses": {".parquet"},
    }
    assert len(files["requests"]) == 16  # one per calendar month
    extras: set[str] = set()
    for entity, paths in files.items():
        for path in paths:
            columns = duckdb.sql(f"select * from {_scan(path)} limit 0").columns
            assert columns[: len(COLUMNS[entity])] == list(COLUMNS[entity]), path.name
            extras |= set(columns[len(COLUMNS[entity]) :])
    assert extras == {"prompt", "gateway_region"}


def test_some_exports_carry_values_as_text(demo: tuple[Path, dict[str, list[Path]]]) -> None:
    _, files = demo
    types = [dict(pl.read_parquet_schema(path))["latency_ms"] for path in files["requests"]]
    assert pl.String in types
    assert pl.Float64 in types
    first = files["survey_responses"][0].read_text().splitlines()[0]
    assert '"satisfaction":"' in first


@pytest.mark.parametrize("entity", list(RULES))
def test_planted_bad_rows_match_the_declared_counts(
    demo: tuple[Path, dict[str, list[Path]]], entity: str
) -> None:
    _, files = demo
    broken = sum(
        duckdb.sql(f"select count(*) from {_scan(path)} where {_broken_rule(entity)}").fetchall()[
            0
        ][0]
        for path in files[entity]
    )
    assert broken == PLANTED_BAD_ROWS[entity]


def test_planted_bad_rows_total_is_a_sprinkle() -> None:
    assert 10 <= sum(PLANTED_BAD_ROWS.values()) <= 30


def test_references_resolve_to_the_configuration(
    frames: dict[str, pl.DataFrame], seeds: dict[str, pl.DataFrame]
) -> None:
    use_cases = set(seeds["use_cases"]["use_case_id"])
    units = set(seeds["business_units"]["business_unit_id"])
    people = set(frames["people"]["user_id"])

    def values(entity: str, column: str) -> set[str]:
        return set(frames[entity][column].drop_nulls())

    assert values("requests", "use_case_id") <= use_cases
    assert values("workflow_events", "use_case_id") <= use_cases
    assert values("survey_responses", "use_case_id") <= use_cases
    assert values("kpi_observations", "kpi_id") == set(seeds["kpis"]["kpi_id"])
    for entity in ("requests", "survey_responses", "enablement_events", "people"):
        assert values(entity, "business_unit_id") <= units, entity
    for entity, column in (
        ("requests", "user_id"),
        ("activity", "user_id"),
        ("workflow_events", "actor_id"),
        ("survey_responses", "user_id"),
        ("enablement_events", "user_id"),
        ("licenses", "user_id"),
    ):
        assert values(entity, column) <= people, entity
    assert frames["requests"]["user_id"].null_count() == 1  # the planted row
    assert all(user.endswith("@contoso.example") for user in people)


def test_people_directory_has_movers(frames: dict[str, pl.DataFrame]) -> None:
    people = frames["people"].filter(pl.col("business_unit_id").is_not_null())
    rows = people.group_by("user_id").agg(pl.len(), pl.col("business_unit_id").n_unique())
    movers = rows.filter(pl.col("len") == 2)
    assert 0 < len(movers) < 0.05 * len(rows)
    assert (movers["business_unit_id"] == 2).all()
    assert rows["len"].max() == 2
    assert len(rows) == PEOPLE


def test_shadow_ai_is_absent_from_the_catalogue_and_concentrated(
    frames: dict[str, pl.DataFrame], seeds: dict[str, pl.DataFrame]
) -> None:
    catalogue = set(seeds["models"].select("provider", "model").iter_rows())
    used = set(frames["requests"].select("provider", "model").iter_rows())
    absent = used - catalogue
    assert absent == set(PLANTED_EFFECTS["absent_models"])  # type: ignore[arg-type]
    unapproved = set(
        seeds["models"]
        .filter(pl.col("is_approved") == "false")
        .select("provider", "model")
        .iter_rows()
    )
    assert unapproved
    assert unapproved <= used

    home = (
        frames["people"]
        .filter(pl.col("valid_to").is_null())
        .select("user_id", pl.col("business_unit_id").alias("home_unit"))
    )
    deepseek = (
        frames["requests"]
        .filter(pl.col("model") == "deepseek-chat")
        .join(home, on="user_id", how="left")
        .select(pl.coalesce("business_unit_id", "home_unit").alias("unit"))
        .group_by("unit")
        .len()
        .sort("len", descending=True)
    )
    assert deepseek["len"].head(2).sum() >= 0.9 * deepseek["len"].sum()
    assert set(deepseek["unit"].head(2)) == {"bu_marketing", "bu_engineering"}


def test_one_use_case_is_overridden_far_more_than_the_others(
    frames: dict[str, pl.DataFrame],
) -> None:
    shares = (
        frames["workflow_events"]
        .filter(pl.col("event_type") == "review_completed")
        .group_by("use_case_id")
        .agg((pl.col("review_outcome") == "overridden").mean().alias("share"), pl.len())
    )
    high = PLANTED_EFFECTS["high_override_use_case"]
    planted = shares.filter(pl.col("use_case_id") == high)
    others = shares.filter(pl.col("use_case_id") != high)
    assert planted["len"].item() >= 40
    assert planted["share"].item() >= 0.25
    assert others["share"].max() <= 0.15  # type: ignore[operator]


def test_ai_assistance_rises_after_launch(
    frames: dict[str, pl.DataFrame], seeds: dict[str, pl.DataFrame]
) -> None:
    launches = seeds["use_cases"].filter(pl.col("production_date").is_not_null())
    starts = (
        frames["workflow_events"]
        .filter(pl.col("event_type") == "run_started", pl.col("ai_assisted").is_not_null())
        .join(launches.select("use_case_id", "production_date"), on="use_case_id")
        .with_columns(after=pl.col("occurred_at").str.slice(0, 10) >= pl.col("production_date"))
        .group_by("use_case_id", "after")
        .agg((pl.col("ai_assisted") == "true").mean().alias("ai_share"))
    )
    before = dict(starts.filter(~pl.col("after")).select("use_case_id", "ai_share").iter_rows())
    after = dict(starts.filter(pl.col("after")).select("use_case_id", "ai_share").iter_rows())
    rising = [uc for uc in after if uc in before and after[uc] > before[uc] + 0.2]
    assert len(rising) >= len(after) - 1  # the retired use case may switch AI off


def test_kpis_tell_the_planted_stories(
    frames: dict[str, pl.DataFrame], seeds: dict[str, pl.DataFrame]
) -> None:
    kpis = seeds["kpis"].join(seeds["use_cases"], on="use_case_id")
    observations = frames["kpi_observations"].with_columns(
        pl.col("value").cast(pl.Float64, strict=False)
    )

    def gap_closed(kpi_id: str) -> tuple[float, float]:
        row = kpis.filter(pl.col("kpi_id") == kpi_id).row(0, named=True)
        baseline, target = float(row["baseline_value"]), float(row["target_value"])
        values = observations.filter(pl.col("kpi_id") == kpi_id).sort("period_start")
        before = values.filter(pl.col("period_start") < row["production_date"])["value"].mean()
        latest = values["value"].drop_nulls().tail(3).mean()
        return (
            (before - baseline) / (target - baseline),  # type: ignore[operator]
            (latest - baseline) / (target - baseline),  # type: ignore[operator]
        )

    before, latest = gap_closed(str(PLANTED_EFFECTS["improving_kpi"]))
    assert abs(before) < 0.15
    assert latest > 0.8
    before, latest = gap_closed(str(PLANTED_EFFECTS["flat_kpi"]))
    assert abs(before) < 0.15
    assert abs(latest) < 0.25


def test_traffic_follows_weekdays_growth_and_launches(
    frames: dict[str, pl.DataFrame], seeds: dict[str, pl.DataFrame]
) -> None:
    requests = (
        frames["requests"]
        .with_columns(day=pl.col("occurred_at").str.slice(0, 10).str.to_date(strict=False))
        .drop_nulls("day")
    )
    weekday = requests.filter(pl.col("day").dt.weekday() <= 5).height / 5
    weekend = requests.filter(pl.col("day").dt.weekday() > 5).height / 2
    assert weekday > 4 * weekend
    monthly = requests.group_by(pl.col("day").dt.truncate("1mo")).len().sort("day")["len"]
    assert monthly[12] > 3 * monthly[1]
    first_use = dict(
        requests.drop_nulls("use_case_id")
        .group_by("use_case_id")
        .agg(pl.col("day").min())
        .iter_rows()
    )
    for row in seeds["use_cases"].iter_rows(named=True):
        if row["pilot_start_date"] is None:
            assert row["use_case_id"] not in first_use
        elif row["use_case_id"] in first_use:
            assert first_use[row["use_case_id"]] >= date.fromisoformat(row["pilot_start_date"])


def test_licences_include_idle_and_removed_seats(frames: dict[str, pl.DataFrame]) -> None:
    licences = frames["licenses"].drop_nulls("assigned_on")
    active = set(frames["activity"].select("user_id", "tool").iter_rows())
    seats = set(licences.select("user_id", "tool").iter_rows())
    assert active <= seats
    assert len(seats - active) > 0.1 * len(seats)
    assert licences["removed_on"].drop_nulls().len() > 0
    assert set(licences["tool"]) == {"github_copilot", "m365_copilot"}


def test_seeds_have_exactly_the_contract_columns(seeds: dict[str, pl.DataFrame]) -> None:
    for name, columns in SEED_COLUMNS.items():
        assert seeds[name].columns == columns, name


def test_seeds_describe_a_mixed_operating_model(seeds: dict[str, pl.DataFrame]) -> None:
    units, portfolios = seeds["business_units"], seeds["portfolios"]
    use_cases, kpis, checklist = seeds["use_cases"], seeds["kpis"], seeds["launch_checklist"]
    assert len(portfolios) == 4
    assert 6 <= len(units) <= 10
    assert set(use_cases["portfolio_id"]) <= set(portfolios["portfolio_id"])
    assert set(use_cases["business_unit_id"]) <= set(units["business_unit_id"])
    assert set(use_cases["stage"]) == {"proposed", "pilot", "production", "scaled", "retired"}
    assert set(use_cases["risk_tier"]) == {"low", "medium", "high"}
    for score in ("value_score", "feasibility_score", "risk_score", "scale_score"):
        assert set(use_cases[score].cast(pl.Int64)) <= {1, 2, 3, 4, 5}
    missing_owner = use_cases.filter(pl.any_horizontal(pl.col(OWNERS).is_null()))
    assert len(missing_owner) >= 2

    assert checklist.height == use_cases.height * len(CHECKLIST_ITEMS)
    assert set(checklist.select("use_case_id", "item").iter_rows()) == {
        (uc, item) for uc in use_cases["use_case_id"] for item in CHECKLIST_ITEMS
    }
    launched = use_cases.filter(pl.col("production_date").is_not_null())
    gaps = checklist.filter(
        pl.col("completed_on").is_null(), pl.col("use_case_id").is_in(launched["use_case_id"])
    )
    assert gaps.height >= 2

    assert set(kpis["use_case_id"]) >= set(launched["use_case_id"])
    assert set(kpis["direction"]) == {"increase", "decrease"}
    assert (
        kpis.filter(
            pl.col("baseline_value").is_null(), pl.col("baseline_start").is_not_null()
        ).height
        >= 1
    )
    late = kpis.join(launched, on="use_case_id").filter(
        pl.col("defined_on") > pl.col("production_date")
    )
    assert late.height >= 2

    models = seeds["models"]
    assert set(models["is_approved"]) == {"true", "false"}
    assert set(models["max_data_classification"]) <= {
        "public",
        "internal",
        "confidential",
        "restricted",
    }
    thresholds = seeds["thresholds"]
    assert set(thresholds["direction"]) == {"higher_is_better", "lower_is_better"}
    assert {"recommend_redesign_override_rate_pct", "kpi_progress_shortfall_pct"} <= set(
        thresholds["metric"]
    )
    bands = thresholds.with_columns(pl.col("green", "amber").cast(pl.Float64))
    higher = bands.filter(pl.col("direction") == "higher_is_better")
    lower = bands.filter(pl.col("direction") == "lower_is_better")
    assert (higher["green"] >= higher["amber"]).all()
    assert (lower["green"] <= lower["amber"]).all()


def test_launches_sit_inside_the_history() -> None:
    start = history_start(DEFAULT_END_DATE)
    use_cases = pl.read_csv(DEFAULT_SEEDS_DIR / "use_cases.csv", try_parse_dates=True)
    launched = use_cases.filter(
        pl.col("production_date").is_not_null(), pl.col("stage") != "retired"
    )
    assert (launched["production_date"] > start + timedelta(days=28)).all()
    assert (launched["production_date"] < DEFAULT_END_DATE - timedelta(days=90)).all()


def test_too_few_requests_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="requests"):
        generate(tmp_path, requests=10)
