{#
    One row: the landing zone as a whole, as the data-health page and every
    page's header show it. The worst freshness status of the entities (red,
    then amber, then green; null when none has one), the entities not green,
    the totals of fct_data_health's rows visible, rows quarantined and files
    refused, the ids missing from the configuration (fct_unknown_references)
    and the rows that carry them, and the time the activity data runs through:
    the latest event of the entities that record AI use (requests, activity,
    workflow_events).
#}
with

data_health as (

    select * from {{ ref('fct_data_health') }}

),

unknown_references as (

    select * from {{ ref('fct_unknown_references') }}

),

entities as (

    select
        data_health.entity,
        data_health.freshness_status,
        data_health.rows_visible,
        data_health.rows_quarantined,
        data_health.rejected_files,
        case data_health.freshness_status
            when 'red' then 3
            when 'amber' then 2
            when 'green' then 1
        end as freshness_rank,
        case
            when coalesce(data_health.freshness_status, '') <> 'green' then data_health.entity
        end as stale_entity,
        case
            {#- the entities that record AI use #}
            when data_health.entity in ('requests', 'activity', 'workflow_events')
                then data_health.latest_event_at
        end as activity_event_at
    from data_health

),

entities_aggregated as (

    select
        count(*) as entities_count,
        sum(case when entities.freshness_status = 'green' then 1 else 0 end)
            as fresh_entities_count,
        max(entities.freshness_rank) as worst_freshness_rank,
        {{ dbt.listagg(
            'entities.stale_entity', "', '", 'order by entities.stale_entity'
        ) }} as stale_entities,
        coalesce(sum(entities.rows_visible), 0) as rows_visible,
        coalesce(sum(entities.rows_quarantined), 0) as rows_quarantined,
        coalesce(sum(entities.rejected_files), 0) as rejected_files,
        max(entities.activity_event_at) as data_through_at
    from entities

),

unknown_references_aggregated as (

    select
        count(*) as unknown_ids_count,
        coalesce(sum(unknown_references.rows), 0) as unknown_id_rows
    from unknown_references

),

final as (

    select
        -- strings
        cast(
            case entities_aggregated.worst_freshness_rank
                when 3 then 'red'
                when 2 then 'amber'
                when 1 then 'green'
            end
            as {{ dbt.type_string() }}
        ) as freshness_status,
        cast(coalesce(entities_aggregated.stale_entities, '') as {{ dbt.type_string() }})
            as stale_entities,
        -- numerics
        cast(entities_aggregated.entities_count as {{ dbt.type_bigint() }}) as entities_count,
        cast(coalesce(entities_aggregated.fresh_entities_count, 0) as {{ dbt.type_bigint() }})
            as fresh_entities_count,
        cast(entities_aggregated.rows_visible as {{ dbt.type_bigint() }}) as rows_visible,
        cast(entities_aggregated.rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
        cast(entities_aggregated.rejected_files as {{ dbt.type_bigint() }}) as rejected_files,
        cast(unknown_references_aggregated.unknown_ids_count as {{ dbt.type_bigint() }})
            as unknown_ids_count,
        cast(unknown_references_aggregated.unknown_id_rows as {{ dbt.type_bigint() }})
            as unknown_id_rows,
        -- timestamps
        cast(entities_aggregated.data_through_at as {{ dbt.type_timestamp() }}) as data_through_at
    from entities_aggregated
    cross join unknown_references_aggregated

)

select * from final
