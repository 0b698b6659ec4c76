"""Data freshness now: the deadlines the warehouse publishes, compared with the clock when a
page is read (DESIGN.md, "Second round": the app "compares published deadlines
(fresh_until_at) with the clock").

`fct_data_health` has one row per landing-zone entity with its latest event and two
deadlines, from the cadence its landing source expects (dbt's source freshness
configuration): `fresh_until_at` (latest event + `warn_after`) and `error_after_at` (latest
event + `error_after`). Against the time `at`, a source is

- `green` before `fresh_until_at`, `amber` from it until `error_after_at`, `red` from it;
- `no_data` without a latest event (nothing landed, so no deadline);
- `not_monitored` when its source sets no cadence.

The deadlines are read through app/data.py's cached queries (they change only with a build);
the clock is read here, by `now()`, on every page load and never cached, so a source whose
deadline passes shows stale on the next page load without a build. Nothing is computed but
that comparison: the deadlines are dbt's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

STALE = ("red", "amber")  # worst first


def now() -> datetime:
    """The clock freshness is read against: UTC, naive like the warehouse's timestamps. The
    one place the app reads the time for freshness (tests patch it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def classify(deadlines: pl.DataFrame, at: datetime) -> pl.DataFrame:
    """`deadlines` (fct_data_health rows: at least `entity`, `latest_event_at`,
    `fresh_until_at`, `error_after_at`) with `freshness_status` as at `at` (naive UTC) added:
    one row per entity, in the input's order."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    clock = pl.lit(at, dtype=pl.Datetime("us"))
    return deadlines.with_columns(
        pl.when(pl.col("latest_event_at").is_null())
        .then(pl.lit("no_data"))
        .when(pl.col("fresh_until_at").is_null())
        .then(pl.lit("not_monitored"))
        .when(clock < pl.col("fresh_until_at"))
        .then(pl.lit("green"))
        .when(pl.col("error_after_at").is_null() | (clock < pl.col("error_after_at")))
        .then(pl.lit("amber"))
        .otherwise(pl.lit("red"))
        .alias("freshness_status")
    )


@dataclass(frozen=True)
class Source:
    """One entity not fresh now."""

    entity: str
    status: str
    latest_event_at: datetime


@dataclass(frozen=True)
class Freshness:
    """The landing zone's freshness as at one time."""

    status: str | None  # the worst of red, amber, green over the sources with a deadline
    stale: tuple[Source, ...]  # red ones first, then amber; oldest latest event first
    no_data: tuple[str, ...]  # entities without a latest event
    sources: int  # entities
    fresh: int  # of them, green


def summarise(classified: pl.DataFrame) -> Freshness:
    """The Freshness of `classify`'s rows."""
    rows = list(classified.iter_rows(named=True))
    statuses = {row["freshness_status"] for row in rows}
    worst = next((status for status in (*STALE, "green") if status in statuses), None)
    stale = sorted(
        (
            Source(row["entity"], row["freshness_status"], row["latest_event_at"])
            for row in rows
            if row["freshness_status"] in STALE
        ),
        key=lambda source: (STALE.index(source.status), source.latest_event_at, source.entity),
    )
    return Freshness(
        status=worst,
        stale=tuple(stale),
        no_data=tuple(row["entity"] for row in rows if row["freshness_status"] == "no_data"),
        sources=len(rows),
        fresh=sum(row["freshness_status"] == "green" for row in rows),
    )
