"""Minimum group size: the words the pages show where dbt suppressed a figure.

The suppression itself happens once, in the warehouse (CONTRACTS.md §5.5): the `rpt_` models
null every figure drawn from 1 to min_group_size - 1 distinct people, and its complements, and
flag the row `is_suppressed`; the minimum group size the build used is `dim_thresholds`'
`min_group_size`. Figures about requests or workflow runs (volume, latency, errors, cost,
review outcomes of AI output) are not person figures and are shown as they are.
"""

from __future__ import annotations

SUPPRESSED = "suppressed"


def note(min_size: int) -> str:
    """The sentence shown wherever a figure was suppressed."""
    return (
        f"Figures drawn from fewer than {min_size} people are suppressed to protect individuals "
        "(minimum group size: `CADENCE_MIN_GROUP_SIZE` when the warehouse was built)."
    )
