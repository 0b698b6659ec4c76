"""Every canonical entity by the name `cadence ingest <entity>` takes."""

from __future__ import annotations

from ingestion.entities import (
    activity,
    copilot_usage_details,
    enablement_events,
    kpi_observations,
    licenses,
    people,
    requests,
    survey_responses,
    usage_daily,
    workflow_events,
)
from ingestion.schema import EntitySchema

SCHEMAS: dict[str, EntitySchema] = {
    module.SCHEMA.name: module.SCHEMA
    for module in (
        requests,
        activity,
        workflow_events,
        kpi_observations,
        survey_responses,
        enablement_events,
        people,
        licenses,
        copilot_usage_details,
        usage_daily,
    )
}
