{#
    One row per entity of the landing zone: committed batches, rows read,
    landed and quarantined (from the ledger), rows visible after
    deduplication (requests counted in int_requests_enriched and workflow
    events in int_workflow_runs_assembled, which hold exactly the
    deduplicated rows, instead of deduplicating them again), files refused
    whole, the latest event and ingestion times, and the entity's freshness
    deadlines: its latest event plus the cadence its landing source expects
    (dbt source freshness `warn_after` / `error_after` of the landing source
    table of the same name: int_landing_cadences_listed). No status is computed
    here: a status frozen at build time goes stale itself; the app compares
    the deadlines with the clock when a page is read.
    - The latest event is the latest one dated before the end of the build
      date (a future-dated row, e.g. a directory change scheduled ahead, is
      no sign that the source delivered); a date-valued event counts at its
      midnight (UTC).
    - Deadlines are computed from the latest event truncated to the second
      (DuckDB and Spark then agree to the microsecond).
#}
{#- (entity, the model holding its deduplicated rows, its event column); workflow events
    are read from their assembled runs. The entity is the landing source table's name. #}
{%- set entities = [
    ('requests', 'int_requests_enriched', 'occurred_at'),
    ('activity', 'stg_landing__activities', 'activity_date'),
    ('kpi_observations', 'stg_landing__kpi_observations', 'period_start'),
    ('survey_responses', 'stg_landing__survey_responses', 'submitted_at'),
    ('enablement_events', 'stg_landing__enablement_events', 'occurred_at'),
    ('people', 'stg_landing__people', 'valid_from'),
    ('licenses', 'stg_landing__licenses', 'assigned_date'),
] %}
{#- rows dated on or after this are in the future of the build #}
{%- set build_date_end = dbt.dateadd('day', 1, cadence.build_date()) %}

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

landing_cadences as (

    select * from {{ ref('int_landing_cadences_listed') }}

),

entities as (

    {#- requests and workflow events are counted where they are already
        deduplicated: int_requests_enriched, and the runs' events_count #}
    select
        'workflow_events' as entity,
        coalesce(sum(runs.events_count), 0) as rows_visible,
        max(
            case
                when runs.last_event_at < cast({{ build_date_end }} as {{ dbt.type_timestamp() }})
                    then runs.last_event_at
            end
        ) as latest_event_at
    from {{ ref('int_workflow_runs_assembled') }} as runs
    union all
    {%- for entity, model, event_column in entities %}
    select
        '{{ entity }}' as entity,
        count(*) as rows_visible,
        max(
            case
                when
                    cast({{ event_column }} as {{ dbt.type_timestamp() }})
                    < cast({{ build_date_end }} as {{ dbt.type_timestamp() }})
                    then cast({{ event_column }} as {{ dbt.type_timestamp() }})
            end
        ) as latest_event_at
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
        landing_cadences.warn_after_seconds,
        landing_cadences.error_after_seconds,
        batches_aggregated.latest_ingested_at,
        rejected_aggregated.latest_rejected_at,
        {{ dbt.date_trunc('second', 'entities.latest_event_at') }} as latest_event_second
    from entities
    left join landing_cadences
        on entities.entity = landing_cadences.entity
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
        cast(joined.warn_after_seconds / 3600.0 as {{ type_double() }}) as warn_after_hours,
        cast(joined.error_after_seconds / 3600.0 as {{ type_double() }}) as error_after_hours,
        -- timestamps
        cast(joined.latest_event_at as {{ dbt.type_timestamp() }}) as latest_event_at,
        cast(
            case
                when joined.latest_event_second is not null
                    then {{ dbt.dateadd(
                        'second', 'joined.warn_after_seconds', 'joined.latest_event_second'
                    ) }}
            end
            as {{ dbt.type_timestamp() }}
        ) as fresh_until_at,
        cast(
            case
                when joined.latest_event_second is not null
                    then {{ dbt.dateadd(
                        'second', 'joined.error_after_seconds', 'joined.latest_event_second'
                    ) }}
            end
            as {{ dbt.type_timestamp() }}
        ) as error_after_at,
        cast(joined.latest_ingested_at as {{ dbt.type_timestamp() }}) as latest_ingested_at,
        cast(joined.latest_rejected_at as {{ dbt.type_timestamp() }}) as latest_rejected_at,
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}) as built_at
    from joined

)

select * from final
