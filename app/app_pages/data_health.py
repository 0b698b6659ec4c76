"""Data health: is the data behind the reviews complete and fresh? Rows per entity,
quarantine by reason, refused files, freshness and the last builds."""

import polars as pl
import streamlit as st

from app import data, shell, tables

context = shell.page(
    "Data health",
    "Is the data behind the reviews complete and fresh? What was quarantined or refused, and why?",
)
wh = context.wh

health = data.data_health(wh)
summary = data.data_health_summary(wh)
reasons = data.quarantine_reasons(wh)
refused = data.rejected_files(wh)
unknown = data.unknown_references(wh)
builds = data.kept_builds(wh)

columns = st.columns(4)
with columns[0]:
    shell.metric(
        "Sources fresh",
        f"{summary['fresh_entities_count']} / {summary['entities_count']}",
        help="Freshness status green (thresholds.csv `data_freshness_hours`).",
    )
with columns[1]:
    shell.metric(
        "Rows visible",
        shell.fmt_int(summary["rows_visible"]),
        help="Rows after deduplication, all entities.",
    )
with columns[2]:
    shell.metric("Rows quarantined", shell.fmt_int(summary["rows_quarantined"]))
with columns[3]:
    shell.metric("Files refused", shell.fmt_int(summary["rejected_files"]))

stale = health.filter(pl.col("freshness_status") != "green")
if not stale.is_empty():
    st.warning(
        "Stale sources: "
        + ", ".join(
            f"{r['entity']} ({r['hours_since_ingestion']:.0f} h since ingestion)"
            for r in stale.iter_rows(named=True)
        )
        + ". Ingest their latest files with `cadence ingest`, then `cadence build`.",
        icon=":material/schedule:",
    )

shell.table(tables.data_health(health), health, "data_health")

st.subheader("Quarantine by reason")
if reasons.is_empty():
    st.success("No row was quarantined.")
else:
    shell.table(tables.quarantine(reasons), reasons, "quarantine_reasons")
    samples = data.quarantine_samples(wh)
    if not samples.is_empty():
        shell.table(tables.quarantine_samples(samples), samples, "quarantine_samples")

st.subheader("Ids missing from the configuration")
if unknown.is_empty():
    st.success("Every business unit, use case and KPI id is in the configuration.")
else:
    st.warning(
        f"{summary['unknown_ids_count']} id(s) in the landed data are not in the configuration "
        f"({shell.fmt_int(summary['unknown_id_rows'])} rows). Their rows are published "
        "under the unknown id, outside every configured business unit or use case: add the id "
        "to the seed named below, or correct the source and re-ingest.",
        icon=":material/link_off:",
    )
    shell.table(tables.unknown_references(unknown), unknown, "unknown_references")

st.subheader("Files refused whole")
if refused.is_empty():
    st.success("No input file was refused.")
else:
    shell.table(tables.rejected_files(refused), refused, "rejected_files")

st.subheader("Last builds")
shell.table(tables.builds(builds), builds, "builds")
st.caption(
    "A build is published only when every dbt model, test and contract passed; a failed build "
    "leaves the published warehouse untouched and is kept in `warehouses/failed-<build_id>/` with "
    "the failing tests' rows."
)
