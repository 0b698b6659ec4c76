{#
    One row per portfolio_id × stage (every stage of the lifecycle, in
    order): use cases at that stage, those ready, and those that reached at
    least that stage (the funnel; retired counts as having passed production).
#}
with

use_cases as (

    select * from {{ ref('dim_use_cases') }}

),

stages as (

    select
        'proposed' as stage,
        1 as stage_order
    union all
    select
        'pilot' as stage,
        2 as stage_order
    union all
    select
        'production' as stage,
        3 as stage_order
    union all
    select
        'scaled' as stage,
        4 as stage_order
    union all
    select
        'retired' as stage,
        5 as stage_order

),

portfolios as (

    select distinct coalesce(use_cases.portfolio_id, 'unassigned') as portfolio_id
    from use_cases

),

use_cases_staged as (

    select
        coalesce(use_cases.portfolio_id, 'unassigned') as portfolio_id,
        use_cases.readiness_status,
        stages.stage_order,
        {# retired use cases reached production, not scale #}
        case when stages.stage = 'retired' then 3 else stages.stage_order end as reached_order,
        use_cases.use_case_id
    from use_cases
    inner join stages
        on use_cases.stage = stages.stage

),

final as (

    select
        -- ids
        cast(portfolios.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        -- strings
        cast(stages.stage as {{ dbt.type_string() }}) as stage,
        -- numerics
        cast(stages.stage_order as {{ dbt.type_int() }}) as stage_order,
        cast(
            sum(case when use_cases_staged.stage_order = stages.stage_order then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as use_cases,
        cast(
            sum(
                case
                    when
                        use_cases_staged.stage_order = stages.stage_order
                        and use_cases_staged.readiness_status = 'ready'
                        then 1
                    else 0
                end
            )
            as {{ dbt.type_bigint() }}
        ) as ready_use_cases,
        cast(
            sum(
                case
                    when
                        stages.stage <> 'retired'
                        and use_cases_staged.reached_order >= stages.stage_order
                        then 1
                    when stages.stage = 'retired' and use_cases_staged.stage_order = 5 then 1
                    else 0
                end
            )
            as {{ dbt.type_bigint() }}
        ) as reached_use_cases
    from portfolios
    cross join stages
    left join use_cases_staged
        on portfolios.portfolio_id = use_cases_staged.portfolio_id
    group by portfolios.portfolio_id, stages.stage, stages.stage_order

)

select * from final
