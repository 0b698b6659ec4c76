{#
    Every grain (week, month, quarter) has exactly one period holding the
    build date, whatever the configuration's dates (all in the future, or
    decades back): the current view (dim_use_cases) reads it.
#}
with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

grains as (

    select 'week' as period_grain
    union all
    select 'month' as period_grain
    union all
    select 'quarter' as period_grain

),

periods_to_date_counted as (

    select
        grains.period_grain,
        sum(case when periods.is_period_to_date then 1 else 0 end) as periods_to_date
    from grains
    left join periods
        on grains.period_grain = periods.period_grain
    group by 1

),

final as (

    select
        periods_to_date_counted.period_grain,
        periods_to_date_counted.periods_to_date
    from periods_to_date_counted
    where coalesce(periods_to_date_counted.periods_to_date, 0) <> 1

)

select * from final
