{#
    One row per portfolio in the current configuration (seeds/portfolios.csv):
    its name, theme and owners, and how many use cases of the current
    configuration (seeds/use_cases.csv) it holds. The app's portfolio filter
    offers the portfolios that hold use cases.
#}
with

portfolios as (

    select * from {{ ref('stg_config__portfolios') }}

),

use_cases as (

    select * from {{ ref('stg_config__use_cases') }}

),

use_cases_aggregated_to_portfolios as (

    select
        use_cases.portfolio_id,
        count(*) as use_cases_count
    from use_cases
    group by 1

),

final as (

    select
        -- ids
        cast(portfolios.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        -- strings
        cast(
            coalesce(portfolios.portfolio_name, portfolios.portfolio_id)
            as {{ dbt.type_string() }}
        ) as portfolio_name,
        cast(portfolios.strategic_theme as {{ dbt.type_string() }}) as strategic_theme,
        cast(portfolios.executive_sponsor as {{ dbt.type_string() }}) as executive_sponsor,
        cast(portfolios.portfolio_platform_owner as {{ dbt.type_string() }}) as platform_owner,
        -- numerics
        cast(
            coalesce(use_cases_aggregated_to_portfolios.use_cases_count, 0)
            as {{ dbt.type_int() }}
        ) as use_cases_count,
        -- booleans
        coalesce(use_cases_aggregated_to_portfolios.use_cases_count, 0) > 0 as has_use_cases
    from portfolios
    left join use_cases_aggregated_to_portfolios
        on portfolios.portfolio_id = use_cases_aggregated_to_portfolios.portfolio_id

)

select * from final
