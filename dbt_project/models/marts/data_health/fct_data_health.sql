{#
    One row per entity of the landing zone: committed batches, rows read,
    landed and quarantined (from the ledger), rows visible after
    deduplication (requests counted in int_requests_enriched and workflow
    events in int_workflow_runs_assembled, which hold exactly the
    deduplicated rows, instead of deduplicating them again), files refused
    whole, the latest event and ingestion times, and hours since the last
    ingestion at build time with a RAG status (thresholds.csv
    `data_freshness_hours`).
#}
with

batches as (

    select * from {{ ref('stg_ledger__batches') }}

),

rejected_files as (

    select * from {{ ref('stg_ledger__rejected_files') }}

),

quarantined_rows as (

    select * from {{ ref('stg_ledger__quarantined_rows') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

entities as (

    {#- requests and workflow events are counted where they are already
        deduplicated: int_requests_enriched, and the runs' events_count #}
    select
        'workflow_events' as entity,
        coalesce(sum(runs.events_count), 0) as rows_visible,
        max(runs.last_event_at) as latest_event_at
    from {{ ref('int_workflow_runs_assembled') }} as runs
    union all
    {%- set entities = [
        ('requests', 'int_requests_enriched', 'occurred_at'),
        ('activity', 'stg_landing__activities', 'activity_date'),
        ('kpi_observations', 'stg_landing__kpi_observations', 'period_start'),
        ('survey_responses', 'stg_landing__survey_responses', 'submitted_at'),
        ('enablement_events', 'stg_landing__enablement_events', 'occurred_at'),
        ('people', 'stg_landing__people', 'valid_from'),
        ('licenses', 'stg_landing__licenses', 'assigned_date'),
    ] %}
    {%- for entity, model, event_column in entities %}
    select
        '{{ entity }}' as entity,
        count(*) as rows_visible,
        max(cast({{ event_column }} as {{ dbt.type_timestamp() }})) as latest_event_at
    from {{ ref(model) }}
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

batches_aggregated as (

    select
        batches.entity,
        count(*) as batches,
        sum(batches.rows_read_count) as rows_read,
        sum(batches.rows_landed_count) as rows_landed,
        sum(batches.rows_quarantined_count) as rows_quarantined,
        max(batches.committed_at) as latest_ingested_at
    from batches
    group by 1

),

quarantine_aggregated as (

    select
        quarantined_rows.entity,
        count(*) as quarantined_rows_stored
    from quarantined_rows
    group by 1

),

rejected_aggregated as (

    select
        rejected_files.entity,
        count(*) as rejected_files,
        max(rejected_files.rejected_at) as latest_rejected_at
    from rejected_files
    group by 1

),

joined as (

    select
        entities.entity,
        entities.rows_visible,
        entities.latest_event_at,
        coalesce(batches_aggregated.batches, 0) as batches,
        coalesce(batches_aggregated.rows_read, 0) as rows_read,
        coalesce(batches_aggregated.rows_landed, 0) as rows_landed,
        coalesce(batches_aggregated.rows_quarantined, 0) as rows_quarantined,
        coalesce(quarantine_aggregated.quarantined_rows_stored, 0) as quarantined_rows_stored,
        coalesce(rejected_aggregated.rejected_files, 0) as rejected_files,
        batches_aggregated.latest_ingested_at,
        rejected_aggregated.latest_rejected_at,
        {{ dbt.datediff(
            'batches_aggregated.latest_ingested_at', dbt.current_timestamp(), 'minute'
        ) }}
        / 60.0 as hours_since_ingestion
    from entities
    left join batches_aggregated
        on entities.entity = batches_aggregated.entity
    left join quarantine_aggregated
        on entities.entity = quarantine_aggregated.entity
    left join rejected_aggregated
        on entities.entity = rejected_aggregated.entity

),

final as (

    select
        -- strings
        cast(joined.entity as {{ dbt.type_string() }}) as entity,
        cast(
            {{ rag('joined.hours_since_ingestion', 'data_freshness_hours') }}
            as {{ dbt.type_string() }}
        ) as freshness_status,
        -- numerics
        cast(joined.batches as {{ dbt.type_bigint() }}) as batches,
        cast(joined.rows_read as {{ dbt.type_bigint() }}) as rows_read,
        cast(joined.rows_landed as {{ dbt.type_bigint() }}) as rows_landed,
        cast(joined.rows_visible as {{ dbt.type_bigint() }}) as rows_visible,
        cast(joined.rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
        cast(joined.quarantined_rows_stored as {{ dbt.type_bigint() }}) as quarantined_rows_stored,
        cast({{ pct('joined.rows_quarantined', 'joined.rows_read') }} as {{ type_double() }})
            as quarantined_pct,
        cast(joined.rejected_files as {{ dbt.type_bigint() }}) as rejected_files,
        cast(joined.hours_since_ingestion as {{ type_double() }}) as hours_since_ingestion,
        -- timestamps
        cast(joined.latest_event_at as {{ dbt.type_timestamp() }}) as latest_event_at,
        cast(joined.latest_ingested_at as {{ dbt.type_timestamp() }}) as latest_ingested_at,
        cast(joined.latest_rejected_at as {{ dbt.type_timestamp() }}) as latest_rejected_at,
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}) as built_at
    from joined
    cross join thresholds

)

select * from final
