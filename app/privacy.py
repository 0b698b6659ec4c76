"""Minimum group size: figures drawn from fewer distinct people are suppressed, not shown.

Which figures are "drawn from people" (their unit of analysis is a person or a group of
people): active users and penetration, new / returning users, repeat usage, enablement
coverage, and a business unit's trust shares (policy adherence, shadow AI) which describe
what that unit's people did (counted by its `requesting_users`). Each is suppressed when its group's distinct-people count is
between 1 and `min_size - 1` (an empty group reveals nobody and shows as 0).

Figures about requests or workflow runs of a use case (volume, latency, errors, cost, review
outcomes of AI output) are not person figures and are shown as they are. Survey satisfaction
and trust means are shown only when their distinct respondents (`survey_respondents`) reach
the minimum group size.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

SUPPRESSED = "suppressed"


def is_small(count: object, min_size: int) -> bool:
    """True when a group of `count` people is non-empty and smaller than `min_size`."""
    return isinstance(count, int | float) and 0 < count < min_size


def suppress(
    frame: pl.DataFrame,
    people_column: str,
    value_columns: Sequence[str],
    min_size: int,
    *,
    flag: str = "is_suppressed",
) -> pl.DataFrame:
    """Null `value_columns` and `people_column` in rows whose group is too small.

    Returns the frame with the same rows plus a boolean `flag` column (`is_suppressed`).
    """
    small = pl.col(people_column).is_between(1, min_size - 1, closed="both").fill_null(False)
    columns = dict.fromkeys([people_column, *value_columns])
    return frame.with_columns(
        *[pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in columns],
        small.alias(flag),
    )


def suppress_list(
    frame: pl.DataFrame, list_column: str, min_size: int, *, counts_column: str | None = None
) -> pl.DataFrame:
    """In a list column of per-period values, null each element whose group is too small.

    The people counts are the list itself (`counts_column` None) or a parallel list column.
    """
    values = frame.get_column(list_column).to_list()
    counts = frame.get_column(counts_column).to_list() if counts_column else values
    masked = [
        [None if is_small(c, min_size) else v for v, c in zip(vs or [], cs or [], strict=False)]
        for vs, cs in zip(values, counts, strict=True)
    ]
    return frame.with_columns(pl.Series(list_column, masked, dtype=frame.schema[list_column]))


def note(min_size: int) -> str:
    """The sentence shown wherever a figure was suppressed."""
    return (
        f"Figures drawn from fewer than {min_size} people are suppressed to protect individuals "
        "(minimum group size: `CADENCE_MIN_GROUP_SIZE` when the warehouse was built)."
    )
