{# One row per portfolio (seeds/portfolios.csv). #}
with

portfolios as (

    select * from {{ ref('portfolios') }}

),

final as (

    select
        -- ids
        cast(portfolios.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        -- strings
        cast(portfolios.name as {{ dbt.type_string() }}) as portfolio_name,
        cast(portfolios.strategic_theme as {{ dbt.type_string() }})
            as strategic_theme,
        cast(portfolios.executive_sponsor as {{ dbt.type_string() }})
            as executive_sponsor,
        cast(portfolios.platform_owner as {{ dbt.type_string() }})
            as portfolio_platform_owner
    from portfolios

)

select * from final
