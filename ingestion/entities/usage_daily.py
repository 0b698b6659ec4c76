"""usage_daily: a provider's or vendor's aggregated usage and cost per day (CONTRACTS.md §5.1).

One row per `usage_date` x `provider` x `model` x `source` x `business_unit_id`: what a
provider's usage or cost report (OpenAI Usage and Costs APIs, Anthropic's Usage and Cost Admin
API, a billing export) says was used and spent that UTC day. It is reconciled against the
per-call `requests` of the same provider and day (`fct_usage_reconciliation`), never added to
them. `cost` is in `currency` (ISO 4217, default USD), converted to USD in the warehouse.
"""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

#: What a currency must look like: an ISO 4217 alphabetic code.
CURRENCY_PATTERN = ("[A-Z]{3}", "not an ISO 4217 currency code (three capital letters)")

SCHEMA = EntitySchema(
    name="usage_daily",
    columns=(
        Column("usage_date", "date", required=True, not_future=True),
        Column("provider", "string", required=True),
        Column("model", "string"),
        Column("source", "string", required=True),
        Column("business_unit_id", "string"),
        Column("input_tokens", "integer", minimum=0),
        Column("output_tokens", "integer", minimum=0),
        Column("requests", "integer", minimum=0),
        Column("cost", "number", minimum=0),
        Column("currency", "string", default="USD", pattern=CURRENCY_PATTERN),
    ),
    natural_key=("usage_date", "provider", "model", "source", "business_unit_id"),
    event_date_from="usage_date",
)
