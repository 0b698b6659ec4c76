"""Freshness now (app/freshness.py): the deadlines fct_data_health publishes against the time a
page is read. Requests last seen 2026-11-20 10:00 with the landing source's 2-day / 7-day
cadence are fresh until 2026-11-22 10:00 and overdue from 2026-11-27 10:00 (the dbt unit test
`test_freshness_deadlines_are_the_latest_event_plus_the_source_cadence` pins those deadlines)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import polars as pl
import pytest

from app import freshness, shell

FRESH_UNTIL = datetime(2026, 11, 22, 10)
ERROR_AFTER = datetime(2026, 11, 27, 10)


def deadlines() -> pl.DataFrame:
    """fct_data_health's freshness columns for four entities."""
    return pl.DataFrame(
        {
            "entity": ["requests", "survey_responses", "licenses", "people"],
            "latest_event_at": [
                datetime(2026, 11, 20, 10, 0, 0, 750000),
                datetime(2026, 9, 30, 12),
                None,
                datetime(2026, 9, 19),
            ],
            "fresh_until_at": [FRESH_UNTIL, datetime(2026, 11, 4, 12), None, None],
            "error_after_at": [ERROR_AFTER, datetime(2027, 1, 3, 12), None, None],
        },
        schema_overrides={
            column: pl.Datetime("us")
            for column in ("latest_event_at", "fresh_until_at", "error_after_at")
        },
    )


def statuses(at: datetime) -> dict[str, str]:
    classified = freshness.classify(deadlines(), at)
    return dict(classified.select("entity", "freshness_status").iter_rows())


@pytest.mark.parametrize(
    ("at", "requests"),
    [
        (FRESH_UNTIL - timedelta(microseconds=1), "green"),
        (FRESH_UNTIL, "amber"),  # fresh *until* the deadline: stale from it
        (ERROR_AFTER - timedelta(microseconds=1), "amber"),
        (ERROR_AFTER, "red"),
    ],
)
def test_a_source_is_green_before_its_deadline_amber_until_the_error_deadline_red_after(
    at, requests
):
    assert statuses(at) == {
        "requests": requests,
        "survey_responses": "amber",  # fresh until 4 Nov, red from 3 Jan
        "licenses": "no_data",  # nothing landed: no deadline
        "people": "not_monitored",  # an event, but its source sets no cadence
    }


def test_an_aware_clock_is_compared_in_utc():
    # 11:30 in UTC+2 is 09:30 UTC: still before the 10:00 UTC deadline
    at = datetime(2026, 11, 22, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert statuses(at)["requests"] == "green"
    assert statuses(at.astimezone(UTC) + timedelta(hours=1))["requests"] == "amber"


def test_now_is_naive_utc():
    before = datetime.now(UTC).replace(tzinfo=None)
    now = freshness.now()
    assert now.tzinfo is None
    assert before <= now <= datetime.now(UTC).replace(tzinfo=None)


def test_the_header_names_the_stale_sources_worst_first():
    state = freshness.summarise(freshness.classify(deadlines(), datetime(2026, 11, 28)))
    assert state.status == "red"
    assert [(source.entity, source.status) for source in state.stale] == [
        ("requests", "red"),
        ("survey_responses", "amber"),
    ]
    assert (state.fresh, state.sources, state.no_data) == (0, 4, ("licenses",))
    assert shell.freshness_text(state) == (
        ":red[●] data freshness red — overdue: requests (last event 2026-11-20); "
        "stale: survey responses (last event 2026-09-30) — no data: licenses"
    )


def test_the_header_names_sources_with_the_same_last_day_together():
    same_day = deadlines().with_columns(
        pl.when(pl.col("entity") == "survey_responses")
        .then(pl.lit(datetime(2026, 11, 20, 23, 59)))
        .otherwise(pl.col("latest_event_at"))
        .alias("latest_event_at"),
        pl.when(pl.col("entity") == "survey_responses")
        .then(pl.col("fresh_until_at").first())
        .otherwise(pl.col("fresh_until_at"))
        .alias("fresh_until_at"),
    )
    state = freshness.summarise(freshness.classify(same_day, datetime(2026, 11, 23)))
    assert shell.freshness_text(state) == (
        ":orange[●] data freshness amber — stale: requests, survey responses "
        "(last event 2026-11-20) — no data: licenses"
    )


def test_the_header_says_green_with_the_sources_counted_when_none_is_stale():
    fresh = deadlines().filter(pl.col("entity") == "requests")
    state = freshness.summarise(freshness.classify(fresh, datetime(2026, 11, 21)))
    assert (state.status, state.stale, state.fresh) == ("green", (), 1)
    assert shell.freshness_text(state) == ":green[●] data freshness green (1 source)"


def test_without_any_deadline_freshness_is_unknown():
    empty = deadlines().filter(pl.col("entity") == "licenses")
    state = freshness.summarise(freshness.classify(empty, datetime(2026, 11, 21)))
    assert state.status is None
    assert shell.freshness_text(state) == "data freshness unknown — no data: licenses"
