"""Random draws shared by the streams. Each takes the stream's `numpy.random.Generator`."""

from __future__ import annotations

import numpy as np


def categorical(rng: np.random.Generator, cumulative: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Draw one category per row; `cumulative[g]` holds group g's cumulative probabilities."""
    u = rng.random(len(group))
    return (u[:, None] >= cumulative[group][:, :-1]).sum(axis=1)


def cumulative(weights: np.ndarray) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    totals = weights.sum(axis=-1, keepdims=True)
    totals[totals == 0] = 1.0
    cumulative = np.cumsum(weights / totals, axis=-1)
    cumulative[..., -1] = 1.0
    return cumulative


def seconds_of_day(rng: np.random.Generator, n: int, mean_hour: float = 13.0) -> np.ndarray:
    """Milliseconds into the day: business hours (UTC) with a flat tail for night usage."""
    seconds = rng.normal(mean_hour * 3600, 2.7 * 3600, n)
    seconds = np.where(rng.random(n) < 0.08, rng.random(n) * 86_400, seconds)
    return (np.clip(seconds, 0, 86_399.999) * 1000).astype(np.int64)


def split(total: int, weights: list[int]) -> np.ndarray:
    """`total` split in proportion to `weights` (largest remainders first; no draw)."""
    shares = np.asarray(weights, dtype=float) / sum(weights) * total
    counts = np.floor(shares).astype(int)
    remainder = total - counts.sum()
    order = np.argsort(-(shares - counts), kind="stable")
    counts[order[:remainder]] += 1
    return counts
