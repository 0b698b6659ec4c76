{# One row per input file refused whole, with the offending line and reason. #}
with

rejected as (

    select * from {{ source('ledger', 'rejected') }}

),

final as (

    select
        -- ids
        cast(rejected.rejection_id as {{ dbt.type_string() }}) as rejection_id,
        -- strings
        cast(rejected.entity as {{ dbt.type_string() }}) as entity,
        cast(rejected.source_file as {{ dbt.type_string() }}) as source_file,
        cast(rejected.file_sha256 as {{ dbt.type_string() }}) as file_sha256,
        cast(rejected.reason as {{ dbt.type_string() }}) as reason,
        -- numerics
        cast(rejected.line as {{ dbt.type_bigint() }}) as line_number,
        -- timestamps
        cast(rejected.rejected_at as {{ dbt.type_timestamp() }}) as rejected_at
    from rejected

)

select * from final
