{{ config(materialized='table') }}  {# small, and read by every review measure #}
{#
    The day ranges a review figure adds up (CONTRACTS.md §5.4, "change
    against the previous period"), one row per review period × window:
    - `period`: the period itself, from its first day through its as_of_date
      (the build date for the period to date);
    - `previous_to_date`: for the period to date only, the same number of
      elapsed days at the start of the previous period (like for like), capped
      at that period's last day.
    The previous value of a closed period is its previous period's `period`
    window. `mapping_period_start` is the period whose as-of configuration
    places a use case in a portfolio for the window (the window's own period).
#}
with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

periods_chained as (

    select
        periods.*,
        lag(periods.period_start) over (
            partition by periods.period_grain order by periods.period_start
        ) as previous_period_start,
        lag(periods.period_end) over (
            partition by periods.period_grain order by periods.period_start
        ) as previous_period_end
    from periods

),

windows as (

    select
        periods_chained.period_grain,
        periods_chained.period_start,
        'period' as window_kind,
        periods_chained.period_start as window_start,
        periods_chained.as_of_date as window_end,
        periods_chained.period_start as mapping_period_start
    from periods_chained
    union all
    select
        periods_chained.period_grain,
        periods_chained.period_start,
        'previous_to_date' as window_kind,
        periods_chained.previous_period_start as window_start,
        case
            when {{ dbt.dateadd(
                'day',
                dbt.datediff('periods_chained.period_start', 'periods_chained.as_of_date', 'day'),
                'periods_chained.previous_period_start',
            ) }} > periods_chained.previous_period_end
                then periods_chained.previous_period_end
            else {{ dbt.dateadd(
                'day',
                dbt.datediff('periods_chained.period_start', 'periods_chained.as_of_date', 'day'),
                'periods_chained.previous_period_start',
            ) }}
        end as window_end,
        periods_chained.previous_period_start as mapping_period_start
    from periods_chained
    where
        periods_chained.is_period_to_date
        and periods_chained.previous_period_start is not null

),

final as (

    select
        -- strings
        windows.period_grain,
        windows.window_kind,
        -- dates
        windows.period_start,
        cast(windows.window_start as date) as window_start,
        cast(windows.window_end as date) as window_end,
        windows.mapping_period_start
    from windows

)

select * from final
