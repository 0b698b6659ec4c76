"""The canonical entities: one module per entity holding its declared schema, and the
registry (`ingestion.entities.registry.SCHEMAS`) listing them. Imports only
`ingestion.schema`."""
