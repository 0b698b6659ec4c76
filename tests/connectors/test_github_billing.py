"""GitHub's billing reports -> usage_daily (issue 18 item 2: Copilot's metered spend).

Fixtures follow GitHub's "Billing reports reference" (the metered usage report's fields, the
premium request analytics report's columns). Figures worked out by hand:

- github_metered_usage_detailed.csv: six rows, four of product `copilot`. 2026-06-02: net
  0 (50 premium requests inside the included allowance) + 2.00 = 2.00 USD; 2026-06-03: 1.02
  (25.5 premium-request units). The 19.00 seat month (`user-months`), one Actions row and one
  Packages row are skipped and counted. No model column: model null.
- github_premium_requests_usage.csv (the variant with `model`, source
  github_billing_by_model): 2026-06-02 claude-sonnet-4 0 + 0.80 = 0.80, gpt-5 0.40; 2026-06-03
  claude-opus-4 1.60. Landed beside the plain report, the two sources stay apart.
- github_premium_request_analytics.csv: five recorded uses. 2026-06-02 claude-sonnet-4 2,
  gpt-5 1 (23:59:30Z); 2026-06-03 gpt-5 1 (00:00:10Z), claude-opus-4 1 (08:00 at +02:00 is
  06:00 UTC); `Requests Used` (10 for the opus call: a multiplier) is not a count of calls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ingestion.connectors import github_billing
from ingestion.connectors.auto import load as load_auto

TOL = 1e-9
HANDLES = ("octocat", "monalisa", "hubot", "contoso/api", "contoso/web", "workflows/ci.yml")


def _rows(landed: Callable, source: str) -> list[tuple]:
    frame = landed("usage_daily").filter(source=source).sort(["usage_date", "model"])
    return [
        (r["usage_date"], r["provider"], r["model"], r["requests"], r["cost"], r["currency"])
        for r in frame.to_dicts()
    ]


def _close(got: list[tuple], expected: list[tuple]) -> None:
    assert len(got) == len(expected), got
    for row, want in zip(got, expected, strict=True):
        assert row[:4] == want[:4]
        assert (row[4] is None) == (want[4] is None), row
        if want[4] is not None:
            assert abs(float(row[4]) - want[4]) < TOL, row
        assert row[5] == want[5]


def _no_handles(home: Path, results: list) -> None:
    for path in (p for p in home.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace").lower()
        for handle in HANDLES:
            assert handle not in text, f"{handle!r} found in {path.relative_to(home)}"
    for result in results:
        for handle in HANDLES:
            assert handle not in result.summary().lower(), result.summary()


def test_metered_usage_lands_copilot_spend_per_day(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    (result,) = github_billing.load([fixtures / "github_metered_usage_detailed.csv"], home)
    assert (result.rows_landed, result.rows_quarantined) == (2, 0)
    _close(
        _rows(landed, "github_billing"),
        [
            (date(2026, 6, 2), "github_copilot", None, None, 2.00, "USD"),
            (date(2026, 6, 3), "github_copilot", None, None, 1.02, "USD"),
        ],
    )
    assert dict(result.skipped) == {"actions": 1, "copilot seats": 1, "packages": 1}
    assert (
        "skipped 3 row(s) that are not Copilot's metered use: actions 1, copilot seats 1, "
        "packages 1" in result.summary()
    )
    for name in ("username", "repository", "workflow_path", "sku", "quantity", "gross_amount"):
        assert name in result.dropped
    _no_handles(home, [result])


def test_the_premium_request_variant_keeps_the_model(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    (result,) = github_billing.load([fixtures / "github_premium_requests_usage.csv"], home)
    assert (result.rows_landed, result.rows_quarantined) == (3, 0)
    # the same premium requests as the plain report: landed beside it, never summed with it
    github_billing.load([fixtures / "github_metered_usage_detailed.csv"], home)
    assert len(_rows(landed, "github_billing")) == 2
    _close(
        _rows(landed, "github_billing_by_model"),
        [
            (date(2026, 6, 2), "github_copilot", "claude-sonnet-4", None, 0.80, "USD"),
            (date(2026, 6, 2), "github_copilot", "gpt-5", None, 0.40, "USD"),
            (date(2026, 6, 3), "github_copilot", "claude-opus-4", None, 1.60, "USD"),
        ],
    )
    _no_handles(home, [result])


def test_premium_request_analytics_counts_uses_per_utc_day_and_model(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    (result,) = github_billing.load([fixtures / "github_premium_request_analytics.csv"], home)
    assert (result.rows_read, result.rows_landed, result.rows_quarantined) == (4, 4, 0)
    assert _rows(landed, "github_premium_requests") == [
        (date(2026, 6, 2), "github_copilot", "claude-sonnet-4", 2, None, "USD"),
        (date(2026, 6, 2), "github_copilot", "gpt-5", 1, None, "USD"),
        (date(2026, 6, 3), "github_copilot", "claude-opus-4", 1, None, "USD"),
        (date(2026, 6, 3), "github_copilot", "gpt-5", 1, None, "USD"),
    ]
    for name in ("User", "Requests Used", "Exceeds Monthly Quota", "Total Monthly Quota"):
        assert name in result.dropped
    _no_handles(home, [result])


def test_an_analytics_report_without_handles_lands_alike(
    home: Path, fixtures: Path, write: Callable, landed: Callable
) -> None:
    lines = (fixtures / "github_premium_request_analytics.csv").read_text().splitlines()
    without = [",".join(v for i, v in enumerate(line.split(",")) if i != 1) for line in lines]
    (result,) = github_billing.load([write("analytics.csv", "\n".join(without) + "\n")], home)
    assert (result.rows_landed, result.rows_quarantined) == (4, 0)
    assert [r[3] for r in _rows(landed, "github_premium_requests")] == [2, 1, 1, 1]


def test_auto_recognises_both_reports(home: Path, fixtures: Path) -> None:
    names = (
        "github_metered_usage_detailed.csv",
        "github_premium_requests_usage.csv",
        "github_premium_request_analytics.csv",
    )
    results = load_auto([fixtures / name for name in names], home)
    assert [r.status for r in results] == ["landed"] * 3


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # a file of other products only: refused, saying what it holds
        (
            "date,product,sku,quantity,unit_type,gross_amount,discount_amount,net_amount\n"
            "2026-06-02,actions,actions_linux,10,minutes,0.08,0,0.08\n"
            "2026-06-02,actions,actions_linux,5,minutes,0.04,0,0.04\n",
            "holds no metered Copilot charge (product 'copilot', not seats): 2 row(s) of actions",
        ),
        # net_amount renamed: the format it resembles and the missing column are named
        (
            "date,product,sku,quantity,unit_type,gross_amount,discount_amount,billed\n"
            "2026-06-02,copilot,copilot_premium_request,10,requests,0.4,0,0.4\n",
            "resembles the GitHub metered usage report (billing) but lacks required field(s): "
            "net_amount",
        ),
        (
            "Timestamp,User,Model,Requests Used\nyesterday,octocat,gpt-5,1\n",
            "Timestamp is missing or not a time: 'yesterday'",
        ),
        # a Copilot seat month alone is no metered use
        (
            "date,product,sku,quantity,unit_type,gross_amount,discount_amount,net_amount\n"
            "2026-06-02,copilot,copilot_for_business,1,user-months,19,0,19\n",
            "holds no metered Copilot charge (product 'copilot', not seats): 1 row(s) of "
            "copilot seats",
        ),
        (
            "date,product,sku,quantity,unit_type,gross_amount,discount_amount,net_amount\n"
            "June 2,copilot,copilot_premium_request,10,requests,0.4,0,0.4\n",
            "date is missing or not a date: 'June 2'",
        ),
    ],
)
def test_bad_reports_are_refused_whole(
    home: Path, write: Callable, landed: Callable, text: str, problem: str
) -> None:
    (result,) = github_billing.load([write("billing.csv", text)], home)
    assert result.status == "refused"
    assert "billing.csv" in result.message
    assert problem in result.message
    assert "octocat" not in result.message
    assert landed("usage_daily").height == 0  # nothing partially landed
