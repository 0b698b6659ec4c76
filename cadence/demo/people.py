"""The people directory (`people/people.csv`): who works where, who moves, who adopts AI when.

`make_people` draws the workforce the other streams share (units, moves, adoption day,
propensity); `write_people` writes its directory, one row per person and unit spell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import polars as pl

from cadence.demo.frames import lookup
from cadence.demo.operating_model import Config
from cadence.demo.organisation.workforce import (
    ADOPTION_SHIFT_DAYS,
    EMAIL_DOMAIN,
    FIRST_NAMES,
    JOB_FUNCTIONS,
    LAST_NAMES,
    OTHER_JOB_FUNCTIONS,
)
from cadence.demo.sampling import split
from cadence.demo.timeline import Calendar


@dataclass
class People:
    user_ids: list[str]
    bu0: np.ndarray  # business unit index at the start of the period
    bu1: np.ndarray  # business unit after a move (== bu0 when none)
    move_day: np.ndarray  # first day in the new unit (n_days when none)
    adopt_day: np.ndarray  # first day of AI use (negative: before the period; huge: never)
    propensity: np.ndarray
    is_manager: np.ndarray

    def unit_on(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        return np.where(day >= self.move_day[person], self.bu1[person], self.bu0[person])


def _user_ids(order: np.ndarray, n_people: int) -> list[str]:
    """`first.last@domain` for each person, from a permutation of the name pairs."""
    combos = len(FIRST_NAMES) * len(LAST_NAMES)
    user_ids = []
    for i in range(n_people):
        combo = int(order[i % combos])
        first, last = FIRST_NAMES[combo // len(LAST_NAMES)], LAST_NAMES[combo % len(LAST_NAMES)]
        suffix = "" if i < combos else str(i // combos + 1)
        user_ids.append(f"{first}.{last}{suffix}@{EMAIL_DOMAIN}")
    return user_ids


def make_people(rng: np.random.Generator, config: Config, n_people: int, cal: Calendar) -> People:
    unit_ids = [unit for unit, _ in config.business_units]
    counts = split(n_people, [headcount for _, headcount in config.business_units])
    bu0 = np.repeat(np.arange(len(unit_ids)), counts)
    rng.shuffle(bu0)
    user_ids = _user_ids(rng.permutation(len(FIRST_NAMES) * len(LAST_NAMES)), n_people)

    n_days = cal.n_days
    is_manager = rng.random(n_people) < 0.12
    propensity = rng.lognormal(0.0, 1.3, n_people) * np.where(is_manager, 0.7, 1.0)
    shift = np.array([ADOPTION_SHIFT_DAYS.get(unit, 0) for unit in unit_ids])[bu0]
    u = rng.random(n_people)
    during = rng.logistic(0.42 * n_days, 0.13 * n_days, n_people) + shift
    adopt_day = np.where(
        u < 0.22,
        -rng.integers(1, 240, n_people),
        np.where(u < 0.85, np.clip(during, 0, n_days - 1).astype(np.int64), 10**6),
    )
    moves = rng.random(n_people) < 0.02
    other = (bu0 + rng.integers(1, len(unit_ids), n_people)) % len(unit_ids)
    bu1 = np.where(moves, other, bu0)
    move_day = np.where(moves, rng.integers(60, max(61, n_days - 60), n_people), n_days)
    return People(user_ids, bu0, bu1, move_day, adopt_day, propensity, is_manager)


def write_people(
    path: Path, rng: np.random.Generator, people: People, config: Config, cal: Calendar
) -> Path:
    unit_ids = [unit for unit, _ in config.business_units]
    n = len(people.user_ids)
    hire_day = -rng.integers(30, 18 * 365, n)
    function_pick = rng.integers(0, 3, n)
    moved = people.bu1 != people.bu0
    person = np.concatenate([np.arange(n), np.flatnonzero(moved)])
    unit = np.concatenate([people.bu0, people.bu1[moved]])
    valid_from = np.concatenate([hire_day, people.move_day[moved]])
    valid_to = np.concatenate(
        [np.where(moved, people.move_day - 1, -(10**6)), np.full(moved.sum(), -(10**6))]
    )
    functions = [
        JOB_FUNCTIONS.get(unit_ids[u], OTHER_JOB_FUNCTIONS)[k]
        for u, k in zip(unit.tolist(), function_pick[person].tolist(), strict=True)
    ]
    frame = pl.DataFrame(
        {
            "user_id": lookup(people.user_ids, person),
            "business_unit_id": lookup(unit_ids, unit),
            "job_function": pl.Series(functions, dtype=pl.String),
            "is_manager": pl.Series(people.is_manager[person]),
            "valid_from": cal.date_series(valid_from),
            "valid_to": cal.date_series(np.maximum(valid_to, -30000)).set(
                pl.Series(valid_to < -(10**5)), None
            ),
        }
    )
    # Planted: a contractor row without a business unit (required).
    planted = pl.DataFrame(
        {
            "user_id": [f"temp.contractor01@{EMAIL_DOMAIN}"],
            "business_unit_id": pl.Series([None], dtype=pl.String),
            "job_function": ["contractor"],
            "is_manager": [False],
            "valid_from": [cal.start + timedelta(days=120)],
            "valid_to": pl.Series([None], dtype=pl.Date),
        }
    )
    frame = pl.concat([frame, planted]).sort("user_id", "valid_from")
    frame.write_csv(path)
    return path
