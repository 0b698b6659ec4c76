"""GitHub Copilot usage metrics: GitHub's documented example records -> canonical rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ingestion.connectors import github_copilot

ACTIVITY = [
    "user_id",
    "activity_date",
    "tool",
    "interactions",
    "generations",
    "acceptances",
    "lines_suggested",
    "lines_accepted",
    "input_tokens",
    "output_tokens",
    "is_active",
]


def test_user_report_lands_activity_per_user_day(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    results = github_copilot.load([fixtures / "github_users_1_day.ndjson"], home)

    assert [(r.entity, r.status, r.rows_landed, r.rows_quarantined) for r in results] == [
        ("activity", "landed", 2, 0),
        ("copilot_usage_details", "landed", 12, 0),
    ]
    expected = pl.DataFrame(
        {
            "user_id": [alias("login1"), alias("login2")],
            "activity_date": [date(2025, 10, 1)] * 2,
            "tool": ["github_copilot"] * 2,
            "interactions": [0, 5],
            "generations": [1, 7],
            "acceptances": [1, 3],
            "lines_suggested": [10, 40],
            "lines_accepted": [8, 55],
            "input_tokens": [3800, None],
            "output_tokens": [5000, None],
            "is_active": [True, True],
        }
    )
    rows = landed("activity")
    assert_frame_equal(rows.select(ACTIVITY), expected)
    assert rows["_source_file"].unique().to_list() == ["github_users_1_day.ndjson"]
    assert rows["source_record"].to_list() == ["1", "2"]


def test_user_report_keeps_breakdowns_flags_and_cli_tokens(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    github_copilot.load([fixtures / "github_users_1_day.ndjson"], home)
    details = landed("copilot_usage_details")

    assert details.group_by("breakdown").len().sort("breakdown").rows() == [
        ("cli", 1),
        ("feature", 3),
        ("ide", 2),
        ("language_feature", 2),
        ("language_model", 1),
        ("model_feature", 1),
        ("user_day", 2),
    ]
    assert set(details["scope"]) == {"user"}
    assert set(details["scope_id"]) == {"1"}  # the enterprise_id
    cli = details.filter(pl.col("breakdown") == "cli").row(0, named=True)
    assert (cli["user_id"], cli["sessions"], cli["requests"], cli["prompts"]) == (
        alias("login1"),
        2,
        2,
        2,
    )
    assert (cli["input_tokens"], cli["output_tokens"]) == (3800, 5000)
    model = details.filter(pl.col("breakdown") == "model_feature").row(0, named=True)
    assert (model["model"], model["feature"], model["interactions"], model["acceptances"]) == (
        "claude-sonnet-4",
        "chat_panel_agent_mode",
        5,
        2,
    )
    language = details.filter(pl.col("breakdown") == "language_model").row(0, named=True)
    assert (language["language"], language["model"], language["lines_accepted"]) == (
        "python",
        "claude-sonnet-4",
        20,
    )
    flags = details.filter(pl.col("breakdown") == "user_day").select(
        "user_id", "is_agent_used", "is_chat_used", "is_cli_used", "is_coding_agent_used"
    )
    assert flags.rows() == [
        (alias("login1"), False, False, True, None),
        (alias("login2"), True, True, False, False),
    ]
    assert details.filter(pl.col("breakdown") == "user_day")["lines_deleted"].to_list() == [0, 12]


def test_enterprise_report_lands_adoption_and_pull_requests_as_kpis(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    github_copilot.load([fixtures / "github_enterprise_28_day.ndjson"], home)
    kpis = landed("kpi_observations")

    first = kpis.filter(pl.col("source_record") == "1")
    assert dict(first.select("kpi_id", "value").rows()) == {
        "github_copilot_daily_active_users": 2.0,
        "github_copilot_weekly_active_users": 2.0,
        "github_copilot_monthly_active_users": 2.0,
        "github_copilot_monthly_active_chat_users": 0.0,
        "github_copilot_monthly_active_agent_users": 0.0,
        "github_copilot_daily_active_cli_users": 2.0,
        "github_pr_median_minutes_to_merge": 2.5,
        "github_pr_median_minutes_to_merge_copilot_authored": 2.5,
        "github_pr_median_minutes_to_merge_copilot_reviewed": 2.5,
        "github_pr_total_applied_suggestions": 1.0,
        "github_pr_total_copilot_applied_suggestions": 1.0,
        "github_pr_total_copilot_suggestions": 1.0,
        "github_pr_total_created": 2.0,
        "github_pr_total_created_by_copilot": 1.0,
        "github_pr_total_merged": 2.0,
        "github_pr_total_merged_created_by_copilot": 1.0,
        "github_pr_total_merged_reviewed_by_copilot": 1.0,
        "github_pr_total_reviewed": 1.0,
        "github_pr_total_reviewed_by_copilot": 1.0,
        "github_pr_total_suggestions": 1.0,
    }
    assert set(kpis["period_start"]) == {date(2025, 10, 1)}
    assert set(kpis["grain"]) == {"day"}
    assert set(kpis["source"]) == {"github_copilot"}
    assert kpis["business_unit_id"].is_null().all()
    assert kpis.height == 20 + 16  # the second enterprise has no CLI users or medians

    details = landed("copilot_usage_details")
    totals = details.filter(pl.col("breakdown") == "day_total").select(
        "scope", "scope_id", "generations", "acceptances", "lines_suggested", "lines_accepted"
    )
    assert totals.rows() == [("enterprise", "1", 2, 2, 35, 30), ("enterprise", "2", 2, 1, 40, 38)]
    cli = details.filter(pl.col("breakdown") == "cli").row(0, named=True)
    assert (cli["requests"], cli["input_tokens"], cli["output_tokens"]) == (3, 5300, 7000)
    assert details["user_id"].is_null().all()


def test_organisation_day_report_kpis_carry_the_organisation(
    home: Path, write: Callable, landed: Callable
) -> None:
    record = {
        "day": "2026-03-02",
        "organization_id": "Contoso-Eng",
        "daily_active_users": 41,
        "weekly_active_users": 57,
        "monthly_active_users": 80,
        "pull_requests": {
            "total_merged": 12,
            "median_minutes_to_merge": 95.5,
            "copilot_suggestions_by_comment_type": [{"comment_type": "bug_risk"}],
        },
    }
    github_copilot.load([write("organization-1-day.ndjson", json.dumps(record) + "\n")], home)

    kpis = landed("kpi_observations")
    assert kpis.select("kpi_id", "value").rows() == [
        ("github_copilot_daily_active_users_org_contoso_eng", 41.0),
        ("github_copilot_weekly_active_users_org_contoso_eng", 57.0),
        ("github_copilot_monthly_active_users_org_contoso_eng", 80.0),
        ("github_pr_total_merged_org_contoso_eng", 12.0),
        ("github_pr_median_minutes_to_merge_org_contoso_eng", 95.5),
    ]
    details = landed("copilot_usage_details")
    assert details.select("scope", "scope_id", "breakdown").rows() == [
        ("organization", "Contoso-Eng", "day_total")
    ]


def test_legacy_metrics_api_history(home: Path, fixtures: Path, landed: Callable) -> None:
    github_copilot.load(
        [fixtures / "github_legacy_org_metrics.json"], home, scope="organization:octo-org"
    )

    kpis = landed("kpi_observations")
    assert kpis.select("kpi_id", "period_start", "value").rows() == [
        ("github_copilot_daily_active_users_org_octo_org", date(2024, 6, 24), 24.0),
        ("github_copilot_daily_engaged_users_org_octo_org", date(2024, 6, 24), 20.0),
    ]
    details = landed("copilot_usage_details")
    completions = details.filter(pl.col("breakdown") == "ide_code_completions").select(
        "ide", "model", "language", "generations", "acceptances", "lines_accepted", "engaged_users"
    )
    assert completions.rows() == [
        ("vscode", "default", "python", 249, 123, 135, 6),
        ("vscode", "default", "ruby", 496, 253, 270, 7),
        ("neovim", "a-custom-model", "typescript", 112, 56, 61, 3),
        ("neovim", "a-custom-model", "go", 132, 67, 72, 4),
    ]
    chat = details.filter(pl.col("breakdown") == "ide_chat").select(
        "model", "interactions", "acceptances", "engaged_users"
    )
    assert chat.rows() == [("default", 45, 28, 12), ("a-custom-model", 10, 14, 1)]
    pulls = details.filter(pl.col("breakdown") == "dotcom_pull_requests").select(
        "repository", "model", "generations"
    )
    assert pulls.rows() == [("demo/repo1", "default", 6), ("demo/repo2", "a-custom-model", 10)]
    assert details.filter(pl.col("breakdown") == "dotcom_chat")["interactions"].to_list() == [38]
    assert set(details.select("scope", "scope_id").rows()) == {("organization", "octo-org")}


def test_identity_map_joins_logins_to_directory_ids(
    home: Path, fixtures: Path, write: Callable, landed: Callable, alias: Callable
) -> None:
    identities = write("identities.csv", "vendor_user_id,user_id\nLOGIN1,ada@contoso.example\n")
    github_copilot.load([fixtures / "github_users_1_day.ndjson"], home, identity_map=identities)

    assert landed("activity")["user_id"].to_list() == [
        alias("ada@contoso.example"),
        alias("login2"),
    ]


def test_reingesting_the_same_report_is_a_no_op(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    files = [fixtures / "github_users_1_day.ndjson", fixtures / "github_enterprise_28_day.ndjson"]
    github_copilot.load(files, home)
    before = {e: landed(e).height for e in ("activity", "kpi_observations")}

    again = github_copilot.load(files, home)

    assert {r.status for r in again} == {"duplicate"}
    assert {e: landed(e).height for e in ("activity", "kpi_observations")} == before


@pytest.mark.parametrize(
    ("name", "text", "line", "problem"),
    [
        (
            "truncated.ndjson",
            '{"day": "2025-10-01", "user_login": "a", "loc_added_sum": 1}\n'
            '{"day": "2025-10-01", "user_login": "b", "loc_adde',
            2,
            "invalid JSON",
        ),
        (
            "trailing-comma.json",
            '[\n  {"date": "2024-06-24", "total_active_users": 3,},\n]\n',
            2,
            "invalid JSON",
        ),
        (
            "links.json",
            '{"download_links": ["https://example.com/r.ndjson"], "report_day": "2025-10-01"}\n',
            1,
            "download links",
        ),
        ("other.ndjson", '{"id": 1, "name": "x"}\n', 1, "not a GitHub Copilot usage metrics"),
    ],
)
def test_malformed_files_are_refused_whole(
    home: Path,
    write: Callable,
    landed: Callable,
    name: str,
    text: str,
    line: int,
    problem: str,
) -> None:
    path = write(name, text)

    [result] = github_copilot.load([path], home)

    assert result.status == "refused"
    assert result.message.startswith(f"{path}, line {line}: github-copilot: ")
    assert problem in result.message
    for entity in ("activity", "kpi_observations", "copilot_usage_details"):
        assert landed(entity).is_empty()


def test_bad_values_are_quarantined_with_their_reason(
    home: Path, write: Callable, landed: Callable, quarantined: Callable
) -> None:
    lines = [
        {"day": "2025-10-01", "user_login": "a", "loc_added_sum": 3},
        {"day": "2025-10-01", "user_login": "b", "loc_added_sum": "lots"},
        {"day": "2025-10-02", "user_login": "c", "code_generation_activity_count": -2},
    ]
    path = write("users.ndjson", "".join(json.dumps(line) + "\n" for line in lines))

    results = github_copilot.load([path], home)

    assert (results[0].entity, results[0].rows_landed, results[0].rows_quarantined) == (
        "activity",
        1,
        2,
    )
    reasons = quarantined("activity").select("source_record", "_reason").rows()
    assert reasons == [
        ("2", "lines_accepted: not a valid integer"),
        ("3", "generations: below the minimum of 0"),
    ]
    assert landed("activity")["lines_accepted"].to_list() == [3]
