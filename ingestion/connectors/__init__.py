"""The vendor connectors: one module per vendor format (recognise, reshape to canonical rows,
hand over to `ingestion.landing`), their shared machinery (`_common`) and `auto`, which
recognises a file and picks the connector or canonical entity for it."""
