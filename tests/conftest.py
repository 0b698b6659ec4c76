"""The suite's order, for `make test`'s two workers (pytest-xdist, `--dist loadfile
--no-loadscope-reorder`): each file runs whole on one worker (its module fixtures, often a
whole `cadence build`, are made once), and the longest files go first, so no long file starts
last while the other worker sits idle.

SLOWEST lists the files that took longest in a measured run (most first); every other file
keeps its place after them. A run on one process (`pytest tests/x.py`) is unaffected but for
that order.
"""

from __future__ import annotations

import pytest

#: Longest first, as measured (`make test` ends with its 25 slowest tests).
SLOWEST = (
    "tests/warehouse/test_spark_equivalence.py",
    "tests/cadence/test_config_folder.py",
    "tests/warehouse/test_incremental.py",
    "tests/reliability/test_concurrency.py",
    "tests/warehouse/test_period_close.py",
    "tests/warehouse/test_config_history.py",
    "tests/reliability/test_crash.py",
    "tests/app/test_pages.py",
    "tests/cadence/test_home_and_serve.py",
    "tests/app/test_browser_review.py",
    "tests/cadence/test_build.py",
    "tests/reliability/test_lock.py",
    "tests/fuzz/test_fuzz_connectors.py",
    "tests/warehouse/test_review_tiles.py",
    "tests/warehouse/test_known_answers_pipeline.py",
    "tests/test_notebooks.py",
    "tests/warehouse/test_monthly_review_by_scope.py",
    "tests/app/test_browser.py",
    "tests/warehouse/test_kpi_effects_known_answers.py",
    "tests/warehouse/test_usage_reconciliation.py",
    "tests/warehouse/test_review_scorecard_by_scope.py",
    "tests/warehouse/test_demo_planted_effects.py",
    "tests/warehouse/test_dbt_build.py",
    "tests/warehouse/test_review_breakdowns_by_scope.py",
    "tests/warehouse/test_use_case_periods.py",
    "tests/reliability/test_readers.py",
    "tests/warehouse/test_risk_by_scope.py",
    "tests/warehouse/test_weekly_review_by_scope.py",
    "tests/connectors/test_round_trip.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: index for index, path in enumerate(SLOWEST)}

    def key(item: pytest.Item) -> int:
        return rank.get(item.nodeid.split("::", 1)[0], len(SLOWEST))

    items.sort(key=key)  # stable: each file keeps its own tests' order
