{# One row per metric with its RAG bands or rule threshold (seeds/thresholds.csv). #}
with

thresholds as (

    select * from {{ ref('thresholds') }}

),

final as (

    select
        -- strings
        cast(thresholds.metric as {{ dbt.type_string() }}) as metric,
        cast(thresholds.direction as {{ dbt.type_string() }}) as direction,
        -- numerics
        cast(thresholds.green as {{ type_double() }}) as green_threshold,
        cast(thresholds.amber as {{ type_double() }}) as amber_threshold
    from thresholds

)

select * from final
