{# One row per entity × quarantine reason: quarantined rows, batches and the latest occurrence. #}
with

quarantined_rows as (

    select * from {{ ref('stg_ledger__quarantined_rows') }}

),

final as (

    select
        -- strings
        cast(quarantined_rows.entity as {{ dbt.type_string() }}) as entity,
        cast(quarantined_rows.reason as {{ dbt.type_string() }}) as reason,
        -- numerics
        cast(count(*) as {{ dbt.type_bigint() }}) as quarantined_rows,
        cast({{ count_distinct('quarantined_rows.batch_id') }} as {{ dbt.type_bigint() }})
            as batches,
        -- timestamps
        cast(max(quarantined_rows.ingested_at) as {{ dbt.type_timestamp() }}) as latest_ingested_at
    from quarantined_rows
    group by 1, 2

)

select * from final
