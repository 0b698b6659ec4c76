{#
    One row per quarter_start (organisation-wide), what the quarterly
    executive review shows. Adoption: distinct active users and their
    penetration of the total eligible headcount (as configured at the
    quarter's end). Operations and cost:
    requests, cost (reported and catalogue-priced estimate apart). Trust:
    policy adherence and shadow-AI share. Outcomes: the KPIs known at the
    quarter's end and their statuses then (green, amber, red, stale,
    pre-launch; fct_use_case_periods). Quarters are fiscal
    (calendar.csv). Portfolio: use cases in production or scaled, ready, and the scale /
    hold / redesign counts, each as known at the quarter's end
    (fct_use_case_periods).
#}
with

active_user_months as (

    select * from {{ ref('int_active_user_days_aggregated_to_months') }}

),

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

business_unit_versions as (

    {{ config_versions('business_units') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

fiscal as (

    select max(periods.fiscal_year_start_month) as fiscal_year_start_month
    from periods

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

users_aggregated as (

    select
        {{ fiscal_quarter_start(
            'active_user_months.month_start', 'fiscal.fiscal_year_start_month'
        ) }} as quarter_start,
        {{ count_distinct('active_user_months.user_id') }} as active_users
    from active_user_months
    cross join fiscal
    group by 1

),

requests_aggregated as (

    select
        {{ fiscal_quarter_start(
            'request_days.request_date', 'fiscal.fiscal_year_start_month'
        ) }} as quarter_start,
        sum(request_days.requests) as requests,
        sum(request_days.cost_usd) as cost_usd,
        sum(request_days.reported_cost_usd) as reported_cost_usd,
        sum(request_days.priced_cost_usd) as priced_cost_usd,
        sum(request_days.policy_violations) as policy_violations,
        sum(request_days.shadow_ai_requests) as shadow_ai_requests
    from request_days
    cross join fiscal
    group by 1

),

kpis_aggregated as (

    {#- each KPI's status as known at the quarter's end (fct_use_case_periods,
        CONTRACTS.md §5.4): stale and pre-launch KPIs are neither green,
        amber nor red #}
    select
        use_case_periods.period_start as quarter_start,
        sum(use_case_periods.kpis_known) as kpis_reported,
        sum(use_case_periods.kpis_green) as kpis_green,
        sum(use_case_periods.kpis_amber) as kpis_amber,
        sum(use_case_periods.kpis_red) as kpis_red,
        sum(use_case_periods.kpis_stale) as kpis_stale,
        sum(use_case_periods.kpis_pre_launch) as kpis_pre_launch
    from use_case_periods
    where use_case_periods.period_grain = 'quarter'
    group by 1

),

quarters as (

    select users_aggregated.quarter_start from users_aggregated
    union
    select requests_aggregated.quarter_start from requests_aggregated
    union
    select kpis_aggregated.quarter_start from kpis_aggregated

),

headcount as (

    {#- the eligible headcount as configured at each quarter's end (CONTRACTS.md §5.4) #}
    select
        periods.period_start as quarter_start,
        sum(business_unit_versions.eligible_headcount) as eligible_headcount
    from periods
    inner join business_unit_versions
        on {{ config_in_force('business_unit_versions', 'periods.as_of_date') }}
    where periods.period_grain = 'quarter'
    group by 1

),

portfolio as (

    {#- each quarter as known at its end (fct_use_case_periods, CONTRACTS.md §5.4) #}
    select
        quarters.quarter_start,
        sum(
            case when use_case_periods.stage in ('production', 'scaled') then 1 else 0 end
        ) as use_cases_in_production,
        sum(case when use_case_periods.recommendation = 'scale' then 1 else 0 end)
            as use_cases_to_scale,
        sum(case when use_case_periods.recommendation = 'hold' then 1 else 0 end)
            as use_cases_to_hold,
        sum(case when use_case_periods.recommendation = 'redesign' then 1 else 0 end)
            as use_cases_to_redesign,
        sum(case when use_case_periods.readiness_status = 'ready' then 1 else 0 end)
            as use_cases_ready
    from quarters
    inner join use_case_periods
        on quarters.quarter_start = use_case_periods.period_start
    where use_case_periods.period_grain = 'quarter'
    group by 1

),

joined as (

    select
        quarters.quarter_start,
        coalesce(users_aggregated.active_users, 0) as active_users,
        headcount.eligible_headcount,
        {{ pct('coalesce(users_aggregated.active_users, 0)', 'headcount.eligible_headcount') }}
            as penetration_pct,
        coalesce(requests_aggregated.requests, 0) as requests,
        coalesce(requests_aggregated.cost_usd, 0) as cost_usd,
        coalesce(requests_aggregated.reported_cost_usd, 0) as reported_cost_usd,
        coalesce(requests_aggregated.priced_cost_usd, 0) as priced_cost_usd,
        100.0 - {{ pct('requests_aggregated.policy_violations', 'requests_aggregated.requests') }}
            as policy_adherence_pct,
        {{ pct('requests_aggregated.shadow_ai_requests', 'requests_aggregated.requests') }}
            as shadow_ai_pct,
        coalesce(kpis_aggregated.kpis_reported, 0) as kpis_reported,
        coalesce(kpis_aggregated.kpis_green, 0) as kpis_green,
        coalesce(kpis_aggregated.kpis_amber, 0) as kpis_amber,
        coalesce(kpis_aggregated.kpis_red, 0) as kpis_red,
        coalesce(kpis_aggregated.kpis_stale, 0) as kpis_stale,
        coalesce(kpis_aggregated.kpis_pre_launch, 0) as kpis_pre_launch,
        coalesce(portfolio.use_cases_in_production, 0) as use_cases_in_production,
        coalesce(portfolio.use_cases_ready, 0) as use_cases_ready,
        coalesce(portfolio.use_cases_to_scale, 0) as use_cases_to_scale,
        coalesce(portfolio.use_cases_to_hold, 0) as use_cases_to_hold,
        coalesce(portfolio.use_cases_to_redesign, 0) as use_cases_to_redesign
    from quarters
    left join headcount
        on quarters.quarter_start = headcount.quarter_start
    left join portfolio
        on quarters.quarter_start = portfolio.quarter_start
    left join users_aggregated
        on quarters.quarter_start = users_aggregated.quarter_start
    left join requests_aggregated
        on quarters.quarter_start = requests_aggregated.quarter_start
    left join kpis_aggregated
        on quarters.quarter_start = kpis_aggregated.quarter_start

),

final as (

    select
        -- strings
        cast({{ rag('joined.penetration_pct', 'penetration_pct') }} as {{ dbt.type_string() }})
            as penetration_status,
        cast(
            {{ rag('joined.policy_adherence_pct', 'policy_adherence_pct') }}
            as {{ dbt.type_string() }}
        ) as policy_adherence_status,
        cast({{ rag('joined.shadow_ai_pct', 'shadow_ai_pct') }} as {{ dbt.type_string() }})
            as shadow_ai_status,
        -- numerics
        cast(joined.active_users as {{ dbt.type_bigint() }}) as active_users,
        cast(joined.eligible_headcount as {{ dbt.type_bigint() }}) as eligible_headcount,
        cast(joined.penetration_pct as {{ type_double() }}) as penetration_pct,
        cast(joined.requests as {{ dbt.type_bigint() }}) as requests,
        cast(joined.cost_usd as {{ type_double() }}) as cost_usd,
        cast(joined.reported_cost_usd as {{ type_double() }}) as reported_cost_usd,
        cast(joined.priced_cost_usd as {{ type_double() }}) as priced_cost_usd,
        cast(joined.policy_adherence_pct as {{ type_double() }}) as policy_adherence_pct,
        cast(joined.shadow_ai_pct as {{ type_double() }}) as shadow_ai_pct,
        cast(joined.kpis_reported as {{ dbt.type_bigint() }}) as kpis_reported,
        cast(joined.kpis_green as {{ dbt.type_bigint() }}) as kpis_green,
        cast(joined.kpis_amber as {{ dbt.type_bigint() }}) as kpis_amber,
        cast(joined.kpis_red as {{ dbt.type_bigint() }}) as kpis_red,
        cast(joined.kpis_stale as {{ dbt.type_bigint() }}) as kpis_stale,
        cast(joined.kpis_pre_launch as {{ dbt.type_bigint() }}) as kpis_pre_launch,
        cast(joined.use_cases_in_production as {{ dbt.type_bigint() }}) as use_cases_in_production,
        cast(joined.use_cases_ready as {{ dbt.type_bigint() }}) as use_cases_ready,
        cast(joined.use_cases_to_scale as {{ dbt.type_bigint() }}) as use_cases_to_scale,
        cast(joined.use_cases_to_hold as {{ dbt.type_bigint() }}) as use_cases_to_hold,
        cast(joined.use_cases_to_redesign as {{ dbt.type_bigint() }}) as use_cases_to_redesign,
        -- dates
        cast(joined.quarter_start as date) as quarter_start
    from joined
    cross join thresholds

)

select * from final
