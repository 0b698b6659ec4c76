"""kpi_observations: business KPI values per period (CONTRACTS.md §1)."""

from __future__ import annotations

from ingestion.schema import Column, EntitySchema

GRAINS = ("day", "week", "month", "quarter")

SCHEMA = EntitySchema(
    name="kpi_observations",
    columns=(
        Column("kpi_id", "string", required=True),
        Column("period_start", "date", required=True),
        Column("grain", "enum", required=True, allowed=GRAINS),
        Column("business_unit_id", "string"),
        Column("value", "number", required=True),
        Column("source", "string"),
    ),
    natural_key=("kpi_id", "period_start", "grain", "business_unit_id"),
    event_date_from="period_start",
)
