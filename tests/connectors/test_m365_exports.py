"""Microsoft 365 Copilot files as admins download them (issue 18, item 1): the user count
trend (one KPI observation per report date), the admin centre's export, the PowerShell export
without `Report Period`, seats held across the report period, and files with a column renamed
refused whole."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from ingestion.connectors import auto, m365_copilot

TREND_IDS = 18  # 9 apps (any app included) x enabled / active users


def _any_app_active(kpis: pl.DataFrame, source_file: str) -> dict[date, float]:
    rows = kpis.filter(
        (pl.col("_source_file") == source_file)
        & (pl.col("kpi_id") == "m365_copilot_active_users_1d")
    )
    return dict(rows.select("period_start", "value").rows())


@pytest.mark.parametrize("name", ["m365_user_count_trend_d7.csv", "m365_user_count_trend.json"])
def test_trend_keeps_one_observation_per_report_date(
    home: Path, fixtures: Path, landed: Callable, name: str
) -> None:
    results = m365_copilot.load([fixtures / name], home)

    assert [(r.entity, r.rows_landed, r.rows_quarantined) for r in results] == [
        ("kpi_observations", 3 * TREND_IDS, 0)
    ]
    kpis = landed("kpi_observations")
    # every (kpi, day) once: nothing collapses onto the refresh date
    assert kpis.select("kpi_id", "period_start").unique().height == 3 * TREND_IDS
    assert set(kpis["period_start"]) == {date(2026, 6, 24), date(2026, 6, 25), date(2026, 6, 26)}
    assert _any_app_active(kpis, name) == {
        date(2026, 6, 24): 12.0,
        date(2026, 6, 25): 15.0,
        date(2026, 6, 26): 9.0,
    }
    teams = kpis.filter(pl.col("kpi_id") == "m365_copilot_teams_active_users_1d")
    assert teams.select("period_start", "value").rows() == [
        (date(2026, 6, 24), 5.0),
        (date(2026, 6, 25), 7.0),
        (date(2026, 6, 26), 4.0),
    ]
    enabled = kpis.filter(pl.col("kpi_id") == "m365_copilot_enabled_users_1d")
    assert enabled["value"].to_list() == [40.0, 40.0, 41.0]
    assert set(kpis["grain"]) == {"day"}


def test_trend_csv_and_json_land_the_same_observations(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    m365_copilot.load(
        [fixtures / "m365_user_count_trend_d7.csv", fixtures / "m365_user_count_trend.json"], home
    )

    kpis = landed("kpi_observations")
    by_file = {
        name: sorted(frame.select("kpi_id", "period_start", "value").rows())
        for (name,), frame in kpis.group_by("_source_file")
    }
    assert by_file["m365_user_count_trend_d7.csv"] == by_file["m365_user_count_trend.json"]


def test_auto_recognises_the_trend(home: Path, fixtures: Path) -> None:
    assert auto.recognise(fixtures / "m365_user_count_trend_d7.csv") == "m365-copilot"
    assert auto.recognise(fixtures / "m365_user_count_trend.json") == "m365-copilot"
    assert auto.recognise(fixtures / "m365_admin_center_export.csv") == "m365-copilot"
    assert auto.recognise(fixtures / "m365_powershell_user_detail.csv") == "m365-copilot"


def test_admin_centre_export_lands_activity_and_apps(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    results = m365_copilot.load([fixtures / "m365_admin_center_export.csv"], home)

    assert [(r.entity, r.status, r.rows_landed) for r in results] == [
        ("activity", "landed", 5),
        ("copilot_usage_details", "landed", 7),
    ]
    megan, alex = alias("megan.bowen@contoso.example"), alias("alex.wilber@contoso.example")
    assert landed("activity").select("user_id", "activity_date").rows() == [
        (megan, date(2026, 6, 29)),
        (megan, date(2026, 6, 30)),
        (megan, date(2026, 7, 1)),
        (alex, date(2026, 6, 12)),
        (alex, date(2026, 6, 15)),
    ]
    apps = landed("copilot_usage_details").select("user_id", "app", "activity_date").rows()
    assert apps == [
        (megan, "teams", date(2026, 6, 29)),
        (megan, "outlook", date(2026, 7, 1)),
        (megan, "copilot_chat_work", date(2026, 6, 30)),
        (megan, "copilot_chat_web", date(2026, 6, 29)),
        (alex, "word", date(2026, 6, 15)),
        (alex, "copilot_chat_work", date(2026, 6, 12)),
        (alex, "edge", date(2026, 6, 12)),
    ]
    # no refresh date, and users licensed at any time in 180 days: no seats, no period totals
    assert landed("licenses").is_empty()
    assert set(results[0].dropped) == {
        "Display name",
        "Prompts submitted (any app)",
        "Copilot Chat (work) prompts submitted",
        "Copilot Chat (web) prompts submitted",
        "Active Days",
    }


def test_powershell_export_without_report_period(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    results = m365_copilot.load([fixtures / "m365_powershell_user_detail.csv"], home)

    assert [(r.entity, r.rows_landed, r.rows_quarantined) for r in results] == [
        ("activity", 2, 0),
        ("licenses", 2, 0),
        ("copilot_usage_details", 4, 0),
    ]
    nestor, irvin = alias("nestor.wilke@contoso.example"), alias("irvin.sayers@contoso.example")
    assert landed("activity").select("user_id", "activity_date").rows() == [
        (nestor, date(2026, 6, 24)),
        (nestor, date(2026, 7, 2)),
    ]
    # without a period, the seat is known for the refresh date's week only
    assert landed("licenses").select("user_id", "assigned_on", "removed_on").rows() == [
        (nestor, date(2026, 6, 29), date(2026, 7, 5)),
        (irvin, date(2026, 6, 29), date(2026, 7, 5)),
    ]
    details = landed("copilot_usage_details")
    assert details.select("user_id", "breakdown", "app").rows() == [
        (nestor, "app", "copilot_chat"),
        (nestor, "app", "word"),
        (nestor, "report_period", None),
        (irvin, "report_period", None),
    ]
    assert details["report_period_days"].is_null().all()
    assert results[0].dropped == ("DisplayName",)


def test_a_seat_is_held_across_the_whole_report_period(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    m365_copilot.load([fixtures / "m365_usage_user_detail_v2_d28.csv"], home)

    # 28 days to Friday 2026-07-03 start on Saturday 2026-06-06: weeks of 1 June to 29 June
    seats = landed("licenses").select("user_id", "assigned_on", "removed_on").rows()
    mondays = [date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 15), date(2026, 6, 22)]
    mondays.append(date(2026, 6, 29))
    adele = alias("adele.vance@contoso.example")
    assert seats == [(adele, monday, monday + timedelta(days=6)) for monday in mondays]
    # her activity on Sunday 2026-06-28 falls in a week she holds a seat (the week of 22 June):
    # with a seat for the refresh week only, that week had no seat at all
    assert date(2026, 6, 28) in set(landed("activity")["activity_date"])


def test_daily_downloads_of_a_28_day_report_do_not_stack_seats(
    home: Path, fixtures: Path, write: Callable, landed: Callable
) -> None:
    header = "Report Refresh Date,User Principal Name,Last Activity Date,Report Period\n"
    first = write("d28-0702.csv", header + "2026-07-02,a@contoso.example,2026-07-01,28\n")
    second = write("d28-0703.csv", header + "2026-07-03,a@contoso.example,2026-07-01,28\n")

    m365_copilot.load([first, second], home)

    seats = landed("licenses").select("assigned_on", "removed_on").unique()
    assert seats.height == 5  # the same five weeks from either download


def test_trend_with_its_report_date_renamed_is_refused_whole(
    home: Path, fixtures: Path, tmp_path: Path, landed: Callable
) -> None:
    text = (fixtures / "m365_user_count_trend_d7.csv").read_text()
    broken = tmp_path / "trend.csv"
    broken.write_text(text.replace("Report Date,", "Date,", 1))

    [result] = m365_copilot.load([broken], home)

    assert result.status == "refused"
    assert result.message.startswith(f"{broken}, line 3: m365-copilot: resembles the ")
    assert "user count trend (getMicrosoft365CopilotUserCountTrend)" in result.message
    assert "lacks required field(s): Report Date" in result.message
    assert landed("kpi_observations").is_empty()

    fixed = tmp_path / "fixed" / "trend.csv"
    fixed.parent.mkdir()
    fixed.write_text(text)
    [again] = m365_copilot.load([fixed], home)
    assert (again.status, again.rows_landed) == ("landed", 3 * TREND_IDS)
    assert {r.status for r in m365_copilot.load([fixed], home)} == {"duplicate"}
    assert landed("kpi_observations").height == 3 * TREND_IDS


def test_admin_export_with_user_name_renamed_is_refused_whole(
    home: Path, fixtures: Path, tmp_path: Path, landed: Callable
) -> None:
    text = (fixtures / "m365_admin_center_export.csv").read_text()
    broken = tmp_path / "export.csv"
    broken.write_text(text.replace("User name,", "User,", 1))

    [result] = m365_copilot.load([broken], home)

    assert result.status == "refused"
    assert "resembles the Microsoft 365 Copilot user detail report" in result.message
    assert (
        "lacks required field(s): User Principal Name or User name (found: User, Display name"
        in (result.message)
    )
    for entity in ("activity", "licenses", "copilot_usage_details"):
        assert landed(entity).is_empty()


def test_trend_needs_neither_report_period_nor_refresh_date(
    home: Path, write: Callable, landed: Callable
) -> None:
    path = write(
        "trend.csv",
        "Report Date,Any App Enabled Users,Any App Active Users\n"
        "2026-06-24,40,12\n2026-06-25,40,15\n",
    )

    [result] = m365_copilot.load([path], home)

    assert (result.status, result.rows_landed) == ("landed", 4)
    assert landed("kpi_observations").select("kpi_id", "period_start", "value").rows() == [
        ("m365_copilot_enabled_users_1d", date(2026, 6, 24), 40.0),
        ("m365_copilot_active_users_1d", date(2026, 6, 24), 12.0),
        ("m365_copilot_enabled_users_1d", date(2026, 6, 25), 40.0),
        ("m365_copilot_active_users_1d", date(2026, 6, 25), 15.0),
    ]


def test_json_record_with_a_renamed_field_is_refused_naming_it(
    home: Path, fixtures: Path, tmp_path: Path, landed: Callable
) -> None:
    text = (fixtures / "m365_usage_user_detail_beta.json").read_text()
    broken = tmp_path / "detail.json"
    broken.write_text(text.replace('"userPrincipalName"', '"principal"', 1))

    [result] = m365_copilot.load([broken], home)

    assert result.status == "refused"
    assert "resembles the Microsoft 365 Copilot user detail report" in result.message
    assert "lacks required field(s): User Principal Name or User name" in result.message
    assert landed("activity").is_empty()
