{#
    One row per review period (week, month, fiscal quarter) × reading scope
    (dim_scopes) × lifecycle stage, in order: the stage funnel a review shows
    for any reader's scope, every value as known at the period's end
    (fct_use_case_periods: its as_of_date, the build date for the period to
    date; CONTRACTS.md §5.4).
    - A use case belongs to the cell of its portfolio and business unit as
      configured at the period's end, as for the review tiles
      (int_review_measures_scoped); the organisation covers every use case
      known then, any other scope the use cases of its cells (dim_scope_cells).
    - use_cases: at the stage at the period's end; ready_use_cases: those of
      them ready to scale (readiness_status `ready`); reached_use_cases: those
      that reached at least the stage, a retired use case counting as having
      reached production (not scale) and in the `retired` row.
    Every stage of every period and scope has a row (zero when empty). Use
    cases are counted, not people: the minimum group size does not apply.
#}
with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

scopes as (

    select * from {{ ref('dim_scopes') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

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

use_cases_staged as (

    select
        use_case_periods.period_grain,
        use_case_periods.period_start,
        use_case_periods.portfolio_id,
        use_case_periods.business_unit_id,
        use_case_periods.use_case_id,
        stages.stage_order,
        {# a retired use case reached production (3), not scale #}
        case when stages.stage = 'retired' then 3 else stages.stage_order end as reached_order,
        case when use_case_periods.readiness_status = 'ready' then 1 else 0 end as is_ready
    from use_case_periods
    inner join stages
        on use_case_periods.stage = stages.stage

),

use_cases_scoped as (

    select
        use_cases_staged.period_grain,
        use_cases_staged.period_start,
        'organisation' as scope_id,
        use_cases_staged.use_case_id,
        use_cases_staged.stage_order,
        use_cases_staged.reached_order,
        use_cases_staged.is_ready
    from use_cases_staged
    union all
    select
        use_cases_staged.period_grain,
        use_cases_staged.period_start,
        scope_cells.scope_id,
        use_cases_staged.use_case_id,
        use_cases_staged.stage_order,
        use_cases_staged.reached_order,
        use_cases_staged.is_ready
    from use_cases_staged
    inner join scope_cells
        on
            use_cases_staged.portfolio_id = scope_cells.portfolio_id
            and use_cases_staged.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'

),

funnel_counted as (

    select
        use_cases_scoped.period_grain,
        use_cases_scoped.period_start,
        use_cases_scoped.scope_id,
        stages.stage,
        sum(
            case when use_cases_scoped.stage_order = stages.stage_order then 1 else 0 end
        ) as use_cases,
        sum(
            case
                when use_cases_scoped.stage_order = stages.stage_order
                    then use_cases_scoped.is_ready
                else 0
            end
        ) as ready_use_cases,
        sum(
            case
                when stages.stage = 'retired'
                    then case when use_cases_scoped.stage_order = 5 then 1 else 0 end
                when use_cases_scoped.reached_order >= stages.stage_order then 1
                else 0
            end
        ) as reached_use_cases
    from use_cases_scoped
    cross join stages
    group by 1, 2, 3, 4

),

computed as (

    select
        -- ids
        cast(scopes.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(periods.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(periods.period_label as {{ dbt.type_string() }}) as period_label,
        cast(stages.stage as {{ dbt.type_string() }}) as stage,
        -- numerics
        cast(stages.stage_order as {{ dbt.type_int() }}) as stage_order,
        cast(coalesce(funnel_counted.use_cases, 0) as {{ dbt.type_bigint() }}) as use_cases,
        cast(coalesce(funnel_counted.ready_use_cases, 0) as {{ dbt.type_bigint() }})
            as ready_use_cases,
        cast(coalesce(funnel_counted.reached_use_cases, 0) as {{ dbt.type_bigint() }})
            as reached_use_cases,
        -- booleans
        periods.is_period_to_date,
        -- dates
        cast(periods.period_start as date) as period_start,
        cast(periods.period_end as date) as period_end,
        cast(periods.as_of_date as date) as as_of_date
    from periods
    cross join scopes
    cross join stages
    left join funnel_counted
        on
            periods.period_grain = funnel_counted.period_grain
            and periods.period_start = funnel_counted.period_start
            and scopes.scope_id = funnel_counted.scope_id
            and stages.stage = funnel_counted.stage

),

{#- a closed period keeps the rows recorded at its close #}
{{ closed_review_rows('computed', ['stage']) }}

select * from final
