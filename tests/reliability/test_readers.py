"""The reader's window: between reading `published.json` and opening the file it names, a
writer may publish and prune that file (KEEP_BUILDS builds later, or at once on rollback).
Readers then read the pointer again and open the new build: `cadence.published.open_published`
for notebooks and scripts, a rerun for the app."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from reliability_helpers import REPO, cli_env

from cadence import published as published_module
from cadence.build import BUILD_FILE, _stamp
from cadence.published import NothingPublished, open_published, read_pointer, write_pointer

pytestmark = pytest.mark.timeout(600)

APP = REPO / "app" / "streamlit_app.py"


def _tiny_build(home: Path, build_id: str, rows: int) -> Path:
    """A stamped warehouse file holding `rows` rows in main.facts."""
    path = home / "warehouses" / build_id / BUILD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("create table main.facts as select range as i from range($n)", {"n": rows})
    finally:
        con.close()
    _stamp(path, build_id, [], datetime.now(UTC).isoformat(timespec="seconds"))
    return path


def _publish(home: Path, build_id: str, history: list[str]) -> None:
    write_pointer(
        home,
        {
            "build_id": build_id,
            "published_path": str(home / "warehouses" / build_id / BUILD_FILE),
            "published_at": "",
            "history": history,
        },
    )


def test_open_published_follows_the_pointer_when_its_file_was_pruned(tmp_path, monkeypatch):
    home = tmp_path / "home"
    old = _tiny_build(home, "20990101T000000000000Z", 1)
    _tiny_build(home, "20990102T000000000000Z", 2)
    _publish(home, "20990101T000000000000Z", ["20990101T000000000000Z"])
    real = published_module.read_pointer
    reads: list[str] = []

    def racing(home_: Path) -> dict[str, object] | None:
        pointer = real(home_)
        if not reads:  # the writer publishes and prunes right after this reader's first read
            _publish(home, "20990102T000000000000Z", ["20990102T000000000000Z"])
            old.unlink()
        reads.append(str(pointer["build_id"]))
        return pointer

    monkeypatch.setattr(published_module, "read_pointer", racing)
    pointer, con = open_published(home)
    try:
        assert pointer["build_id"] == "20990102T000000000000Z"
        assert con.execute("select build_id from main.cadence_build").fetchone()[0] == (
            "20990102T000000000000Z"
        )
        assert con.execute("select count(*) from main.facts").fetchone()[0] == 2
    finally:
        con.close()
    assert reads == ["20990101T000000000000Z", "20990102T000000000000Z"]


def test_open_published_says_what_to_do_when_the_file_is_really_gone(tmp_path):
    home = tmp_path / "home"
    with pytest.raises(NothingPublished, match="run `cadence build`"):
        open_published(home)
    _tiny_build(home, "20990101T000000000000Z", 1).unlink()
    _publish(home, "20990101T000000000000Z", ["20990101T000000000000Z"])
    with pytest.raises(NothingPublished, match="is missing"):
        open_published(home)


READER = """
import sys, time
from pathlib import Path
from cadence.published import open_published
home, stop = Path(sys.argv[1]), Path(sys.argv[2])
reads = errors = 0
while not stop.exists():
    try:
        pointer, con = open_published(home)
        try:
            build_id, rows = con.execute(
                "select (select build_id from main.cadence_build), (select count(*) from main.facts)"
            ).fetchone()
        finally:
            con.close()
        assert build_id == pointer["build_id"], (build_id, pointer)
        assert rows == int(build_id[-4:-1]), (build_id, rows)
        reads += 1
    except Exception as error:
        errors += 1
        print("ERROR", type(error).__name__, error, flush=True)
print("reads", reads, "errors", errors, flush=True)
"""


def test_readers_racing_a_writer_that_prunes_at_once_see_no_error(tmp_path):
    """Real processes: a writer publishes 60 builds, deleting the previous file right after each
    flip (as a rollback does); four readers open and query the published build meanwhile."""
    home = tmp_path / "home"
    stop = tmp_path / "stop"
    build_ids = [f"20990101T000000000{i:03d}Z" for i in range(1, 61)]
    _tiny_build(home, build_ids[0], 1)
    _publish(home, build_ids[0], [build_ids[0]])
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(home), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
            env=cli_env(home),
        )
        for _ in range(4)
    ]
    try:
        for previous, build_id in itertools.pairwise(build_ids):
            _tiny_build(home, build_id, int(build_id[-4:-1]))
            _publish(home, build_id, [build_id])
            shutil.rmtree(home / "warehouses" / previous)
    finally:
        stop.touch()
        outputs = [reader.communicate(timeout=300)[0] for reader in readers]
    for reader, output in zip(readers, outputs, strict=True):
        assert reader.returncode == 0, output
        assert "ERROR" not in output, output
        assert output.strip().splitlines()[-1].endswith("errors 0"), output
    assert json.loads((home / "published.json").read_text())["build_id"] == build_ids[-1]


def test_the_app_reruns_on_the_new_build_when_its_file_was_pruned(
    tmp_path, built_home, monkeypatch
):
    from streamlit.testing.v1 import AppTest

    from app import data

    source = Path(str(read_pointer(built_home)["published_path"]))
    home = tmp_path / "home"
    (home / "warehouses").mkdir(parents=True)
    first, second = "20990101T000000000000Z", "20990102T000000000000Z"
    for build_id in (first, second):
        path = home / "warehouses" / build_id / BUILD_FILE
        path.parent.mkdir()
        path.write_bytes(source.read_bytes())
        _stamp(path, build_id, [], "2099-01-01T00:00:00+00:00")
    _publish(home, first, [first])
    monkeypatch.setenv("CADENCE_HOME", str(home))
    real = data.published
    raced: list[str] = []

    def racing() -> data.Warehouse | None:
        warehouse = real()
        if not raced:  # a writer flips the pointer and prunes the file right after this read
            _publish(home, second, [second])
            shutil.rmtree(home / "warehouses" / first)
            raced.append(first)
        return warehouse

    monkeypatch.setattr(data, "published", racing)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("app_pages/data_health.py")
    at.run()
    assert not at.exception
    assert not [w.value for w in at.warning if "missing" in w.value]
    shown = " ".join(m.value for m in at.markdown)
    assert second in shown
    assert first not in shown
    assert raced == [first]
