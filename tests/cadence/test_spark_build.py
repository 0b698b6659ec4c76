"""`cadence build --engine spark` publishes nothing unless the Spark build passed, and keeps what
it needs to explain a failure. The Spark child is replaced here (its real run, with Java, is
tests/warehouse/test_spark_equivalence.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cadence import spark_build
from cadence.build import BuildFailed
from cadence.config import DEFAULT_SEEDS
from cadence.published import read_pointer


def _quiet(_: str) -> None:
    pass


def test_a_spark_build_that_stops_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setattr(spark_build, "_run_child", lambda *args, **kwargs: 137)
    with pytest.raises(BuildFailed) as failed:
        spark_build.build_spark(home, DEFAULT_SEEDS, echo=_quiet)
    assert "the published warehouse is unchanged" in str(failed.value)
    assert "exit code 137" in str(failed.value)
    assert read_pointer(home) is None
    assert not list((home / "warehouses").glob("**/*.duckdb"))
    kept = list((home / "spark" / "builds").glob("failed-*"))
    assert len(kept) == 1


def test_a_failing_dbt_test_on_spark_is_named_and_nothing_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    failure = {
        "node": "test.cadence.not_null_fct_trust_weekly_week_start",
        "status": "fail",
        "message": "Got 3 results, configured to fail if != 0",
        "relation": "",
    }

    def child(command: list[str], *args: object, **kwargs: object) -> int:
        build_dir = Path(command[command.index("--build-dir") + 1])
        outcome = {"ok": False, "failures": [failure], "nodes": 1, "tables": [], "timings": {}}
        (build_dir / "result.json").write_text(json.dumps(outcome))
        return 1

    monkeypatch.setattr(spark_build, "_run_child", child)
    for _ in range(spark_build.KEEP_BUILDS + 1):
        with pytest.raises(BuildFailed) as failed:
            spark_build.build_spark(home, DEFAULT_SEEDS, echo=_quiet)
        assert failure["node"] in str(failed.value)
        assert failed.value.failures == [failure]
    assert read_pointer(home) is None
    # failed builds are pruned like DuckDB's: the last KEEP_BUILDS stay
    kept = list((home / "spark" / "builds").glob("failed-*"))
    assert len(kept) == spark_build.KEEP_BUILDS
