"""From arrays to the columns the files carry, and the planted bad cell."""

from __future__ import annotations

import numpy as np
import polars as pl


def lookup(values: list[str] | tuple[str, ...], index: np.ndarray) -> pl.Series:
    """Strings by index; a negative index gives null."""
    table = pl.Series([*values, None], dtype=pl.String)
    return table.gather(np.where(index < 0, len(values), index))


def timestamps(ms: np.ndarray) -> pl.Series:
    return pl.Series(ms.astype(np.int64)).cast(pl.Datetime("ms")).dt.replace_time_zone("UTC")


def iso(series: pl.Series, suffix: str = "Z") -> pl.Series:
    return series.dt.strftime("%Y-%m-%dT%H:%M:%S%.3f") + suffix


def with_nulls(values: np.ndarray, null: np.ndarray, dtype: pl.DataType) -> pl.Series:
    series = pl.Series(values.astype(np.float64))
    return series.set(pl.Series(null), None).cast(dtype)  # type: ignore[arg-type]


def replace_at(frame: pl.DataFrame, row: int, column: str, value: object) -> pl.DataFrame:
    """`frame` with one cell replaced (a planted bad value)."""
    dtype = frame.schema[column]
    literal = pl.lit(value, dtype=dtype) if value is None else pl.lit(value)
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(literal).otherwise(pl.col(column)).alias(column)
    )
