"""Paths mean what they name (issue 16, item 1): a file whose name holds `*`, `?`, `[` (or a
backslash) is that file, in the argument expansion and in DuckDB's readers, and the ledger
records each file read; only an argument that names nothing is a pattern. Something that is
no regular file (a FIFO, /dev/zero) is refused for what it is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_helpers import (
    ingest,
    landed,
    ledger_batches,
    raw_row,
    write_csv,
    write_jsonl,
    write_parquet,
)

from cadence.cli import main
from ingestion.errors import FileRefused
from ingestion.landing import expand_paths, file_sha256


def _requests(path: Path, prefix: str, count: int) -> Path:
    return write_csv(
        path,
        [raw_row("requests", i) | {"request_id": f"{prefix}-{i}"} for i in range(1, count + 1)],
    )


def _landed_by_file(home: Path) -> dict[str, list[str]]:
    rows = landed(home, "requests").select("_source_file", "request_id").rows()
    found: dict[str, list[str]] = {}
    for source, request in rows:
        found.setdefault(source, []).append(request)
    return {name: sorted(ids) for name, ids in found.items()}


def test_a_name_with_brackets_is_that_file_not_the_file_it_matches(
    home: Path, inputs: Path
) -> None:
    """`report[1].csv` beside `report1.csv` landed report1.csv's rows under report[1].csv."""
    _requests(inputs / "report1.csv", "plain", 1)
    named = _requests(inputs / "report[1].csv", "bracket", 2)

    paths = expand_paths([str(named)])
    assert paths == [named]
    [result] = ingest("requests", paths, home)

    assert (result.status, result.rows_landed) == ("landed", 2)
    assert _landed_by_file(home) == {"report[1].csv": ["bracket-1", "bracket-2"]}
    [batch] = ledger_batches(home).rows(named=True)
    assert (batch["source_file"], batch["file_sha256"], batch["rows_read"]) == (
        "report[1].csv",
        file_sha256(named),
        2,
    )
    assert list((home / "tmp").iterdir()) == []  # the link DuckDB read through is gone


def test_a_folder_with_a_star_in_a_file_name_lands_each_file_once(
    home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`star*.csv` (5 rows) beside `starA.csv` (5 rows) was one batch of 10 rows named
    `star*.csv`, then `starA.csv` landed again."""
    folder = inputs / "drop"
    folder.mkdir()
    star = _requests(folder / "star*.csv", "star", 5)
    other = _requests(folder / "starA.csv", "other", 5)

    assert main(["ingest", "--home", str(home), "requests", str(folder)]) == 0

    assert _landed_by_file(home) == {
        "star*.csv": [f"star-{i}" for i in range(1, 6)],
        "starA.csv": [f"other-{i}" for i in range(1, 6)],
    }
    batches = ledger_batches(home).select("source_file", "file_sha256", "rows_read").rows()
    assert sorted(batches) == [
        ("star*.csv", file_sha256(star), 5),
        ("starA.csv", file_sha256(other), 5),
    ]
    # Named directly, `star*.csv` is that file: already landed, nothing else is read.
    capsys.readouterr()
    assert main(["ingest", "--home", str(home), "requests", str(star)]) == 0
    assert "star*.csv: skipped, already landed" in capsys.readouterr().out
    assert ledger_batches(home).height == 2


@pytest.mark.parametrize(
    "name",
    ["what?.jsonl", "a*b.parquet", "back\\slash.csv", "brace{1}[x].csv", "q?.csv.gz"],
)
def test_pattern_characters_in_any_format_read_exactly_that_file(
    home: Path, inputs: Path, name: str
) -> None:
    rows = [raw_row("kpi_observations", 1)]
    decoy_rows = [raw_row("kpi_observations", 2), raw_row("kpi_observations", 3)]
    decoy_name = name.replace("?", "X").replace("*", "Z").replace("\\", "").replace("[x]", "x")
    for target, content in ((inputs / name, rows), (inputs / decoy_name, decoy_rows)):
        if ".parquet" in target.name:
            write_parquet(target, content, dict.fromkeys(content[0], "VARCHAR"))
        elif ".jsonl" in target.name:
            write_jsonl(target, content)
        elif target.name.endswith(".gz"):
            import gzip

            plain = write_csv(inputs / "plain.csv", content)
            target.write_bytes(gzip.compress(plain.read_bytes()))
            plain.unlink()
        else:
            write_csv(target, content)

    [result] = ingest("kpi_observations", expand_paths([str(inputs / name)]), home)

    assert (result.status, result.rows_landed) == ("landed", 1)
    assert landed(home, "kpi_observations")["kpi_id"].to_list() == ["kpi-1"]


def test_an_argument_that_names_nothing_is_still_a_pattern(inputs: Path) -> None:
    a = _requests(inputs / "a.csv", "a", 1)
    b = _requests(inputs / "b.csv", "b", 1)
    assert expand_paths([str(inputs / "*.csv")]) == [a, b]
    assert expand_paths([str(inputs / "[ab].csv")]) == [a, b]
    with pytest.raises(FileRefused, match="no such file or folder, and no file matches"):
        expand_paths([str(inputs / "report[2].csv")])


def test_a_fifo_or_a_device_is_refused_for_what_it_is(inputs: Path) -> None:
    """/dev/zero and a FIFO were refused with "no such file or folder"."""
    fifo = inputs / "requests.csv"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match=r"is a named pipe \(FIFO\), not a regular file"):
        expand_paths([fifo])
    with pytest.raises(FileRefused, match="is a character device, not a regular file"):
        expand_paths(["/dev/zero"])
    dangling = inputs / "gone.csv"
    dangling.symlink_to(inputs / "nowhere.csv")
    with pytest.raises(FileRefused, match=r"is a link to .*nowhere\.csv, which does not exist"):
        expand_paths([dangling])
