"""Survey responses (`survey_responses/survey_responses.jsonl`): a quarterly pulse, one row per
response, numbers written as JSON strings (as several survey tools export them).

Adopters answer more often than others and often name a live use case of their unit;
satisfaction and trust rise over the period, less so for the contract review use case.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import polars as pl

from cadence.demo.frames import iso, lookup, replace_at, timestamps, with_nulls
from cadence.demo.operating_model import Config
from cadence.demo.people import People
from cadence.demo.sampling import seconds_of_day
from cadence.demo.timeline import DAY_MS, Calendar, next_weekday, retire_day


def _use_cases_named(
    rng: np.random.Generator,
    pulse: int,
    unit: np.ndarray,
    adopted: np.ndarray,
    config: Config,
    cal: Calendar,
) -> np.ndarray:
    """Per response, the live use case of the respondent's unit it is about (-1: none)."""
    unit_ids = [unit_id for unit_id, _ in config.business_units]
    n = len(unit)
    live = [
        [
            config.use_cases.index(uc)
            for uc in config.use_cases
            if uc.business_unit_id == unit_id
            and uc.production is not None
            and cal.day_of(uc.production) <= pulse < retire_day(uc, cal)
        ]
        for unit_id in unit_ids
    ]
    use_case = np.full(n, -1)
    for u, options in enumerate(live):
        mask = (unit == u) & adopted & (rng.random(n) < 0.6)
        if options and mask.any():
            use_case[mask] = np.array(options)[rng.integers(0, len(options), int(mask.sum()))]
    return use_case


def _pulse(
    rng: np.random.Generator, pulse: int, config: Config, people: People, cal: Calendar
) -> pl.DataFrame:
    """The responses to the pulse sent on day `pulse` (one row per response)."""
    adopted = people.adopt_day <= pulse
    respond = rng.random(len(people.user_ids)) < np.where(adopted, 0.3, 0.06)
    person = np.flatnonzero(respond)
    n = len(person)
    day = np.minimum(next_weekday(pulse + rng.integers(0, 10, n)), cal.n_days - 1)
    unit = people.unit_on(person, day)
    use_case = _use_cases_named(rng, pulse, unit, adopted[person], config, cal)
    contract = np.array(
        [uc.use_case_id == "uc_contract_review" for uc in config.use_cases] + [False]
    )
    doubtful = contract[use_case]
    progress = pulse / cal.n_days
    satisfaction = np.clip(
        np.round(rng.normal(3.3 + 0.6 * progress - 0.3 * doubtful, 0.9, n)), 1, 5
    )
    trust = np.clip(np.round(rng.normal(3.0 + 0.7 * progress - 0.6 * doubtful, 0.95, n)), 1, 5)
    minutes = np.round(rng.lognormal(np.log(40 * (1 + progress)), 0.8, n) / 5) * 5
    minutes = np.where(adopted[person], minutes, 0.0)
    ms = cal.start_ms + day * DAY_MS + seconds_of_day(rng, n)
    label = (cal.start + timedelta(days=pulse)).strftime("%Y%m%d")
    return pl.DataFrame(
        {
            "response_id": f"svy-{label}-" + pl.Series(np.arange(n)).cast(pl.String).str.zfill(5),
            "submitted_at": timestamps(ms),
            "user_id": lookup(people.user_ids, person),
            "use_case_id": lookup([uc.use_case_id for uc in config.use_cases], use_case),
            "business_unit_id": lookup([u for u, _ in config.business_units], unit),
            "satisfaction": pl.Series(satisfaction.astype(np.int64)),
            "trust": with_nulls(trust, rng.random(n) < 0.03, pl.Int64),
            "minutes_saved_per_week": pl.Series(minutes.astype(np.int64)),
        }
    )


def write_survey_responses(
    path: Path, seed: int, config: Config, people: People, cal: Calendar
) -> Path:
    rng = np.random.default_rng([seed, 40])
    frames = [_pulse(rng, pulse, config, people, cal) for pulse in range(28, cal.n_days - 14, 91)]
    frame = pl.concat(frames).sort("submitted_at", "response_id")
    # Numbers as JSON strings, as several survey tools export them.
    frame = frame.with_columns(
        iso(frame["submitted_at"], "+00:00").alias("submitted_at"),
        pl.col("satisfaction", "trust", "minutes_saved_per_week").cast(pl.String),
    )
    frame = replace_at(frame, len(frame) // 4, "satisfaction", "9")
    frame = replace_at(frame, len(frame) // 2, "trust", "0")
    frame = replace_at(frame, 3 * len(frame) // 4, "minutes_saved_per_week", "-30")
    frame.write_ndjson(path)
    return path
