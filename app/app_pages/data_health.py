"""Data health: is the data behind the reviews complete and fresh? Freshness now, rows per
entity, quarantine by reason, refused files, providers' reports against the per-call logs and
the last builds."""

import streamlit as st

from app import data, freshness, shell, tables

context = shell.page(
    "Data health",
    "Is the data behind the reviews complete and fresh? What was quarantined or refused, and why?",
)
wh = context.wh

# the deadlines are the build's; the comparison with the clock is this page load's
health = freshness.classify(data.data_health(wh), freshness.now())
state = freshness.summarise(health)
summary = data.data_health_summary(wh)
reasons = data.quarantine_reasons(wh)
refused = data.rejected_files(wh)
unknown = data.unknown_references(wh)
builds = data.kept_builds(wh)
reconciliation = data.usage_reconciliation(wh)

columns = st.columns(4)
with columns[0]:
    shell.metric(
        "Sources fresh now",
        f"{state.fresh} / {state.sources}",
        help="Sources whose latest event is within the cadence their dbt source freshness "
        "expects (`warn_after` in _landing__sources.yml), as of this page load.",
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

if state.stale:
    st.warning(
        "Stale sources: "
        + ", ".join(
            f"{shell.humanise(source.entity)} ({tables.FRESHNESS_WORDS[source.status]}, last "
            f"event {shell.fmt_date(source.latest_event_at)})"
            for source in state.stale
        )
        + ". Ingest their latest files with `cadence ingest`, then `cadence build`.",
        icon=":material/schedule:",
    )
if state.no_data:
    st.info(
        "No data yet: "
        + ", ".join(shell.humanise(entity) for entity in state.no_data)
        + ". Ingest their files with `cadence ingest`, then `cadence build`.",
        icon=":material/database_off:",
    )

shell.table(tables.freshness(health), health, "freshness")
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

st.subheader("Provider reports against the per-call logs")
if reconciliation.is_empty():
    st.info(
        "No provider usage or cost report has landed (OpenAI or Anthropic usage and cost "
        "exports: `cadence ingest openai-usage` / `anthropic-usage`), so there is nothing to "
        "reconcile the per-call logs with.",
        icon=":material/balance:",
    )
else:
    shell.table(tables.usage_reconciliation(reconciliation), reconciliation, "usage_reconciliation")
    st.caption(
        "A provider's own report counts every call it served; the operations figures count the "
        "calls logged one by one (gateway, OpenTelemetry). The reports are compared here and "
        "never added to those figures. A positive difference is traffic no log holds (calls "
        "that bypass the gateway); a negative one, logged calls the provider does not report. "
        "A day whose cost is in a currency without a `usd_per:<currency>` rate in "
        "value_assumptions.csv is left out of the cost columns."
    )

st.subheader("Last builds")
shell.table(tables.builds(builds), builds, "builds")
st.caption(
    "A build is published only when no dbt model, contract or test failed; a test of severity "
    "`warn` (an id missing from the configuration, for one) is reported as a warning and does "
    "not block it. A failed build leaves the published warehouse untouched and is kept in "
    "`warehouses/failed-<build_id>/` with the failing tests' rows."
)
