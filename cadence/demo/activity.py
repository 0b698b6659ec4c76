"""Vendor usage reports (`activity/github_copilot_usage.csv`, `activity/m365_copilot_usage.csv`):
one row per user x day x tool, for the days a seat holder used the tool.

Seats that are not idle start being used after a lag, on weekdays mostly, at a rate of their
own; GitHub Copilot rows carry suggestion and acceptance counts, Microsoft 365 Copilot rows
only interactions and generations.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from cadence.demo.contract import LICENSED_TOOLS
from cadence.demo.frames import lookup, replace_at, with_nulls
from cadence.demo.licenses import Licences
from cadence.demo.people import People
from cadence.demo.timeline import Calendar

COUNT_COLUMNS = ("interactions", "generations", "acceptances", "lines_suggested", "lines_accepted")


def _active_days(
    rng: np.random.Generator, tool: int, lic: Licences, cal: Calendar
) -> tuple[np.ndarray, np.ndarray]:
    """The (person, day) of each usage row of one tool: active seats, on the days used."""
    mask = (lic.tool == tool) & ~lic.idle
    person = lic.person[mask]
    lag = rng.exponential(10.0 if tool == 0 else 21.0, len(person)).astype(np.int64)
    begin = np.clip(lic.assigned[mask] + lag, 0, cal.n_days)
    stop = np.clip(lic.removed[mask], 0, cal.n_days)
    length = np.maximum(stop - begin, 0)
    rate = rng.beta(6, 4, len(person)) if tool == 0 else rng.beta(3, 4, len(person))
    total = int(length.sum())
    row_person = np.repeat(np.arange(len(person)), length)
    offset = np.arange(total) - np.repeat(np.cumsum(length) - length, length)
    day = np.repeat(begin, length) + offset
    weekday = (day % 7) < 5
    p = rate[row_person] * np.where(weekday, 1.0, 0.06) * np.minimum(cal.day_factor[day] * 1.2, 1)
    keep = rng.random(total) < p
    return person[row_person[keep]], day[keep]


def _github_copilot_counts(rng: np.random.Generator, progress: np.ndarray) -> list[np.ndarray]:
    """Interactions, generations, acceptances, lines suggested and accepted, per row."""
    n = len(progress)
    interactions = rng.poisson(2.5, n)
    generations = rng.poisson(35, n) + 1
    acceptance = 0.26 + 0.08 * progress
    acceptances = rng.binomial(generations, acceptance)
    lines_suggested = generations + rng.poisson(generations * 1.5)
    lines_accepted = rng.binomial(lines_suggested, acceptance * 0.95)
    return [interactions, generations, acceptances, lines_suggested, lines_accepted]


def _m365_copilot_counts(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """Interactions and generations, per row."""
    interactions = rng.poisson(6, n) + 1
    generations = rng.poisson(3, n)
    return [interactions, generations]


def _usage_frame(
    rng: np.random.Generator, tool: int, user: pl.Series, day: np.ndarray, cal: Calendar
) -> pl.DataFrame:
    """One tool's usage rows (one row per user x day), sorted by date and user."""
    n = len(day)
    inactive = rng.random(n) < 0.02
    progress = day / cal.n_days
    counts = _github_copilot_counts(rng, progress) if tool == 0 else _m365_copilot_counts(rng, n)
    counts = [np.where(inactive, 0, c) for c in counts]
    no_value = np.ones(n, dtype=bool)
    data: dict[str, pl.Series] = {
        "user_id": user,
        "activity_date": cal.date_series(day).dt.strftime("%Y-%m-%d"),
        "tool": pl.Series([LICENSED_TOOLS[tool]] * n, dtype=pl.String),
    }
    for i, column in enumerate(COUNT_COLUMNS):
        data[column] = (
            pl.Series(counts[i], dtype=pl.Int64)
            if i < len(counts)
            else with_nulls(np.zeros(n), no_value, pl.Int64)
        )
    data["input_tokens"] = with_nulls(np.zeros(n), no_value, pl.Int64)
    data["output_tokens"] = with_nulls(np.zeros(n), no_value, pl.Int64)
    data["is_active"] = pl.Series(~inactive)
    return pl.DataFrame(data).sort("activity_date", "user_id")


def write_activity(
    directory: Path, rng: np.random.Generator, lic: Licences, people: People, cal: Calendar
) -> list[Path]:
    paths = []
    for tool, name in enumerate(LICENSED_TOOLS):
        person, day = _active_days(rng, tool, lic, cal)
        frame = _usage_frame(rng, tool, lookup(people.user_ids, person), day, cal)
        row = len(frame) // 2
        if tool == 0:  # planted: a date that does not exist
            year = cal.start.year + 1
            frame = replace_at(frame, row, "activity_date", f"{year}-02-30")
        else:  # planted: negative interactions
            frame = replace_at(frame, row, "interactions", -3)
        path = directory / f"{name}_usage.csv"
        frame.write_csv(path)
        paths.append(path)
    return paths
