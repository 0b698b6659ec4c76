"""Configuration history (CONTRACTS.md §5.2): each build records the configuration it used in
the ledger, one version per changed file; a failed build records nothing; a figure for a past
period reads the version in force at its end (before the first, the first); full refreshes and
rollbacks keep the history, since it lives in the ledger and not in a warehouse file.

The organisation is `tiny_organisation.py`'s, built as of 2026-03-31."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from tiny_organisation import CONFIG, land_observations, write_config

from cadence import config_history
from cadence.build import BuildFailed, build, rollback
from cadence.published import read_pointer

pytestmark = pytest.mark.timeout(900)

BUILD_DATE = "2026-03-31"


def _versions(home: Path) -> list[tuple[str, str, str | None]]:
    """(version, file, digest) of every committed version, in recording order."""
    rows = []
    for path in sorted(config_history.versions_dir(home).glob("*.parquet")):
        table = pq.read_table(path).to_pylist()
        rows += sorted(
            {
                (row["version_id"], row["config_file"], row["file_sha256"])
                for row in table
                if row["source_row"] == 0
            }
        )
    return rows


def _readiness(home: Path, grain: str, label: str) -> tuple[str, str]:
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        return con.execute(
            "select readiness_status, readiness_gaps from main.fct_use_case_periods "
            "where use_case_id = 'uc_life' and period_grain = ? and period_label = ?",
            [grain, label],
        ).fetchone()
    finally:
        con.close()


def _current(home: Path, use_case_id: str) -> tuple[str, str]:
    """(stage, recommendation) of a use case in dim_use_cases: as of the build date."""
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        return con.execute(
            "select stage, recommendation from main.dim_use_cases where use_case_id = ?",
            [use_case_id],
        ).fetchone()
    finally:
        con.close()


def _build(home: Path, config: Path, **kwargs) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", BUILD_DATE)
        return build(home, config, echo=lambda _: None, **kwargs).build_id


def test_each_build_records_the_files_that_changed_and_a_failed_build_nothing(
    tmp_path: Path,
) -> None:
    home, config = tmp_path / "home", write_config(tmp_path / "config")
    land_observations(home, tmp_path)
    first = _build(home, config)
    recorded = _versions(home)
    assert {file for _, file, _ in recorded} == {*CONFIG, "models", "thresholds"}
    assert {version for version, _, _ in recorded} == {first}

    _build(home, config)  # nothing changed: nothing recorded
    assert _versions(home) == recorded

    renamed = [{**row, "name": "Renamed"} for row in CONFIG["use_cases"]]
    write_config(config, {"use_cases": renamed})
    third = _build(home, config)
    assert [(version, file) for version, file, _ in _versions(home)[len(recorded) :]] == [
        (third, "use_cases")
    ]

    # a use case added in a build pinned to an earlier day than it runs on (as the demo's
    # builds are) is known at that build date
    added = [*renamed, {**CONFIG["use_cases"][1], "use_case_id": "uc_new", "name": "New"}]
    write_config(config, {"use_cases": added})
    _build(home, config)
    assert _current(home, "uc_new") == ("pilot", "hold")

    broken = [{**row, "stage": "moonshot"} for row in CONFIG["use_cases"]]
    write_config(config, {"use_cases": broken})
    with pytest.raises(BuildFailed):
        _build(home, config)
    assert len(_versions(home)) == len(recorded) + 2  # the failed build's config is not history
    assert not list((config_history.versions_dir(home) / config_history.PENDING).iterdir())


def test_a_past_period_reads_the_version_in_force_at_its_end_across_refresh_and_rollback(
    tmp_path: Path,
) -> None:
    """v1, recorded 2025-06-01, names no risk owner for uc_life; v2, recorded 2025-10-15, does.
    Before the first version (April 2025) the first one applies."""
    home, work = tmp_path / "home", tmp_path / "work"
    land_observations(home, tmp_path)
    unnamed = [
        {**row, "risk_owner": "" if row["use_case_id"] == "uc_life" else row["risk_owner"]}
        for row in CONFIG["use_cases"]
    ]
    v1 = write_config(work / "v1", {"use_cases": unnamed})
    config_history.stage(home, v1, "20250601T000000000000Z", datetime(2025, 6, 1, tzinfo=UTC))
    config_history.commit(home, "20250601T000000000000Z")
    grown = [{**CONFIG["business_units"][0], "eligible_headcount": 20}]  # v1 has 10
    v2 = write_config(work / "v2", {"business_units": grown})
    config_history.stage(home, v2, "20251015T000000000000Z", datetime(2025, 10, 15, tzinfo=UTC))
    config_history.commit(home, "20251015T000000000000Z")
    _build(home, v2)  # the current configuration is v2's: nothing new to record

    gap = "owner not named: risk_owner"
    expected = {
        # before the first version was recorded: the first; qa_metrics is dated 2025-07-20
        ("month", "2025-04"): f"{gap}; checklist item missing: qa_metrics",
        ("month", "2025-09"): gap,  # ends 2025-09-30: v1
        ("quarter", "2026-Q1"): gap,  # May to July 2025 (fiscal year from May): v1
        ("month", "2025-10"): "",  # ends 2025-10-31: v2
        ("quarter", "2026-Q2"): "",  # August to October 2025: v2
    }
    for (grain, label), gaps in expected.items():
        assert _readiness(home, grain, label) == ("not_ready" if gaps else "ready", gaps), label

    # the quarterly review's eligible headcount is the one configured at each quarter's end
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        headcounts = dict(
            con.execute(
                "select strftime(period_start, '%Y-%m-%d'), metric_value "
                "from main.rpt_review_tiles where scope_id = 'organisation' "
                "and period_grain = 'quarter' and metric = 'eligible_headcount'"
            ).fetchall()
        )
    finally:
        con.close()
    assert headcounts["2025-05-01"] == 10  # May to July 2025: v1
    assert headcounts["2025-08-01"] == 20  # August to October 2025: v2 (recorded 2025-10-15)

    _build(home, v2, full_refresh=True)
    assert _readiness(home, "quarter", "2026-Q1") == ("not_ready", gap)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", BUILD_DATE)
        rollback(home, echo=lambda _: None)
    assert _readiness(home, "quarter", "2026-Q1") == ("not_ready", gap)
    assert _readiness(home, "quarter", "2026-Q2") == ("ready", "")
    assert len({version for version, _, _ in _versions(home)}) == 2


def test_a_build_dated_before_every_configured_date_still_has_its_periods_to_date(
    tmp_path: Path,
) -> None:
    """Built as of 2025-01-15, before the earliest date of the organisation (2025-04-01): one
    period of each grain, the one to date, and every use case proposed in it."""
    home, config = tmp_path / "home", write_config(tmp_path / "config")
    land_observations(home, tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_BUILD_DATE", "2025-01-15")
        build(home, config, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        periods = con.execute(
            "select period_grain, period_label, is_period_to_date, count(*) "
            "from main.fct_use_case_periods group by 1, 2, 3 order by 1"
        ).fetchall()
        current = con.execute("select distinct stage from main.dim_use_cases").fetchall()
    finally:
        con.close()
    # fiscal years from May: 2025-01-15 is in fiscal 2025's Q3 (November 2024 to January 2025)
    assert periods == [
        ("month", "2025-01", True, 2),
        ("quarter", "2025-Q3", True, 2),
        ("week", "2025-01-13", True, 2),
    ]
    assert current == [("proposed",)]
