{# One row per input file refused whole: entity, file, offending line and reason. #}
with

rejected_files as (

    select * from {{ ref('stg_ledger__rejected_files') }}

),

final as (

    select
        -- ids
        cast(rejected_files.rejection_id as {{ dbt.type_string() }}) as rejection_id,
        -- strings
        cast(rejected_files.entity as {{ dbt.type_string() }}) as entity,
        cast(rejected_files.source_file as {{ dbt.type_string() }}) as source_file,
        cast(rejected_files.reason as {{ dbt.type_string() }}) as reason,
        -- numerics
        cast(rejected_files.line_number as {{ dbt.type_bigint() }}) as line_number,
        -- timestamps
        cast(rejected_files.rejected_at as {{ dbt.type_timestamp() }}) as rejected_at
    from rejected_files

)

select * from final
