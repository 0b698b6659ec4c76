{#
    One row per closed period's marker (`scope_id` null) or recorded review
    tile (cadence/period_close.py): close (the build that recorded it) ×
    period × reading scope × metric. Markers with `is_request` are periods
    the running build was asked to close (they carry no figures yet).
#}
with

period_closes as (

    select * from {{ source('ledger', 'period_closes') }}

),

final as (

    select
        -- ids
        cast(period_closes.close_id as {{ dbt.type_string() }}) as close_id,
        cast(period_closes.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(period_closes.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_closes.close_kind as {{ dbt.type_string() }}) as close_kind,
        cast(period_closes.metric as {{ dbt.type_string() }}) as metric,
        cast(period_closes.status as {{ dbt.type_string() }}) as status,
        cast(period_closes.previous_status as {{ dbt.type_string() }}) as previous_status,
        cast(period_closes.comparison as {{ dbt.type_string() }}) as comparison,
        -- numerics
        cast(period_closes.metric_value as {{ type_double() }}) as metric_value,
        cast(period_closes.previous_metric_value as {{ type_double() }})
            as previous_metric_value,
        cast(period_closes.metric_change as {{ type_double() }}) as metric_change,
        cast(period_closes.metric_change_pct as {{ type_double() }}) as metric_change_pct,
        -- booleans
        cast(period_closes.is_request as boolean) as is_request,
        period_closes.scope_id is null as is_marker,
        cast(period_closes.is_suppressed as boolean) as is_suppressed,
        cast(period_closes.is_previous_suppressed as boolean) as is_previous_suppressed,
        cast(period_closes.is_flagged as boolean) as is_flagged,
        -- dates
        cast(period_closes.period_start as date) as period_start,
        -- timestamps
        cast(period_closes.closed_at as {{ dbt.type_timestamp() }}) as closed_at
    from period_closes

)

select * from final
