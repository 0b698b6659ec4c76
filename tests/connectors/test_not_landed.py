"""A vendor file's fields that a connector does not land are named with its result, in the
same list as a canonical file's undeclared columns (issue 16, item 2); the connector's own
extra columns (`source_record`, OTel's) land without an allow-list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cadence.cli import main
from ingestion.connectors import github_copilot, m365_copilot, otel_genai


def test_m365_display_names_are_named_as_not_landed(home: Path, fixtures: Path) -> None:
    csv_results = m365_copilot.load([fixtures / "m365_usage_user_detail_d7.csv"], home)
    json_results = m365_copilot.load([fixtures / "m365_usage_user_detail_beta.json"], home)

    assert csv_results[0].dropped == ("Display Name",)
    assert json_results[0].dropped == ("displayName",)
    assert [r.dropped for r in csv_results[1:]] == [(), ()]  # named once per file
    assert "not landed: Display Name" in csv_results[0].summary()


def test_github_fields_the_connector_does_not_read_are_named(
    home: Path, write: Callable[[str, str], Path], landed: Callable
) -> None:
    path = write(
        "users.ndjson",
        '{"day": "2026-03-02", "user_login": "octo", "user_initiated_interaction_count": 3, '
        '"new_metric_we_do_not_know": 7, "enterprise_id": "1"}\n',
    )
    [activity, *_] = github_copilot.load([path], home)
    assert activity.dropped == ("new_metric_we_do_not_know",)
    assert "source_record" in landed("activity").columns  # the connector's own column lands


def test_otel_message_content_is_named_as_not_landed_and_never_stored(
    home: Path, fixtures: Path, landed: Callable
) -> None:
    [result] = otel_genai.load([fixtures / "otel_genai_spans.jsonl"], home)
    assert {"gen_ai.input.messages", "gen_ai.output.messages"} <= set(result.dropped)
    assert {"conversation_id", "response_model"} <= set(landed("requests").columns)


def test_the_cli_prints_one_list_for_a_vendor_file(
    home: Path, fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "ingest",
            "--home",
            str(home),
            "m365-copilot",
            str(fixtures / "m365_usage_user_detail_d7.csv"),
        ]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "not landed (undeclared columns and vendor fields): Display Name." in out
