"""A build with nothing new runs nothing (issue 23 item 1): `cadence build` compares what the
published build was built from (`inputs.json` beside it) with the inputs now."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from cadence.build import FINGERPRINT_FILE, _unchanged_since, input_fingerprint
from cadence.cli import main
from cadence.config import DEFAULT_SEEDS
from cadence.demo.generate import generate
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)

DAY = "2026-11-22"


def test_a_build_with_nothing_new_runs_nothing_and_any_change_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CADENCE_BUILD_DATE", DAY)
    files = generate(tmp_path / "input", requests=2_000, people=200)
    home = tmp_path / "home"
    for entity, paths in files.items():
        if entity != "requests":
            ingest_files(SCHEMAS[entity], paths, home)
    requests = files["requests"]
    ingest_files(SCHEMAS["requests"], requests[:-1], home)
    config = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS, config)
    command = ["build", "--home", str(home), "--config", str(config)]

    assert main(command) == 0
    first = read_pointer(home)
    assert first is not None
    published = Path(str(first["published_path"]))
    recorded = json.loads((published.parent / FINGERPRINT_FILE).read_text())
    assert recorded["build_date"] == DAY
    capsys.readouterr()

    # nothing new: nothing runs, the published build stays, and it says so
    clock = time.perf_counter()
    assert main(command) == 0
    seconds = time.perf_counter() - clock
    said = capsys.readouterr().out
    assert f"nothing changed since build {first['build_id']}" in said
    assert read_pointer(home) == first
    assert seconds < 5  # ~0.1 s here; benchmarks/build.py times it, never a test

    # each input, changed alone, is seen: the configuration, the environment, the day
    inputs = input_fingerprint(home, config, DAY)
    assert _unchanged_since(home, inputs) == first["build_id"]
    thresholds = config / "thresholds.csv"
    original = thresholds.read_bytes()
    thresholds.write_bytes(original + b"\n")
    assert _unchanged_since(home, input_fingerprint(home, config, DAY)) is None
    thresholds.write_bytes(original)
    monkeypatch.setenv("CADENCE_MIN_GROUP_SIZE", "7")
    assert _unchanged_since(home, input_fingerprint(home, config, DAY)) is None
    monkeypatch.delenv("CADENCE_MIN_GROUP_SIZE")
    monkeypatch.setenv("DBT_EMPTY", "1")  # dbt's own switches change what it builds
    assert _unchanged_since(home, input_fingerprint(home, config, DAY)) is None
    monkeypatch.delenv("DBT_EMPTY")
    copy = tmp_path / "copy"  # a copied home's views read the original's landing zone
    shutil.copytree(home, copy)
    assert _unchanged_since(copy, input_fingerprint(copy, config, DAY)) is None
    shutil.rmtree(copy)
    assert _unchanged_since(home, input_fingerprint(home, config, "2026-11-23")) is None
    assert _unchanged_since(home, input_fingerprint(home, config, DAY)) == first["build_id"]

    # a new batch in the ledger builds, and the build after it has nothing new again
    ingest_files(SCHEMAS["requests"], requests[-1:], home)
    assert _unchanged_since(home, inputs) is None
    assert main(command) == 0
    second = read_pointer(home)
    assert second is not None
    assert second["build_id"] != first["build_id"]
    capsys.readouterr()
    assert main(command) == 0
    assert f"nothing changed since build {second['build_id']}" in capsys.readouterr().out

    # --force builds anyway
    assert main([*command, "--force"]) == 0
    third = read_pointer(home)
    assert third is not None
    assert third["build_id"] != second["build_id"]
