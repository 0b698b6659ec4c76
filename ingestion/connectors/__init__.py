"""The vendor connectors: one module per vendor format (recognise, reshape to canonical rows,
hand over to `ingestion.landing`), their shared machinery (`_common`) and `auto`, which
recognises a file and picks the connector or canonical entity for it."""

#: The connectors' names as `cadence ingest` takes them, known without importing them (they
#: bring polars and pyarrow: half a second a command); `auto.CONNECTORS` maps each to its
#: loader, in this order (tests/connectors/test_auto.py).
CONNECTOR_NAMES = (
    "github-copilot",
    "github-billing",
    "m365-copilot",
    "otel-genai",
    "openai-usage",
    "anthropic-usage",
    "azure-openai",
    "bedrock",
    "litellm",
    "langfuse",
    "auto",
)
