"""`cadence ingest auto`: every fixture and canonical file is recognised; others are named."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from cadence.cli import main
from ingestion.connectors import CONNECTOR_NAMES
from ingestion.connectors.auto import CONNECTORS, load, recognise
from ingestion.errors import FileRefused

#: Each vendor fixture is named after its connector.
CONNECTOR_OF_PREFIX = {
    "github_metered_": "github-billing",
    "github_premium_": "github-billing",
    "github_": "github-copilot",
    "m365_": "m365-copilot",
    "otel_": "otel-genai",
    "openai_": "openai-usage",
    "anthropic_": "anthropic-usage",
    "azure_openai_": "azure-openai",
    "bedrock_": "bedrock",
    "litellm_": "litellm",
    "langfuse_": "langfuse",
}


def test_every_vendor_fixture_is_recognised(fixtures: Path) -> None:
    files = sorted(fixtures.iterdir())
    expected = {
        path.name: next(c for p, c in CONNECTOR_OF_PREFIX.items() if path.name.startswith(p))
        for path in files
    }
    assert len(expected) >= 19
    assert {path.name: recognise(path) for path in files} == expected


def test_canonical_files_are_recognised_by_their_columns(write: Callable, tmp_path: Path) -> None:
    people = write("people.csv", "user_id,business_unit_id,job_function\na@x.example,bu_a,eng\n")
    activity = write(
        "usage.jsonl", '{"user_id": "a", "activity_date": "2026-07-01", "tool": "github_copilot"}\n'
    )
    kpis = tmp_path / "kpis.parquet"
    pl.DataFrame(
        {"kpi_id": ["k"], "period_start": ["2026-07-01"], "grain": ["day"], "value": [1.0]}
    ).write_parquet(kpis)

    assert [recognise(p) for p in (people, activity, kpis)] == [
        "people",
        "activity",
        "kpi_observations",
    ]


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("notes.txt", "hello", "unknown file type"),
        ("sales.csv", "region,amount\nnorth,3\n", "looked for OpenTelemetry GenAI traces"),
        ("empty.json", "", "the file is empty"),
        ("list.json", "[1, 2]", "the first JSON value is not an object"),
        # user_id alone fits several entities equally well
        ("ids.csv", "user_id,tool,assigned_on,activity_date\n", "could be"),
    ],
)
def test_unrecognised_files_are_named(write: Callable, name: str, text: str, problem: str) -> None:
    with pytest.raises(FileRefused, match="not recognised") as refused:
        recognise(write(name, text))
    assert problem in str(refused.value)


def test_cli_ingest_auto_lands_a_folder_and_says_what_it_found(
    home: Path,
    fixtures: Path,
    write: Callable,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the legacy metrics files do not name their scope: the environment declares it
    monkeypatch.setenv("CADENCE_GITHUB_COPILOT_SCOPE", "organization:901")
    # the fixtures hold one OTLP file of HTTP and database spans only: refused, so exit 1
    assert main(["ingest", "auto", str(fixtures), "--home", str(home)]) == 1
    out = capsys.readouterr().out
    assert "otel_genai_spans.jsonl: recognised as otel-genai" in out
    assert "m365_usage_user_detail_d7.csv: recognised as m365-copilot" in out
    assert "otel_http_and_db_only.jsonl: recognised as otel-genai" in out
    assert "otel-genai: 12 spans, none GenAI: http.server 8, db 4" in out
    assert "1 refused" in out

    assert (
        main(["ingest", "auto", str(write("sales.csv", "region\nnorth\n")), "--home", str(home)])
        == 1
    )
    out = capsys.readouterr().out
    assert "REFUSED" in out
    assert "sales.csv: not recognised" in out


def test_cli_connector_names(
    home: Path, fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(fixtures / "github_users_1_day.ndjson")
    assert main(["ingest", "github-copilot", path, "--home", str(home)]) == 0
    assert main(["ingest", "github-copilot", path, "--home", str(home)]) == 0
    out = capsys.readouterr().out
    assert "skipped, already landed" in out
    assert main(["ingest", "slack", path, "--home", str(home)]) == 2
    assert (
        "github-copilot, github-billing, m365-copilot, otel-genai, openai-usage, "
        "anthropic-usage, azure-openai, bedrock, litellm, langfuse, auto" in capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("name", "text", "connector", "problem"),
    [
        # GitHub's usage-metrics API answers with links to the reports, not a report
        (
            "links.json",
            '{"download_links": ["https://example.invalid/a.ndjson"], "report_day": "2026-03-01"}',
            "github-copilot",
            "list of download links",
        ),
        # an OpenTelemetry Collector's logs exporter, not its traces exporter
        ("otel.jsonl", '{"resourceLogs": []}\n', "otel-genai", "OTLP logs or metrics, not traces"),
        # a LiteLLM export whose request_id column was renamed
        (
            "spend.csv",
            "req_id,call_type,spend,startTime,model,api_key\nr1,acompletion,0.1,2026-03-01,m,k\n",
            "litellm",
            "resembles the LiteLLM proxy spend log (LiteLLM_SpendLogs) but lacks required field(s):"
            " request_id",
        ),
        # a Langfuse observation without its startTime
        (
            "observations.json",
            '{"data": [{"id": "o1", "type": "GENERATION", "traceId": "t1", "usageDetails": {}}]}',
            "langfuse",
            "resembles the Langfuse observation export (/api/public/observations) but lacks "
            "required field(s): startTime",
        ),
        # an Azure record without its correlationId, from another resource type
        (
            "PT1H.json",
            '{"time": "2026-03-01T00:00:00Z", "category": "RequestResponse", '
            '"operationName": "ChatCompletions_Create", "durationMs": 5, "resultSignature": "200",'
            ' "resourceId": "/SUBSCRIPTIONS/S/PROVIDERS/MICROSOFT.OTHER/X"}\n',
            "azure-openai",
            "lacks required field(s): correlationId",
        ),
    ],
)
def test_a_file_close_to_a_format_keeps_its_connectors_reason(
    home: Path, write: Callable, name: str, text: str, connector: str, problem: str
) -> None:
    path = write(name, text)
    assert recognise(path) == connector
    [result] = load([path], home)
    assert result.status == "refused"
    assert problem in result.message
    assert name in result.message
    assert "not recognised" not in result.message
    for area in ("landing", "quarantine"):  # nothing but the empty schema files
        assert all("0-schema" in str(p) for p in (home / area).rglob("*.parquet"))


def test_an_unrecognised_file_lists_what_was_looked_for(write: Callable) -> None:
    with pytest.raises(FileRefused) as refused:
        recognise(write("budget.json", '{"cost_centre": "cc1", "owner": "x"}'))
    message = str(refused.value)
    for looked_for in (
        "OpenTelemetry GenAI traces (resourceSpans)",
        "GitHub Copilot user-level usage report",
        "Microsoft 365 Copilot user detail report",
        "Azure OpenAI diagnostic log (RequestResponse",
        "AWS Bedrock model invocation log (ModelInvocationLog) (timestamp, requestId, modelId)",
        "LiteLLM proxy spend log (LiteLLM_SpendLogs) (request_id, call_type, startTime, model)",
        "Langfuse observation export",
        "people (user_id, business_unit_id)",
        "Columns found: cost_centre, owner",
    ):
        assert looked_for in message


def test_the_cli_knows_every_connector_by_name_without_importing_them() -> None:
    """`cadence ingest` lists and checks connector names from `CONNECTOR_NAMES` (importing the
    connectors costs half a second a command); it must name exactly `auto.CONNECTORS`. A
    canonical ingest and `cadence --help` import none of them."""
    assert tuple(CONNECTORS) == CONNECTOR_NAMES
    probe = (
        "import sys; from cadence.cli import parser; parser();"
        "print('ingestion.connectors.auto' in sys.modules, 'polars' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
