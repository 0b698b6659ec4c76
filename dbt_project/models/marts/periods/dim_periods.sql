{#
    One row per review period (int_periods_spined): period_grain (week, month,
    fiscal quarter) × period_start, from the period holding the earliest
    configuration date or observation through the one holding the build date,
    with its last day, the day its figures are known at (`as_of_date`: the
    build date for the period to date), the day it closes by itself
    (`closes_on`: calendar.csv `close_after_days` after a month or quarter
    ends) and its label (a week by its Monday
    YYYY-MM-DD, a month YYYY-MM, a quarter YYYY-Qn of the fiscal year named
    after the calendar year it ends in; CONTRACTS.md §5.2).
#}
with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

final as (

    select
        -- strings
        cast(periods.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(periods.period_label as {{ dbt.type_string() }}) as period_label,
        -- numerics
        cast(periods.fiscal_year_start_month as {{ dbt.type_int() }})
            as fiscal_year_start_month,
        -- booleans
        periods.is_period_to_date,
        -- dates
        cast(periods.period_start as date) as period_start,
        cast(periods.period_end as date) as period_end,
        cast(periods.as_of_date as date) as as_of_date,
        cast(periods.closes_on as date) as closes_on
    from periods

)

select * from final
