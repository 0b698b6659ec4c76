"""OpenAI Usage API and Costs API exports -> usage_daily.

Reads what the organisation endpoints answer (an admin key's `GET /v1/organization/usage/<kind>`
and `GET /v1/organization/costs`): pages `{"object": "page", "data": [bucket, ...], "has_more",
"next_page"}` whose buckets have `start_time` / `end_time` (Unix seconds) and `results`. One
file holds one endpoint's pages (one page, one per line, or a JSON array of them); the rules
shared with Anthropic's reports (days, summing, empty days) are in `_usage_reports.py`.

Usage results (`organization.usage.<kind>.result`) -> source `openai_usage`, provider `openai`:

| usage_daily column | from |
|---|---|
| usage_date | the bucket's `start_time`, UTC date |
| model | `model` (null unless the export is grouped by model) |
| input_tokens | `input_tokens` (text, cached included) + `input_audio_tokens`; a result that also carries `input_text_tokens` (the newer per-modality fields) has every modality in `input_tokens` already, so that alone |
| output_tokens | `output_tokens` + `output_audio_tokens`, likewise |
| requests | `num_model_requests` |
| cost, currency | null (the Usage API reports no money: see the Costs API) |

Kinds landed: completions, embeddings, moderations, images, audio_speeches,
audio_transcriptions (the ones with `num_model_requests`). Vector store and code interpreter
usage is not model usage: a file of it is refused whole, saying so.

Cost results (`organization.costs.result`) -> source `openai_costs`, provider `openai`: `cost`
= `amount.value` (in the currency's units: dollars, not cents), `currency` = `amount.currency`
upper-cased (`usd` -> `USD`); model null, as a line item (`gpt-4o-2024-08-06, input`, ...) is a
price line, not a model id. Usage and cost stay two sources: their groupings differ (model
against line item and project) and OpenAI says they may not reconcile exactly; the Costs API
is the one that matches the invoice.

Not landed (named in the ingest summary): `input_cached_tokens` and the other per-modality
breakdowns, `project_id`, `user_id` (an OpenAI user: never read), `api_key_id`, `batch`,
`service_tier`, `line_item`, `images`, `characters`, `seconds`, `source`, `size`.
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
    unix_time,
)
from ingestion.entities import usage_daily
from ingestion.errors import FileRefused
from ingestion.extra_columns import ExtraColumns
from ingestion.landing import FileResult

CONNECTOR = "openai-usage"
PROVIDER = "openai"
USAGE_SOURCE = "openai_usage"
COSTS_SOURCE = "openai_costs"
START, END = "start_time", "end_time"
#: Usage kinds that are model calls (they count `num_model_requests`).
MODEL_USAGE = (
    "completions",
    "embeddings",
    "moderations",
    "images",
    "audio_speeches",
    "audio_transcriptions",
)
OTHER_USAGE = ("vector_stores", "code_interpreter_sessions")


def load(
    paths: Sequence[Path],
    home: Path,
    *,
    echo: Callable[[str], None] | None = None,
    extra_columns: ExtraColumns | None = None,
) -> list[FileResult]:
    """Land OpenAI Usage or Costs API pages under `home` as usage_daily rows."""
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
    """Whether a JSON value is a page (or bucket) of the OpenAI Usage or Costs API."""
    return is_page(record, START)


def result_kind(result: Mapping[str, Any]) -> str | None:
    """`costs`, a usage kind (`completions`, ...) or None for one result of a bucket."""
    name = str(result.get("object") or "")
    if name == "organization.costs.result" or isinstance(result.get("amount"), Mapping):
        return "costs"
    if name.startswith("organization.usage.") and name.endswith(".result"):
        return name.removeprefix("organization.usage.").removesuffix(".result")
    if "num_model_requests" in result:
        return "completions" if "input_tokens" in result else "images"
    return None


def reshape(path: Path) -> DailyTotals:
    """The usage_daily totals of one Usage or Costs API file (one endpoint per file)."""
    found = list(buckets(path, start_key=START, end_key=END, moment=unix_time, kind="OpenAI"))
    kinds = {_kind(path, bucket.line, result) for bucket in found for result in bucket.results}
    families = {"costs" if kind == "costs" else "usage" for kind in kinds}
    if len(families) > 1:
        raise FileRefused(
            path, "mixes usage and cost results: export each endpoint to its own file"
        )
    costs = families == {"costs"}
    totals = DailyTotals(path, PROVIDER, COSTS_SOURCE if costs else USAGE_SOURCE)
    for bucket in found:
        totals.cover(bucket)
        for raw in bucket.results:
            result = track_fields(raw)
            result.get("object")
            if costs:
                money = track_fields(result.get("amount"), "amount")
                value = money.get("value") if isinstance(money, Mapping) else None
                currency = money.get("currency") if isinstance(money, Mapping) else None
                totals.add(bucket.line, bucket.day, None, currency=currency, cost=amount(value))
            else:
                totals.add(bucket.line, bucket.day, result.get("model"), **_usage(result))
    return totals


def _kind(path: Path, line: int, result: Mapping[str, Any]) -> str:
    """A result's kind; refuse a file of usage that is not model usage, or of no known kind."""
    kind = result_kind(result)
    if kind in OTHER_USAGE:
        raise FileRefused(
            path, f"OpenAI {kind} usage is not model usage (cadence lands model calls)", line
        )
    if kind is None or (kind != "costs" and kind not in MODEL_USAGE):
        shown = ", ".join(str(name) for name in list(result)[:8])
        raise FileRefused(path, f"a result of no known OpenAI report (found: {shown})", line)
    return kind


def _usage(result: Mapping[str, Any]) -> dict[str, Any]:
    """Tokens and requests of one usage result."""
    per_modality = "input_text_tokens" in result or "output_text_tokens" in result
    if per_modality:
        tokens_in, tokens_out = result.get("input_tokens"), result.get("output_tokens")
    else:
        tokens_in = count(result, "input_tokens", "input_audio_tokens")
        tokens_out = count(result, "output_tokens", "output_audio_tokens")
    return {
        "input_tokens": tokens_in,
        "output_tokens": tokens_out,
        "requests": result.get("num_model_requests"),
    }
