"""Anthropic Usage and Cost Admin API exports -> usage_daily.

Reads what an admin key's `GET /v1/organizations/usage_report/messages` and
`GET /v1/organizations/cost_report` answer: pages `{"data": [bucket, ...], "has_more",
"next_page"}` whose buckets have `starting_at` / `ending_at` (RFC 3339, UTC) and `results`. One
file holds one report's pages (one page, one per line, or a JSON array of them); the rules
shared with OpenAI's reports (days, summing, empty days) are in `_usage_reports.py`.

Messages usage report -> source `anthropic_usage`, provider `anthropic`:

| usage_daily column | from |
|---|---|
| usage_date | the bucket's `starting_at`, UTC date |
| model | `model` (null unless the report is grouped by model) |
| input_tokens | `uncached_input_tokens` + `cache_read_input_tokens` + `cache_creation.ephemeral_5m_input_tokens` + `cache_creation.ephemeral_1h_input_tokens`: every input token, as OpenAI's `input_tokens` (cached included) and the GenAI semantic conventions' `gen_ai.usage.input_tokens` count them. A gateway that logs the Messages API's `usage.input_tokens` (uncached only) shows the cache as a difference in `fct_usage_reconciliation` |
| output_tokens | `output_tokens` |
| requests | null: the report counts tokens, not requests |
| cost, currency | null (see the cost report) |

Cost report -> source `anthropic_costs`: `cost` = `amount` / 100 — the API gives the amount
as a decimal string in the currency's lowest unit (cents: `"123.45"` in `USD` is $1.2345), summed
exactly (decimal) before the division is stored; `currency` = `currency` (`USD`, the only one the
API returns today); `model` = `model` (null unless grouped by `description`, and for costs that
are not tokens: web search, code execution). Anthropic documents that the cost report leaves
out Priority Tier costs. Usage and cost stay two sources, as for OpenAI: the usage report
has no money and the cost report no tokens.

Not landed (named in the ingest summary): `server_tool_use.web_search_requests` (tool calls,
not model calls), `api_key_id`, `workspace_id`, `service_tier`, `context_window`,
`inference_geo`, `account_id`, `cost_type`, `description`, `token_type`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ingestion.connectors._common import land_vendor_files, track_fields
from ingestion.connectors._usage_reports import (
    DailyTotals,
    amount,
    buckets,
    count,
    is_page,
    rfc3339_time,
)
from ingestion.entities import usage_daily
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "anthropic-usage"
PROVIDER = "anthropic"
USAGE_SOURCE = "anthropic_usage"
COSTS_SOURCE = "anthropic_costs"
START, END = "starting_at", "ending_at"
#: The cost report's amounts are in cents (the currency's lowest unit): 10**-2 of a dollar.
CENTS_SCALE = 2


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land Anthropic usage or cost report pages under `home` as usage_daily rows."""
    return land_vendor_files(
        paths,
        home,
        connector=CONNECTOR,
        primary=usage_daily.SCHEMA,
        reshape=lambda path: [reshape(path).rows()],
        echo=echo,
        extra_columns=extra_columns,
    )


def is_report(record: Any) -> bool:
    """Whether a JSON value is a page (or bucket) of Anthropic's usage or cost report."""
    return is_page(record, START)


def result_kind(result: Mapping[str, Any]) -> str | None:
    """`costs`, `usage` or None for one result of a bucket."""
    if "amount" in result:
        return "costs"
    if "uncached_input_tokens" in result or "output_tokens" in result:
        return "usage"
    return None


def reshape(path: Path) -> DailyTotals:
    """The usage_daily totals of one usage or cost report file (one report per file)."""
    found = list(buckets(path, start_key=START, end_key=END, moment=rfc3339_time, kind="Anthropic"))
    kinds = set()
    for bucket in found:
        for result in bucket.results:
            kind = result_kind(result)
            if kind is None:
                shown = ", ".join(str(name) for name in list(result)[:8])
                problem = f"a result of no known Anthropic report (found: {shown})"
                raise FileRefused(path, problem, bucket.line)
            kinds.add(kind)
    if len(kinds) > 1:
        raise FileRefused(path, "mixes usage and cost results: export each report to its own file")
    costs = kinds == {"costs"}
    totals = DailyTotals(path, PROVIDER, COSTS_SOURCE if costs else USAGE_SOURCE)
    for bucket in found:
        totals.cover(bucket)
        for raw in bucket.results:
            result = track_fields(raw)
            if costs:
                totals.add(
                    bucket.line,
                    bucket.day,
                    result.get("model"),
                    currency=result.get("currency"),
                    cost=amount(result.get("amount"), CENTS_SCALE),
                )
            else:
                totals.add(bucket.line, bucket.day, result.get("model"), **_usage(result))
    return totals


def _usage(result: Mapping[str, Any]) -> dict[str, Any]:
    """Tokens of one messages usage result (every input token, cached ones included)."""
    cache_creation = track_fields(result.get("cache_creation"), "cache_creation")
    created = (
        count(cache_creation, "ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens")
        if isinstance(cache_creation, Mapping)
        else cache_creation
    )
    uncached_and_read = count(result, "uncached_input_tokens", "cache_read_input_tokens")
    return {
        "input_tokens": count({"a": uncached_and_read, "b": created}, "a", "b"),
        "output_tokens": result.get("output_tokens"),
    }
