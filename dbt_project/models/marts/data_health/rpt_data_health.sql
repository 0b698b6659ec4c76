{#
    One row: the landing zone as a whole, as the data-health page and every
    page's header show it: the entities counted, the totals of
    fct_data_health's rows visible, rows quarantined and files refused, the
    ids missing from the configuration (fct_unknown_references) and the rows
    that carry them, and the time the activity data runs through: the latest
    event of the entities that record AI use (requests, activity,
    workflow_events). No freshness status: that depends on when the page is
    read, so the app compares fct_data_health's deadlines with the clock.
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
        data_health.rows_visible,
        data_health.rows_quarantined,
        data_health.rejected_files,
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
        -- numerics
        cast(entities_aggregated.entities_count as {{ dbt.type_bigint() }}) as entities_count,
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
