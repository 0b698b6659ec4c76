{#
    One row per cell of a recorded configuration version (CONTRACTS.md §5.2):
    version (the build that recorded it) × configuration file × data row ×
    column, the value as text; plus one marker row per version and file
    (`source_row` 0, no column), which also records a file's removal
    (`file_sha256` null).
#}
with

config_versions as (

    select * from {{ source('ledger', 'config_versions') }}

),

final as (

    select
        -- ids
        cast(config_versions.version_id as {{ dbt.type_string() }}) as version_id,
        -- strings
        cast(config_versions.config_file as {{ dbt.type_string() }}) as config_file,
        cast(config_versions.file_sha256 as {{ dbt.type_string() }}) as file_sha256,
        cast(config_versions.column_name as {{ dbt.type_string() }}) as column_name,
        cast(config_versions.value as {{ dbt.type_string() }}) as cell_value,
        -- numerics
        cast(config_versions.source_row as {{ dbt.type_bigint() }}) as source_row,
        -- booleans
        config_versions.source_row = 0 as is_version_marker,
        -- timestamps
        cast(config_versions.recorded_at as {{ dbt.type_timestamp() }}) as recorded_at
    from config_versions

)

select * from final
