{#
    One row per cell of a review table's row recorded at a period's close
    (cadence/period_close.py): close × model × period × reading scope ×
    source row (numbered per close and model) × column, the value as text
    (null for an empty cell). The `closed_review_rows` macro reads them back
    typed as each model's contract declares.
#}
with

period_close_rows as (

    select * from {{ source('ledger', 'period_close_rows') }}

),

final as (

    select
        -- ids
        cast(period_close_rows.close_id as {{ dbt.type_string() }}) as close_id,
        cast(period_close_rows.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(period_close_rows.model_name as {{ dbt.type_string() }}) as model_name,
        cast(period_close_rows.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(period_close_rows.column_name as {{ dbt.type_string() }}) as column_name,
        cast(period_close_rows.cell_value as {{ dbt.type_string() }}) as cell_value,
        -- numerics
        cast(period_close_rows.source_row as {{ dbt.type_bigint() }}) as source_row,
        -- dates
        cast(period_close_rows.period_start as date) as period_start,
        -- timestamps
        cast(period_close_rows.closed_at as {{ dbt.type_timestamp() }}) as closed_at
    from period_close_rows

)

select * from final
