{#
    One row per reading scope × portfolio × business unit it covers
    (CONTRACTS.md §5.3): exactly the cells a scope covers (a union of access
    rows is its cells, not their cross product). `unassigned` is the
    portfolio of usage no use case claims; the organisation and each
    business unit cover it, no portfolio does.
#}
with

scope_cells as (

    select * from {{ ref('int_scope_cells_listed') }}

),

final as (

    select
        -- ids
        cast(scope_cells.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scope_cells.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        cast(scope_cells.business_unit_id as {{ dbt.type_string() }}) as business_unit_id
    from scope_cells

)

select * from final
