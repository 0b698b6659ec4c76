"""Microsoft 365 Copilot usage reports: Microsoft Graph's documented examples -> canonical rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from ingestion.connectors import m365_copilot

HASHED_ACTIVE = "DC8C64D6EC3A3AA17481D7E5EB5B68A6"
HASHED_IDLE = "E58EEF6A6BBD3D0293CB306D24A42057"


def test_user_detail_csv_lands_activity_per_last_activity_date(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    results = m365_copilot.load([fixtures / "m365_usage_user_detail_d7.csv"], home)

    assert [(r.entity, r.rows_landed, r.rows_quarantined) for r in results] == [
        ("activity", 3, 0),
        ("licenses", 4, 0),
        ("copilot_usage_details", 5, 0),
    ]
    activity = landed("activity").select("user_id", "activity_date", "tool", "is_active")
    assert_frame_equal(
        activity,
        pl.DataFrame(
            {
                "user_id": [alias(HASHED_ACTIVE)] * 3,
                "activity_date": [date(2026, 6, 28), date(2026, 6, 30), date(2026, 7, 2)],
                "tool": ["m365_copilot"] * 3,
                "is_active": [True] * 3,
            }
        ),
    )
    # Both enabled users hold a seat across the 7-day period, 2026-06-27 (a Saturday) to the
    # refresh date (Friday 2026-07-03): one seat per week it touches.
    assert landed("licenses").select("user_id", "tool", "assigned_on", "removed_on").rows() == [
        (alias(HASHED_IDLE), "m365_copilot", date(2026, 6, 22), date(2026, 6, 28)),
        (alias(HASHED_IDLE), "m365_copilot", date(2026, 6, 29), date(2026, 7, 5)),
        (alias(HASHED_ACTIVE), "m365_copilot", date(2026, 6, 22), date(2026, 6, 28)),
        (alias(HASHED_ACTIVE), "m365_copilot", date(2026, 6, 29), date(2026, 7, 5)),
    ]
    details = landed("copilot_usage_details")
    assert details.select("user_id", "activity_date", "breakdown", "app").rows() == [
        (alias(HASHED_IDLE), date(2026, 7, 3), "report_period", None),
        (alias(HASHED_ACTIVE), date(2026, 6, 28), "app", "copilot_chat"),
        (alias(HASHED_ACTIVE), date(2026, 7, 2), "app", "teams"),
        (alias(HASHED_ACTIVE), date(2026, 6, 30), "app", "word"),
        (alias(HASHED_ACTIVE), date(2026, 7, 3), "report_period", None),
    ]
    assert set(details["report_period_days"]) == {7}
    assert "Display Name" not in landed("activity").columns  # names are never kept


def test_beta_csv_order_whitespace_and_json_agree(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    m365_copilot.load(
        [
            fixtures / "m365_usage_user_detail_beta_d30.csv",
            fixtures / "m365_usage_user_detail_beta.json",
        ],
        home,
    )

    activity = landed("activity")
    by_file = {
        name: frame.select("activity_date").to_series().to_list()
        for (name,), frame in activity.group_by("_source_file")
    }
    dates = [date(2024, 1, 10), date(2024, 3, 26), date(2024, 3, 29), date(2024, 6, 12)]
    assert by_file == {
        "m365_usage_user_detail_beta_d30.csv": dates,
        "m365_usage_user_detail_beta.json": dates,
    }
    apps = landed("copilot_usage_details").filter(pl.col("breakdown") == "app")
    assert apps.group_by("_source_file").agg(pl.col("app").sort()).sort("_source_file").rows() == [
        ("m365_usage_user_detail_beta.json", ["copilot_chat", "powerpoint", "teams", "word"]),
        ("m365_usage_user_detail_beta_d30.csv", ["copilot_chat", "powerpoint", "teams", "word"]),
    ]
    periods = landed("copilot_usage_details").filter(pl.col("breakdown") == "report_period")
    assert periods.select("user_id", "report_period_days").rows() == [
        (alias(HASHED_ACTIVE), 7),
        (alias("adele.vance@contoso.example"), 30),
    ]


def test_version_2_report_keeps_prompts_and_active_days(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    m365_copilot.load([fixtures / "m365_usage_user_detail_v2_d28.csv"], home)

    details = landed("copilot_usage_details")
    assert details.select("breakdown", "app", "activity_date", "prompts", "active_days").rows() == [
        ("app", "copilot_chat", date(2026, 7, 2), None, None),
        ("app", "teams", date(2026, 7, 1), None, None),
        ("app", "copilot_chat_work", date(2026, 7, 2), 90, None),
        ("app", "copilot_chat_web", date(2026, 6, 28), 52, None),
        ("app", "m365_copilot_app", date(2026, 7, 2), None, None),
        ("app", "edge", date(2026, 6, 30), None, None),
        ("app", "copilot_agent", date(2026, 7, 1), None, None),
        ("report_period", None, date(2026, 7, 3), 142, 19),
    ]
    assert set(details["report_period_days"]) == {28}


def test_user_count_summary_csv_and_json_land_kpis(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    m365_copilot.load(
        [
            fixtures / "m365_user_count_summary_d7.csv",
            fixtures / "m365_user_count_summary_beta.json",
        ],
        home,
    )

    kpis = landed("kpi_observations")
    assert set(kpis["grain"]) == {"day"}
    assert set(kpis["source"]) == {"m365_copilot"}
    json_rows = dict(
        kpis.filter(pl.col("period_start") == date(2025, 8, 20)).select("kpi_id", "value").rows()
    )
    assert json_rows["m365_copilot_enabled_users_7d"] == 359229
    assert json_rows["m365_copilot_active_users_7d"] == 165115
    assert json_rows["m365_copilot_teams_active_users_7d"] == 123341
    assert json_rows["m365_copilot_copilot_chat_active_users_7d"] == 65480
    csv_rows = dict(
        kpis.filter(pl.col("period_start") == date(2026, 7, 3)).select("kpi_id", "value").rows()
    )
    assert set(csv_rows) == set(json_rows)  # same ids from either format
    assert len(csv_rows) == 18
    assert csv_rows["m365_copilot_enabled_users_7d"] == 25


def test_summary_v2_prompts_and_stray_header_space(
    home: Path, write: Callable, landed: Callable
) -> None:
    path = write(
        "summary.csv",
        "Report Refresh Date,Report Period,Any App Enabled Users,Any App Active Users,"
        "Microsoft Teams Active Users  ,Copilot Chat (work) Active Users,Total prompts submitted\n"
        "2026-07-03,28,48,33,25,29,1240\n",
    )
    m365_copilot.load([path], home)

    assert landed("kpi_observations").select("kpi_id", "value").rows() == [
        ("m365_copilot_enabled_users_28d", 48.0),
        ("m365_copilot_active_users_28d", 33.0),
        ("m365_copilot_teams_active_users_28d", 25.0),
        ("m365_copilot_copilot_chat_work_active_users_28d", 29.0),
        ("m365_copilot_prompts_submitted_28d", 1240.0),
    ]


def test_csv_missing_a_column_is_refused_whole(
    home: Path, write: Callable, landed: Callable
) -> None:
    path = write(
        "detail.csv",
        "Report Refresh Date,User Principal Name,Display Name,Last Activity Dat,"
        "Word Copilot Last Activity Date,Report Period\n"
        "2026-07-03,a@contoso.example,A,2026-07-01,2026-07-01,7\n",
    )

    [result] = m365_copilot.load([path], home)

    assert result.status == "refused"
    assert result.message.startswith(
        f"{path}, line 1: m365-copilot: resembles the Microsoft 365 Copilot user detail report"
    )
    assert "lacks required field(s): Last Activity Date (found: " in result.message
    for entity in ("activity", "licenses", "copilot_usage_details"):
        assert landed(entity).is_empty()


def test_ragged_row_is_refused_with_its_line(home: Path, write: Callable) -> None:
    path = write(
        "detail.csv",
        "Report Refresh Date,User Principal Name,Last Activity Date,Report Period\n"
        "2026-07-03,a@contoso.example,2026-07-01,7\n"
        "2026-07-03,b@contoso.example,2026-07-01\n",
    )

    [result] = m365_copilot.load([path], home)

    assert result.status == "refused"
    assert result.message == (f"{path}, line 3: m365-copilot: expected 4 fields, found 3")


def test_unknown_report_period_and_bad_dates_are_quarantined(
    home: Path, write: Callable, landed: Callable, quarantined: Callable
) -> None:
    path = write(
        "detail.csv",
        "Report Refresh Date,User Principal Name,Last Activity Date,Word Copilot Last Activity Date,"
        "Report Period\n"
        "2026-07-03,a@contoso.example,2026-07-01,2026-07-01,45\n"
        "2026-07-03,b@contoso.example,07/01/2026,,7\n",
    )

    m365_copilot.load([path], home)

    assert quarantined("copilot_usage_details").select("user_id", "_reason").rows()[0][1] == (
        "report_period_days: must be one of 1, 7, 28, 30, 90, 180"
    )
    assert quarantined("activity")["_reason"].to_list() == ["activity_date: not a valid date"]
    assert landed("activity").height == 1


def test_reingesting_is_a_no_op(home: Path, fixtures: Path, landed: Callable) -> None:
    files = sorted(fixtures.glob("m365_*"))
    m365_copilot.load(files, home)
    before = landed("licenses").height

    again = m365_copilot.load(files, home)

    assert {r.status for r in again} == {"duplicate"}
    assert landed("licenses").height == before


def test_not_a_report_is_refused(home: Path, write: Callable) -> None:
    path = write("other.csv", "name,value\nx,1\n")

    [result] = m365_copilot.load([path], home)

    assert result.status == "refused"
    assert "not a Microsoft 365 Copilot usage report" in result.message
