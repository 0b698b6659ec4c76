{#
    One row per review period (month, fiscal quarter) × reading scope × use
    case the scope covers as known at the period's end: what the quarterly
    scorecard and the monthly use-case table show.
    - stage, readiness, recommendation, the KPI status counts and the owners
      are as known at the period's end (int_use_case_periods_scoped, from
      fct_use_case_periods); a use case is in a scope when the scope covers
      its portfolio × business unit as configured then.
    - active users, KPIs reported, mean gap closed and expected progress,
      quality acceptance, override rate and policy adherence are those of the
      period's latest month with data (rpt_monthly_portfolio);
      period_requests and the period costs add up the period's months.
    - Minimum group size (CONTRACTS.md §5.5): active users number 1 to
      min_group_size − 1 are null and is_suppressed. A use case's users are
      not a partition of any figure shown beside them (a person may use
      several use cases; the scope tiles count people by their own business
      unit), so no complement is derivable and none is suppressed.
    - scorecard_order: the row's place in the table, by portfolio name,
      priority score (highest first) and use case name.
    Trends: rpt_use_case_trends.
#}
with

use_cases as (

    select * from {{ ref('int_use_case_periods_scoped') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

months as (

    select * from {{ ref('rpt_monthly_portfolio') }}

),

months_in_periods as (

    select
        periods.period_grain,
        periods.period_start,
        months.use_case_id,
        months.month_start,
        months.active_users,
        months.requests,
        months.cost_usd,
        months.reported_cost_usd,
        months.priced_cost_usd,
        months.kpis_reported,
        months.avg_gap_closed_pct,
        months.avg_expected_progress_pct,
        months.quality_acceptance_pct,
        months.override_rate_pct,
        months.policy_adherence_pct,
        row_number() over (
            partition by periods.period_grain, periods.period_start, months.use_case_id
            order by months.month_start desc
        ) as recency_rank
    from periods
    inner join months
        on
            periods.period_start <= months.month_start
            and periods.period_end >= months.month_start
    where periods.period_grain in ('month', 'quarter')

),

period_sums as (

    select
        months_in_periods.period_grain,
        months_in_periods.period_start,
        months_in_periods.use_case_id,
        sum(months_in_periods.requests) as period_requests,
        sum(months_in_periods.cost_usd) as period_cost_usd,
        sum(months_in_periods.reported_cost_usd) as period_reported_cost_usd,
        sum(months_in_periods.priced_cost_usd) as period_priced_cost_usd
    from months_in_periods
    group by 1, 2, 3

),

latest_months as (

    select months_in_periods.*
    from months_in_periods
    where months_in_periods.recency_rank = 1

),

scorecard as (

    select
        use_cases.*,
        latest_months.month_start as latest_month_start,
        latest_months.active_users,
        coalesce({{ is_small_group('latest_months.active_users') }}, false) as is_suppressed,
        latest_months.kpis_reported,
        latest_months.avg_gap_closed_pct,
        latest_months.avg_expected_progress_pct,
        latest_months.quality_acceptance_pct,
        latest_months.override_rate_pct,
        latest_months.policy_adherence_pct,
        period_sums.period_requests,
        period_sums.period_cost_usd,
        period_sums.period_reported_cost_usd,
        period_sums.period_priced_cost_usd,
        row_number() over (
            partition by use_cases.period_grain, use_cases.period_start, use_cases.scope_id
            order by
                use_cases.portfolio_name asc,
                coalesce(use_cases.priority_score, -1) desc,
                use_cases.use_case_name asc,
                use_cases.use_case_id asc
        ) as scorecard_order
    from use_cases
    left join latest_months
        on
            use_cases.period_grain = latest_months.period_grain
            and use_cases.period_start = latest_months.period_start
            and use_cases.use_case_id = latest_months.use_case_id
    left join period_sums
        on
            use_cases.period_grain = period_sums.period_grain
            and use_cases.period_start = period_sums.period_start
            and use_cases.use_case_id = period_sums.use_case_id
    where use_cases.period_grain in ('month', 'quarter')

),

computed as (

    select
        -- ids
        cast(scorecard.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(scorecard.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(scorecard.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        cast(scorecard.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- strings
        cast(scorecard.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(scorecard.period_label as {{ dbt.type_string() }}) as period_label,
        cast(scorecard.use_case_name as {{ dbt.type_string() }}) as use_case_name,
        cast(scorecard.portfolio_name as {{ dbt.type_string() }}) as portfolio_name,
        cast(scorecard.stage as {{ dbt.type_string() }}) as stage,
        cast(scorecard.readiness_status as {{ dbt.type_string() }}) as readiness_status,
        cast(scorecard.recommendation as {{ dbt.type_string() }}) as recommendation,
        cast(scorecard.outcome_owner as {{ dbt.type_string() }}) as outcome_owner,
        cast(scorecard.platform_owner as {{ dbt.type_string() }}) as platform_owner,
        cast(scorecard.risk_owner as {{ dbt.type_string() }}) as risk_owner,
        cast(scorecard.measurement_owner as {{ dbt.type_string() }}) as measurement_owner,
        -- numerics
        cast(scorecard.scorecard_order as {{ dbt.type_int() }}) as scorecard_order,
        cast(scorecard.priority_score as {{ type_double() }}) as priority_score,
        cast(
            case when not scorecard.is_suppressed then scorecard.active_users end
            as {{ dbt.type_bigint() }}
        ) as active_users,
        cast(scorecard.kpis_reported as {{ dbt.type_bigint() }}) as kpis_reported,
        cast(scorecard.kpis_known as {{ dbt.type_int() }}) as kpis_known,
        cast(scorecard.kpis_green as {{ dbt.type_int() }}) as kpis_green,
        cast(scorecard.kpis_amber as {{ dbt.type_int() }}) as kpis_amber,
        cast(scorecard.kpis_red as {{ dbt.type_int() }}) as kpis_red,
        cast(scorecard.kpis_stale as {{ dbt.type_int() }}) as kpis_stale,
        cast(scorecard.kpis_pre_launch as {{ dbt.type_int() }}) as kpis_pre_launch,
        cast(scorecard.avg_gap_closed_pct as {{ type_double() }}) as avg_gap_closed_pct,
        cast(scorecard.avg_expected_progress_pct as {{ type_double() }})
            as avg_expected_progress_pct,
        cast(scorecard.quality_acceptance_pct as {{ type_double() }})
            as quality_acceptance_pct,
        cast(scorecard.override_rate_pct as {{ type_double() }}) as override_rate_pct,
        cast(scorecard.policy_adherence_pct as {{ type_double() }}) as policy_adherence_pct,
        cast(scorecard.period_requests as {{ dbt.type_bigint() }}) as period_requests,
        cast(scorecard.period_cost_usd as {{ type_double() }}) as period_cost_usd,
        cast(scorecard.period_reported_cost_usd as {{ type_double() }})
            as period_reported_cost_usd,
        cast(scorecard.period_priced_cost_usd as {{ type_double() }})
            as period_priced_cost_usd,
        -- booleans
        cast(scorecard.is_suppressed as boolean) as is_suppressed,
        cast(scorecard.is_period_to_date as boolean) as is_period_to_date,
        -- dates
        cast(scorecard.period_start as date) as period_start,
        cast(scorecard.period_end as date) as period_end,
        cast(scorecard.as_of_date as date) as as_of_date,
        cast(scorecard.latest_month_start as date) as latest_month_start
    from scorecard

),

{#- a closed period keeps the rows recorded at its close #}
{{ closed_review_rows('computed', ['use_case_id']) }}

select * from final
