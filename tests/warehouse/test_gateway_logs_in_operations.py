"""Requests landed by the per-call connectors (Azure OpenAI, Bedrock, LiteLLM, Langfuse) count
in the operations mart: one build of the four fixtures, counted by hand."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cadence.build import build
from cadence.config import DEFAULT_SEEDS
from cadence.published import read_pointer
from ingestion.connectors.auto import load

pytestmark = pytest.mark.timeout(600)

FIXTURES = Path(__file__).parents[1] / "connectors" / "fixtures"
FILES = (
    "azure_openai_request_response.json",
    "bedrock_invocation_logs.jsonl",
    "litellm_spend_logs.csv",
    "litellm_spend_logs_v2.json",
    "langfuse_observations.json",
)


def test_per_call_logs_count_in_operations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENCE_PSEUDONYM_KEY", "ab" * 32)
    home = tmp_path / "home"
    results = load([FIXTURES / name for name in FILES], home)
    assert [r.rows_landed for r in results] == [4, 5, 3, 1, 4]

    build(home, DEFAULT_SEEDS, echo=lambda _: None)

    pointer = read_pointer(home)
    assert pointer is not None
    con = duckdb.connect(str(pointer["published_path"]), read_only=True)
    try:
        by_model = con.execute(
            "select model, sum(requests), sum(input_tokens) from main.fct_operations_weekly "
            "where week_start = date '2026-03-02' group by 1 order by 1"
        ).fetchall()
    finally:
        con.close()
    # all 17 rows fall in the week of Monday 2 March 2026: Azure 4, Bedrock 5, LiteLLM 4,
    # Langfuse 4 (3 model calls and an agent run: 16 model calls)
    assert by_model == [
        ("claude-3-haiku", 4, 1200 + 500 + 40 + 0),  # Bedrock 3, LiteLLM's Bedrock call 1
        ("claude-sonnet-4", 3, 800 + 1800 + 300),  # Bedrock, LiteLLM, Langfuse
        ("gpt-4.1", 1, 2000),
        ("gpt-4.1-mini", 1, 1000),
        ("gpt-4o", 2, 0),  # Azure's log carries no tokens: the mart sums them as 0
        ("text-embedding-3-large", 2, 1000),  # Azure (no tokens) and LiteLLM
        ("text-embedding-3-small", 1, 500),
        ("titan-embed-text", 1, 64),
        # Azure's call that named no model; the Langfuse agent run is not a model call
        # (CONTRACTS.md §5.1): fct_agent_runs has it, the operations mart does not
        ("unknown", 1, 0),
    ]
