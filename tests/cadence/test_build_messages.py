"""Build messages that name the real problem and the next step (issue 16, item 9): the Spark
engine not installed, a configuration CSV with mixed line endings. Neither runs dbt."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadence import config_history
from cadence.build import BuildFailed, record_configuration
from cadence.cli import main
from cadence.config import DEFAULT_SEEDS


def test_a_spark_build_without_the_spark_engine_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It said "Could not find adapter type spark!"."""
    real = importlib.util.find_spec

    def without_spark(name: str, *args, **kwargs):
        if name in ("dbt.adapters.spark", "pyspark"):
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", without_spark)

    status = main(["build", "--engine", "spark", "--home", str(tmp_path / "home")])

    out = capsys.readouterr().out
    assert status == 1
    assert "needs the Spark engine, which is not installed here (missing: dbt-spark, pyspark" in out
    assert "Run `make setup-spark`" in out
    assert "Could not find adapter" not in out
    assert not (tmp_path / "home" / "spark").exists()  # nothing was started


def test_a_configuration_csv_with_mixed_line_endings_is_named_before_dbt(tmp_path: Path) -> None:
    """The build failed in dbt's seed load with DuckDB's "Error when sniffing file"."""
    config = tmp_path / "config"
    shutil.copytree(DEFAULT_SEEDS, config)
    thresholds = config / "thresholds.csv"
    lines = thresholds.read_bytes().replace(b"\r\n", b"\n").split(b"\n")
    # edited on two systems: the first lines end CRLF, the rest LF
    thresholds.write_bytes(b"\r\n".join(lines[:3]) + b"\r\n" + b"\n".join(lines[3:]))

    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    with pytest.raises(BuildFailed) as failed:
        record_configuration(tmp_path / "home", config, build_id)

    message = str(failed.value)
    assert "the published warehouse is unchanged" in message
    assert f"{thresholds}: mixes Windows (CRLF, 3 lines) and Unix (LF," in message
    assert "Save it with one kind of line ending" in message
    assert "sniffing" not in message


def test_the_shipped_configuration_passes_the_check() -> None:
    for path in sorted(DEFAULT_SEEDS.glob("*.csv")):
        config_history.check_loadable(path)
