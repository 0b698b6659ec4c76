"""The licence export (`licenses/licenses.parquet`): GitHub Copilot and Microsoft 365 Copilot
seats, assigned in waves; some sit idle, and some of those are removed.

`make_licences` draws the seats (`activity` reads them too); `write_licences` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from cadence.demo.contract import LICENSED_TOOLS
from cadence.demo.frames import lookup
from cadence.demo.operating_model import Config
from cadence.demo.people import People
from cadence.demo.timeline import Calendar


@dataclass
class Licences:
    person: np.ndarray
    tool: np.ndarray  # 0 github_copilot, 1 m365_copilot
    assigned: np.ndarray  # day index (may be negative)
    removed: np.ndarray  # day index, n_days + 10**6 when never
    idle: np.ndarray


def make_licences(
    rng: np.random.Generator, people: People, config: Config, cal: Calendar
) -> Licences:
    unit_ids = [unit for unit, _ in config.business_units]
    n = len(people.user_ids)
    engineering = np.array([unit_ids[u] == "bu_engineering" for u in people.bu0])
    gh = rng.random(n) < np.where(engineering, 0.9, 0.04)
    m365 = rng.random(n) < np.where(people.is_manager, 0.8, 0.47)
    gh_waves, gh_p = np.array([-75, 49, 168]), np.array([0.45, 0.35, 0.20])
    m_waves, m_p = np.array([14, 140, 231, 385]), np.array([0.2, 0.35, 0.3, 0.15])
    parts = []
    for tool, holders, waves, probs in ((0, gh, gh_waves, gh_p), (1, m365, m_waves, m_p)):
        person = np.flatnonzero(holders)
        k = len(person)
        wave = waves[rng.choice(len(waves), size=k, p=probs)]
        assigned = np.minimum(wave + rng.integers(0, 10, k), cal.n_days - 1)
        idle = rng.random(k) < (0.14 if tool == 0 else 0.22)
        removal = np.where(
            idle,
            rng.random(k) < 0.4,
            rng.random(k) < 0.04,
        )
        removed_at = assigned + np.where(idle, rng.integers(120, 200, k), rng.integers(60, 300, k))
        removed = np.where(removal & (removed_at < cal.n_days), removed_at, cal.n_days + 10**6)
        parts.append((person, np.full(k, tool), assigned, removed, idle))
    return Licences(*(np.concatenate([part[i] for part in parts]) for i in range(5)))


def write_licences(
    path: Path, rng: np.random.Generator, lic: Licences, people: People, cal: Calendar
) -> Path:
    removed_days = np.where(lic.removed > cal.n_days, 0, lic.removed)
    frame = pl.DataFrame(
        {
            "user_id": lookup(people.user_ids, lic.person),
            "tool": lookup(LICENSED_TOOLS, lic.tool),
            "assigned_on": cal.date_series(lic.assigned),
            "removed_on": cal.date_series(removed_days).set(
                pl.Series(lic.removed > cal.n_days), None
            ),
        }
    )
    # Planted: a seat without its (required) assignment date.
    planted_person = int(lic.person[int(rng.integers(0, len(lic.person)))])
    planted = pl.DataFrame(
        {
            "user_id": [people.user_ids[planted_person]],
            "tool": ["m365_copilot"],
            "assigned_on": pl.Series([None], dtype=pl.Date),
            "removed_on": pl.Series([None], dtype=pl.Date),
        }
    )
    frame = pl.concat([frame, planted]).sort("tool", "user_id", "assigned_on", nulls_last=True)
    frame.write_parquet(path, compression="zstd")
    return path
