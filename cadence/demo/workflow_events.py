"""Workflow events (`workflow_events/workflow_events.jsonl`): the runs of each launched use
case, one row per event (started, AI output, review, exception, completed or abandoned,
published).

Runs are spread over the weekdays in proportion to each use case's `runs` weight; their share
of AI assistance ramps up after launch, reviews follow the risk tier, and review outcomes,
exceptions and cycle times follow the use case's profile (`organisation.use_cases`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cadence.demo.contract import EVENT_TYPES, EXCEPTION_TYPES, REVIEW_OUTCOMES
from cadence.demo.frames import iso, lookup, replace_at, timestamps, with_nulls
from cadence.demo.operating_model import Config, UseCase
from cadence.demo.organisation.use_cases import REVIEW_RATE, USE_CASE_PROFILES, UseCaseProfile
from cadence.demo.people import People
from cadence.demo.profile import MAX_WORKFLOW_RUNS, MIN_WORKFLOW_RUNS, WORKFLOW_RUNS_PER_REQUEST
from cadence.demo.sampling import categorical, cumulative, seconds_of_day
from cadence.demo.timeline import DAY_MS, Calendar, retire_day

EVENT_COLUMNS = ("run", "seq", "t", "type", "actor", "ai", "outcome", "quality", "exc")


def _ai_share(use_case: UseCase, cal: Calendar) -> np.ndarray:
    """Share of a use case's runs that are AI-assisted, per day."""
    days = np.arange(cal.n_days)
    share = np.zeros(cal.n_days)
    if use_case.pilot_start is not None:
        share[days >= cal.day_of(use_case.pilot_start)] = 0.15
    if use_case.production is not None:
        live = cal.day_of(use_case.production)
        target = 0.9 if use_case.stage == "scaled" else 0.7
        ramp = 0.35 + (target - 0.35) * np.clip((days - live) / 70, 0, 1)
        share = np.where(days >= live, ramp, share)
    share[days >= retire_day(use_case, cal)] = 0.0
    return share


@dataclass(frozen=True)
class _Runs:
    """One use case's runs (one element per run): what happened, and when (epoch ms)."""

    ai: np.ndarray
    reviewed: np.ndarray
    outcome: np.ndarray  # index into REVIEW_OUTCOMES
    exception: np.ndarray
    abandoned: np.ndarray
    started_at: np.ndarray
    output_at: np.ndarray
    review_at: np.ndarray
    exception_at: np.ndarray
    end_at: np.ndarray
    published_at: np.ndarray
    quality: np.ndarray
    exception_type: np.ndarray  # index into EXCEPTION_TYPES


def _outcomes(
    rng: np.random.Generator,
    use_case: UseCase,
    profile: UseCaseProfile,
    day: np.ndarray,
    cal: Calendar,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per run: AI-assisted, reviewed, review outcome, overridden, exception, abandoned."""
    n = len(day)
    ai = rng.random(n) < _ai_share(use_case, cal)[day]
    reviewed = ai & (rng.random(n) < REVIEW_RATE.get(use_case.risk_tier, 0.85))
    outcome = categorical(
        rng, cumulative(np.array([profile.outcomes])), np.zeros(n, dtype=np.int64)
    )
    overridden = reviewed & (outcome == 2)
    exception = rng.random(n) < profile.exception_rate * np.where(overridden, 1.3, 1.0)
    abandoned = rng.random(n) < 0.04 + 0.10 * overridden + 0.10 * exception
    return ai, reviewed, outcome, overridden, exception, abandoned


def _timings(
    rng: np.random.Generator,
    profile: UseCaseProfile,
    t0: np.ndarray,
    ai: np.ndarray,
    reviewed: np.ndarray,
    overridden: np.ndarray,
    abandoned: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per run: when the AI output, review, exception, end and publication happened."""
    n = len(t0)
    cycle_ms = (
        profile.cycle_minutes
        * 60_000
        * np.where(ai, profile.ai_speedup, 1.0)
        * np.where(overridden, 1.15, 1.0)
        * rng.lognormal(0, 0.45, n)
    )
    t_output = t0 + (40_000 * rng.lognormal(0, 0.6, n)).astype(np.int64)
    t_review = t_output + (cycle_ms * rng.uniform(0.1, 0.3, n)).astype(np.int64)
    t_exception = t0 + (cycle_ms * rng.uniform(0.2, 0.8, n)).astype(np.int64)
    t_end = t0 + (cycle_ms * np.where(abandoned, rng.uniform(0.3, 1.0, n), 1.0)).astype(np.int64)
    t_end = np.maximum(t_end, np.where(reviewed, t_review, t_output) + 1_000)
    t_published = t_end + (1_800_000 * rng.lognormal(0, 0.5, n)).astype(np.int64)
    return t_output, t_review, t_exception, t_end, t_published


def _runs(
    rng: np.random.Generator,
    use_case: UseCase,
    profile: UseCaseProfile,
    run_days: np.ndarray,
    cal: Calendar,
) -> _Runs:
    n = len(run_days)
    t0 = np.sort(cal.start_ms + run_days * DAY_MS + seconds_of_day(rng, n, mean_hour=12.5))
    day = (t0 - cal.start_ms) // DAY_MS
    ai, reviewed, outcome, overridden, exception, abandoned = _outcomes(
        rng, use_case, profile, day, cal
    )
    times = _timings(rng, profile, t0, ai, reviewed, overridden, abandoned)
    quality = np.round(rng.beta(*profile.quality, n), 3)
    ai_exceptions = rng.integers(0, len(EXCEPTION_TYPES), n)
    human_exceptions = np.array([0, 3, 4])[rng.integers(0, 3, n)]
    exception_type = np.where(ai, ai_exceptions, human_exceptions)
    return _Runs(ai, reviewed, outcome, exception, abandoned, t0, *times, quality, exception_type)


def _actors(
    rng: np.random.Generator, use_case: UseCase, people: People, unit_ids: list[str], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per run: the worker and the reviewer, from the use case's business unit."""
    unit = (
        unit_ids.index(use_case.business_unit_id) if use_case.business_unit_id in unit_ids else -1
    )
    members = np.flatnonzero(people.bu0 == unit)
    if len(members) == 0:
        members = np.arange(len(people.user_ids))
    worker = members[rng.integers(0, len(members), n)]
    reviewer = members[rng.integers(0, len(members), n)]
    return worker, reviewer


def _events(
    runs: _Runs, worker: np.ndarray, reviewer: np.ndarray, publishes: bool, cal: Calendar
) -> dict[str, np.ndarray]:
    """The runs' events inside the period, by EVENT_COLUMNS (one element per event)."""
    n = len(runs.ai)
    run = np.arange(n)
    none = np.full(n, -1)
    ai = runs.ai
    published = publishes & ~runs.abandoned
    parts = [
        # mask, seq, time, type, actor, ai_assisted(-1 null), outcome, quality?, exception type
        (np.ones(n, bool), 1, runs.started_at, 0, worker, ai.astype(np.int64), none, False, none),
        (ai, 2, runs.output_at, 1, none, none, none, True, none),
        (runs.reviewed, 3, runs.review_at, 2, reviewer, none, runs.outcome, False, none),
        (runs.exception, 4, runs.exception_at, 3, worker, none, none, False, runs.exception_type),
        (~runs.abandoned, 5, runs.end_at, 4, worker, none, none, False, none),
        (runs.abandoned, 5, runs.end_at, 5, worker, none, none, False, none),
        (published, 6, runs.published_at, 6, worker, none, none, False, none),
    ]
    cols: dict[str, list[np.ndarray]] = {k: [] for k in EVENT_COLUMNS}
    for mask, seq, times, event_type, actor, ai_flag, review, has_quality, exc in parts:
        cols["run"].append(run[mask])
        cols["seq"].append(np.full(int(mask.sum()), seq))
        cols["t"].append(times[mask])
        cols["type"].append(np.full(int(mask.sum()), event_type))
        cols["actor"].append(actor[mask])
        cols["ai"].append(ai_flag[mask])
        cols["outcome"].append(review[mask])
        cols["quality"].append(np.where(has_quality, runs.quality[mask], np.nan))
        cols["exc"].append(exc[mask])
    data = {k: np.concatenate(v) for k, v in cols.items()}
    keep = data["t"] < cal.start_ms + cal.n_days * DAY_MS
    return {k: v[keep] for k, v in data.items()}


def _workflow_frame(
    rng: np.random.Generator,
    use_case: UseCase,
    run_days: np.ndarray,
    people: People,
    unit_ids: list[str],
    cal: Calendar,
) -> pl.DataFrame:
    """All events of one use case's runs (one row per event)."""
    profile = USE_CASE_PROFILES.get(use_case.use_case_id, UseCaseProfile())
    runs = _runs(rng, use_case, profile, run_days, cal)
    worker, reviewer = _actors(rng, use_case, people, unit_ids, len(run_days))
    data = _events(runs, worker, reviewer, profile.publishes, cal)
    run_ids = f"{use_case.use_case_id}-r" + pl.Series(data["run"]).cast(pl.String).str.zfill(7)
    return pl.DataFrame(
        {
            "event_id": run_ids + "-" + pl.Series(data["seq"]).cast(pl.String),
            "run_id": run_ids,
            "use_case_id": pl.Series([use_case.use_case_id] * len(data["t"]), dtype=pl.String),
            "occurred_at": timestamps(data["t"]),
            "event_type": lookup(EVENT_TYPES, data["type"]),
            "actor_id": lookup(people.user_ids, data["actor"]),
            "ai_assisted": with_nulls(data["ai"], data["ai"] < 0, pl.Int8).cast(pl.Boolean),
            "review_outcome": lookup(REVIEW_OUTCOMES, data["outcome"]),
            "quality_score": pl.Series(data["quality"]).fill_nan(None),
            "exception_type": lookup(EXCEPTION_TYPES, data["exc"]),
        }
    )


def _first_of(frame: pl.DataFrame, event_type: str, fraction: float) -> int:
    rows = np.flatnonzero((frame["event_type"] == event_type).to_numpy())
    if len(rows) == 0:
        raise ValueError(f"no {event_type} event to plant a bad row on: raise `requests`")
    return int(rows[int(len(rows) * fraction)])


def _plant(frame: pl.DataFrame) -> pl.DataFrame:
    """Planted rows, each breaking one rule."""
    frame = replace_at(frame, _first_of(frame, "review_completed", 0.3), "review_outcome", None)
    frame = replace_at(frame, _first_of(frame, "run_started", 0.5), "ai_assisted", None)
    frame = replace_at(frame, _first_of(frame, "ai_output", 0.6), "quality_score", 1.7)
    frame = replace_at(frame, _first_of(frame, "exception", 0.4), "event_type", "run_paused")
    return replace_at(frame, _first_of(frame, "run_completed", 0.7), "event_id", None)


def write_workflow_events(
    path: Path, seed: int, requests: int, config: Config, people: People, cal: Calendar
) -> Path:
    rng = np.random.default_rng([seed, 20])
    launched = [uc for uc in config.use_cases if uc.production is not None]
    total = int(np.clip(requests * WORKFLOW_RUNS_PER_REQUEST, MIN_WORKFLOW_RUNS, MAX_WORKFLOW_RUNS))
    days = np.arange(cal.n_days)
    base = np.where(days % 7 < 5, 1.0, 0.05) * np.where(cal.holiday, 0.35, 1.0)
    base = base * (1 + 0.2 * days / cal.n_days)
    weights = np.array(
        [USE_CASE_PROFILES.get(uc.use_case_id, UseCaseProfile()).runs for uc in launched]
    )
    intensity = weights[:, None] * base[None, :]
    counts = rng.multinomial(total, intensity.ravel() / intensity.sum()).reshape(intensity.shape)
    unit_ids = [unit for unit, _ in config.business_units]
    frames = [
        _workflow_frame(rng, uc, np.repeat(days, counts[i]), people, unit_ids, cal)
        for i, uc in enumerate(launched)
    ]
    frame = _plant(pl.concat(frames).sort("occurred_at", "event_id"))
    frame = frame.with_columns(iso(frame["occurred_at"]).alias("occurred_at"))
    frame.write_ndjson(path)
    return path
