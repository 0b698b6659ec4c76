{#
    One row per review period (month, fiscal quarter) × reading scope × use
    case the scope covers as known at the period's end (the rows of
    rpt_use_case_scorecard) × month of its trailing twelve: the monthly
    points the scorecard's sparklines draw (rpt_monthly_portfolio), for every
    month with data from eleven months before the period's last month
    through that month. months_back: 0 for the period's last month, 11 for
    the oldest. Active users number 1 to min_group_size − 1 are null and
    is_suppressed (CONTRACTS.md §5.5), point by point.
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

periods_with_last_month as (

    select
        periods.period_grain,
        periods.period_start,
        {{ period_start('month', 'periods.period_end') }} as last_month_start
    from periods
    where periods.period_grain in ('month', 'quarter')

),

trend_months as (

    select
        periods_with_last_month.period_grain,
        periods_with_last_month.period_start,
        months.use_case_id,
        months.month_start,
        {{ dbt.datediff(
            'months.month_start', 'periods_with_last_month.last_month_start', 'month'
        ) }} as months_back,
        months.active_users,
        coalesce({{ is_small_group('months.active_users') }}, false) as is_suppressed,
        months.avg_gap_closed_pct,
        months.cost_usd
    from periods_with_last_month
    inner join months
        on
            periods_with_last_month.last_month_start >= months.month_start
            and months.month_start >= {{ dbt.dateadd(
                'month', -11, 'periods_with_last_month.last_month_start'
            ) }}

),

final as (

    select
        -- ids
        cast(use_cases.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(use_cases.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(use_cases.period_grain as {{ dbt.type_string() }}) as period_grain,
        -- numerics
        cast(trend_months.months_back as {{ dbt.type_int() }}) as months_back,
        cast(
            case when not trend_months.is_suppressed then trend_months.active_users end
            as {{ dbt.type_bigint() }}
        ) as active_users,
        cast(trend_months.avg_gap_closed_pct as {{ type_double() }}) as avg_gap_closed_pct,
        cast(trend_months.cost_usd as {{ type_double() }}) as cost_usd,
        -- booleans
        cast(trend_months.is_suppressed as boolean) as is_suppressed,
        -- dates
        cast(use_cases.period_start as date) as period_start,
        cast(trend_months.month_start as date) as month_start
    from use_cases
    inner join trend_months
        on
            use_cases.period_grain = trend_months.period_grain
            and use_cases.period_start = trend_months.period_start
            and use_cases.use_case_id = trend_months.use_case_id

)

select * from final
