"""The same dbt project builds on Apache Spark and publishes the same marts as on DuckDB.

A small demo organisation is generated and ingested once; the real commands `cadence build`
(DuckDB) and `cadence build --engine spark` (dbt-spark's session method, Spark in `local[*]`,
reading the same landing zone) then build it in turn into the same home, after a first DuckDB
build has closed the months and quarters due and late rows have landed for a closed quarter
(so both engines read the same recorded closes and restate the same figures). Every table of the
published schemas (`main`: the public marts of CONTRACTS.md §3 and the others the app reads;
`config`: the seeds) must be equal: the same tables, column names and types, row counts and,
sorted by every column, the same rows (floats within 1e-9 relative or 1e-12 absolute). The
Spark build must publish through the same pointer, and the app must serve it.

Scale: 20,000 requests. Spark's cost here is per query (JVM start-up, then planning and
scheduling some 320 dbt nodes), not per row, so a larger demo adds little but time; the
timings of both builds are printed (`pytest -s`) and quoted in README "Running at scale".
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from cadence.config import DEFAULT_SEEDS
from cadence.demo.generate import generate
from cadence.demo.profile import DEFAULT_END_DATE
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

# the module's builds (DuckDB twice, then Spark: 15-20 min on two cores while `make test`'s
# other worker runs) are made in the first test's setup, which its timeout covers
pytestmark = [pytest.mark.spark, pytest.mark.timeout(3600)]

DEMO_REQUESTS = 20_000
APP = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
PAGES = [
    "app_pages/quarterly_executive_review.py",
    "app_pages/monthly_portfolio_review.py",
    "app_pages/weekly_operations_review.py",
    "app_pages/use_case_detail.py",
    "app_pages/data_health.py",
]
# CONTRACTS.md §3.
PUBLIC_MARTS = [
    "dim_use_cases",
    "fct_adoption_weekly",
    "fct_operations_weekly",
    "fct_workflow_weekly",
    "fct_trust_weekly",
    "fct_kpi_progress",
    # CONTRACTS.md §5.3
    "fct_use_case_periods",
    "fct_kpi_effects",
    "fct_usage_reconciliation",
    "dim_periods",
    "dim_scopes",
    "dim_scope_cells",
    "rpt_review_tiles",
    "rpt_review_decisions",
    # review rollups keyed by period x scope (issue 14)
    "rpt_use_case_scorecard",
    "rpt_use_case_trends",
    "rpt_kpi_values",
    "rpt_kpi_trends",
    "rpt_readiness",
    "rpt_operations_breakdown_weekly",
    "rpt_latency_by_model_use_case_weekly",
    "rpt_stage_funnel",
    "rpt_risk_by_business_unit_weekly",
    "rpt_shadow_ai_models_weekly",
    "rpt_workflow_weekly",
    "rpt_unit_costs_weekly",
    "rpt_user_lifecycle_weekly",
    "rpt_license_utilisation_weekly",
    "rpt_adoption_by_business_unit_monthly",
    "rpt_use_case_adoption_weekly",
]
# Build metadata, not data: the stamp, and the tests each build ran (a Spark build runs dbt's
# unit tests too, a DuckDB build leaves them to the test suite). The ignored column differs
# between two correct builds by construction: the build's own clock (fct_data_health's
# deadlines do not read it: they run from the latest event, to the second on both engines).
IGNORED_TABLES = {("main", "cadence_build"), ("main", "cadence_build_tests")}
IGNORED_COLUMNS = {"built_at"}
REL_TOL = 1e-9
ABS_TOL = 1e-12


def _cadence_command() -> list[str]:
    script = Path(sys.executable).with_name("cadence")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cadence.cli"]


def _build(home: Path, *extra: str) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    built = subprocess.run(
        [*_cadence_command(), "build", "--home", str(home), "--config", str(DEFAULT_SEEDS), *extra],
        # both engines build as of the same day, the organisation's last
        env={**os.environ, "CADENCE_BUILD_DATE": DEFAULT_END_DATE.isoformat()},
        capture_output=True,
        text=True,
        timeout=2700,
        check=False,
    )
    seconds = time.perf_counter() - started
    assert built.returncode == 0, built.stdout[-6000:] + built.stderr[-4000:]
    pointer = read_pointer(home)
    assert pointer is not None
    return pointer, seconds


def _land_late_requests(home: Path, generated: list[Path], late: Path) -> None:
    """Three requests dated in the closed 2026-Q3 land after its close: one re-sent with
    another cost (a correction), two under new ids (late rows)."""
    source = next(path for path in generated if path.name == "requests_2026-08.parquet")
    con = duckdb.connect()
    try:
        con.execute(
            f"""
            copy (
                select * replace (cost_usd + 1 as cost_usd)
                from (select * from read_parquet('{source}') order by request_id limit 1)
                union all
                select * replace (
                    request_id || '-late' as request_id,
                    occurred_at + interval 3 day as occurred_at
                )
                from (select * from read_parquet('{source}') order by request_id limit 2)
            ) to '{late}' (format parquet)
            """
        )
    finally:
        con.close()
    (result,) = ingest_files(SCHEMAS["requests"], [late], home, echo=lambda _: None)
    assert result.status != "refused", result


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One landing zone, built on DuckDB and then on Spark; both published files."""
    root = tmp_path_factory.mktemp("spark_equivalence")
    files = generate(root / "input", requests=DEMO_REQUESTS)
    home = root / "home"
    for entity, paths in files.items():
        results = ingest_files(SCHEMAS[entity], paths, home, echo=lambda _: None)
        assert all(result.status != "refused" for result in results), results
    _build(home)  # closes the months and quarters due (calendar.csv close_after_days)
    _land_late_requests(home, files["requests"], root / "late.parquet")
    # both engines now read the same recorded closes, and restate the closed quarter
    duck, duck_seconds = _build(home)
    spark, spark_seconds = _build(home, "--engine", "spark")
    print(  # noqa: T201 - the measurement README "Running at scale" quotes
        f"\n{DEMO_REQUESTS} requests: DuckDB build {duck_seconds:.1f}s, "
        f"Spark build {spark_seconds:.1f}s"
    )
    return {"home": home, "duckdb": duck, "spark": spark}


@pytest.fixture(scope="module")
def both(builds: dict[str, Any]) -> Any:
    """One DuckDB connection with the DuckDB build attached as `duck`, the Spark one as `spark`."""
    con = duckdb.connect()
    for alias in ("duckdb", "spark"):
        path = str(builds[alias]["published_path"]).replace("'", "''")
        attach = f"attach '{path}' as {alias}_build (read_only)"
        con.execute(attach)
    yield con
    con.close()


def _tables(con: duckdb.DuckDBPyConnection, database: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = $database and schema_name in ('main', 'config')",
        {"database": database},
    ).fetchall()
    return {(schema, table) for schema, table in rows} - IGNORED_TABLES


def _columns(
    con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str
) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = $database and schema_name = $schema and table_name = $table "
        "order by column_index",
        {"database": database, "schema": schema, "table": table},
    ).fetchall()


def _sorted_rows(
    con: duckdb.DuckDBPyConnection,
    database: str,
    schema: str,
    table: str,
    columns: list[tuple[str, str]],
) -> list[tuple[Any, ...]]:
    """The rows, compared columns only, sorted by the exact columns (the grain is among them)
    and then by the floats, so float noise never reorders rows."""
    exact = [name for name, kind in columns if kind not in ("DOUBLE", "FLOAT")]
    floats = [name for name, kind in columns if kind in ("DOUBLE", "FLOAT")]
    selected = ", ".join(f'"{name}"' for name in exact + floats)
    query = f'select {selected} from {database}."{schema}"."{table}" order by all nulls first'
    return con.execute(query).fetchall()


def _close(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return left == right


def test_spark_build_is_published_through_the_same_pointer(builds: dict[str, Any]) -> None:
    duck, spark = builds["duckdb"], builds["spark"]
    assert spark["engine"] == "spark"
    assert spark["build_id"] != duck["build_id"]
    assert spark["history"][:2] == [spark["build_id"], duck["build_id"]]
    assert Path(str(spark["published_path"])).exists()
    con = duckdb.connect(str(spark["published_path"]), read_only=True)
    try:
        stamped = con.execute("select build_id from main.cadence_build").fetchone()
    finally:
        con.close()
    assert stamped == (spark["build_id"],)
    # Nothing of Spark's in the working directory or the repository: all under the home.
    repository = Path(__file__).resolve().parents[2]
    for leftover in ("metastore_db", "derby.log", "spark-warehouse"):
        assert not (repository / leftover).exists(), leftover
        assert not (Path.cwd() / leftover).exists(), leftover
    assert not (builds["home"] / "spark" / "builds" / spark["build_id"] / "warehouse").exists()


def test_spark_publishes_every_table_the_duckdb_build_does(both: Any) -> None:
    duck_tables = _tables(both, "duckdb_build")
    assert {("main", mart) for mart in PUBLIC_MARTS} <= duck_tables
    assert _tables(both, "spark_build") == duck_tables


def test_every_published_table_is_equal_on_spark_and_duckdb(both: Any) -> None:
    differences: list[str] = []
    compared = 0
    for schema, table in sorted(_tables(both, "duckdb_build")):
        columns = _columns(both, "duckdb_build", schema, table)
        spark_columns = _columns(both, "spark_build", schema, table)
        if columns != spark_columns:
            differences.append(f"{schema}.{table}: columns {columns} != {spark_columns}")
            continue
        kept = [(name, kind) for name, kind in columns if name not in IGNORED_COLUMNS]
        duck_rows = _sorted_rows(both, "duckdb_build", schema, table, kept)
        spark_rows = _sorted_rows(both, "spark_build", schema, table, kept)
        if len(duck_rows) != len(spark_rows):
            differences.append(f"{schema}.{table}: {len(duck_rows)} != {len(spark_rows)} rows")
            continue
        names = [name for name, kind in kept if kind not in ("DOUBLE", "FLOAT")] + [
            name for name, kind in kept if kind in ("DOUBLE", "FLOAT")
        ]
        for duck_row, spark_row in zip(duck_rows, spark_rows, strict=True):
            unequal = [
                f"{name}: {left!r} != {right!r}"
                for name, left, right in zip(names, duck_row, spark_row, strict=True)
                if not _close(left, right)
            ]
            if unequal:
                differences.append(f"{schema}.{table}: {unequal[:3]} in row {duck_row}")
                break
        compared += 1
    assert not differences, "\n".join(differences)
    assert compared >= 30  # every mart, seed and review rollup


#: Public marts the demo organisation gives no rows: its canonical files hold no provider usage
#: or cost report (usage_daily), so there is nothing to reconcile. Both engines still publish
#: the table with its contract's columns (test_every_published_table_is_equal_...).
EMPTY_IN_THE_DEMO = {"fct_usage_reconciliation"}


def test_public_marts_have_rows_on_spark(both: Any) -> None:
    for mart in PUBLIC_MARTS:
        if mart in EMPTY_IN_THE_DEMO:
            continue
        query = f'select count(*) from spark_build.main."{mart}"'
        (rows,) = both.execute(query).fetchone()
        assert rows > 0, mart


@pytest.mark.parametrize("page", PAGES)
def test_the_app_serves_the_spark_build(
    page: str, builds: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CADENCE_HOME", str(builds["home"]))
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.switch_page(page)
    at.run()
    assert not at.exception, page
    header = " ".join(markdown.value for markdown in at.markdown)
    assert json.loads((builds["home"] / "published.json").read_text())["build_id"] in header
