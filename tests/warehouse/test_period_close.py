"""Period close and restatements (issue 15, cadence/period_close.py): a closed period keeps the
review figures recorded at its close; rows landing later for it show as a restatement beside
them (the value at the close, the value now, why); rollbacks, full refreshes and later builds
keep the close, since it lives in the ledger and not in a warehouse file.

The organisation is `tiny_organisation.py`'s (fiscal year from May: fiscal 2026-Q3 runs from
November 2025 to January 2026), built as of 2026-03-31, with four requests of $1.00 in
November 2025. Then two late requests of $2.50 dated 10 December 2025 land, and the first
request is re-sent at $3.00: the quarter now has 6 requests and costs 3 + 1 + 1 + 1 + 2.5 +
2.5 = $11.00, against 4 and $4.00 at the close."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest
from tiny_organisation import CONFIG, land_observations, write_config, write_csv

from cadence import period_close
from cadence.build import BuildFailed, build, rollback
from cadence.cli import main
from cadence.published import read_pointer
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(900)

BUILD_DATE = "2026-03-31"
Q3_START = date(2025, 11, 1)  # fiscal 2026-Q3 (the fiscal year starts in May)
APP = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
QUARTERLY = "app_pages/quarterly_executive_review.py"


def _requests(path: Path, rows: list[tuple[str, str, float]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["request_id", "occurred_at", "user_id", "tool", "provider", "model", "operation",
             "input_tokens", "output_tokens", "latency_ms", "status", "cost_usd"]
        )  # fmt: skip
        for request_id, occurred_at, cost in rows:
            writer.writerow(
                [request_id, occurred_at, "ada@example.com", "gateway", "openai", "gpt-4.1",
                 "chat", 100, 10, 900, "success", cost]
            )  # fmt: skip
    return path


def _ingest(home: Path, path: Path) -> None:
    (result,) = ingest_files(SCHEMAS["requests"], [path], home, echo=lambda _: None)
    assert result.status != "refused", result


def _rows(home: Path, model: str, start: date, where: str) -> dict[str, object]:
    """The organisation's one row of a review table for fiscal quarter `start`."""
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        rows = con.sql(
            f"select * from main.{model} where scope_id = 'organisation' "
            f"and period_grain = 'quarter' and period_start = $start and {where}",
            params={"start": start},
        ).pl()
    finally:
        con.close()
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def _tiles(home: Path, grain: str, start: date) -> dict[str, dict[str, object]]:
    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        rows = con.sql(
            "select * from main.rpt_review_tiles where scope_id = 'organisation' "
            "and period_grain = $grain and period_start = $start",
            params={"grain": grain, "start": start},
        ).pl()
    finally:
        con.close()
    return {row["metric"]: row for row in rows.iter_rows(named=True)}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("CADENCE_BUILD_DATE", BUILD_DATE)
    home, config = tmp_path / "home", write_config(tmp_path / "config")
    land_observations(home, tmp_path)
    _ingest(
        home,
        _requests(
            tmp_path / "november.csv",
            [(f"r{n}", f"2025-11-1{n}T09:00:00Z", 1.0) for n in range(1, 5)],
        ),
    )
    build(home, config, echo=lambda _: None)
    return home, config


def _as_read(markdown: str) -> str:
    """Markdown source as read: app.text.literal's escapes and word joiners removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


def test_a_closed_quarter_keeps_its_figures_and_shows_late_rows_as_a_restatement(
    home: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home_dir, config = home
    before = _tiles(home_dir, "quarter", Q3_START)
    assert before["requests"]["metric_value"] == 4
    assert not before["requests"]["is_closed"]

    assert (
        main(["close", "quarter", "2026-Q3", "--home", str(home_dir), "--config", str(config)]) == 0
    )
    assert "closed quarter 2026-Q3: their review figures are recorded" in capsys.readouterr().out
    closed_build = read_pointer(home_dir)["build_id"]  # type: ignore[index]
    tiles = _tiles(home_dir, "quarter", Q3_START)
    assert tiles["requests"]["is_closed"]
    assert tiles["requests"]["close_kind"] == "manual"
    assert tiles["requests"]["metric_value"] == 4
    assert tiles["cost_usd"]["metric_value"] == pytest.approx(4.0)
    assert not tiles["requests"]["is_restated"]
    assert (Q3_START.isoformat(), closed_build) == (
        next(iter(period_close.recorded(home_dir).keys()))[1].isoformat(),
        next(iter(period_close.recorded(home_dir).values()))[0],
    )

    # closing it again is refused; so is a quarter that has not ended
    assert (
        main(["close", "quarter", "2026-Q3", "--home", str(home_dir), "--config", str(config)]) == 1
    )
    assert "already closed" in capsys.readouterr().out
    assert (
        main(["close", "quarter", "2026-Q4", "--home", str(home_dir), "--config", str(config)]) == 1
    )
    assert "has not ended: it runs to 2026-04-30" in capsys.readouterr().out

    _ingest(
        home_dir,
        _requests(
            tmp_path / "late.csv",
            [
                ("r5", "2025-12-10T09:00:00Z", 2.5),
                ("r6", "2025-12-10T10:00:00Z", 2.5),
                ("r1", "2025-11-11T09:00:00Z", 3.0),  # corrected: it cost $3.00, not $1.00
            ],
        ),
    )
    # and a KPI observation for December: k_life was stale at the close (its latest actual,
    # September, is four months before January), it is measured now
    write_csv(
        tmp_path / "december.csv",
        [{"kpi_id": "k_life", "period_start": "2025-12-01", "grain": "month", "value": 19}],
    )
    ingest_files(
        SCHEMAS["kpi_observations"], [tmp_path / "december.csv"], home_dir, echo=lambda _: None
    )
    build(home_dir, config, echo=lambda _: None)
    tiles = _tiles(home_dir, "quarter", Q3_START)
    requests, cost = tiles["requests"], tiles["cost_usd"]
    assert (requests["metric_value"], requests["current_metric_value"]) == (4, 6)
    assert cost["metric_value"] == pytest.approx(4.0)
    assert cost["current_metric_value"] == pytest.approx(11.0)
    assert requests["is_restated"]
    assert cost["is_restated"]
    assert requests["restatement_reason"] == (
        "rows dated on or before the period end landed after the close: "
        "requests 2 late + 1 corrected; KPI observations 1"
    )
    assert (tiles["kpis_stale"]["metric_value"], tiles["kpis_stale"]["current_metric_value"]) == (
        1,
        0,
    )
    # the review tables keep the rows recorded at the close, marked restated
    kpi = _rows(home_dir, "rpt_kpi_values", Q3_START, "kpi_id = 'k_life'")
    assert (kpi["status"], kpi["actual_value"], kpi["is_restated"]) == ("stale", 13.0, True)
    plan = _rows(home_dir, "rpt_kpi_values", Q3_START, "kpi_id = 'k_plan'")
    assert plan["is_close_recorded"]
    assert not plan["is_restated"]
    life = _rows(home_dir, "rpt_use_case_scorecard", Q3_START, "use_case_id = 'uc_life'")
    assert (life["kpis_stale"], life["is_restated"]) == (1, True)
    assert not tiles["active_users"]["is_restated"]  # the same one person
    # the change against the previous quarter stays the one shown at the close
    assert requests["metric_change"] == before["requests"]["metric_change"]
    # an open period is not closed nor restated: the month holding the late rows
    december = _tiles(home_dir, "month", date(2025, 12, 1))
    assert december["requests"]["metric_value"] == 2
    assert not december["requests"]["is_closed"]

    # the page shows the closed figure and the restatement beside it
    at = AppTest.from_file(str(APP), default_timeout=60)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_HOME", str(home_dir))
        at.switch_page(QUARTERLY)
        at.run()
        at.selectbox(key="quarter").set_value(Q3_START).run()
    assert not at.exception
    shown = _as_read(" ".join(element.value for element in [*at.markdown, *at.warning]))
    assert "2026-Q3 is closed" in shown
    assert "Restated since the close" in shown
    assert "requests 2 late + 1 corrected" in shown
    assert "**Cost (reported + estimate)**: $4.00 at the close, $11.00 now" in shown
    captions = [_as_read(c.value) for c in at.caption if "Restated since the close" in c.value]
    assert any(
        c.endswith("which the table shows: Life KPI. Why: see the note above.") for c in captions
    ), "\n".join(captions)
    # the scorecard: Life cycle's stale KPI; and both rows' "latest month with data" of the
    # quarter, November at the close, December now
    assert any("which the table shows: Life cycle, Planning." in c for c in captions), captions

    # a rollback publishes the closing build again: the closed figures, not the late rows
    rollback(home_dir, echo=lambda _: None)
    rolled = _tiles(home_dir, "quarter", Q3_START)
    assert rolled["requests"]["is_closed"]
    assert rolled["requests"]["metric_value"] == 4
    # and a full refresh after it still keeps the close (it is in the ledger)
    build(home_dir, config, full_refresh=True, echo=lambda _: None)
    refreshed = _tiles(home_dir, "quarter", Q3_START)
    assert (
        refreshed["requests"]["metric_value"],
        refreshed["requests"]["current_metric_value"],
    ) == (4, 6)
    assert refreshed["requests"]["is_close_recorded"]

    # a column a review model gained after the close (rpt_kpi_values' use_case_cost_usd,
    # issue 19) has no cell recorded at the close: its recorded rows show the column as
    # computed now and are not restated for it. Simulated by removing the recorded cells of
    # kpi_name from the ledger, as a close made before that column existed would have none.
    dropped = 0
    for path in sorted(period_close.rows_dir(home_dir).glob("*.parquet")):
        table = pq.read_table(path)
        if "column_name" not in table.column_names:
            continue
        gone = pc.and_(
            pc.equal(table["model_name"], "rpt_kpi_values"),
            pc.equal(table["column_name"], "kpi_name"),
        )
        kept = table.filter(pc.invert(pc.fill_null(gone, False)))
        dropped += table.num_rows - kept.num_rows
        pq.write_table(kept, path)
    assert dropped > 0
    build(home_dir, config, echo=lambda _: None)
    plan_now = _rows(home_dir, "rpt_kpi_values", Q3_START, "kpi_id = 'k_plan'")
    assert plan_now["is_close_recorded"]
    assert not plan_now["is_restated"]
    assert plan_now["kpi_name"] == plan["kpi_name"]


def test_months_and_quarters_close_by_themselves_and_a_failed_build_closes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """close_after_days 10, build date 2026-03-31: February 2026 closed on 10 March, March is to
    date; fiscal 2026-Q3 (to January) closed on 10 February, Q4 (February to April) is open."""
    monkeypatch.setenv("CADENCE_BUILD_DATE", BUILD_DATE)
    settings = [*CONFIG["calendar"], {"setting": "close_after_days", "value": 10}]
    home, config = tmp_path / "home", write_config(tmp_path / "config", {"calendar": settings})
    land_observations(home, tmp_path)

    broken = [{**row, "stage": "moonshot"} for row in CONFIG["use_cases"]]
    broken_config = write_config(tmp_path / "broken", {"calendar": settings, "use_cases": broken})
    with pytest.raises(BuildFailed):
        build(home, broken_config, echo=lambda _: None)
    assert period_close.recorded(home) == {}
    assert not list((period_close.closes_dir(home) / period_close.PENDING).iterdir())

    build(home, config, echo=lambda _: None)
    closed = period_close.recorded(home)
    assert ("month", date(2026, 2, 1)) in closed
    assert ("quarter", Q3_START) in closed
    assert ("month", date(2026, 3, 1)) not in closed
    assert ("quarter", date(2026, 2, 1)) not in closed
    assert not any(grain == "week" for grain, _ in closed)
    february = _tiles(home, "month", date(2026, 2, 1))
    assert february["kpis_known"]["is_closed"]
    assert february["kpis_known"]["close_kind"] == "automatic"
    assert not _tiles(home, "month", date(2026, 3, 1))["kpis_known"]["is_closed"]
    # the next build reads the recorded figures and records nothing again
    files = sorted(period_close.closes_dir(home).glob("*.parquet"))
    build(home, config, echo=lambda _: None)
    assert sorted(period_close.closes_dir(home).glob("*.parquet")) == files
    assert _tiles(home, "month", date(2026, 2, 1))["kpis_known"]["is_close_recorded"]
