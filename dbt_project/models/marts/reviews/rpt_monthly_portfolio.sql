{#
    One row per month_start × use_case_id (configured use cases, every month
    with any data): the use case's month of usage (active users, requests,
    cost split into reported and catalogue-priced, policy adherence),
    workflow (runs, completion, override, quality acceptance) and the KPIs
    reported that month with their mean gap closed and expected progress.
    Flows only: the state of a use case in a period (portfolio, stage,
    readiness, recommendation, KPI statuses) is fct_use_case_periods' and the
    scope's (rpt_use_case_scorecard), as known at the period's end. Read by
    rpt_use_case_scorecard and rpt_use_case_trends, not by a page.
#}
with

use_cases as (

    select * from {{ ref('dim_use_cases') }}

),

active_user_days as (

    select * from {{ ref('int_active_user_days_unioned') }}

),

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

runs as (

    select * from {{ ref('int_workflow_runs_assembled') }}

),

kpi_progress as (

    select * from {{ ref('fct_kpi_progress') }}

),

months as (

    select distinct active_user_days.month_start from active_user_days
    union
    select distinct runs.month_start from runs
    union
    select distinct {{ period_start('month', 'kpi_progress.period_start') }} from kpi_progress

),

users_aggregated as (

    select
        active_user_days.month_start,
        active_user_days.use_case_id,
        {{ count_distinct('active_user_days.user_id') }} as active_users
    from active_user_days
    group by 1, 2

),

requests_aggregated as (

    select
        request_days.month_start,
        request_days.use_case_id,
        sum(request_days.requests) as requests,
        sum(request_days.cost_usd) as cost_usd,
        sum(request_days.reported_cost_usd) as reported_cost_usd,
        sum(request_days.priced_cost_usd) as priced_cost_usd,
        100.0 - {{ pct('sum(request_days.policy_violations)', 'sum(request_days.requests)') }}
            as policy_adherence_pct
    from request_days
    group by 1, 2

),

runs_aggregated as (

    select
        runs.month_start,
        runs.use_case_id,
        count(*) as runs_started,
        sum(case when runs.is_completed then 1 else 0 end) as runs_completed,
        sum(runs.reviews_count) as reviews,
        sum(runs.overridden_reviews_count) as overridden_reviews,
        sum(runs.accepted_reviews_count) as accepted_reviews
    from runs
    group by 1, 2

),

kpi_months as (

    select
        kpi_progress.*,
        {{ period_start('month', 'kpi_progress.period_start') }} as month_start,
        row_number() over (
            partition by
                kpi_progress.kpi_id, {{ period_start('month', 'kpi_progress.period_start') }}
            order by kpi_progress.period_start desc
        ) as recency_rank
    from kpi_progress

),

kpis_aggregated as (

    select
        kpi_months.month_start,
        kpi_months.use_case_id,
        count(*) as kpis_reported,
        avg(kpi_months.gap_closed_pct) as avg_gap_closed_pct,
        avg(kpi_months.expected_progress_pct) as avg_expected_progress_pct
    from kpi_months
    where kpi_months.recency_rank = 1
    group by 1, 2

),

final as (

    select
        -- ids
        cast(use_cases.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(use_cases.use_case_name as {{ dbt.type_string() }}) as use_case_name,
        -- numerics
        cast(coalesce(users_aggregated.active_users, 0) as {{ dbt.type_bigint() }}) as active_users,
        cast(coalesce(requests_aggregated.requests, 0) as {{ dbt.type_bigint() }}) as requests,
        cast(coalesce(requests_aggregated.cost_usd, 0) as {{ type_double() }}) as cost_usd,
        cast(coalesce(requests_aggregated.reported_cost_usd, 0) as {{ type_double() }})
            as reported_cost_usd,
        cast(coalesce(requests_aggregated.priced_cost_usd, 0) as {{ type_double() }})
            as priced_cost_usd,
        cast(requests_aggregated.policy_adherence_pct as {{ type_double() }})
            as policy_adherence_pct,
        cast(coalesce(runs_aggregated.runs_started, 0) as {{ dbt.type_bigint() }}) as runs_started,
        cast(coalesce(runs_aggregated.runs_completed, 0) as {{ dbt.type_bigint() }})
            as runs_completed,
        cast(
            {{ pct('runs_aggregated.runs_completed', 'runs_aggregated.runs_started') }}
            as {{ type_double() }}
        ) as completion_rate_pct,
        cast(
            {{ pct('runs_aggregated.overridden_reviews', 'runs_aggregated.reviews') }}
            as {{ type_double() }}
        ) as override_rate_pct,
        cast(
            {{ pct('runs_aggregated.accepted_reviews', 'runs_aggregated.reviews') }}
            as {{ type_double() }}
        ) as quality_acceptance_pct,
        cast(
            requests_aggregated.cost_usd / nullif(runs_aggregated.runs_completed, 0)
            as {{ type_double() }}
        ) as cost_per_completed_run_usd,
        cast(coalesce(kpis_aggregated.kpis_reported, 0) as {{ dbt.type_bigint() }})
            as kpis_reported,
        cast(kpis_aggregated.avg_gap_closed_pct as {{ type_double() }}) as avg_gap_closed_pct,
        cast(kpis_aggregated.avg_expected_progress_pct as {{ type_double() }})
            as avg_expected_progress_pct,
        -- dates
        cast(months.month_start as date) as month_start
    from use_cases
    cross join months
    left join users_aggregated
        on
            use_cases.use_case_id = users_aggregated.use_case_id
            and months.month_start = users_aggregated.month_start
    left join requests_aggregated
        on
            use_cases.use_case_id = requests_aggregated.use_case_id
            and months.month_start = requests_aggregated.month_start
    left join runs_aggregated
        on
            use_cases.use_case_id = runs_aggregated.use_case_id
            and months.month_start = runs_aggregated.month_start
    left join kpis_aggregated
        on
            use_cases.use_case_id = kpis_aggregated.use_case_id
            and months.month_start = kpis_aggregated.month_start

)

select * from final
