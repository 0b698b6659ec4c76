"""CSV, JSON Lines, JSON arrays and Parquet (typed or all text) land identically; header
whitespace is forgiven; allow-listed extra columns are kept as text; folders and globs expand."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import (
    ENTITIES,
    KEY,
    canonical,
    expected_frame,
    ingest,
    landed,
    quarantined,
    query,
    raw_row,
    typed_row,
    write_csv,
    write_json_array,
    write_jsonl,
    write_parquet,
)
from polars.testing import assert_frame_equal

from ingestion.entities.registry import SCHEMAS
from ingestion.errors import FileRefused
from ingestion.landing import expand_paths, ingest_files
from ingestion.pseudonymise import pseudonym

#: Per entity, an optional column left empty in row 3, and what it lands as.
EMPTY_IN_ROW_3: dict[str, tuple[str, Any]] = {
    "requests": ("cost_usd", None),
    "activity": ("is_active", True),
    "workflow_events": ("quality_score", None),
    "kpi_observations": ("source", None),
    "survey_responses": ("trust", None),
    "enablement_events": ("level", None),
    "people": ("valid_to", None),
    "licenses": ("removed_on", None),
}


def _rows(entity: str) -> list[dict[str, str]]:
    """Rows 1-3 valid (row 3 with an empty optional value), row 4 missing a required value."""
    column, _ = EMPTY_IN_ROW_3[entity]
    first_required = SCHEMAS[entity].required[0]
    return [
        raw_row(entity, 1),
        raw_row(entity, 2),
        {**raw_row(entity, 3), column: ""},
        {**raw_row(entity, 4), first_required: ""},
    ]


def _expected(entity: str) -> list[dict[str, Any]]:
    column, value = EMPTY_IN_ROW_3[entity]
    return [typed_row(entity, 1), typed_row(entity, 2), {**typed_row(entity, 3), column: value}]


def _as_json_value(entity: str, column: str, text: str) -> Any:
    """A value as a JSON exporter that keeps native types would write it."""
    if text == "":
        return None
    kind = SCHEMAS[entity].column(column).kind if column in SCHEMAS[entity].column_names else ""
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return text == "true"
    return text


def _nulls(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [{k: (v if v != "" else None) for k, v in row.items()} for row in rows]


def _typed_types(entity: str, timestamp: str) -> dict[str, str]:
    types = {c.name: c.duckdb_type for c in SCHEMAS[entity].columns}
    types = {k: (timestamp if v == "TIMESTAMP" else v) for k, v in types.items()}
    return types | {name: "VARCHAR" for name in SCHEMAS[entity].dropped}


Writer = Callable[[str, Path], Path]
WRITERS: dict[str, Writer] = {
    "csv": lambda e, d: write_csv(d / f"{e}.csv", _rows(e)),
    "csv-gzip": lambda e, d: _gzip(write_csv(d / f"{e}.plain.csv", _rows(e)), d / f"{e}.csv.gz"),
    "jsonl-text": lambda e, d: write_jsonl(d / f"{e}.text.jsonl", _nulls(_rows(e))),
    "jsonl-native": lambda e, d: write_jsonl(
        d / f"{e}.native.ndjson",
        [{k: _as_json_value(e, k, v) for k, v in row.items()} for row in _rows(e)],
    ),
    "json-array": lambda e, d: write_json_array(d / f"{e}.json", _nulls(_rows(e))),
    "parquet-typed": lambda e, d: write_parquet(
        d / f"{e}.typed.parquet", _rows(e), _typed_types(e, "TIMESTAMP")
    ),
    "parquet-typed-tz": lambda e, d: write_parquet(
        d / f"{e}.tz.parquet", _rows(e), _typed_types(e, "TIMESTAMPTZ")
    ),
    "parquet-text": lambda e, d: write_parquet(
        d / f"{e}.text.parquet", _rows(e), dict.fromkeys(_rows(e)[0], "VARCHAR")
    ),
}


def _gzip(plain: Path, target: Path) -> Path:
    target.write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    return target


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_format_lands_the_same_typed_values(
    entity: str, blank_home: Path, tmp_path: Path, inputs: Path
) -> None:
    """Each format into its own home (some formats give byte-identical files for some
    entities, which would rightly be skipped as duplicates)."""
    expected = expected_frame(entity, _expected(entity))
    reason = f"{SCHEMAS[entity].required[0]}: required value missing"
    for fmt, write in WRITERS.items():
        path = write(entity, inputs)
        home = tmp_path / fmt
        shutil.copytree(blank_home, home)

        [result] = ingest(entity, [path], home)

        counts = (result.status, result.rows_read, result.rows_landed, result.rows_quarantined)
        assert counts == ("landed", 4, 3, 1), (fmt, result.message)
        got = landed(home, entity)
        try:
            assert_frame_equal(canonical(got, entity), expected)
        except AssertionError as error:
            raise AssertionError(f"{entity} from {fmt}: {error}") from error
        assert got["_source_row"].to_list() == [1, 2, 3], fmt
        assert set(got["_source_file"]) == {path.name}, fmt
        assert not {"prompt", "response"} & set(got.columns), fmt
        held = quarantined(home, entity)
        assert held.select("_source_row", "_reason").rows() == [(4, reason)], fmt


def test_header_names_with_stray_whitespace_are_accepted(home: Path, inputs: Path) -> None:
    row = raw_row("requests", 1)
    header = [f"  {name}\t" if i % 2 else f"{name} " for i, name in enumerate(row)]
    csv_path = write_csv(inputs / "spaced.csv", [row], header=header)
    json_path = write_jsonl(inputs / "spaced.jsonl", [{f" {k} ": v for k, v in row.items()}])
    bom = inputs / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + write_csv(inputs / "plain.csv", [row]).read_bytes())
    (inputs / "plain.csv").unlink()

    results = ingest("requests", [csv_path, json_path, bom], home)

    assert [(r.status, r.rows_landed) for r in results] == [("landed", 1)] * 3
    assert_frame_equal(
        canonical(landed(home, "requests"), "requests"),
        expected_frame("requests", [typed_row("requests", 1)] * 3),
    )


def test_allow_listed_extra_columns_are_kept_as_text(home: Path, inputs: Path) -> None:
    """Undeclared columns named in extra_columns.csv land as VARCHAR after the canonical ones,
    in landing and quarantine; the others are dropped and named in the result; an input column
    named like a lineage column cannot overwrite the lineage, even when allow-listed."""
    rows = [
        {
            **raw_row("licenses", 1),
            "cost_center": "CC-42",
            "seats": "3",
            "_source_row": "999",
            "region": "emea",
        },
        {
            **raw_row("licenses", 2),
            "cost_center": "",
            "seats": "7",
            "_source_row": "999",
            "region": "emea",
            "tool": "",
        },
    ]
    csv_path = write_csv(inputs / "l.csv", rows)
    types = {c: "VARCHAR" for c in rows[0]} | {"seats": "INTEGER", "assigned_on": "DATE"}
    parquet_path = write_parquet(inputs / "l.parquet", rows, types)
    json_path = write_jsonl(inputs / "l.jsonl", [{**raw_row("licenses", 3), "seats": 12.5}])
    allowed = {"licenses": frozenset({"cost_center", "seats", "_source_row"})}

    results = ingest_files(
        SCHEMAS["licenses"], [csv_path, parquet_path, json_path], home, extra_columns=allowed
    )

    assert [r.dropped for r in results] == [("_source_row", "region")] * 2 + [()]
    got = landed(home, "licenses")
    assert "region" not in got.columns
    assert got.select("_source_file", "_source_row", "cost_center", "seats").rows() == [
        ("l.csv", 1, "CC-42", "3"),
        ("l.jsonl", 1, None, "12.5"),
        ("l.parquet", 1, "CC-42", "3"),
    ]
    held = quarantined(home, "licenses")
    assert "region" not in held.columns
    assert held.select("_source_file", "_source_row", "cost_center", "seats", "_reason").rows() == [
        ("l.csv", 2, None, "7", "tool: required value missing"),
        ("l.parquet", 2, None, "7", "tool: required value missing"),
    ]
    for area in ("landing", "quarantine"):
        glob = str(home / area / "licenses" / "batch_id=2*" / "*.parquet")
        described = query(
            "describe select * from read_parquet($g, union_by_name=true, hive_partitioning=false)",
            {"g": glob},
        )
        types_found = dict(described.select("column_name", "column_type").iter_rows())
        assert (types_found["cost_center"], types_found["seats"]) == ("VARCHAR", "VARCHAR")
        names = described["column_name"].to_list()
        declared = list(SCHEMAS["licenses"].column_names)
        assert names[: len(declared)] == declared


def test_expand_paths_walks_folders_and_globs(inputs: Path) -> None:
    (inputs / "2026" / "03").mkdir(parents=True)
    files = {
        name: inputs / name
        for name in (
            "a.csv",
            "b.jsonl",
            "2026/c.parquet",
            "2026/03/d.csv.gz",
            "2026/03/e.ndjson",
            "2026/03/notes.txt",
            "2026/.hidden.csv",
        )
    }
    for path in files.values():
        path.write_text("x")

    found = expand_paths([inputs])
    assert [p.relative_to(inputs).as_posix() for p in found] == [
        "2026/03/d.csv.gz",
        "2026/03/e.ndjson",
        "2026/c.parquet",
        "a.csv",
        "b.jsonl",
    ]
    assert expand_paths([str(inputs / "*.csv")]) == [files["a.csv"]]
    assert expand_paths([str(inputs / "**" / "*.csv*")]) == [
        files["2026/03/d.csv.gz"],
        files["a.csv"],
    ]
    # A file named twice (directly and through its folder) is ingested once, in first order.
    assert expand_paths([files["b.jsonl"], inputs / "2026" / "03"]) == [
        files["b.jsonl"],
        files["2026/03/d.csv.gz"],
        files["2026/03/e.ndjson"],
    ]
    # A file named explicitly is passed on whatever its extension (ingest then refuses it).
    assert expand_paths([files["2026/03/notes.txt"]]) == [files["2026/03/notes.txt"]]

    with pytest.raises(FileRefused, match="no such file or folder"):
        expand_paths([inputs / "missing.csv"])
    with pytest.raises(FileRefused, match="no file matches this pattern"):
        expand_paths([str(inputs / "*.xlsx")])


def test_expanded_folder_lands_every_file(home: Path, inputs: Path) -> None:
    (inputs / "week1").mkdir()
    write_csv(inputs / "week1" / "a.csv", [raw_row("kpi_observations", 1)])
    write_jsonl(inputs / "week1" / "b.jsonl", [raw_row("kpi_observations", 2)])
    write_parquet(
        inputs / "c.parquet",
        [raw_row("kpi_observations", 3)],
        dict.fromkeys(raw_row("kpi_observations", 3), "VARCHAR"),
    )

    results = ingest("kpi_observations", expand_paths([inputs]), home)

    assert [r.status for r in results] == ["landed"] * 3
    assert sorted(landed(home, "kpi_observations")["kpi_id"].to_list()) == [
        "kpi-1",
        "kpi-2",
        "kpi-3",
    ]


def test_typed_parquet_with_other_native_types(home: Path, inputs: Path) -> None:
    """Exporters pick their own Parquet types: integral doubles, small ints, decimals,
    millisecond timestamps, numeric ids. Values cast like their text; 1.5 is still no integer."""
    rows = [
        {**raw_row("requests", 1), "user_id": "12345", "input_tokens": "1200.0"},
        {**raw_row("requests", 2), "user_id": "12345", "input_tokens": "1.5"},
    ]
    types = _typed_types("requests", "TIMESTAMP_MS") | {
        "user_id": "BIGINT",
        "input_tokens": "DOUBLE",
        "output_tokens": "INTEGER",
        "latency_ms": "DECIMAL(10, 2)",
        "feedback_score": "TINYINT",
    }
    parquet_path = write_parquet(inputs / "native.parquet", rows, types)
    csv_path = write_csv(inputs / "same-user.csv", [{**raw_row("requests", 3), "user_id": "12345"}])

    results = ingest("requests", [parquet_path, csv_path], home)

    assert [(r.rows_landed, r.rows_quarantined) for r in results] == [(1, 1), (1, 0)]
    got = landed(home, "requests")
    expected = {**typed_row("requests", 1), "user_id": pseudonym(KEY, "12345")}
    assert_frame_equal(canonical(got.head(1), "requests"), expected_frame("requests", [expected]))
    assert got["user_id"].to_list() == [pseudonym(KEY, "12345")] * 2  # same person, any type
    held = quarantined(home, "requests").row(0, named=True)
    assert (held["_reason"], held["input_tokens"], held["occurred_at"]) == (
        "input_tokens: not a valid integer",
        "1.5",
        "2026-03-02 09:30:00",
    )
