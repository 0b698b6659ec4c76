"""Per-call provider and gateway logs -> requests (issue 18 item 3): Azure OpenAI
RequestResponse diagnostic logs, AWS Bedrock model invocation logs, LiteLLM spend logs and
Langfuse observations. Each fixture follows the vendor's documented shape; the numbers below
are counted by hand from the fixtures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cadence.cli import main
from ingestion.connectors import _calls, azure_openai, bedrock, langfuse, litellm

COLUMNS = [
    "request_id",
    "occurred_at",
    "user_id",
    "use_case_id",
    "tool",
    "provider",
    "model",
    "operation",
    "input_tokens",
    "output_tokens",
    "latency_ms",
    "status",
    "cost_usd",
]


def _frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "request_id": pl.String,
            "occurred_at": pl.Datetime("us"),
            "user_id": pl.String,
            "use_case_id": pl.String,
            "tool": pl.String,
            "provider": pl.String,
            "model": pl.String,
            "operation": pl.String,
            "input_tokens": pl.Int64,
            "output_tokens": pl.Int64,
            "latency_ms": pl.Float64,
            "status": pl.String,
            "cost_usd": pl.Float64,
        },
        orient="row",
    )


def _check(landed: pl.DataFrame, expected: pl.DataFrame) -> None:
    got = landed.select(COLUMNS).with_columns(
        pl.col("input_tokens", "output_tokens").cast(pl.Int64),
        pl.col("occurred_at").cast(pl.Datetime("us")),
    )
    assert_frame_equal(got, expected, check_exact=False, abs_tol=1e-9)


# --------------------------------------------------------------------------- Azure OpenAI


def test_azure_openai_request_response_log(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    [result] = azure_openai.load([fixtures / "azure_openai_request_response.json"], home)

    assert (result.rows_landed, result.rows_quarantined) == (4, 0)
    # an Audit record and a Models_List call are no model calls: counted, not landed
    assert dict(result.skipped) == {"category Audit": 1, "operation Models_List": 1}
    assert "skipped 2 record(s) that are not model calls" in result.summary()
    caller = alias("3f1c9d2e-7a4b-4c5d-9e8f-0123456789ab")
    other = alias("9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
    az, aoai = "azure_openai", "azure_openai"
    expected = _frame(
        [
            # 7 fractional digits (Azure's) are cut to microseconds
            (
                "6a1f2b3c-0001-4000-8000-000000000001",
                datetime(2026, 3, 2, 9, 15, 0, 123456),
                caller,
                None,
                az,
                aoai,
                "gpt-4o",
                "chat",
                None,
                None,
                812.0,
                "success",
                None,
            ),
            # 429 with an API key: no user, an error
            (
                "6a1f2b3c-0001-4000-8000-000000000002",
                datetime(2026, 3, 2, 9, 16, 10),
                None,
                None,
                az,
                aoai,
                "gpt-4o",
                "chat",
                None,
                None,
                35.0,
                "error",
                None,
            ),
            # properties sent as JSON text
            (
                "6a1f2b3c-0001-4000-8000-000000000003",
                datetime(2026, 3, 2, 9, 17, 20, 500000),
                caller,
                None,
                az,
                aoai,
                "text-embedding-3-large",
                "embeddings",
                None,
                None,
                120.0,
                "success",
                None,
            ),
            # 408 and no modelName: a timeout of model `unknown`
            (
                "6a1f2b3c-0001-4000-8000-000000000004",
                datetime(2026, 3, 2, 9, 20),
                other,
                None,
                az,
                aoai,
                "unknown",
                "chat",
                None,
                None,
                30000.0,
                "timeout",
                None,
            ),
        ]
    )
    frame = landed("requests")
    _check(frame, expected)
    assert frame["deployment"].to_list() == [
        "gpt4o-prod",
        "gpt4o-prod",
        "embed-large",
        "gpt4o-prod",
    ]
    assert frame["http_status"].to_list() == ["200", "429", "200", "408"]
    # the log carries no tokens: named in the docs, and never invented
    assert frame["input_tokens"].null_count() == 4
    assert "callerIpAddress" in result.dropped
    assert "properties.requestLength" in result.dropped


def test_azure_openai_log_analytics_rows_land_as_the_archived_log(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same six records as a Log Analytics workspace's AzureDiagnostics rows (JSON export:
    `TimeGenerated`, Pascal-case columns, `properties_s` as JSON text, numbers as text) land
    as the same four calls as the storage account's archive: every column but `region` (the
    table has no location) and the source line."""
    monkeypatch.setenv("CADENCE_PSEUDONYM_KEY", "00112233445566778899aabbccddeeff" * 2)
    frames, results = [], []
    for name in ("azure_openai_request_response.json", "azure_openai_log_analytics.json"):
        home = tmp_path / name
        [result] = azure_openai.load([fixtures / name], home)
        results.append(result)
        glob = str(home / "landing" / "requests" / "**" / "*.parquet")
        frame = duckdb.sql(
            f"select * from read_parquet('{glob}', union_by_name = true) where request_id is not null"
        ).pl()
        frames.append(frame.sort("request_id"))
    archive, workspace = frames
    assert [(r.rows_landed, r.rows_quarantined) for r in results] == [(4, 0), (4, 0)]
    assert dict(results[1].skipped) == {"category Audit": 1, "operation Models_List": 1}
    assert workspace["region"].null_count() == 4
    assert archive["region"].to_list() == ["swedencentral"] * 4
    lineage = ["region", "source_record", "_source_file", "_source_row", "batch_id"]
    same = [c for c in archive.columns if c not in lineage and not c.startswith("_")]
    assert_frame_equal(archive.select(same), workspace.select(same))
    assert "CallerIPAddress" in results[1].dropped
    assert "properties.requestLength" in results[1].dropped


def _landed_calls(home: Path) -> pl.DataFrame:
    glob = str(home / "landing" / "requests" / "**" / "*.parquet")
    return (
        duckdb.sql(
            f"select * from read_parquet('{glob}', union_by_name = true) where request_id is not null"
        )
        .pl()
        .sort("request_id")
    )


def test_azure_openai_log_analytics_portal_csv_lands_as_its_json_export(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same six AzureDiagnostics rows as the portal's "Export to CSV" writes them: the time
    column named `TimeGenerated [UTC]`, its values in the reader's locale
    (`3/2/2026, 9:15:00.123 AM`, to the millisecond), `properties_s` as quoted JSON text, a
    byte-order mark; the skipped Audit record is dated 3/13/2026, which says the dates are
    month first. They land as the JSON export's four calls, times cut to the millisecond,
    through the connector and through `cadence ingest auto`."""
    monkeypatch.setenv("CADENCE_PSEUDONYM_KEY", "00112233445566778899aabbccddeeff" * 2)
    portal = fixtures / "azure_openai_log_analytics_portal.csv"
    [from_json] = azure_openai.load([fixtures / "azure_openai_log_analytics.json"], tmp_path / "j")
    [from_csv] = azure_openai.load([portal], tmp_path / "c")
    assert (from_csv.rows_landed, from_csv.rows_quarantined) == (4, 0)
    assert dict(from_csv.skipped) == dict(from_json.skipped)
    json_rows, csv_rows = _landed_calls(tmp_path / "j"), _landed_calls(tmp_path / "c")
    assert csv_rows["occurred_at"].to_list() == [
        datetime(2026, 3, 2, 9, 15, 0, 123000),
        datetime(2026, 3, 2, 9, 16, 10),
        datetime(2026, 3, 2, 9, 17, 20, 500000),
        datetime(2026, 3, 2, 9, 20),
    ]
    truncated = json_rows.with_columns(pl.col("occurred_at").dt.truncate("1ms"))
    lineage = ["source_record", "_source_file", "_source_row", "batch_id"]
    same = [c for c in json_rows.columns if c not in lineage and not c.startswith("_")]
    assert_frame_equal(truncated.select(same), csv_rows.select(same))
    assert main(["ingest", "auto", str(portal), "--home", str(tmp_path / "auto")]) == 0
    assert_frame_equal(_landed_calls(tmp_path / "auto").select(same), csv_rows.select(same))


def _portal_variant(fixtures: Path, folder: Path, header: str, times: list[str]) -> Path:
    """The portal CSV fixture with its time column renamed and its six times replaced."""
    lines = (fixtures / "azure_openai_log_analytics_portal.csv").read_text("utf-8-sig")
    text = lines.replace("TimeGenerated [UTC]", header, 1)
    for index, value in enumerate(times):
        old = (
            "3/2/2026, 9:15:00.123 AM",
            "3/2/2026, 9:16:10.000 AM",
            "3/2/2026, 9:17:20.500 AM",
            "3/2/2026, 9:20:00.000 AM",
            "3/2/2026, 9:21:00.000 AM",
            "3/13/2026, 9:22:00.000 AM",
        )[index]
        assert old in text
        text = text.replace(f'"{old}"', f'"{value}"', 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "portal.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        # en-GB: day first, 24-hour clock; the 13th says which is the day
        (
            ["13/03/2026, 09:15:00.123", "13/03/2026, 21:16:10.000"] + ["13/03/2026, 09:20:00"] * 4,
            [datetime(2026, 3, 13, 9, 15, 0, 123000), datetime(2026, 3, 13, 21, 16, 10)],
        ),
        # de-DE: dots, day first
        (
            ["13.3.2026, 09:15:00,5", "13.3.2026, 00:00:01"] + ["13.3.2026, 09:20:00"] * 4,
            [datetime(2026, 3, 13, 9, 15, 0, 500000), datetime(2026, 3, 13, 0, 0, 1)],
        ),
        # en-US past noon and midnight, a month-first 13th
        (
            ["3/13/2026, 12:30:00.000 PM", "3/13/2026, 12:05:00.000 AM"]
            + ["3/2/2026, 1:00 PM"] * 4,
            [datetime(2026, 3, 13, 12, 30), datetime(2026, 3, 13, 0, 5)],
        ),
        # year first (ja-JP), no ambiguity
        (
            ["2026/3/2 9:15:00", "2026/3/2 21:16:10"] + ["2026/3/2 9:20:00"] * 4,
            [datetime(2026, 3, 2, 9, 15), datetime(2026, 3, 2, 21, 16, 10)],
        ),
    ],
)
def test_azure_openai_portal_csv_reads_each_locale_the_portal_writes(
    fixtures: Path, tmp_path: Path, times: list[str], expected: list[datetime]
) -> None:
    path = _portal_variant(fixtures, tmp_path, "TimeGenerated [UTC]", times)
    [result] = azure_openai.load([path], tmp_path / "home")
    assert (result.rows_landed, result.rows_quarantined) == (4, 0), result.message
    landed = _landed_calls(tmp_path / "home")["occurred_at"].to_list()
    assert landed[:2] == expected


def test_azure_openai_portal_csv_never_reads_other_digits_or_two_time_columns(
    fixtures: Path, tmp_path: Path
) -> None:
    """Bengali digits (bn-BD) and a Persian-calendar year (fa-IR) are no dates here: their rows
    are quarantined, not landed on a wrong day. A file with both `TimeGenerated` and
    `TimeGenerated [UTC]` is refused, not read from whichever comes last."""
    bengali = str.maketrans("0123456789", "".join(chr(0x09E6 + d) for d in range(10)))
    persian = str.maketrans("0123456789", "".join(chr(0x06F0 + d) for d in range(10)))
    other = [
        "3/2/2026, 9:15:00".translate(bengali) + " AM",
        "1404/11/24, 21:15:00".translate(persian),
    ] * 3
    path = _portal_variant(fixtures, tmp_path, "TimeGenerated [UTC]", other)
    [result] = azure_openai.load([path], tmp_path / "home")
    assert (result.rows_landed, result.rows_quarantined) == (0, 4)
    text = (fixtures / "azure_openai_log_analytics_portal.csv").read_text("utf-8-sig")
    both = tmp_path / "both.csv"
    both.write_text(text.replace("TenantId,", "TimeGenerated,", 1), encoding="utf-8")
    [result] = azure_openai.load([both], tmp_path / "both")
    assert result.status == "refused"
    assert "two columns named 'TimeGenerated'" in result.message


@pytest.mark.parametrize(
    ("header", "times", "problem"),
    [
        # en-GB dates of 2 March: 02/03 could be 2 March or 3 February
        (
            "TimeGenerated [UTC]",
            ["02/03/2026, 09:15:00.123"] * 6,
            "its dates (such as '02/03/2026, 09:15:00.123') could be day or month first",
        ),
        (
            "TimeGenerated [UTC]",
            ["13/03/2026, 09:15:00", "3/13/2026, 9:15:00 AM"] * 3,
            "its times mix day-first and month-first dates",
        ),
        (
            "TimeGenerated [Local Time]",
            ["3/2/2026, 9:15:00.123 AM"] * 6,
            "column 'TimeGenerated [Local Time]' holds times in Local Time, not UTC",
        ),
        (
            "TimeGenerated [(UTC-08:00) Pacific Time]",
            ["3/2/2026, 9:15:00.123 AM"] * 6,
            "holds times in (UTC-08:00) Pacific Time, not UTC",
        ),
        # en-AE writes the day first with an upper-case AM / PM: no clock style settles it
        (
            "TimeGenerated [UTC]",
            ["03/02/2026, 9:15:00 AM"] * 6,
            "its dates (such as '03/02/2026, 9:15:00 AM') could be day or month first",
        ),
        # a date valid in neither order (99/1) decides nothing; 3/2 stays ambiguous
        (
            "TimeGenerated [UTC]",
            ["3/2/2026, 9:15:00 AM", "99/1/2026, 9:16:10 AM"] * 3,
            "could be day or month first",
        ),
    ],
)
def test_azure_openai_portal_csv_refuses_what_it_cannot_read_for_sure(
    fixtures: Path, tmp_path: Path, header: str, times: list[str], problem: str
) -> None:
    path = _portal_variant(fixtures, tmp_path, header, times)
    [result] = azure_openai.load([path], tmp_path / "home")
    assert result.status == "refused"
    assert problem in result.message
    assert "portal.csv" in result.message
    batches = (tmp_path / "home").glob("landing/requests/batch_id=*")
    assert [b.name for b in batches if b.name != "batch_id=0-schema"] == []  # nothing landed


# --------------------------------------------------------------------------- Bedrock


def test_bedrock_invocation_log(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    [result] = bedrock.load([fixtures / "bedrock_invocation_logs.jsonl"], home)

    assert (result.rows_landed, result.rows_quarantined) == (5, 0)
    megan, lee = alias("megan.bowen@contoso.example"), alias("lee.gu")
    br = "bedrock"
    expected = _frame(
        [
            # eu. inference profile, date stamp and -v1:0 dropped; latency from the metrics
            (
                "b7e1c0de-0000-4000-8000-000000000001",
                datetime(2026, 3, 2, 10),
                megan,
                "uc_support",
                br,
                "anthropic",
                "claude-3-haiku",
                "chat",
                1200,
                350,
                1840.0,
                "success",
                None,
            ),
            (
                "b7e1c0de-0000-4000-8000-000000000002",
                datetime(2026, 3, 2, 10, 5),
                lee,
                None,
                br,
                "anthropic",
                "claude-sonnet-4",
                "chat",
                800,
                95,
                None,
                "success",
                None,
            ),
            (
                "b7e1c0de-0000-4000-8000-000000000003",
                datetime(2026, 3, 2, 10, 6),
                lee,
                None,
                br,
                "amazon",
                "titan-embed-text",
                "embeddings",
                64,
                None,
                None,
                "success",
                None,
            ),
            (
                "b7e1c0de-0000-4000-8000-000000000004",
                datetime(2026, 3, 2, 10, 7),
                megan,
                None,
                br,
                "anthropic",
                "claude-3-haiku",
                "chat",
                500,
                None,
                None,
                "timeout",
                None,
            ),
            (
                "b7e1c0de-0000-4000-8000-000000000005",
                datetime(2026, 3, 2, 10, 8),
                lee,
                None,
                br,
                "anthropic",
                "claude-3-haiku",
                "chat",
                40,
                12,
                210.0,
                "blocked",
                None,
            ),
        ]
    )
    frame = landed("requests")
    _check(frame, expected)
    # tokens: 1200 + 800 + 64 + 500 + 40 in, 350 + 95 + 12 out
    assert (frame["input_tokens"].sum(), frame["output_tokens"].sum()) == (2604, 457)
    assert frame["bedrock_model_id"][0] == "eu.anthropic.claude-3-haiku-20240307-v1:0"
    assert frame["error_code"].to_list() == [None, None, None, "ModelTimeoutException", None]
    assert {"input.inputBodyJson", "requestMetadata.team"} <= set(result.dropped)


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("anthropic.claude-3-haiku-20240307-v1:0", ("anthropic", "claude-3-haiku")),
        ("us.anthropic.claude-sonnet-4-20250514-v1:0", ("anthropic", "claude-sonnet-4")),
        ("global.anthropic.claude-sonnet-4-20250514-v1:0", ("anthropic", "claude-sonnet-4")),
        ("apac.amazon.nova-pro-v1:0", ("amazon", "nova-pro")),
        ("meta.llama3-8b-instruct-v1:0", ("meta", "llama3-8b-instruct")),
        ("mistral.mistral-large-2402-v1:0", ("mistral", "mistral-large-2402")),
        ("amazon.titan-text-express-v1", ("amazon", "titan-text-express")),
        (
            "arn:aws:bedrock:us-east-1::foundation-model/cohere.command-r-plus-v1:0",
            ("cohere", "command-r-plus"),
        ),
        (
            "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc123xyz",
            ("bedrock", "abc123xyz"),
        ),
        (None, ("unknown", "unknown")),
    ],
)
def test_bedrock_model_ids_as_the_catalogue_names_them(
    model_id: str | None, expected: tuple[str, str]
) -> None:
    assert _calls.bedrock_model(model_id) == expected


# --------------------------------------------------------------------------- LiteLLM


def test_litellm_spend_logs_csv_and_json(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    files = [fixtures / "litellm_spend_logs.csv", fixtures / "litellm_spend_logs_v2.json"]
    csv_result, json_result = litellm.load(files, home)

    assert (csv_result.rows_landed, csv_result.rows_quarantined) == (3, 0)
    assert dict(csv_result.skipped) == {"call_type acreate_batch": 1}
    assert (json_result.rows_landed, json_result.rows_quarantined) == (1, 0)
    lit = "litellm"
    expected = _frame(
        [
            (
                "chatcmpl-A1b2C3",
                datetime(2026, 3, 3, 10),
                alias("alex.wilber@contoso.example"),
                "uc_code",
                lit,
                "openai",
                "gpt-4.1-mini",
                "chat",
                1000,
                500,
                1250.0,
                "success",
                0.0012,
            ),
            # end_user (the person behind the app) wins over the key's owner; azure/ prefix
            (
                "embd-7Hq2",
                datetime(2026, 3, 3, 10, 5),
                alias("nestor.wilke@contoso.example"),
                None,
                lit,
                "azure_openai",
                "text-embedding-3-large",
                "embeddings",
                1000,
                0,
                300.0,
                "success",
                0.00013,
            ),
            # bedrock: the model id named as the catalogue names it; a Timeout failure
            (
                "a3f9-timeout",
                datetime(2026, 3, 3, 10, 10),
                alias("irvin.sayers@contoso.example"),
                None,
                lit,
                "anthropic",
                "claude-3-haiku",
                "chat",
                0,
                0,
                30000.0,
                "timeout",
                0.0,
            ),
            # JSON (/spend/logs/v2): 14:00 at +01:00 is 13:00 UTC
            (
                "chatcmpl-Z9y8",
                datetime(2026, 3, 4, 13),
                alias("adele.vance@contoso.example"),
                "uc_code",
                lit,
                "anthropic",
                "claude-sonnet-4",
                "chat",
                1800,
                300,
                2000.0,
                "success",
                0.0165,
            ),
        ]
    )
    frame = landed("requests")
    _check(frame, expected)
    assert frame["cost_usd"].sum() == pytest.approx(0.0012 + 0.00013 + 0.0 + 0.0165)
    assert frame["business_unit_id"].to_list() == [None, "bu_sales", None, "bu_eng"]
    assert frame["model_group"].to_list() == [
        "gpt-4.1-mini",
        "embeddings",
        "claude-haiku",
        "claude-sonnet-4",
    ]
    assert {"messages", "response", "api_key", "metadata.user_api_key_user_email"} <= set(
        csv_result.dropped
    )


# --------------------------------------------------------------------------- Langfuse


def test_langfuse_observations(
    home: Path, fixtures: Path, landed: Callable, alias: Callable
) -> None:
    [result] = langfuse.load([fixtures / "langfuse_observations.json"], home)

    assert (result.rows_landed, result.rows_quarantined) == (4, 0)
    assert dict(result.skipped) == {"type EVENT": 1, "type SPAN": 1}
    adele, lf = alias("adele.vance@contoso.example"), "langfuse"
    expected = _frame(
        [
            # the agent run: no provider or model of its own, not a model call
            (
                "a1b2c3d4e5f60718",
                datetime(2026, 3, 4, 8),
                adele,
                None,
                lf,
                None,
                None,
                "invoke_agent",
                None,
                None,
                4000.0,
                "success",
                None,
            ),
            # usageDetails and costDetails; provider from LangChain's ls_provider
            (
                "00f067aa0ba902b7",
                datetime(2026, 3, 4, 8, 0, 0, 500000),
                adele,
                "uc_research",
                lf,
                "openai",
                "gpt-4.1",
                "chat",
                2000,
                400,
                2500.0,
                "success",
                0.0072,
            ),
            (
                "6d7e8f9a0b1c2d3e",
                datetime(2026, 3, 4, 8, 0, 3, 200000),
                adele,
                None,
                lf,
                "openai",
                "text-embedding-3-small",
                "embeddings",
                500,
                None,
                90.0,
                "success",
                0.00001,
            ),
            # v1 shape (usage, calculatedTotalCost, latency in seconds), no userId, no
            # provider: `unknown`; level ERROR with a timeout message
            (
                "9f8e7d6c5b4a3921",
                datetime(2026, 3, 4, 9),
                None,
                None,
                lf,
                "unknown",
                "claude-sonnet-4",
                "chat",
                300,
                50,
                60000.0,
                "timeout",
                0.00165,
            ),
        ]
    )
    frame = landed("requests")
    _check(frame, expected)
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"  # upper-case in the export, lower-cased
    assert frame["trace_id"].to_list() == [trace, trace, trace, "0af7651916cd43dd8448eb211c80319c"]
    assert frame["parent_span_id"].to_list() == [None, "a1b2c3d4e5f60718", "a1b2c3d4e5f60718", None]
    assert frame["agent_id"].to_list() == ["research-agent", None, None, None]
    assert {"input", "output"} <= set(result.dropped)


# --------------------------------------------------------------------------- bad input


def _renamed(fixtures: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (fixtures / name).read_text()
    assert old in text
    path = tmp_path / "bad" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize(
    ("module", "name", "old", "new", "label", "missing", "line"),
    [
        (
            azure_openai,
            "azure_openai_request_response.json",
            '"correlationId": "6a1f2b3c-0001-4000-8000-000000000004"',
            '"correlation_ref": "6a1f2b3c-0001-4000-8000-000000000004"',
            "Azure OpenAI diagnostic log (RequestResponse",
            "correlationId",
            4,
        ),
        (
            bedrock,
            "bedrock_invocation_logs.jsonl",
            '"modelId": "amazon.titan-embed-text-v2:0"',
            '"model": "amazon.titan-embed-text-v2:0"',
            "AWS Bedrock model invocation log",
            "modelId",
            3,
        ),
        (
            litellm,
            "litellm_spend_logs.csv",
            "request_id,call_type",
            "id,call_type",
            "LiteLLM proxy spend log",
            "request_id",
            2,
        ),
        (
            langfuse,
            "langfuse_observations.json",
            '"startTime": "2026-03-04T09:00:00.000Z"',
            '"start": "2026-03-04T09:00:00.000Z"',
            "Langfuse observation export",
            "startTime",
            None,
        ),
    ],
)
def test_a_renamed_field_refuses_the_file_whole_until_fixed(
    home: Path,
    fixtures: Path,
    tmp_path: Path,
    landed: Callable,
    module,
    name: str,
    old: str,
    new: str,
    label: str,
    missing: str,
    line: int | None,
) -> None:
    broken = _renamed(fixtures, tmp_path, name, old, new)
    [refused] = module.load([broken], home)

    assert refused.status == "refused"
    assert name in refused.message
    assert f"resembles the {label}" in refused.message
    assert f"lacks required field(s): {missing}" in refused.message
    if line is not None:
        assert f"line {line}:" in refused.message
    assert landed("requests").height == 0  # nothing partially landed

    broken.write_text((fixtures / name).read_text())  # the fix: the field as the vendor names it
    [fixed] = module.load([broken], home)
    [again] = module.load([broken], home)
    assert fixed.status == "landed"
    assert again.status == "duplicate"
    assert landed("requests").height == fixed.rows_landed > 0


def test_a_file_of_nothing_but_non_calls_is_refused(home: Path, write: Callable) -> None:
    path = write(
        "audit.json",
        '{"time": "2026-03-01T00:00:00Z", "category": "Audit", "operationName": "ListKey", '
        '"correlationId": "c1", "resourceId": "/X/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/A"}\n',
    )
    [result] = azure_openai.load([path], home)
    assert result.status == "refused"
    assert "no model calls to land (category Audit 1)" in result.message


def test_the_cli_names_what_it_skipped(
    home: Path, fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(fixtures / "langfuse_observations.json")
    assert main(["ingest", "langfuse", path, "--home", str(home)]) == 0
    out = capsys.readouterr().out
    assert "skipped 2 record(s) that are not model calls (not requests): type EVENT 1" in out
    assert "langfuse: 1 batch(es): 4 rows landed, 0 quarantined" in out


def test_a_skipped_record_is_named_by_identifiers_only(home: Path, write: Callable) -> None:
    record = (
        '{{"time": "2026-03-01T00:00:00Z", "category": "RequestResponse", "operationName": {op},'
        ' "correlationId": "c{n}", "resultSignature": "200", "durationMs": 1,'
        ' "properties": {{"modelName": "gpt-4o"}}}}\n'
    )
    path = write(
        "PT1H.json",
        record.format(op='"ChatCompletions_Create"', n=1)
        + record.format(op='"megan.bowen@contoso.example"', n=2)
        + record.format(op='{"prompt": "SECRET"}', n=3),
    )
    [result] = azure_openai.load([path], home)
    assert result.rows_landed == 1
    assert dict(result.skipped) == {"operation (other)": 2}
    assert "megan" not in result.summary()
    assert "SECRET" not in result.summary()


def test_an_azure_record_of_another_category_needs_no_correlation_id(
    home: Path, write: Callable
) -> None:
    call = (
        '{"time": "2026-03-01T00:00:00Z", "category": "RequestResponse", "operationName": '
        '"ChatCompletions_Create", "correlationId": "c1", "resultSignature": "200", '
        '"resourceId": "/X/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/A", "durationMs": 9}\n'
    )
    trace = (
        '{"time": "2026-03-01T00:00:01Z", "category": "Trace", "operationName": "Log", '
        '"resourceId": "/X/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/A"}\n'
    )
    [result] = azure_openai.load([write("PT1H.json", call + trace)], home)
    assert (result.status, result.rows_landed, dict(result.skipped)) == (
        "landed",
        1,
        {"category Trace": 1},
    )
