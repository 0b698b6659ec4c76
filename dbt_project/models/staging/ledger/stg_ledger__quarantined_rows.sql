{#
    One row per quarantined input row of any entity, with its reason. The
    entity is the directory under quarantine/ (quarantine/<entity>/batch_id=…).
#}
with

quarantined_rows as (

    select * from {{ source('quarantine', 'quarantined_rows') }}

),

final as (

    select
        -- ids
        cast(quarantined_rows._batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(
            {{ dbt.split_part(
                dbt.split_part('quarantined_rows.filename', "'/quarantine/'", 2),
                "'/'",
                1,
            ) }}
            as {{ dbt.type_string() }}
        ) as entity,
        cast(quarantined_rows._reason as {{ dbt.type_string() }}) as reason,
        cast(quarantined_rows._source_file as {{ dbt.type_string() }})
            as source_file,
        -- numerics
        cast(quarantined_rows._source_row as {{ dbt.type_bigint() }})
            as source_row_number,
        -- timestamps
        cast(quarantined_rows._ingested_at as {{ dbt.type_timestamp() }})
            as ingested_at
    from quarantined_rows

)

select * from final
