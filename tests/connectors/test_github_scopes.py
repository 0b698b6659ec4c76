"""GitHub Copilot reports as admins download them (issue 18, item 2): one KPI series per scope
whatever report or API generation it comes from, a user active in any surface is active, every
current field is mapped or named as not landed, and a record with a field renamed refuses its
file whole."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ingestion.connectors import github_copilot

ENTERPRISE = "github_enterprise_1_day.ndjson"
ORGANIZATION = "github_organization_28_day.ndjson"
LEGACY = "github_legacy_org_901_metrics.json"
USERS = "github_users_surfaces_1_day.ndjson"


def _series(kpis: pl.DataFrame, kpi_id: str) -> dict[date, set[float]]:
    """Every value landed for each day of one KPI id (one value per day = intact series)."""
    rows = kpis.filter(pl.col("kpi_id") == kpi_id).select("period_start", "value").rows()
    series: dict[date, set[float]] = {}
    for day, value in rows:
        series.setdefault(day, set()).add(value)
    return series


def test_mixed_old_and_new_reports_keep_one_series_per_scope(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    results = github_copilot.load(
        [fixtures / ENTERPRISE, fixtures / ORGANIZATION, fixtures / LEGACY],
        home,
        scope="organization:901",
    )

    assert [(r.path.name, r.entity, r.rows_landed) for r in results] == [
        (ENTERPRISE, "kpi_observations", 14),
        (ENTERPRISE, "copilot_usage_details", 4),
        (ORGANIZATION, "kpi_observations", 14),
        (ORGANIZATION, "copilot_usage_details", 2),
        (LEGACY, "kpi_observations", 6),
        (LEGACY, "copilot_usage_details", 3),
    ]
    kpis = landed("kpi_observations")
    # the enterprise's daily actives stay 4, though its record carries organization_id 901 and
    # the organisation's reports (new and legacy) say 2 for the same day
    assert _series(kpis, "github_copilot_daily_active_users") == {date(2026, 3, 2): {4.0}}
    # the organisation's series: the legacy history continues the new report's, same values
    assert _series(kpis, "github_copilot_daily_active_users_org_901") == {
        date(2026, 2, 28): {5.0},
        date(2026, 3, 1): {3.0},
        date(2026, 3, 2): {2.0},
    }
    assert _series(kpis, "github_copilot_daily_engaged_users_org_901") == {
        date(2026, 2, 28): {4.0},
        date(2026, 3, 1): {3.0},
        date(2026, 3, 2): {2.0},
    }
    assert not kpis.filter(pl.col("kpi_id") == "github_copilot_daily_engaged_users").height
    details = landed("copilot_usage_details")
    assert details.select("scope", "scope_id").unique().sort("scope").rows() == [
        ("enterprise", "4242"),
        ("organization", "901"),
    ]


def test_cloud_agent_app_users_and_credits_become_kpis(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    github_copilot.load([fixtures / ENTERPRISE, fixtures / ORGANIZATION], home)

    kpis = landed("kpi_observations")
    cloud = kpis.filter(pl.col("kpi_id").str.contains("copilot_cloud_agent_users"))
    assert cloud.height == 9  # 3 of the enterprise's day, 3 for each of the organisation's two
    assert dict(
        cloud.filter(pl.col("_source_file") == ENTERPRISE).select("kpi_id", "value").rows()
    ) == {
        "github_copilot_daily_active_copilot_cloud_agent_users": 1.0,
        "github_copilot_weekly_active_copilot_cloud_agent_users": 2.0,
        "github_copilot_monthly_active_copilot_cloud_agent_users": 3.0,
    }
    assert _series(kpis, "github_copilot_monthly_active_copilot_cloud_agent_users_org_901") == {
        date(2026, 3, 1): {1.0},
        date(2026, 3, 2): {2.0},
    }
    assert _series(kpis, "github_copilot_daily_active_copilot_app_users") == {
        date(2026, 3, 2): {1.0}
    }
    assert _series(kpis, "github_copilot_ai_credits_used") == {date(2026, 3, 2): {12.5}}


def test_fields_without_a_place_are_named_as_not_landed(home: Path, fixtures: Path) -> None:
    enterprise, _ = github_copilot.load([fixtures / ENTERPRISE], home)
    organization, _ = github_copilot.load([fixtures / ORGANIZATION], home)

    assert set(enterprise.dropped) == {
        "organization_id",
        "loc_suggested_to_delete_sum",
        "totals_by_ai_adoption_phase",
        # fields inside breakdowns are named with their path
        "totals_by_ide.loc_suggested_to_delete_sum",
        "totals_by_copilot_app.token_usage.avg_tokens_per_request",
        "totals_by_3rd_party_agent.agent_name",
    }
    # a field of a 28-day report's day_totals entry is named too
    assert set(organization.dropped) == {
        "report_start_day",
        "report_end_day",
        "loc_suggested_to_delete_sum",
        "totals_by_custom_agent",
    }
    assert "not landed: " in organization.summary()
    assert "totals_by_custom_agent" in organization.summary()


def test_a_user_active_in_any_surface_is_active(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    [users, details] = github_copilot.load([fixtures / USERS], home)

    assert (users.rows_landed, details.rows_landed) == (5, 7)
    activity = landed("activity").select("user_id", "is_active", "input_tokens", "output_tokens")
    assert activity.rows() == [
        (alias("app-only-dev"), True, 5400, 4200),  # Copilot app only: its tokens count too
        (alias("agent-only-dev"), True, None, None),  # a third-party agent task only
        (alias("credits-only-dev"), True, None, None),  # AI credits used only
        (alias("idle-dev"), False, None, None),
        (alias("cloud-agent-dev"), True, None, None),  # Copilot cloud agent only
    ]
    rows = landed("copilot_usage_details")
    assert set(rows["scope_id"]) == {"4242"}  # the enterprise's report, not organisation 901
    app = rows.filter(pl.col("breakdown") == "copilot_app").row(0, named=True)
    assert (app["sessions"], app["requests"], app["prompts"], app["input_tokens"]) == (
        1,
        3,
        1,
        5400,
    )
    agent = rows.filter(pl.col("breakdown") == "third_party_agent").row(0, named=True)
    assert (agent["app"], agent["interactions"]) == ("2246796", 2)
    flags = rows.filter(pl.col("breakdown") == "user_day")["is_coding_agent_used"].to_list()
    assert flags == [None, None, None, None, True]
    assert {"ai_credits_used", "used_copilot_app", "ai_adoption_phase"} <= set(users.dropped)


def test_legacy_file_without_a_declared_scope_is_refused(
    home: Path, fixtures: Path, landed: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(github_copilot.SCOPE_ENV, raising=False)

    [result] = github_copilot.load([fixtures / LEGACY], home)

    assert result.status == "refused"
    assert "does not name its scope" in result.message
    assert "CADENCE_GITHUB_COPILOT_SCOPE=organization:<organization_id>" in result.message
    assert landed("kpi_observations").is_empty()

    monkeypatch.setenv(github_copilot.SCOPE_ENV, "organization:901")
    [kpis, _] = github_copilot.load([fixtures / LEGACY], home)
    assert (kpis.status, kpis.rows_landed) == ("landed", 6)


def test_a_renamed_field_refuses_the_file_whole_and_the_fix_lands_once(
    home: Path, fixtures: Path, tmp_path: Path, landed: Callable
) -> None:
    records = [json.loads(line) for line in (fixtures / USERS).read_text().splitlines()]
    records[1]["login"] = records[1].pop("user_login")
    del records[1]["user_id"]
    broken = tmp_path / "users.ndjson"
    broken.write_text("".join(json.dumps(record) + "\n" for record in records))

    [result] = github_copilot.load([broken], home)

    assert result.status == "refused"
    assert result.message.startswith(
        f"{broken}, line 2: github-copilot: resembles the GitHub Copilot user-level usage report"
    )
    assert "lacks required field(s): user_login or user_id" in result.message
    for entity in ("activity", "kpi_observations", "copilot_usage_details"):
        assert landed(entity).is_empty()  # the valid first line did not land either

    fixed = tmp_path / "fixed" / "users.ndjson"
    fixed.parent.mkdir()
    fixed.write_text((fixtures / USERS).read_text())
    assert [r.rows_landed for r in github_copilot.load([fixed], home)] == [5, 7]
    assert {r.status for r in github_copilot.load([fixed], home)} == {"duplicate"}
    assert landed("activity").height == 5


def test_an_aggregate_naming_no_scope_is_refused(
    home: Path, fixtures: Path, tmp_path: Path, landed: Callable
) -> None:
    report = json.loads((fixtures / ORGANIZATION).read_text())
    del report["organization_id"]
    del report["day_totals"][1]["organization_id"]
    broken = tmp_path / "organization-28-day.ndjson"
    broken.write_text(json.dumps(report) + "\n")

    [result] = github_copilot.load([broken], home)

    assert result.status == "refused"
    assert "resembles the GitHub Copilot organisation or enterprise usage report" in (
        result.message
    )
    assert "lacks required field(s): enterprise_id or organization_id" in result.message
    assert landed("kpi_observations").is_empty()


def test_seat_assignments_land_as_licences(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    [result] = github_copilot.load([fixtures / "github_copilot_seats.json"], home)

    assert (result.entity, result.rows_landed, result.rows_quarantined) == ("licenses", 2, 0)
    assert landed("licenses").select("user_id", "tool", "assigned_on", "removed_on").rows() == [
        # two grants (two teams): one seat from the earlier, never cancelled
        (alias("seat-holder-one"), "github_copilot", date(2026, 1, 15), None),
        # 23:30 at UTC-6 is 2 February in UTC; cancelled from 1 April: last day 31 March
        (alias("seat-holder-two"), "github_copilot", date(2026, 2, 2), date(2026, 3, 31)),
    ]
    assert {"total_seats", "last_activity_at", "plan_type", "assigning_team"} <= set(result.dropped)
