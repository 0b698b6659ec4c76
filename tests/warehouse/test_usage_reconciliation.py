"""Never the same spend twice (issue 18 item 5): a gateway's per-call requests and the
provider's usage and cost exports of the same calls, landed through the real ingestion and
built by `cadence build` as of 2026-03-05, every figure worked out by hand.

- The gateway logs three openai chat calls on 2026-03-02 (input 100, 200, 300; output 10, 20,
  30; reported cost 0.01 each) and one `invoke_agent` span above them (not a model call).
- The provider's Usage API export (tests/connectors/fixtures/openai_usage_completions.json)
  reports 2026-03-02: 12 requests, 4100 + 400 = 4500 input and 1250 + 100 = 1350 output
  tokens; 2026-03-03: zeros. Its Costs API export (openai_costs.jsonl): 0.0329 USD on
  2026-03-02, 1.5 on 2026-03-03.
- Operations counts each call once: 3 requests, 600 input, 60 output, 0.03 USD in the week
  of 2026-03-02 — the aggregates are not added.
- Reconciliation 2026-03-02 openai_usage: 12 - 3 = 9 requests, 4500 - 600 = 3900 input, 1350
  - 60 = 1290 output; openai_costs: 0.0329 - 0.03 = 0.0029 USD. 2026-03-03: no call, so the
  costs row's difference is the whole 1.5.
- An EUR cost row without a `usd_per:EUR` rate stays unconverted (null, flagged), never 0;
  a GBP row with `usd_per:GBP` 1.25 converts 2 GBP to 2.5 USD.
- GitHub's metered usage report (the `github-billing` connector) bills Copilot's metered use
  0 + 2.00 USD on 2026-03-02 and 1.02 on 2026-03-03 (a seat month, an Actions and a Packages
  row beside them are skipped): source github_billing, provider github_copilot, 3.02 USD over
  the window, none of it in a per-call log (cadence holds no Copilot call), so all of it,
  100 %, is the difference.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tiny_organisation import write_config, write_csv

from cadence.build import build
from cadence.published import read_pointer
from ingestion.connectors import github_billing, openai_usage
from ingestion.entities.registry import SCHEMAS
from ingestion.landing import ingest_files

pytestmark = pytest.mark.timeout(600)

FIXTURES = Path(__file__).parents[1] / "connectors" / "fixtures"
TOL = 1e-9


def _request(request_id: str, operation: str, tokens_in: int, tokens_out: int) -> dict:
    return {
        "request_id": request_id,
        "occurred_at": "2026-03-02T10:00:00Z",
        "user_id": "u1",
        "business_unit_id": "bu_a",
        "use_case_id": "uc_life",
        "tool": "gateway",
        "provider": "openai",
        "model": "gpt-4o-2024-08-06",
        "operation": operation,
        "input_tokens": tokens_in,
        "output_tokens": tokens_out,
        "latency_ms": 100,
        "status": "success",
        "cost_usd": 0.01 if operation == "chat" else "",
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reconciliation")
    config = write_config(root / "config")
    write_csv(
        config / "value_assumptions.csv",
        [
            {"assumption": "loaded_hourly_cost_usd", "value": 80, "unit": "USD", "source": "t"},
            {"assumption": "usd_per:GBP", "value": 1.25, "unit": "USD per GBP", "source": "t"},
        ],
    )
    home = root / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CADENCE_PSEUDONYM_KEY", "ab" * 32)
        requests = root / "gateway.csv"
        write_csv(
            requests,
            [
                _request("r1", "chat", 100, 10),
                _request("r2", "chat", 200, 20),
                _request("r3", "chat", 300, 30),
                _request("r4", "invoke_agent", 600, 60),
            ],
        )
        (landed,) = ingest_files(SCHEMAS["requests"], [requests], home, echo=lambda _: None)
        assert (landed.rows_landed, landed.rows_quarantined) == (4, 0)
        exports = [FIXTURES / "openai_usage_completions.json", FIXTURES / "openai_costs.jsonl"]
        results = openai_usage.load(exports, home)
        assert [r.rows_landed for r in results] == [3, 2]
        other = root / "invoice.csv"
        write_csv(
            other,
            [
                {
                    "usage_date": "2026-03-02",
                    "provider": "acme",
                    "source": "acme_invoice",
                    "cost": 4,
                    "currency": "EUR",
                },
                {
                    "usage_date": "2026-03-02",
                    "provider": "brit",
                    "source": "brit_invoice",
                    "cost": 2,
                    "currency": "GBP",
                },
            ],
        )
        ingest_files(SCHEMAS["usage_daily"], [other], home, echo=lambda _: None)
        bill = root / "github_usage_report.csv"
        bill.write_text(
            (FIXTURES / "github_metered_usage_detailed.csv")
            .read_text()
            .replace("2026-06-02", "2026-03-02")
            .replace("2026-06-03", "2026-03-03")
        )
        (billed,) = github_billing.load([bill], home)
        assert (billed.rows_landed, sum(dict(billed.skipped).values())) == (2, 3)
        patch.setenv("CADENCE_BUILD_DATE", "2026-03-05")
        build(home, config, echo=lambda _: None)
    pointer = read_pointer(home)
    assert pointer is not None
    return Path(str(pointer["published_path"]))


def _rows(published: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.sql(sql).pl().to_dicts()
    finally:
        con.close()


def test_operations_count_each_call_once(published: Path) -> None:
    rows = _rows(
        published,
        "select sum(requests) as requests, sum(input_tokens) as tokens_in, "
        "sum(output_tokens) as tokens_out, sum(cost_usd) as cost "
        "from main.fct_operations_weekly where week_start = date '2026-03-02'",
    )
    (week,) = rows
    # model calls only (the invoke_agent span's repeated 600 / 60 is not one), never the
    # provider's aggregates
    assert (week["requests"], week["tokens_in"], week["tokens_out"]) == (3, 600, 60)
    assert week["cost"] == pytest.approx(0.03, abs=TOL)


def test_reconciliation_shows_what_the_provider_saw_beyond_the_calls(published: Path) -> None:
    rows = {
        (str(r["usage_date"]), r["source"]): r
        for r in _rows(
            published,
            "select * from main.fct_usage_reconciliation where provider = 'openai'",
        )
    }
    assert set(rows) == {
        ("2026-03-02", "openai_usage"),
        ("2026-03-03", "openai_usage"),
        ("2026-03-02", "openai_costs"),
        ("2026-03-03", "openai_costs"),
    }
    usage = rows[("2026-03-02", "openai_usage")]
    assert (usage["per_call_requests"], usage["per_call_input_tokens"]) == (3, 600)
    assert (usage["reported_requests"], usage["reported_input_tokens"]) == (12, 4500)
    assert (
        usage["requests_difference"],
        usage["input_tokens_difference"],
        usage["output_tokens_difference"],
    ) == (9, 3900, 1290)
    assert usage["cost_usd_difference"] is None
    costs = rows[("2026-03-02", "openai_costs")]
    assert costs["per_call_cost_usd"] == pytest.approx(0.03, abs=TOL)
    assert costs["reported_cost_usd"] == pytest.approx(0.0329, abs=TOL)
    assert costs["cost_usd_difference"] == pytest.approx(0.0029, abs=TOL)
    later = rows[("2026-03-03", "openai_costs")]
    assert later["per_call_requests"] == 0
    assert later["cost_usd_difference"] == pytest.approx(1.5, abs=TOL)
    zero_day = rows[("2026-03-03", "openai_usage")]
    assert (zero_day["reported_requests"], zero_day["requests_difference"]) == (0, 0)


def test_a_currency_without_a_rate_is_flagged_not_zero(published: Path) -> None:
    rows = {
        r["provider"]: r
        for r in _rows(
            published,
            "select * from main.fct_usage_reconciliation where provider in ('acme', 'brit')",
        )
    }
    assert rows["acme"]["is_cost_unconverted"] is True
    assert rows["acme"]["reported_cost_usd"] is None
    assert rows["acme"]["reported_source_cost"] == pytest.approx(4.0)
    assert rows["acme"]["reported_currency"] == "EUR"
    assert rows["brit"]["is_cost_unconverted"] is False
    assert rows["brit"]["reported_cost_usd"] == pytest.approx(2.5)


def test_each_report_is_summed_over_its_last_28_days(published: Path) -> None:
    """rpt_usage_reconciliation (the data health page's table): openai_usage over 2026-02-04 ..
    2026-03-03 reported 12 + 0 requests against 3 logged calls, 9 not logged = 75 %; the costs
    report 0.0329 + 1.5 = 1.5329 USD against 0.03 logged, 1.5029 = 98.04 % not logged; an
    EUR report without a rate has its day counted as unconverted and no cost, never zero."""
    rows = {r["source"]: r for r in _rows(published, "select * from main.rpt_usage_reconciliation")}
    assert set(rows) == {
        "openai_usage",
        "openai_costs",
        "acme_invoice",
        "brit_invoice",
        "github_billing",
    }
    usage = rows["openai_usage"]
    assert (str(usage["window_start"]), str(usage["window_end"])) == ("2026-02-04", "2026-03-03")
    assert (usage["days_reported"], usage["reported_requests"], usage["per_call_requests"]) == (
        2,
        12,
        3,
    )
    assert usage["requests_difference"] == 9
    assert usage["requests_difference_pct"] == pytest.approx(75.0, abs=TOL)
    assert (usage["input_tokens_difference"], usage["output_tokens_difference"]) == (3900, 1290)
    assert usage["reported_cost_usd"] is None
    assert usage["cost_usd_difference"] is None
    costs = rows["openai_costs"]
    assert costs["reported_cost_usd"] == pytest.approx(1.5329, abs=TOL)
    assert costs["per_call_cost_usd"] == pytest.approx(0.03, abs=TOL)
    assert costs["cost_usd_difference"] == pytest.approx(1.5029, abs=TOL)
    assert costs["cost_usd_difference_pct"] == pytest.approx(100 * 1.5029 / 1.5329, abs=1e-9)
    acme = rows["acme_invoice"]
    assert (acme["unconverted_days"], acme["reported_currency"]) == (1, "EUR")
    assert acme["reported_cost_usd"] is None
    assert acme["cost_usd_difference"] is None
    brit = rows["brit_invoice"]
    assert brit["unconverted_days"] == 0
    assert brit["cost_usd_difference"] == pytest.approx(2.5, abs=TOL)
    assert brit["cost_usd_difference_pct"] == pytest.approx(100.0, abs=TOL)
    github = rows["github_billing"]
    assert (github["provider"], github["days_reported"]) == ("github_copilot", 2)
    assert github["reported_cost_usd"] == pytest.approx(3.02, abs=TOL)
    assert github["per_call_cost_usd"] == pytest.approx(0.0, abs=TOL)
    assert github["cost_usd_difference_pct"] == pytest.approx(100.0, abs=TOL)
    assert github["reported_requests"] is None  # premium-request units are not calls


def test_the_data_health_page_shows_the_reconciliation(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's table is rpt_usage_reconciliation's rows, as the reader reads them."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CADENCE_HOME", str(published.parents[2]))
    monkeypatch.delenv("CADENCE_DEFAULT_ROLE", raising=False)
    at = AppTest.from_file(str(Path(__file__).parents[2] / "app" / "streamlit_app.py"))
    at.switch_page("app_pages/data_health.py")
    at.run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    table = next(
        element.proto.body
        for element in at.get("html")
        if 'id="usage_reconciliation"' in element.proto.body
    )
    for shown in ("openai_usage", "openai_costs", "acme_invoice", "75.0%", "98.0%", "$1.50"):
        assert shown in table, shown
