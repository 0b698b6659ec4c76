"""Enablement events (`enablement_events/enablement_events.csv`): trainings completed (three
levels), office hours attended (Thursdays, 15:00 UTC) and champions joining, one row per event.

Most adopters complete a beginner training around their adoption day; some go on to the
intermediate and advanced levels; a few with high propensity become champions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from cadence.demo.contract import COLUMNS, ENABLEMENT_ACTIVITIES, LEVELS
from cadence.demo.frames import lookup, replace_at, timestamps
from cadence.demo.operating_model import Config
from cadence.demo.people import People
from cadence.demo.sampling import seconds_of_day
from cadence.demo.timeline import DAY_MS, Calendar, next_weekday

#: One group of events: who (mask over people), day, activity, level (-1 none), fixed ms of
#: day (-1 random).
Group = tuple[np.ndarray, np.ndarray, int, int, int]


def _office_hours_visits(
    rng: np.random.Generator, adopter: np.ndarray, adopt: np.ndarray, cal: Calendar
) -> tuple[np.ndarray, np.ndarray]:
    """(person, day) of each office-hours visit: adopters, some days after adopting."""
    visits = np.where(adopter, rng.poisson(0.6, len(adopt)), 0)
    visitor = np.repeat(np.arange(len(adopt)), visits)
    low = np.clip(adopt[visitor], 0, cal.n_days - 1)
    visit_day = low + (rng.random(len(visitor)) * (cal.n_days - low)).astype(np.int64)
    return visitor, visit_day


def _trainings_and_champions(
    rng: np.random.Generator, adopter: np.ndarray, intermediate: np.ndarray, people: People
) -> list[Group]:
    n = len(adopter)
    adopt = people.adopt_day
    champion_p = 0.035 * np.minimum(people.propensity, 3)
    return [
        (adopter & (rng.random(n) < 0.7), adopt - rng.integers(0, 21, n), 0, 0, -1),
        (intermediate, adopt + rng.integers(30, 120, n), 0, 1, -1),
        (intermediate & (rng.random(n) < 0.3), adopt + rng.integers(90, 240, n), 0, 2, -1),
        (
            adopter & (rng.random(n) < champion_p),
            adopt + rng.integers(30, 90, n),
            2,
            -1,
            9 * 3_600_000,
        ),
    ]


def _events(
    rng: np.random.Generator, people: People, cal: Calendar
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Person, day, activity, level and fixed ms of day of each event inside the period."""
    n = len(people.user_ids)
    adopt = people.adopt_day
    adopter = adopt < 10**5
    everyone = np.arange(n)
    intermediate = adopter & (rng.random(n) < 0.35)
    visitor, visit_day = _office_hours_visits(rng, adopter, adopt, cal)
    groups = _trainings_and_champions(rng, adopter, intermediate, people)
    person_parts, day_parts, activity_parts, level_parts, fixed_parts = [], [], [], [], []
    for mask, day, activity, level, fixed in groups:
        person_parts.append(everyone[mask])
        day_parts.append(next_weekday(day[mask]))
        activity_parts.append(np.full(int(mask.sum()), activity))
        level_parts.append(np.full(int(mask.sum()), level))
        fixed_parts.append(np.full(int(mask.sum()), fixed))
    person_parts.append(visitor)
    day_parts.append(visit_day - visit_day % 7 + 3)  # office hours: Thursdays at 15:00 UTC
    activity_parts.append(np.full(len(visitor), 1))
    level_parts.append(np.full(len(visitor), -1))
    fixed_parts.append(np.full(len(visitor), 15 * 3_600_000))
    parts = [person_parts, day_parts, activity_parts, level_parts, fixed_parts]
    person, day, activity, level, fixed = (np.concatenate(part) for part in parts)
    keep = (day >= 0) & (day < cal.n_days)
    return person[keep], day[keep], activity[keep], level[keep], fixed[keep]


def _plant(frame: pl.DataFrame) -> pl.DataFrame:
    """An unknown activity and an unknown level."""
    office = np.flatnonzero((frame["activity"] == "office_hours").to_numpy())
    training = np.flatnonzero((frame["activity"] == "training_completed").to_numpy())
    frame = replace_at(frame, int(office[len(office) // 2]), "activity", "webinar")
    return replace_at(frame, int(training[len(training) // 3]), "level", "expert")


def write_enablement_events(
    path: Path, seed: int, config: Config, people: People, cal: Calendar
) -> Path:
    rng = np.random.default_rng([seed, 50])
    unit_ids = [unit for unit, _ in config.business_units]
    person, day, activity, level, fixed = _events(rng, people, cal)
    ms = cal.start_ms + day * DAY_MS + np.where(fixed >= 0, fixed, seconds_of_day(rng, len(day)))
    ms = ms // 1000 * 1000
    frame = pl.DataFrame(
        {
            "user_id": lookup(people.user_ids, person),
            "occurred_at": timestamps(ms),
            "activity": lookup(ENABLEMENT_ACTIVITIES, activity),
            "level": lookup(LEVELS, level),
            "business_unit_id": lookup(unit_ids, people.unit_on(person, day)),
        }
    ).sort("occurred_at", "user_id", "activity")
    frame = frame.with_columns(
        event_id="enb-" + pl.Series(np.arange(len(frame))).cast(pl.String).str.zfill(7),
        occurred_at=frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
    ).select(COLUMNS["enablement_events"])
    _plant(frame).write_csv(path)
    return path
