"""The generated period: its days, weekday seasonality, holidays and months, as day indexes.

Every stream works in day indexes (0 is the first day, a Monday) and milliseconds since the
epoch; `Calendar` turns them back into dates. The period runs from the Monday on or before
`end_date` minus `HISTORY_MONTHS` through `end_date`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl

from cadence.demo.operating_model import UseCase
from cadence.demo.profile import HISTORY_MONTHS

DAY_MS = 86_400_000


def history_start(end_date: date) -> date:
    """The first day of the generated period: the Monday on or before end_date - 15 months."""
    month_index = end_date.year * 12 + end_date.month - 1 - HISTORY_MONTHS
    year, month = divmod(month_index, 12)
    day = min(end_date.day, calendar.monthrange(year, month + 1)[1])
    first = date(year, month + 1, day)
    return first - timedelta(days=first.weekday())


@dataclass
class Calendar:
    start: date
    end: date
    n_days: int
    start_ms: int
    epoch_day: int  # days from 1970-01-01 to start
    day_factor: np.ndarray  # weekday seasonality x holidays, per day
    holiday: np.ndarray  # year-end shutdown days
    months: list[tuple[str, int, int]] = field(default_factory=list)  # label, first, last+1

    def day_of(self, value: date) -> int:
        return (value - self.start).days

    def date_series(self, days: np.ndarray) -> pl.Series:
        return pl.Series((days + self.epoch_day).astype(np.int32)).cast(pl.Date)


def _holidays(start: date, n_days: int) -> np.ndarray:
    """Per day: is it in the year-end shutdown (24-31 December, 1 January)."""
    holiday = np.zeros(n_days, dtype=bool)
    for offset in range(n_days):
        day = start + timedelta(days=offset)
        holiday[offset] = (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)
    return holiday


def _months(start: date, end_date: date) -> list[tuple[str, int, int]]:
    """(label `YYYY-MM`, first day index, last day index + 1) of each calendar month."""
    months: list[tuple[str, int, int]] = []
    cursor = start
    while cursor <= end_date:
        last = date(cursor.year, cursor.month, calendar.monthrange(cursor.year, cursor.month)[1])
        last = min(last, end_date)
        months.append((f"{cursor:%Y-%m}", (cursor - start).days, (last - start).days + 1))
        cursor = last + timedelta(days=1)
    return months


def make_calendar(end_date: date) -> Calendar:
    start = history_start(end_date)
    n_days = (end_date - start).days + 1
    weekday = np.array([1.0, 1.02, 1.0, 0.97, 0.86, 0.11, 0.07])
    holiday = _holidays(start, n_days)
    factor = weekday[np.arange(n_days) % 7] * np.where(holiday, 0.35, 1.0)
    start_ms = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()) * 1000
    return Calendar(
        start=start,
        end=end_date,
        n_days=n_days,
        start_ms=start_ms,
        epoch_day=(start - date(1970, 1, 1)).days,
        day_factor=factor,
        holiday=holiday,
        months=_months(start, end_date),
    )


def retire_day(use_case: UseCase, cal: Calendar) -> int:
    """The day a retired use case stops (halfway from its production date); else past the end."""
    if use_case.stage != "retired" or use_case.production is None:
        return cal.n_days
    return (cal.day_of(use_case.production) + cal.n_days) // 2


def next_weekday(days: np.ndarray) -> np.ndarray:
    """Move weekend days to the following Monday (the period starts on a Monday)."""
    weekday = days % 7
    return days + np.where(weekday >= 5, 7 - weekday, 0)
