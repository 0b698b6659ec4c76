{# One row per committed ingestion batch (the ledger). #}
with

batches as (

    select * from {{ source('ledger', 'batches') }}

),

final as (

    select
        -- ids
        cast(batches.batch_id as {{ dbt.type_string() }}) as batch_id,
        -- strings
        cast(batches.entity as {{ dbt.type_string() }}) as entity,
        cast(batches.source_file as {{ dbt.type_string() }}) as source_file,
        cast(batches.source_format as {{ dbt.type_string() }}) as source_format,
        cast(batches.file_sha256 as {{ dbt.type_string() }}) as file_sha256,
        -- numerics
        cast(batches.file_bytes as {{ dbt.type_bigint() }}) as file_bytes,
        cast(batches.rows_read as {{ dbt.type_bigint() }}) as rows_read_count,
        cast(batches.rows_landed as {{ dbt.type_bigint() }})
            as rows_landed_count,
        cast(batches.rows_quarantined as {{ dbt.type_bigint() }})
            as rows_quarantined_count,
        -- timestamps
        cast(batches.started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(batches.committed_at as {{ dbt.type_timestamp() }})
            as committed_at
    from batches

)

select * from final
