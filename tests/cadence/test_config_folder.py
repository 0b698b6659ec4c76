"""Issue 16, item 7: the home remembers its configuration folder.

An analyst adds a KPI in a configuration folder of their own and builds with `--config DIR`;
a plain `cadence build` afterwards used to build from the repository's seeds/ and publish
without the KPI, saying nothing. Now the home remembers the folder of its last published build
(`config_folder.json`), a command without `--config` uses it and says so, and a build from
another folder not given with `--config` is refused when its KPIs, use cases or models differ
from the published build's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cadence.config import DEFAULT_SEEDS
from cadence.config_folder import RECORD, ConfigFolderRefused, choose

pytestmark = pytest.mark.timeout(900)

REPO = Path(__file__).resolve().parents[2]
CADENCE = Path(sys.executable).with_name("cadence")
ADDED_KPI = "kpi_claims_reopen_rate"


def run(*args: str, home: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = subprocess.run(
        [str(CADENCE), *args, "--home", str(home)],
        cwd=REPO,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("CADENCE_HOME", "CADENCE_CONFIG_DIR")
            },
            "CADENCE_BUILD_DATE": "2026-11-22",
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def published(home: Path) -> tuple[str, list[str]]:
    """The published build's id and its KPI ids (the configuration it was built from)."""
    pointer = json.loads((home / "published.json").read_text())
    con = duckdb.connect(str(home / pointer["published_path"]), read_only=True)
    try:
        kpis = [
            row[0] for row in con.execute("select kpi_id from config.kpis order by 1").fetchall()
        ]
    finally:
        con.close()
    return pointer["build_id"], kpis


@pytest.fixture(scope="module")
def analyst_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's seeds/ with one KPI added."""
    folder = tmp_path_factory.mktemp("analyst") / "config"
    shutil.copytree(DEFAULT_SEEDS, folder)
    with (folder / "kpis.csv").open("a") as kpis:
        kpis.write(
            f"{ADDED_KPI},uc_claims_triage,Claims reopened,pct,decrease,8,2025-08-18,"
            "2026-01-11,5,2026-12-31,2025-10-15,,,,\n"
        )
    return folder


@pytest.fixture(scope="module")
def home(analyst_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo home built with `--config <analyst folder>`."""
    home = tmp_path_factory.mktemp("remembering") / "home"
    code, output = run(
        "demo", "--no-serve", "--requests", "3000", "--config", str(analyst_folder), home=home
    )
    assert code == 0, output[-3000:]
    assert ADDED_KPI in published(home)[1]
    return home


def test_a_plain_build_uses_the_remembered_folder_and_says_so(home, analyst_folder) -> None:
    assert json.loads((home / RECORD).read_text())["config_dir"] == str(analyst_folder)
    code, output = run("build", home=home)
    assert code == 0, output[-3000:]
    assert f"configuration: {analyst_folder} (remembered by this home)" in output
    assert ADDED_KPI in published(home)[1]


def test_another_folder_not_given_with_config_is_refused(home, analyst_folder) -> None:
    before = published(home)
    code, output = run("build", home=home, env={"CADENCE_CONFIG_DIR": str(DEFAULT_SEEDS)})
    assert code == 1
    assert f"refusing to build from {DEFAULT_SEEDS}" in output
    assert "kpis.csv differ" in output
    assert f"--config {analyst_folder}" in output
    assert f"--config {DEFAULT_SEEDS}" in output
    assert published(home) == before  # nothing built, nothing published


def test_a_home_that_remembers_nothing_refuses_a_default_that_differs(home) -> None:
    """A home built before it remembered its folder (no config_folder.json)."""
    record = home / RECORD
    saved = record.read_text()
    record.unlink()
    try:
        before = published(home)
        code, output = run("build", home=home)
        assert code == 1
        assert "refusing to build from" in output
        assert "did not record" in output
        assert published(home) == before
    finally:
        record.write_text(saved)


def test_config_switches_the_folder_and_is_remembered(home, analyst_folder, tmp_path) -> None:
    code, output = run("build", "--config", str(DEFAULT_SEEDS), home=home)
    assert code == 0, output[-3000:]
    assert ADDED_KPI not in published(home)[1]
    assert json.loads((home / RECORD).read_text())["config_dir"] == str(DEFAULT_SEEDS)
    # and back, then a remembered folder that is gone is named, never replaced silently
    moved = tmp_path / "moved"
    shutil.copytree(analyst_folder, moved)
    code, output = run("build", "--config", str(moved), home=home)
    assert code == 0, output[-3000:]
    shutil.rmtree(moved)
    before = published(home)
    code, output = run("build", home=home)
    assert code == 1
    assert f"{moved} (remembered from its last published build), which is not there" in output
    assert published(home) == before


def test_the_order_of_choice(tmp_path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("CADENCE_CONFIG_DIR", raising=False)
    assert (choose(home, None).path, choose(home, None).how) == (DEFAULT_SEEDS.resolve(), "default")
    remembered = tmp_path / "remembered"
    remembered.mkdir()
    (home / RECORD).write_text(json.dumps({"config_dir": str(remembered)}))
    assert choose(home, None).how == "remembered"
    monkeypatch.setenv("CADENCE_CONFIG_DIR", str(tmp_path))
    assert (choose(home, None).path, choose(home, None).how) == (tmp_path, "CADENCE_CONFIG_DIR")
    assert choose(home, str(remembered)).how == "--config"
    (home / RECORD).write_text("{not json")
    with pytest.raises(ConfigFolderRefused, match="is damaged"):
        choose(home, None)
