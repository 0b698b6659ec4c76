{#
    One row per reading scope (CONTRACTS.md §5.3): the organisation, each
    portfolio, each business unit, each portfolio × business-unit pair, and
    each distinct union of one principal's access.csv rows. Review `rpt_`
    models are keyed by period × scope_id, so any reader's view is
    precomputed; dim_scope_cells lists the cells of each.
#}
with

scope_cells as (

    select * from {{ ref('int_scope_cells_listed') }}

),

portfolios as (

    select * from {{ ref('stg_config__portfolios') }}

),

business_units as (

    select * from {{ ref('stg_config__business_units') }}

),

scopes_counted as (

    select
        scope_cells.scope_id,
        scope_cells.scope_kind,
        min(scope_cells.portfolio_id) as first_portfolio_id,
        min(scope_cells.business_unit_id) as first_business_unit_id,
        count(*) as cells_count,
        count(distinct scope_cells.portfolio_id) as portfolios_count,
        count(distinct scope_cells.business_unit_id) as business_units_count
    from scope_cells
    group by 1, 2

),

final as (

    select
        -- ids
        cast(scopes_counted.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(scopes_counted.scope_kind as {{ dbt.type_string() }}) as scope_kind,
        cast(
            case scopes_counted.scope_kind
                when 'organisation' then 'Organisation'
                when 'portfolio' then portfolios.portfolio_name
                when 'business_unit' then business_units.business_unit_name
                when 'portfolio_business_unit'
                    then {{ dbt.concat([
                        'portfolios.portfolio_name', "' · '", 'business_units.business_unit_name',
                    ]) }}
                else {{ dbt.concat([
                    "'Access: '",
                    dbt.cast('scopes_counted.portfolios_count', dbt.type_string()),
                    "' portfolio(s), '",
                    dbt.cast('scopes_counted.business_units_count', dbt.type_string()),
                    "' business unit(s), '",
                    dbt.cast('scopes_counted.cells_count', dbt.type_string()),
                    "' cell(s)'",
                ]) }}
            end
            as {{ dbt.type_string() }}
        ) as label,
        -- numerics
        cast(scopes_counted.cells_count as {{ dbt.type_int() }}) as cells_count
    from scopes_counted
    left join portfolios
        on scopes_counted.first_portfolio_id = portfolios.portfolio_id
    left join business_units
        on scopes_counted.first_business_unit_id = business_units.business_unit_id

)

select * from final
