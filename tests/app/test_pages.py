"""AppTest tests per page against a small published warehouse: no exception, the key figures
shown equal the mart values (queried here independently of app/data.py), and filters change
them. Plus the shell: empty state, role landing, a new build picked up without restart, a
build lacking a mart, suppression under the minimum group size."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date, datetime, timedelta

import duckdb
import polars as pl
import pyarrow as pa
import pytest
from app_helpers import APP, PAGES, as_read, chart_frames, chart_title, html_bodies, metrics
from streamlit.testing.v1 import AppTest

from app import freshness


def usd(value: float) -> str:
    return f"${value:,.0f}" if abs(value) >= 1000 else f"${value:,.2f}"


TILES_SQL = (
    "select metric, metric_value from rpt_review_tiles where scope_id = 'organisation' "
    "and period_grain = $grain and period_start = $start"
)
WITH_REQUESTS_SQL = (
    "select period_start from rpt_review_tiles where scope_id = 'organisation' "
    "and period_grain = $grain and metric = 'requests' and metric_value > 0 order by 1"
)


def org_tiles(mart, grain: str, start: date) -> dict[str, float]:
    """The organisation's review tiles of one period, metric -> value (queried directly)."""
    return dict(mart(TILES_SQL, grain=grain, start=start).rows())


def periods_with_requests(mart, grain: str) -> list[date]:
    return mart(WITH_REQUESTS_SQL, grain=grain).get_column("period_start").to_list()


def quarter_end(start: date) -> date:
    month = start.month + 3
    return date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1) - timedelta(days=1)


# -------------------------------------------------------------------------------- shell


@pytest.mark.parametrize("page", ["root", *PAGES])
def test_every_page_without_a_published_warehouse_explains_what_to_do(
    page, run_page, tmp_path, monkeypatch
):
    monkeypatch.setenv("CADENCE_HOME", str(tmp_path))
    at = run_page(page)
    assert not at.exception
    assert "No warehouse is published yet" in at.info[0].value
    assert "cadence build" in at.info[0].value


@pytest.mark.parametrize(
    ("role", "title"),
    [
        ("executive", "Quarterly executive review"),
        ("sponsor", "Monthly portfolio review"),
        ("platform", "Weekly operations review"),
    ],
)
def test_role_query_parameter_picks_the_landing_review(role, title, run_page, app_home):
    at = run_page("root", query={"role": role})
    assert not at.exception
    assert at.title[0].value == title


def test_every_page_shows_build_and_freshness(run_page, app_home, published_home):
    build_id = json.loads((published_home / "published.json").read_text())["build_id"]
    for page in PAGES:
        at = run_page(page)
        assert not at.exception, page
        header = " ".join(m.value for m in at.markdown)
        assert build_id in header, page
        assert "data freshness" in header, page


def _header(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "data freshness" in m.value)


def test_the_header_compares_the_published_deadlines_with_the_clock_at_page_load(
    run_page, app_home, mart, published_home, monkeypatch
):
    """One published build, read at three times: a source whose deadline has passed shows
    stale on the next page load, named with its last event, with no build in between."""
    build_id = json.loads((published_home / "published.json").read_text())["build_id"]
    health = mart(
        "select entity, latest_event_at, fresh_until_at, error_after_at from fct_data_health "
        "order by fresh_until_at, entity"
    )
    first = health.row(0, named=True)  # the earliest deadline
    name, last_event = first["entity"].replace("_", " "), f"{first['latest_event_at']:%Y-%m-%d}"

    monkeypatch.setattr(freshness, "now", lambda: first["fresh_until_at"] - timedelta(seconds=1))
    header = _header(run_page("weekly"))
    assert f"data freshness green ({health.height} sources)" in header
    assert "stale" not in header

    monkeypatch.setattr(freshness, "now", lambda: first["fresh_until_at"])
    header = _header(run_page("weekly"))
    assert f"data freshness amber — stale: {name} (last event {last_event}) · build" in header

    last = health["error_after_at"].max()
    monkeypatch.setattr(freshness, "now", lambda: last)
    header = _header(run_page("weekly"))
    assert "data freshness red — overdue: " in header
    assert "stale" not in header
    for entity in health["entity"]:
        assert entity.replace("_", " ") in header
    assert build_id in header  # the same build throughout


def test_a_newly_published_build_is_picked_up_without_restart(
    run_page, published_path, tmp_path, monkeypatch
):
    home = tmp_path / "home"
    for build_id in ("20990101T000000000000Z", "20990102T000000000000Z"):
        (home / "warehouses" / build_id).mkdir(parents=True)
        shutil.copy(published_path, home / "warehouses" / build_id / "cadence.duckdb")

    def publish(build_id: str) -> None:
        pointer = {
            "build_id": build_id,
            "published_path": str(home / "warehouses" / build_id / "cadence.duckdb"),
            "published_at": "2099-01-01T00:00:00+00:00",
            "history": [build_id],
        }
        (home / "published.json").write_text(json.dumps(pointer))

    monkeypatch.setenv("CADENCE_HOME", str(home))
    publish("20990101T000000000000Z")
    at = run_page("data_health")
    assert "20990101T000000000000Z" in " ".join(m.value for m in at.markdown)
    publish("20990102T000000000000Z")
    at.run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "20990102T000000000000Z" in shown
    assert "20990101T000000000000Z" not in shown


def test_a_build_lacking_a_mart_says_so_instead_of_a_traceback(run_page, tmp_path, monkeypatch):
    path = tmp_path / "warehouses" / "old" / "cadence.duckdb"
    path.parent.mkdir(parents=True)
    con = duckdb.connect(str(path))
    con.execute("create table cadence_build as select 'old' as build_id, now() as published_at")
    con.close()
    pointer = {
        "build_id": "old",
        "published_path": str(path),
        "published_at": "",
        "history": ["old"],
    }
    (tmp_path / "published.json").write_text(json.dumps(pointer))
    monkeypatch.setenv("CADENCE_HOME", str(tmp_path))
    at = run_page("weekly")
    assert not at.exception
    assert "lacks a table" in at.warning[0].value
    assert "cadence build" in at.warning[0].value


def test_a_published_file_that_went_missing_says_what_to_do(run_page, tmp_path, monkeypatch):
    pointer = {
        "build_id": "gone",
        "published_path": str(tmp_path / "gone.duckdb"),
        "published_at": "",
        "history": [],
    }
    (tmp_path / "published.json").write_text(json.dumps(pointer))
    monkeypatch.setenv("CADENCE_HOME", str(tmp_path))
    at = run_page("quarterly")
    assert not at.exception
    assert "is missing" in at.warning[0].value
    assert "cadence build" in at.warning[0].value


def sidebar_text(at: AppTest) -> str:
    return " ".join(caption.value for caption in at.sidebar.caption)


def test_the_minimum_group_size_is_the_one_the_warehouse_was_built_with(run_page, strict_app_home):
    """Built with CADENCE_MIN_GROUP_SIZE=10**9 (conftest.strict_home): the pages suppress with
    the build's k (dim_thresholds), though the app's own environment does not set it."""
    at = run_page("quarterly")
    assert not at.exception
    assert metrics(at)["Active users"] == "suppressed"
    assert metrics(at)["Penetration"] == "suppressed"
    assert "Minimum group size: 1000000000 people" in sidebar_text(at)
    assert any("fewer than 1000000000 people are suppressed" in c.value for c in at.caption)


def test_the_app_environment_and_secrets_do_not_change_the_minimum_group_size(
    app_home, monkeypatch, mart
):
    """CADENCE_MIN_GROUP_SIZE is read when the warehouse is built, not by the app: setting it
    (or a `min_group_size` secret) for the app changes nothing."""
    monkeypatch.setenv("CADENCE_MIN_GROUP_SIZE", str(10**9))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["min_group_size"] = 10**9
    at.switch_page(PAGES["quarterly"]).run()
    assert not at.exception
    built_with = mart("select green_threshold from dim_thresholds where metric = 'min_group_size'")
    assert f"Minimum group size: {int(built_with.item())} people" in sidebar_text(at)
    assert metrics(at)["Active users"] != "suppressed"


# ---------------------------------------------------------------------------- quarterly


def test_quarterly_headline_equals_the_mart_and_follows_the_quarter(run_page, app_home, mart):
    at = run_page("quarterly")
    assert not at.exception
    quarter = at.selectbox(key="quarter").value
    data_through = mart(
        "select max(latest_event_at)::date as d from fct_data_health "
        "where entity in ('requests', 'activity', 'workflow_events')"
    ).item()
    complete = periods_with_requests(mart, "quarter")
    assert quarter == max(q for q in complete if quarter_end(q) <= data_through)

    for chosen in (quarter, complete[0]):
        at.selectbox(key="quarter").set_value(chosen).run()
        row = org_tiles(mart, "quarter", chosen)
        shown = metrics(at)
        assert shown["Active users"] == f"{int(row['active_users']):,}"
        assert shown["Penetration"] == f"{row['penetration_pct']:.1f}%"
        assert shown["Cost"] == usd(row["cost_usd"])
        assert shown["Policy adherence"] == f"{row['policy_adherence_pct']:.2f}%"
        assert shown["Shadow AI"] == f"{row['shadow_ai_pct']:.2f}%"
        assert (
            shown["KPIs G / A / R"]
            == f"{int(row['kpis_green'])} / {int(row['kpis_amber'])} / {int(row['kpis_red'])}"
        )


def _scorecard_rows(at) -> dict[str, tuple[str, str]]:
    """The portfolio scorecard's rows: use case name -> (stage, recommendation) as shown."""
    scorecard = next(body for body in html_bodies(at) if 'id="portfolio_scorecard"' in body)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", scorecard, flags=re.S):
        name = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, flags=re.S)
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        if name and len(cells) >= 2:
            rows[html.unescape(name.group(1).strip())] = (cells[0], cells[1])
    return rows


def test_the_quarter_picker_names_quarters_as_the_warehouse_does(run_page, app_home, mart):
    at = run_page("quarterly")
    labels = dict(
        mart(
            "select period_start, period_label from dim_periods where period_grain = 'quarter'"
        ).rows()
    )
    picker = at.selectbox(key="quarter")
    assert picker.options  # every option is the fiscal name and its months
    for option in picker.options:
        assert any(option.startswith(f"{label} (") for label in labels.values()), option


def test_a_past_quarter_shows_what_was_true_then(run_page, app_home, mart):
    """Q3 2025 as known at its end (CONTRACTS.md §5.4): no use case launched in 2026 is live,
    and its decisions are not the latest quarter's."""
    at = run_page("quarterly")
    latest = at.selectbox(key="quarter").value
    latest_decisions = [m.value for m in at.markdown if m.value.startswith("**")][1:]
    at.selectbox(key="quarter").set_value(date(2025, 7, 1)).run()
    assert not at.exception
    shown = _scorecard_rows(at)
    launched_2026 = mart(
        "select use_case_name from dim_use_cases where production_date >= '2026-01-01'"
    ).get_column("use_case_name")
    assert len(launched_2026) > 0
    for name in launched_2026:
        assert shown[name][0] in ("proposed", "pilot"), (name, shown[name])
    expected = mart(
        """
        select d.use_case_name, f.stage, coalesce(f.recommendation, 'not assessed') as verdict
        from fct_use_case_periods f inner join dim_use_cases d using (use_case_id)
        where f.period_grain = 'quarter' and f.period_start = '2025-07-01'
        """
    )
    assert shown == {row[0]: (row[1], row[2].replace("_", " ")) for row in expected.rows()}
    decisions = [m.value for m in at.markdown if m.value.startswith("**")][1:]
    assert latest > date(2025, 7, 1)
    assert decisions != latest_decisions


def test_quarterly_scorecard_and_decisions_follow_the_portfolio(run_page, app_home, mart):
    at = run_page("quarterly")
    quarter = at.selectbox(key="quarter").value
    use_cases = mart(
        """
        select d.use_case_name, d.portfolio_id, f.recommendation
        from dim_use_cases d inner join fct_use_case_periods f using (use_case_id)
        where f.period_grain = 'quarter' and f.period_start = $q
        """,
        q=quarter,
    )
    portfolio = use_cases.row(0, named=True)["portfolio_id"]
    at = run_page("quarterly", widgets={"portfolio": portfolio})
    assert not at.exception
    scorecard = next(body for body in html_bodies(at) if 'id="portfolio_scorecard"' in body)
    for row in use_cases.iter_rows(named=True):
        assert (row["use_case_name"] in scorecard) == (row["portfolio_id"] == portfolio), row
    decisions = " ".join(m.value for m in at.markdown if m.value.startswith("**"))
    for row in use_cases.filter(portfolio_id=portfolio).iter_rows(named=True):
        if row["recommendation"] in ("scale", "redesign"):
            assert f"**{row['recommendation'].title()}** · {row['use_case_name']}" in decisions


def test_quarterly_kpi_values_are_the_observed_mart_values(run_page, app_home, mart):
    at = run_page("quarterly")
    quarter = at.selectbox(key="quarter").value
    table = next(body for body in html_bodies(at) if 'id="kpi_values"' in body)
    latest = mart(
        """
        select kpi_id, actual_value, status from fct_kpi_progress
        where period_start between $q and $e
        qualify row_number() over (partition by kpi_id order by period_start desc) = 1
        """,
        q=quarter,
        e=quarter_end(quarter),
    )
    assert latest.height > 0
    for row in latest.iter_rows(named=True):
        shown = f"{row['actual_value']:,.2f}".rstrip("0").rstrip(".")
        assert f">{shown}<" in table, row


def test_quarterly_value_section_is_a_forest_plot_with_the_verdicts_in_words(
    run_page, app_home, mart
):
    at = run_page("quarterly")
    assert not at.exception
    quarter = at.selectbox(key="quarter").value
    expected = mart(
        """
        select kpi_name, effect_verdict, effect_verdict_text, effect_improvement_pct
        from rpt_kpi_values
        where scope_id = 'organisation' and period_grain = 'quarter' and period_start = $q
        order by kpi_order
        """,
        q=quarter,
    )
    assert expected.height > 0
    shown = as_read(" ".join(m.value for m in at.markdown))
    for text in expected.get_column("effect_verdict_text").drop_nulls():
        assert f"- {text}" in shown
    frames = chart_frames(at, "Effect of each KPI's launch, with its 95% interval")
    plotted = pl.concat(
        [frame.select("kpi_name", "verdict") for frame in frames if "kpi_name" in frame.columns]
    ).unique()
    # every KPI is on the plot: an interval, or "not enough evidence" on its row
    assert set(plotted.get_column("kpi_name")) == set(expected.get_column("kpi_name"))
    unjudged = expected.filter(pl.col("effect_improvement_pct").is_null())
    for name in unjudged.get_column("kpi_name"):
        assert plotted.filter(pl.col("kpi_name") == name).get_column("verdict").to_list() in (
            ["not enough evidence"],
            ["suppressed"],
        )


def test_quarterly_cost_and_modelled_value_equal_the_mart_and_stay_apart(run_page, app_home, mart):
    """Issue 19 item 4: usage cost, modelled seat cost, their total and the surveys' modelled
    value are rpt_cost_and_value's figures for the quarter and scope; the modelled value is
    labelled and not added to any cost; an improved KPI says what a unit of its effect cost;
    the satisfaction and trust trend is the mart's monthly means."""
    at = run_page("quarterly")
    assert not at.exception
    q_start = at.selectbox(key="quarter").value
    row = mart(
        "select * from rpt_cost_and_value where scope_id = 'organisation' "
        "and period_grain = 'quarter' and period_start = $s",
        s=q_start,
    ).to_dicts()[0]
    shown = metrics(at)
    assert shown["AI usage cost"] == usd(row["usage_cost_usd"])
    assert shown["Licence seats (modelled)"] == usd(row["seat_cost_usd"])
    assert shown["Total cost"] == usd(row["total_cost_usd"])
    assert row["seat_cost_usd"] > 0
    assert row["modelled_value_usd"] > 0
    assert shown["Time saved (modelled)"] == usd(row["modelled_value_usd"])
    captions = " ".join(c.value for c in at.caption)
    assert "Time saved is a modelled estimate, not an observed result" in captions
    assert f"{row['minutes_respondents']:,} survey respondents" in captions

    improved = mart(
        "select kpi_name, effect_cost_per_unit_usd, use_case_cost_usd, unit from rpt_kpi_values "
        "where scope_id = 'organisation' and period_grain = 'quarter' and period_start = $s "
        "and effect_cost_per_unit_usd is not null",
        s=q_start,
    ).to_dicts()
    assert improved, "the demo plants improved KPIs with a usage cost"
    text = as_read(" ".join(m.value for m in at.markdown))
    for kpi in improved:
        per_unit = kpi["effect_cost_per_unit_usd"]
        amount = usd(per_unit) if per_unit >= 0.01 else f"${per_unit:.2g}"
        assert f"AI usage cost {usd(kpi['use_case_cost_usd'])} this quarter, {amount} per unit" in (
            text.replace("\\$", "$")
        ), kpi["kpi_name"]

    (trend,) = chart_frames(at, "Satisfaction and trust, monthly (mean score, 1 to 5)")
    months = mart(
        "select period_start as month_start, avg_satisfaction, avg_trust from rpt_cost_and_value "
        "where scope_id = 'organisation' and period_grain = 'month' "
        "and avg_satisfaction is not null and period_start <= $e order by 1",
        e=q_start.replace(month=q_start.month + 2),
    )
    satisfaction = trend.filter(pl.col("measure") == "satisfaction").sort("month_start")
    assert satisfaction.height >= 2
    last = months.filter(
        pl.col("month_start").cast(pl.Date)
        == satisfaction.get_column("month_start").cast(pl.Date)[-1]
    )
    assert satisfaction.get_column("score")[-1] == pytest.approx(last.item(0, "avg_satisfaction"))


# ------------------------------------------------------------------------------ monthly


def test_monthly_kpis_equal_the_mart_and_follow_month_and_use_case(run_page, app_home, mart):
    at = run_page("monthly")
    assert not at.exception
    with_kpis = (
        mart(
            "select use_case_id from dim_use_cases where use_case_id in "
            "(select use_case_id from fct_kpi_progress) order by portfolio_name, use_case_name"
        )
        .get_column("use_case_id")
        .to_list()
    )
    first = mart("select min(period_start) from fct_kpi_progress").item()
    months = [
        at.selectbox(key="month").value,
        date(first.year, first.month, 1) + timedelta(days=62),
    ]
    months[1] = months[1].replace(day=1)
    for use_case_id in with_kpis[:2]:
        for month_start in months:
            at.selectbox(key="month").set_value(month_start).run()
            at.selectbox(key="monthly_use_case").set_value(use_case_id).run()
            assert not at.exception
            month_end = (month_start.replace(day=28) + timedelta(days=4)).replace(
                day=1
            ) - timedelta(days=1)
            expected = mart(
                """
                select p.kpi_id, p.actual_value, c.unit from fct_kpi_progress p
                left join config.kpis c using (kpi_id)
                where p.use_case_id = $u and p.period_start <= $e
                qualify row_number() over (partition by p.kpi_id order by p.period_start desc) = 1
                order by p.kpi_id
                """,
                u=use_case_id,
                e=month_end,
            )
            shown = [m.value for m in at.metric if m.label == "Latest actual"]
            assert shown == [
                f"{r['actual_value']:,.2f} {r['unit']}" for r in expected.iter_rows(named=True)
            ]


def test_monthly_use_case_table_follows_the_portfolio(run_page, app_home, mart):
    use_cases = mart("select use_case_name, portfolio_id from dim_use_cases")
    portfolio = use_cases.row(-1, named=True)["portfolio_id"]
    at = run_page("monthly", widgets={"portfolio": portfolio})
    table = next(body for body in html_bodies(at) if 'id="monthly_use_cases"' in body)
    for row in use_cases.iter_rows(named=True):
        assert (row["use_case_name"] in table) == (row["portfolio_id"] == portfolio)


# ------------------------------------------------------------------------------- weekly


def test_weekly_figures_equal_the_mart_and_follow_the_week(run_page, app_home, mart):
    at = run_page("weekly")
    assert not at.exception
    weeks = periods_with_requests(mart, "week")
    for week in (weeks[-1], weeks[-5]):
        at.selectbox(key="week").set_value(week).run()
        assert at.selectbox(key="week").value == week
        row = org_tiles(mart, "week", week)
        shown = metrics(at)
        assert shown["Requests"] == f"{int(row['requests']):,}"
        assert shown["Errors"] == f"{row['error_rate_pct']:.2f}%"
        assert shown["p95 latency"] == f"{row['latency_p95_ms']:,.0f} ms"
        assert shown["Cost"] == usd(row["cost_usd"])
        assert shown["Adherence"] == f"{row['policy_adherence_pct']:.2f}%"
        assert shown["Shadow AI"] == f"{row['shadow_ai_pct']:.2f}%"
        assert shown["Active users"] == f"{int(row['active_users']):,}"


def _agents_shown(at: AppTest, mart, grain: str, start: date) -> tuple[list[dict], str, str]:
    """rpt_agent_periods' organisation rows of one period, checked against the page's agents
    table (each agent's runs and success rate); with the table and the page's Markdown."""
    rows = mart(
        "select * from rpt_agent_periods where scope_id = 'organisation' "
        "and period_grain = $grain and period_start = $start",
        grain=grain,
        start=start,
    ).to_dicts()
    assert rows, f"the demo's agent spans run in every {grain}"
    table = next(body for body in html_bodies(at) if 'id="agents"' in body)
    for row in rows:
        assert f">{row['runs']:,}<" in table, row["agent_id"]
        assert f"{row['success_rate_pct']:.1f}%" in table, row["agent_id"]
    if any(row["is_shadow_agent"] for row in rows):
        assert "shadow agent" in table
    return rows, table, as_read(" ".join(m.value for m in at.markdown))


def test_weekly_and_quarterly_agents_equal_the_mart(run_page, app_home, mart):
    """Issue 17: the weekly review's Agents section and the quarterly review's agent list are
    rpt_agent_periods' rows of the period and scope; the weekly Requests tile counts model
    calls only (the week's agent and tool spans are not among them)."""
    at = run_page("weekly")
    assert not at.exception
    week = at.selectbox(key="week").value
    rows, _, text = _agents_shown(at, mart, "week", week)
    assert f"{len(rows)} agent(s) ran this week" in text
    model_calls = mart(
        "select count(*) as n from intermediate.int_requests_enriched where week_start = $w "
        "and operation not in ('invoke_agent', 'execute_tool')",
        w=week,
    ).item()
    assert metrics(at)["Requests"] == f"{model_calls:,}"

    at = run_page("quarterly")
    assert not at.exception
    rows, table, text = _agents_shown(at, mart, "quarter", at.selectbox(key="quarter").value)
    assert "Use case verdict" in table
    assert "Use case readiness" in table
    for row in rows:  # the registry joins a registered agent to its use case's readiness
        if row["readiness_status"]:
            label = row["readiness_status"].replace("_", " ")
            assert f">{label}<" in table, row["agent_id"]
    shadow = [row for row in rows if row["is_shadow_agent"]]
    if shadow:
        assert f"{len(shadow)} shadow agent(s)" in text


def test_weekly_error_chart_draws_13_weeks_and_the_thresholds(run_page, app_home, mart):
    at = run_page("weekly")
    week = at.selectbox(key="week").value
    frames = chart_frames(at, "Error rate vs thresholds")
    expected = (
        mart(
            "select metric_value as error_rate_pct from rpt_review_tiles "
            "where scope_id = 'organisation' and period_grain = 'week' "
            "and metric = 'error_rate_pct' and period_start between $s and $w "
            "order by period_start",
            s=week - timedelta(weeks=12),
            w=week,
        )
        .get_column("error_rate_pct")
        .to_list()
    )
    lines = [f for f in frames if "error_rate_pct" in f.columns]
    assert lines[0].get_column("error_rate_pct").to_list() == expected
    bounds = mart(
        "select green_threshold, amber_threshold from dim_thresholds where metric = 'error_rate_pct'"
    ).row(0)
    rules = [f.item(0, "value") for f in frames if "threshold" in f.columns]
    assert sorted(rules) == sorted(bounds)


LATENCY_CELLS_SQL = """
    select use_case_name, model, status, latency_p95_ms
    from rpt_latency_by_model_use_case_weekly
    where scope_id = $s and week_start = $w and status in ('red', 'amber')
"""
LATENCY_ROW = re.compile(
    r'headers="latency_breaches-use_case_name"[^>]*>(.*?)</td>\s*'
    r'<td headers="latency_breaches-model"[^>]*>(.*?)</td>.*?'
    r'headers="latency_breaches-latency_p95_ms"[^>]*>(.*?)</td>',
    re.DOTALL,
)


def latency_rows(at) -> list[tuple[str, str, str]]:
    """The model x use case rows of the weekly latency table: use case, model, p95 as shown."""
    bodies = [b for b in html_bodies(at) if 'id="latency_breaches"' in b]
    if not bodies:
        return []
    (body,) = bodies
    return [tuple(html.unescape(c) for c in row) for row in LATENCY_ROW.findall(body)]


@pytest.mark.parametrize(
    ("widgets", "scope_id"),
    [
        ({}, "organisation"),
        ({"portfolio": "pf_customer_operations"}, "portfolio:pf_customer_operations"),
        ({"business_unit": "bu_claims"}, "business_unit:bu_claims"),
    ],
)
def test_weekly_latency_table_lists_the_scopes_cells_beyond_a_bound_worst_first(
    widgets, scope_id, run_page, app_home, mart
):
    """Issue 15: the model x use case cells of the selected week and scope that are red or
    amber on p95 latency or error rate (rpt_latency_by_model_use_case_weekly decides), red
    first and the slowest first among them, named by use case and model."""
    at = run_page("weekly", widgets=widgets)
    assert not at.exception
    week = at.selectbox(key="week").value
    expected = mart(LATENCY_CELLS_SQL, s=scope_id, w=week)
    shown = latency_rows(at)
    assert {(u, m) for u, m, _ in shown} == set(expected.select("use_case_name", "model").rows())
    status = {(u, m): st for u, m, st, _ in expected.rows()}
    p95 = {(u, m): v for u, m, _, v in expected.rows()}
    severity = [0 if status[(u, m)] == "red" else 1 for u, m, _ in shown]
    assert severity == sorted(severity)
    reds = [p95[(u, m)] for u, m, _ in shown if status[(u, m)] == "red"]
    assert [v for v in reds if v is not None] == sorted(
        [v for v in reds if v is not None], reverse=True
    )
    for use_case, model, text in shown:
        value = p95[(use_case, model)]
        assert text == ("\u2013" if value is None else f"{value:,.0f} ms")
    red = int((expected["status"] == "red").sum())
    banner = " ".join(m.value for m in at.markdown) + " ".join(s.value for s in at.success)
    if red:
        assert f"{red} model \u00d7 use case cell(s) above the 12,000 ms p95 bound" in banner
    else:
        assert "No model \u00d7 use case cell is above the 12,000 ms p95 bound" in banner


def test_weekly_latency_table_follows_the_scope(run_page, app_home, mart):
    """A business unit's table is its own cells', not the organisation's."""
    week = mart(
        "select max(week_start) from rpt_latency_by_model_use_case_weekly "
        "where scope_id = 'organisation'"
    ).item()
    unit = mart(
        """
        select replace(unit.scope_id, 'business_unit:', '') from (
            select scope_id, list(use_case_name || model order by use_case_name, model) as cells
            from rpt_latency_by_model_use_case_weekly
            where week_start = $w and status in ('red', 'amber')
                and (scope_id = 'organisation' or scope_id like 'business_unit:%')
            group by scope_id
        ) as unit
        where unit.scope_id <> 'organisation' and unit.cells <> (
            select list(use_case_name || model order by use_case_name, model)
            from rpt_latency_by_model_use_case_weekly
            where week_start = $w and status in ('red', 'amber') and scope_id = 'organisation'
        )
        order by 1 limit 1
        """,
        w=week,
    ).item()
    organisation = latency_rows(run_page("weekly", widgets={"week": week}))
    at = run_page("weekly", widgets={"week": week, "business_unit": unit})
    assert not at.exception
    shown = latency_rows(at)
    expected = mart(LATENCY_CELLS_SQL, s=f"business_unit:{unit}", w=week)
    assert {(u, m) for u, m, _ in shown} == set(expected.select("use_case_name", "model").rows())
    assert shown != organisation


def test_weekly_latency_says_in_words_when_no_cell_breaches(run_page, app_home, monkeypatch):
    from app import data

    cells = pl.DataFrame(
        {
            "use_case_id": ["uc_claims_triage"],
            "use_case_name": ["Claims triage"],
            "model": ["gpt-4.1"],
            "status": ["green"],
            "latency_p95_status": ["green"],
            "error_rate_status": ["green"],
            "requests": [40],
            "errored_requests": [0],
            "error_rate_pct": [0.0],
            "timed_requests": [40],
            "latency_p50_ms": [900.0],
            "latency_p95_ms": [4000.0],
        }
    )
    monkeypatch.setattr(data, "latency_by_model_use_case", lambda wh, scope_id, week: cells)
    at = run_page("weekly")
    assert not at.exception
    assert any(
        s.value
        == "No model \u00d7 use case cell is above the 12,000 ms p95 bound or the 5% error bound "
        "this week, nor in the amber band."
        for s in at.success
    )
    assert latency_rows(at) == []
    monkeypatch.setattr(data, "latency_by_model_use_case", lambda wh, scope_id, week: cells.clear())
    at = run_page("weekly")
    assert any("No model call" in i.value for i in at.info)


def test_weekly_suppresses_people_figures_under_the_minimum_group_size(run_page, strict_app_home):
    at = run_page("weekly")
    assert not at.exception
    assert metrics(at)["Active users"] == "suppressed"
    assert any("fewer than 1000000000 people are suppressed" in c.value for c in at.caption)
    # every point suppressed: an empty-state message, not a chart of nulls (issue 15)
    assert any(
        i.value == "New, returning and lapsed users: every figure is suppressed (groups "
        "smaller than the minimum group size)."
        for i in at.info
    )
    with pytest.raises(AssertionError, match="no chart titled"):
        chart_frames(at, "New, returning and lapsed users")
    assert ">suppressed<" in " ".join(html_bodies(at))  # the licence table


def test_weekly_lists_shadow_models_and_hides_small_business_units(run_page, app_home, monkeypatch):
    from app import data

    shadow = pl.DataFrame(
        {
            "provider": ["deepseek", "acme"],
            "model": ["deepseek-chat", "shadow-1"],
            "is_in_catalogue": [False, True],
            "business_unit_id": ["bu_engineering", "bu_marketing"],
            "business_unit_name": ["Engineering", "Marketing"],
            "requests": [40, None],
            "requesting_users": [12, None],
            "is_suppressed": [False, True],
            "hidden_rows_count": [1, 1],
        }
    )
    monkeypatch.setattr(data, "shadow_ai_models", lambda wh, scope_id, week: shadow)
    at = run_page("weekly")
    assert not at.exception
    bodies = " ".join(html_bodies(at))
    assert "deepseek / deepseek-chat" in bodies
    assert "not in catalogue" in bodies
    assert "shadow-1" not in bodies
    assert any("1 model x business unit row(s)" in c.value for c in at.caption)


def test_weekly_flags_are_the_marts_flags(run_page, app_home, mart):
    """The weekly review lists exactly the metrics rpt_review_tiles flags for the week (a RAG
    band changed, or a move beyond week_over_week_change_pct), decided in dbt."""
    week = mart(
        """
        select max(period_start) from rpt_review_tiles
        where period_grain = 'week' and scope_id = 'organisation'
            and metric = 'requests' and metric_value > 0
        """
    ).item()
    flagged = mart(
        """
        select metric_label from rpt_review_tiles
        where period_grain = 'week' and scope_id = 'organisation' and period_start = $w
            and is_flagged and value_kind not in ('status', 'configured')
        order by metric_order
        """,
        w=week,
    )["metric_label"].to_list()
    at = run_page("weekly", widgets={"week": week})
    assert not at.exception
    banner = " ".join(m.value for m in at.markdown)
    if flagged:
        assert f"{len(flagged)} metric(s) changed RAG band or moved more than 20%" in banner
        for label in flagged:
            assert label in banner
    else:
        assert "No metric changed RAG band" in banner


# ---------------------------------------------------------------------- use-case detail


def test_use_case_detail_shows_the_use_case_and_its_evidence(run_page, app_home, mart):
    row = mart(
        """
        select d.* from dim_use_cases d
        where d.recommendation = 'redesign' or d.stage = 'scaled'
        order by d.recommendation desc limit 1
        """
    ).row(0, named=True)
    at = run_page("use_case", widgets={"use_case": row["use_case_id"]})
    assert not at.exception
    text = as_read(" ".join(m.value for m in at.markdown))
    assert row["use_case_name"] in text
    assert row["outcome_owner"] in text
    assert metrics(at)["Reviews"] == f"{row['window_reviews']:,}"


def test_use_case_detail_suppresses_weeks_with_too_few_people(run_page, app_home, mart):
    tiny = mart(
        "select use_case_id, week_start from fct_adoption_by_use_case_weekly "
        "where active_users between 1 and 4 and use_case_id <> 'unassigned' order by 1, 2 limit 1"
    )
    if tiny.is_empty():
        pytest.skip("the demo warehouse has no use case week under 5 people")
    use_case_id, week = tiny.row(0)
    at = run_page("use_case", query={"use_case": use_case_id})
    assert at.selectbox(key="use_case").value == use_case_id
    assert any("suppressed to protect individuals" in c.value for c in at.caption)
    (frame,) = chart_frames(at, "Active users per week")
    assert frame.filter(week_start=week).get_column("active_users").to_list() == [None]


# --------------------------------------------------------------------------- data health


def test_data_health_figures_equal_the_mart(run_page, app_home, mart, published_home, monkeypatch):
    health = mart("select * from fct_data_health")
    # the clock between the earliest and the latest deadline: some sources fresh, some not
    deadlines = sorted(health["fresh_until_at"].drop_nulls().to_list())
    clock = deadlines[len(deadlines) // 2]
    monkeypatch.setattr(freshness, "now", lambda: clock)
    at = run_page("data_health")
    assert not at.exception
    summary = mart("select * from rpt_data_health").row(0, named=True)
    shown = metrics(at)
    fresh = health.filter(pl.col("fresh_until_at") > clock).height
    assert 0 < fresh < health.height
    assert shown["Sources fresh now"] == f"{fresh} / {health.height}"
    assert shown["Rows visible"] == f"{health['rows_visible'].sum():,}"
    assert shown["Rows quarantined"] == f"{health['rows_quarantined'].sum():,}"
    assert shown["Files refused"] == f"{health['rejected_files'].sum():,}"
    # the tiles are rpt_data_health's, which add up fct_data_health in dbt
    assert summary["entities_count"] == health.height
    assert summary["rows_visible"] == health["rows_visible"].sum()
    bodies = " ".join(html_bodies(at))
    build_id = json.loads((published_home / "published.json").read_text())["build_id"]
    assert build_id in bodies
    for reason in (
        mart("select reason from fct_quarantine_reasons").get_column("reason").to_list()[:5]
    ):
        assert reason.split(":")[0] in bodies
    # the sample locates quarantined rows: their source files are shown
    samples = mart("select source_file, sample_number from fct_quarantine_samples")
    assert samples.height > 0
    assert samples.get_column("sample_number").max() <= 3
    for source_file in samples.get_column("source_file").unique().to_list():
        assert source_file in bodies


def test_data_health_lists_ids_missing_from_the_configuration(
    run_page, app_home, mart, monkeypatch
):
    at = run_page("data_health")
    assert not at.exception
    if mart("select count(*) as n from fct_unknown_references")["n"][0] == 0:
        assert any("Every business unit" in s.value for s in at.success)

    from app import data

    unknown = pl.DataFrame(
        {
            "entity": ["requests"],
            "column_name": ["business_unit_id"],
            "unknown_value": ["bu_nowhere"],
            "configuration_file": ["business_units"],
            "rows": [3],
            "first_seen_at": [datetime(2025, 3, 4, 9)],
            "last_seen_at": [datetime(2025, 3, 11, 9)],
        }
    )
    monkeypatch.setattr(data, "unknown_references", lambda wh: unknown)
    summary = data.data_health_summary
    monkeypatch.setattr(
        data,
        "data_health_summary",
        lambda wh: {**summary(wh), "unknown_ids_count": 1, "unknown_id_rows": 3},
    )
    at = run_page("data_health")
    assert not at.exception
    assert any("1 id(s)" in w.value and "(3 rows)" in w.value for w in at.warning)
    assert "bu_nowhere" in " ".join(html_bodies(at))


def test_data_health_ignores_the_organisational_filters(run_page, app_home):
    at = run_page("data_health")
    assert at.selectbox(key="portfolio").disabled
    assert at.selectbox(key="business_unit").disabled


def _legend_sizes(at) -> dict[str, int]:
    """Per chart title: how many distinct values its nominal colour encodings draw."""
    sizes = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        fields: set[str] = set()
        stack = [spec]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                colour = node.get("encoding", {}).get("color", {})
                if isinstance(colour, dict) and colour.get("type") == "nominal":
                    fields.add(colour["field"])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        values = set()
        for dataset in chart.proto.datasets:
            frame = pl.from_arrow(pa.ipc.open_stream(dataset.data.data).read_all())
            for field in fields & set(frame.columns):  # type: ignore[union-attr]
                values |= set(frame.get_column(field).to_list())  # type: ignore[union-attr]
        sizes[chart_title(spec)] = len(values)
    return sizes


@pytest.mark.parametrize("page", list(PAGES))
def test_no_chart_draws_more_than_eight_series(page, run_page, app_home):
    """Issue 15: the demo has 12 models and 15 use cases; every chart of every page shows at
    most 8 series (stacked bars: 7 and "Other (n)"; lines: the reader's pick)."""
    at = run_page(page)
    assert not at.exception
    sizes = _legend_sizes(at)
    assert all(size <= 8 for size in sizes.values()), sizes
    if page == "weekly":
        assert sizes["Cost by model (USD)"] == 8  # 12 models: 7 and "Other (5)"


def test_pages_run_without_exception_under_every_portfolio(run_page, app_home, mart):
    portfolios = mart("select distinct portfolio_id from dim_use_cases order by 1").get_column(
        "portfolio_id"
    )
    for page in ("quarterly", "weekly", "use_case"):
        for portfolio in portfolios:
            at = run_page(page, widgets={"portfolio": portfolio})
            assert not at.exception, (page, portfolio)


def test_pages_run_without_exception_for_a_business_unit(run_page, app_home, mart):
    unit = mart("select business_unit_id from dim_use_cases order by 1 limit 1").item()
    for page in ("quarterly", "monthly", "weekly"):
        at = run_page(page, widgets={"business_unit": unit})
        assert not at.exception, page


@pytest.mark.parametrize(
    ("page", "key", "grain"),
    [
        ("quarterly", "quarter", "quarter"),
        ("monthly", "month", "month"),
        ("weekly", "week", "week"),
    ],
)
def test_the_first_period_with_data_renders_without_a_previous_one(
    page, key, grain, run_page, app_home, mart
):
    first = periods_with_requests(mart, grain)[0]
    at = run_page(page, widgets={key: first})
    assert not at.exception
    assert at.selectbox(key=key).value == first


def test_weekly_unit_costs_and_licences_equal_the_mart(run_page, app_home, mart):
    """The unfiltered page shows the organisation's rpt_ rows as they are, suppression included."""
    at = run_page("weekly")
    week = at.selectbox(key="week").value
    bodies = " ".join(html_bodies(at))
    seats = mart(
        "select * from rpt_license_utilisation_weekly"
        " where scope_id = 'organisation' and week_start = $w",
        w=week,
    )
    assert not seats.is_empty()
    for row in seats.iter_rows(named=True):
        if row["licensed_seats"] is not None:
            assert f">{row['licensed_seats']:,}<" in bodies
        if row["license_utilisation_pct"] is not None:
            assert f">{row['license_utilisation_pct']:.1f}%<" in bodies
    top = mart(
        "select use_case_id, cost_usd from rpt_unit_costs_weekly"
        " where scope_id = 'organisation' and week_start = $w order by cost_usd desc limit 1",
        w=week,
    ).row(0, named=True)
    assert f">${top['cost_usd']:,.2f}<" in bodies
    (lines,) = chart_frames(at, "New, returning and lapsed users")
    lifecycle = mart(
        "select users_count from rpt_user_lifecycle_weekly"
        " where scope_id = 'organisation' and week_start = $w and lifecycle_group = 'new'",
        w=week,
    ).item()
    assert lines.filter(week_start=week, lifecycle_group="new").item(0, "users_count") == lifecycle


def test_weekly_lifecycle_and_licences_follow_the_scope(run_page, app_home, mart):
    """A business unit's page charts its own lifecycle rows; a portfolio's has no licence
    rows (seats belong to business units) and says why."""
    unit = "bu_customer_service"
    at = run_page("weekly", widgets={"business_unit": unit})
    assert not at.exception
    week = at.selectbox(key="week").value
    (lines,) = chart_frames(at, "New, returning and lapsed users")
    expected = mart(
        "select week_start, lifecycle_group, users_count from rpt_user_lifecycle_weekly"
        " where scope_id = $s and week_start = $w",
        s=f"business_unit:{unit}",
        w=week,
    )
    shown = lines.filter(week_start=week).select(expected.columns)
    assert sorted(shown.rows(), key=str) == sorted(expected.rows(), key=str)
    at = run_page("weekly", widgets={"portfolio": "pf_customer_operations"})
    assert not at.exception
    assert any("held by business units, not portfolios" in i.value for i in at.info)


def test_an_empty_selection_is_not_an_all_clear(run_page, app_home, mart):
    """Issue 15: a portfolio x business unit holding no use case at the quarter's end says so,
    never "No decision is flagged"."""
    at = run_page("quarterly")
    quarter = at.selectbox(key="quarter").value
    empty = mart(
        """
        select c.portfolio_id, c.business_unit_id
        from dim_scopes s inner join dim_scope_cells c using (scope_id)
        where s.scope_kind = 'portfolio_business_unit' and c.portfolio_id <> 'unassigned'
            and not exists (
                select 1 from rpt_use_case_scorecard r
                where r.scope_id = s.scope_id and r.period_grain = 'quarter'
                    and r.period_start = $q
            )
        order by 1, 2 limit 1
        """,
        q=quarter,
    )
    if empty.is_empty():
        pytest.skip("every portfolio x business unit of the demo holds a use case")
    portfolio, unit = empty.row(0)
    at = run_page("quarterly", widgets={"portfolio": portfolio, "business_unit": unit})
    assert not at.exception
    assert not any("No decision is flagged" in s.value for s in at.success)
    assert any("No use cases in this selection" in i.value for i in at.info)


def test_an_unknown_use_case_in_the_link_is_said_not_replaced_silently(run_page, app_home):
    at = run_page("use_case", query={"use_case": "uc_not_configured"})
    assert not at.exception
    (warning,) = [as_read(w.value) for w in at.warning if "uc_not_configured" in as_read(w.value)]
    shown = at.selectbox(key="use_case").value
    assert shown != "uc_not_configured"
    assert "showing" in warning
