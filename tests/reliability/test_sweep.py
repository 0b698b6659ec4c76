"""`sweep_builds`: the next writer removes what an interrupted build left in `warehouses/` and
never touches a published build, a kept one or a failed one kept for inspection."""

from __future__ import annotations

import json
from pathlib import Path

from cadence.build import sweep_builds

KEPT = ["20990103T000000000000Z", "20990102T000000000000Z"]


def test_sweep_removes_unpublished_builds_and_keeps_the_rest(tmp_path: Path) -> None:
    home = tmp_path
    warehouses = home / "warehouses"
    warehouses.mkdir()
    keep = [
        *(warehouses / f"{build_id}.duckdb" for build_id in KEPT),
        warehouses / f"{KEPT[0]}.duckdb.tmp",  # a reader of the published build spills here
        warehouses / "failed-20990101T000000000000Z.duckdb",
        warehouses / "failed-20990101T000000000000Z.duckdb.wal",
        warehouses / "notes.txt",
    ]
    gone = [
        warehouses / "20990104T000000000000Z.duckdb",  # killed during dbt
        warehouses / "20990104T000000000000Z.duckdb.wal",
        warehouses / "20990104T000000000000Z.duckdb.tmp",
        warehouses / "20990100T000000000000Z.duckdb",  # pruned from the history, not yet deleted
        warehouses / "failed-20990100T000000000000Z.duckdb.wal",  # its failed file was pruned
        home / ".published.json.tmp",  # the pointer flip was killed before its rename
    ]
    for path in keep + gone:
        if path.name.endswith(".tmp") and path.parent == warehouses:
            path.mkdir()
            (path / "spill.bin").write_bytes(b"x")
        else:
            path.write_bytes(b"x")
    (home / "published.json").write_text(
        json.dumps(
            {
                "build_id": KEPT[0],
                "published_path": str(warehouses / f"{KEPT[0]}.duckdb"),
                "published_at": "",
                "history": KEPT,
            }
        )
    )
    assert sorted(sweep_builds(home)) == sorted(gone)
    for path in keep:
        assert path.exists(), path
    for path in gone:
        assert not path.exists(), path
    assert sweep_builds(home) == []


def test_sweep_before_the_first_publish_removes_every_build_file(tmp_path: Path) -> None:
    warehouses = tmp_path / "warehouses"
    warehouses.mkdir()
    orphan = warehouses / "20990104T000000000000Z.duckdb"
    orphan.write_bytes(b"x")
    failed = warehouses / "failed-20990101T000000000000Z.duckdb"
    failed.write_bytes(b"x")
    assert sweep_builds(tmp_path) == [orphan]
    assert failed.exists()
    assert sweep_builds(tmp_path / "no-home-yet") == []


def test_sweep_knows_builds_kept_as_folders(tmp_path: Path) -> None:
    """A build may be a folder named after its id (`warehouses/<build_id>/cadence.duckdb`)."""
    warehouses = tmp_path / "warehouses"
    kept, orphan, failed, building = (
        warehouses / KEPT[0],
        warehouses / "20990104T000000000000Z",
        warehouses / "failed-20990101T000000000000Z",
        warehouses / "building",  # a build killed before it was published
    )
    for folder in (kept, orphan, failed, building):
        folder.mkdir(parents=True)
        (folder / "cadence.duckdb").write_bytes(b"x")
    (tmp_path / "published.json").write_text(
        json.dumps(
            {
                "build_id": KEPT[0],
                "published_path": str(kept / "cadence.duckdb"),
                "published_at": "",
                "history": [KEPT[0]],
            }
        )
    )
    assert sorted(sweep_builds(tmp_path)) == sorted([orphan, building])
    assert not building.exists()
    assert not orphan.exists()
    assert (kept / "cadence.duckdb").exists()
    assert (failed / "cadence.duckdb").exists()
