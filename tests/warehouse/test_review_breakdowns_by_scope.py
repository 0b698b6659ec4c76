"""The weekly review's breakdown by model and by use case (rpt_operations_breakdown_weekly), its
latency and errors by model x use case (rpt_latency_by_model_use_case_weekly) and the quarterly
review's stage funnel (rpt_stage_funnel) for a reader's scope, against the same figures computed
by hand.

The organisation is review_organisation.py's, built once per run for every review-by-scope
file (as of its last day, 2026-11-22), with an `access.csv` naming two sponsors:
- `sponsor@example.com`: two whole portfolios (Customer Operations, Risk and Compliance), every
  business unit — the sponsor-style two-portfolio scope;
- `mixed@example.com`: Customer Operations in Customer Service plus Risk and Compliance in Risk
  — a union of two cells, not their cross product.

"By hand" means from the rows themselves, with plain Python: the request rows
(`int_requests_enriched`, one row per request) for the breakdown, a request being in a scope
when its use case's portfolio (use_cases.csv; the demo records one configuration version) and
the requester's business unit form one of the scope's cells; and the use cases' rows of
`fct_use_case_periods` for the funnel, a use case being in a scope when its portfolio and
business unit as known at the period's end form one of its cells.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from review_organisation import CUSTOMER, RISK, built_review_organisation

from cadence.published import read_pointer

pytestmark = pytest.mark.timeout(600)

# The weekly review's 13 weeks ending with the week to date (Monday 2026-11-16).
WEEK_TO_DATE = date(2026, 11, 16)
FIRST_WEEK = WEEK_TO_DATE - timedelta(weeks=12)
# 2026-Q3 is closed; 2026-Q4 runs to the build date; 2025-Q3 is a quarter long past, when most
# use cases were still proposed.
QUARTERS = (date(2025, 7, 1), date(2026, 7, 1), date(2026, 10, 1))
STAGES = ("proposed", "pilot", "production", "scaled", "retired")
MEASURES = (
    "requests",
    "errored_requests",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "reported_cost_usd",
    "priced_cost_usd",
)
FLOATS = ("cost_usd", "reported_cost_usd", "priced_cost_usd")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return built_review_organisation(tmp_path_factory)


@pytest.fixture(scope="module")
def warehouse(built: dict[str, Any]) -> Iterator[duckdb.DuckDBPyConnection]:
    pointer = read_pointer(built["home"])
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def requests(warehouse: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every request row: its week, business unit, use case, model, tokens and cost."""
    return _dicts(
        warehouse.execute(
            """
            select week_start, business_unit_id, use_case_id, model, is_error, input_tokens,
                output_tokens, cost_usd, reported_cost_usd, priced_cost_usd, is_success,
                latency_ms
            from intermediate.int_requests_enriched
            where is_model_call
            """
        )
    )


@pytest.fixture(scope="module")
def use_case_config(built: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {row["use_case_id"]: row for row in _rows(built["config"] / "use_cases.csv")}


@pytest.fixture(scope="module")
def business_units(built: dict[str, Any]) -> list[str]:
    return [row["business_unit_id"] for row in _rows(built["config"] / "business_units.csv")]


def _access_scope_id(warehouse: duckdb.DuckDBPyConnection, cells: set[tuple[str, str]]) -> str:
    """The access scope whose cells are exactly `cells`."""
    found = warehouse.execute(
        """
        select scope_id from main.dim_scope_cells
        where scope_id like 'access:%'
        group by 1
        having count(*) = ? and count(*) filter (
            where list_contains(?, portfolio_id || '|' || business_unit_id)
        ) = ?
        """,
        [len(cells), [f"{p}|{b}" for p, b in sorted(cells)], len(cells)],
    ).fetchall()
    assert len(found) == 1, found
    return found[0][0]


def _scope(
    name: str, warehouse: duckdb.DuckDBPyConnection, business_units: list[str]
) -> tuple[str, set[tuple[str, str]]]:
    """A test scope's dim_scopes id and cells."""
    if name == "pair":
        return f"portfolio_business_unit:{CUSTOMER}:bu_customer_service", {
            (CUSTOMER, "bu_customer_service")
        }
    if name == "two_portfolios":
        cells = {(p, b) for p in (CUSTOMER, RISK) for b in business_units}
    else:
        cells = {(CUSTOMER, "bu_customer_service"), (RISK, "bu_risk")}
    return _access_scope_id(warehouse, cells), cells


SCOPES = ["pair", "two_portfolios", "union_of_cells"]


def _breakdown(
    warehouse: duckdb.DuckDBPyConnection, scope_id: str, kind: str, first: date, last: date
) -> dict[tuple[date, str], dict[str, Any]]:
    rows = _dicts(
        warehouse.execute(
            """
            select * from main.rpt_operations_breakdown_weekly
            where scope_id = ? and breakdown_kind = ? and week_start between ? and ?
            """,
            [scope_id, kind, first, last],
        )
    )
    return {(row["week_start"], row["item_id"]): row for row in rows}


def _hand_breakdown(
    rows: list[dict[str, Any]], kind: str, first: date, last: date
) -> dict[tuple[date, str], dict[str, Any]]:
    """Sums per week x item of the given request rows, as SQL adds them (null when every
    value summed is null)."""
    item = "model" if kind == "model" else "use_case_id"
    sums: dict[tuple[date, str], dict[str, Any]] = defaultdict(
        lambda: dict.fromkeys(MEASURES[2:]) | {"requests": 0, "errored_requests": 0}
    )
    for row in rows:
        if not first <= row["week_start"] <= last:
            continue
        key = (row["week_start"], row[item])
        sums[key]["requests"] += 1
        sums[key]["errored_requests"] += int(row["is_error"])
        for measure in ("input_tokens", "output_tokens", "cost_usd"):
            if row[measure] is not None:
                sums[key][measure] = (sums[key][measure] or 0) + row[measure]
        for measure in ("reported_cost_usd", "priced_cost_usd"):  # coalesced to 0 per request
            sums[key][measure] = (sums[key][measure] or 0) + (row[measure] or 0)
    return dict(sums)


def _assert_same(
    shown: dict[tuple[date, str], dict[str, Any]], hand: dict[tuple[date, str], dict[str, Any]]
) -> None:
    assert set(shown) == set(hand)
    for key, expected in hand.items():
        for measure in MEASURES:
            if measure in FLOATS:
                assert shown[key][measure] == pytest.approx(
                    expected[measure], rel=1e-9, abs=1e-9
                ), (key, measure)
            else:
                assert shown[key][measure] == expected[measure], (key, measure)


@pytest.mark.parametrize("kind", ["model", "use_case"])
@pytest.mark.parametrize("scope", SCOPES)
def test_breakdown_of_a_scope_equals_the_hand_sums(
    scope, kind, warehouse, requests, use_case_config, business_units
):
    """Per week of the weekly review's 13 and per model (or use case), the scope's requests,
    errors, tokens and cost, reported and estimated, are the sums over the request rows of its
    cells — a portfolio x business-unit pair, a sponsor's two whole portfolios, and a union of
    two cells (its cross product's other two cells excluded)."""
    scope_id, cells = _scope(scope, warehouse, business_units)
    in_scope = [
        row
        for row in requests
        if (
            use_case_config.get(row["use_case_id"], {}).get("portfolio_id", "unassigned"),
            row["business_unit_id"],
        )
        in cells
    ]
    shown = _breakdown(warehouse, scope_id, kind, FIRST_WEEK, WEEK_TO_DATE)
    hand = _hand_breakdown(in_scope, kind, FIRST_WEEK, WEEK_TO_DATE)
    assert len(hand) > 13, "the scope must hold requests for the test to mean anything"
    _assert_same(shown, hand)
    for row in shown.values():
        assert row["cost_usd"] == pytest.approx(
            row["reported_cost_usd"] + row["priced_cost_usd"], rel=1e-9, abs=1e-12
        )
        assert row["error_rate_pct"] == pytest.approx(
            100.0 * row["errored_requests"] / row["requests"], rel=1e-9
        )


@pytest.mark.parametrize("kind", ["model", "use_case"])
def test_organisation_breakdown_covers_every_request(kind, warehouse, requests):
    """The organisation's rows, every week since the first, are the sums over all request rows,
    untagged usage and business units not configured included; they also equal
    fct_operations_weekly's rows added up over its other dimension."""
    first = min(row["week_start"] for row in requests)
    shown = _breakdown(warehouse, "organisation", kind, first, WEEK_TO_DATE)
    _assert_same(shown, _hand_breakdown(requests, kind, first, WEEK_TO_DATE))
    assert sum(row["requests"] for row in shown.values()) == len(requests)
    assert any(item == "unassigned" for _, item in shown) or kind == "model"
    item = "model" if kind == "model" else "use_case_id"
    public: dict[tuple[date, str], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for row in _dicts(warehouse.execute("select * from main.fct_operations_weekly")):
        for measure in MEASURES:
            public[(row["week_start"], row[item])][measure] += row[measure] or 0
    assert set(public) == set(shown)
    for key, expected in public.items():
        for measure in MEASURES:
            assert (shown[key][measure] or 0) == pytest.approx(expected[measure], rel=1e-9), key


def test_breakdowns_add_up_to_the_scopes_request_and_cost_tiles(warehouse):
    """For every scope and week, the model rows and the use-case rows each add up to the
    week's requests and cost tiles (rpt_review_tiles): the same requests, the same cells."""
    unequal = warehouse.execute(
        """
        with breakdowns as (
            select scope_id, week_start, breakdown_kind,
                sum(requests) as requests, sum(cost_usd) as cost_usd
            from main.rpt_operations_breakdown_weekly
            group by all
        ),
        tiles as (
            select scope_id, period_start as week_start,
                max(metric_value) filter (where metric = 'requests') as requests,
                max(metric_value) filter (where metric = 'cost_usd') as cost_usd
            from main.rpt_review_tiles
            where period_grain = 'week'
            group by all
        ),
        kinds as (select unnest(['model', 'use_case']) as breakdown_kind)
        select tiles.scope_id, tiles.week_start, kinds.breakdown_kind,
            tiles.requests, breakdowns.requests
        from tiles
        cross join kinds
        full join breakdowns
            on tiles.scope_id = breakdowns.scope_id
            and tiles.week_start = breakdowns.week_start
            and kinds.breakdown_kind = breakdowns.breakdown_kind
        where coalesce(tiles.requests, 0) <> coalesce(breakdowns.requests, 0)
            or abs(coalesce(tiles.cost_usd, 0) - coalesce(breakdowns.cost_usd, 0)) > 1e-9
        limit 5
        """
    ).fetchall()
    assert unequal == []
    kinds = warehouse.execute(
        """
        select count(distinct dim_scopes.scope_kind)
        from main.rpt_operations_breakdown_weekly
        inner join main.dim_scopes using (scope_id)
        """
    ).fetchone()[0]
    assert kinds == 5  # organisation, portfolios, business units, pairs, access scopes


def _bucket(latency: float) -> float:
    """A latency as the histogram buckets it: whole ms below 100 ms, else 1.01^k for the
    nearest whole k, to the microsecond (halves away from zero, as both engines round)."""
    if latency < 100:
        return math.floor(latency + 0.5)
    return round(1.01 ** math.floor(math.log(latency) / math.log(1.01) + 0.5), 3)


def _percentile_cont(values: list[float], fraction: float) -> float:
    """percentile_cont: linear interpolation between the ranks around (n - 1) x fraction."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower, upper = ordered[math.floor(position)], ordered[math.ceil(position)]
    return lower + (position - math.floor(position)) * (upper - lower)


@pytest.mark.parametrize("scope", ["organisation", *SCOPES])
def test_latency_and_errors_by_model_use_case_equal_the_hand_figures(
    scope, warehouse, requests, use_case_config, business_units
):
    """Per week of the weekly review's 13, use case and model of a scope's requests: requests,
    errors and error rate, and the p50 / p95 of the success requests' latencies as the latency
    histogram buckets them; and those percentiles are within 0.5% (0.5 ms below 100 ms) of the
    raw latencies' own."""
    if scope == "organisation":
        scope_id, in_scope = "organisation", requests
    else:
        scope_id, cells = _scope(scope, warehouse, business_units)
        in_scope = [
            row
            for row in requests
            if (
                use_case_config.get(row["use_case_id"], {}).get("portfolio_id", "unassigned"),
                row["business_unit_id"],
            )
            in cells
        ]
    groups: dict[tuple[date, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in in_scope:
        if FIRST_WEEK <= row["week_start"] <= WEEK_TO_DATE:
            groups[(row["week_start"], row["use_case_id"], row["model"])].append(row)
    shown = {
        (row["week_start"], row["use_case_id"], row["model"]): row
        for row in _dicts(
            warehouse.execute(
                """
                select * from main.rpt_latency_by_model_use_case_weekly
                where scope_id = ? and week_start between ? and ?
                """,
                [scope_id, FIRST_WEEK, WEEK_TO_DATE],
            )
        )
    }
    assert len(groups) > 13, "the scope must hold requests for the test to mean anything"
    assert set(shown) == set(groups)
    for key, rows in groups.items():
        row = shown[key]
        assert row["requests"] == len(rows), key
        assert row["errored_requests"] == sum(r["is_error"] for r in rows), key
        assert row["error_rate_pct"] == pytest.approx(
            100.0 * row["errored_requests"] / len(rows), rel=1e-9
        )
        latencies = [
            r["latency_ms"] for r in rows if r["is_success"] and r["latency_ms"] is not None
        ]
        assert row["timed_requests"] == len(latencies), key
        if not latencies:
            assert row["latency_p95_ms"] is None, key
            continue
        bucketed = [_bucket(value) for value in latencies]
        for column, fraction in (("latency_p50_ms", 0.5), ("latency_p95_ms", 0.95)):
            assert row[column] == pytest.approx(
                _percentile_cont(bucketed, fraction), rel=1e-9, abs=1e-3
            ), (key, column)
            exact = _percentile_cont(latencies, fraction)
            assert abs(row[column] - exact) <= max(0.005 * exact, 0.5) + 1e-6, (key, column)


def test_use_cases_are_labelled_by_name(warehouse, use_case_config):
    """A use case's rows carry its configured name; untagged usage stays 'unassigned'; a
    model's label is the model."""
    labels = dict(
        warehouse.execute(
            """
            select distinct item_id, item_label from main.rpt_operations_breakdown_weekly
            where breakdown_kind = 'use_case'
            """
        ).fetchall()
    )
    assert labels.pop("unassigned") == "unassigned"
    assert labels
    assert labels == {item: use_case_config[item]["name"] for item in labels}
    assert (
        warehouse.execute(
            """
            select count(*) from main.rpt_operations_breakdown_weekly
            where breakdown_kind = 'model' and item_label <> item_id
            """
        ).fetchone()[0]
        == 0
    )


def _funnel(
    warehouse: duckdb.DuckDBPyConnection, scope_id: str, start: date
) -> dict[str, dict[str, Any]]:
    rows = _dicts(
        warehouse.execute(
            """
            select * from main.rpt_stage_funnel
            where scope_id = ? and period_grain = 'quarter' and period_start = ?
            """,
            [scope_id, start],
        )
    )
    return {row["stage"]: row for row in rows}


def _hand_funnel(use_cases: list[dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
    """Per stage: use cases at it, ready among them, and that reached it (a retired use case
    reached production, not scale)."""
    order = {stage: position for position, stage in enumerate(STAGES, start=1)}
    reached = {
        row["use_case_id"]: order["production"]
        if row["stage"] == "retired"
        else order[row["stage"]]
        for row in use_cases
    }
    return {
        stage: (
            sum(row["stage"] == stage for row in use_cases),
            sum(row["stage"] == stage and row["readiness_status"] == "ready" for row in use_cases),
            sum(row["stage"] == "retired" for row in use_cases)
            if stage == "retired"
            else sum(reached[row["use_case_id"]] >= order[stage] for row in use_cases),
        )
        for stage in STAGES
    }


@pytest.mark.parametrize("scope", ["organisation", *SCOPES])
def test_funnel_counts_the_scopes_use_cases_as_known_at_the_quarter_end(
    scope, warehouse, business_units
):
    """For a long-past quarter, a closed one and the quarter to date, the funnel counts the
    stages and readiness of the scope's use cases in fct_use_case_periods (as known at that
    quarter's end); the organisation counts every use case."""
    if scope == "organisation":
        scope_id, cells = "organisation", None
    else:
        scope_id, cells = _scope(scope, warehouse, business_units)
    funnels = {}
    for start in QUARTERS:
        use_cases = [
            row
            for row in _dicts(
                warehouse.execute(
                    """
                    select use_case_id, portfolio_id, business_unit_id, stage, readiness_status
                    from main.fct_use_case_periods
                    where period_grain = 'quarter' and period_start = ?
                    """,
                    [start],
                )
            )
            if cells is None or (row["portfolio_id"], row["business_unit_id"]) in cells
        ]
        assert use_cases, "the scope must hold use cases for the test to mean anything"
        shown = _funnel(warehouse, scope_id, start)
        assert set(shown) == set(STAGES)
        funnels[start] = {
            stage: (row["use_cases"], row["ready_use_cases"], row["reached_use_cases"])
            for stage, row in shown.items()
        }
        assert funnels[start] == _hand_funnel(use_cases), start
        assert sorted(row["stage_order"] for row in shown.values()) == [1, 2, 3, 4, 5]
    if scope in ("organisation", "two_portfolios"):
        # as known then, not as known today
        assert funnels[QUARTERS[0]] != funnels[QUARTERS[-1]]


def test_funnel_agrees_with_the_state_tiles(warehouse):
    """For every scope and quarter, use cases in production or scaled and those ready equal the
    review tiles' counts (rpt_review_tiles) for the same scope and quarter."""
    unequal = warehouse.execute(
        """
        with funnel as (
            select scope_id, period_start,
                sum(use_cases) filter (where stage in ('production', 'scaled')) as in_production,
                sum(ready_use_cases) as ready
            from main.rpt_stage_funnel
            where period_grain = 'quarter'
            group by all
        ),
        tiles as (
            select scope_id, period_start,
                max(metric_value) filter (where metric = 'use_cases_in_production')
                    as in_production,
                max(metric_value) filter (where metric = 'use_cases_ready') as ready
            from main.rpt_review_tiles
            where period_grain = 'quarter'
            group by all
        )
        select funnel.*, tiles.in_production, tiles.ready
        from funnel
        full join tiles
            on funnel.scope_id = tiles.scope_id and funnel.period_start = tiles.period_start
        where funnel.in_production is distinct from tiles.in_production
            or funnel.ready is distinct from tiles.ready
        limit 5
        """
    ).fetchall()
    assert unequal == []
