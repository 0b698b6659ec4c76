{{ config(materialized='table') }}  {# read by every as-of model: computed once #}
{#
    One row per review period (CONTRACTS.md §5.3): `period_grain` (`week`,
    `month`, `quarter`) × `period_start`, from the period containing the
    earliest configuration date or observation through the one containing the
    build date. Weeks start on Monday; quarters are fiscal
    (`fiscal_year_start_month`, seeds/calendar.csv, the latest recorded version). `period_end` is the last
    day; `period_label` is how the CLI and the pages name it: a week by its
    Monday `YYYY-MM-DD`, a month `YYYY-MM`, a quarter `YYYY-Qn` of the fiscal
    year (named after the calendar year it ends in). At most 1,000 periods of
    each grain (the latest 1,000).

    `as_of_date` is the day a period's figures are known at: its
    `period_end`, except for the period to date, whose end is still to come:
    the build date. (CONTRACTS.md §5.4 says "as known at period_end"; read
    literally, a week-grain KPI observed through last week would be stale in
    a quarter to date ending weeks from now, and a production date later this
    quarter would already count as launched.)
#}
with

calendar_versions as (

    {#- optional (CONTRACTS.md §5.2): without seeds/calendar.csv, the defaults #}
    {{ config_versions('calendar') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

kpi_observations as (

    select * from {{ ref('stg_landing__kpi_observations') }}

),

use_cases as (

    {#- every recorded version: a use case removed since keeps its early periods #}
    {{ config_versions('use_cases', {'scaled_date': 'date', 'retired_date': 'date'}) }}

),

kpis as (

    {{ config_versions('kpis') }}

),

checklist_items as (

    {{ config_versions('launch_checklist') }}

),

settings as (

    select
        coalesce(
            max(
                case
                    when trim(calendar_versions.setting) = 'fiscal_year_start_month'
                        then cast(trim(calendar_versions.value) as {{ dbt.type_int() }})
                end
            ),
            1
        ) as fiscal_year_start_month,
        {#- a month or quarter closes this many days after it ends (cadence/period_close.py);
            no setting, no automatic close #}
        max(
            case
                when trim(calendar_versions.setting) = 'close_after_days'
                    then cast(trim(calendar_versions.value) as {{ dbt.type_int() }})
            end
        ) as close_after_days
    from calendar_versions
    where calendar_versions.config_valid_until_date is null  {#- the latest version #}

),

dates_listed as (

    select min(weeks.week_start) as first_date from weeks
    union all
    select min(kpi_observations.period_start) from kpi_observations
    union all
    select min(use_cases.pilot_start_date) from use_cases
    union all
    select min(use_cases.production_date) from use_cases
    union all
    select min(kpis.baseline_start) from kpis
    union all
    select min(kpis.defined_on) from kpis
    union all
    select min(checklist_items.completed_on) from checklist_items

),

bounds as (

    select
        settings.fiscal_year_start_month,
        settings.close_after_days,
        {#- never after the build date: the period to date is always there #}
        cast(
            case
                when min(dates_listed.first_date) < {{ build_date() }}
                    then min(dates_listed.first_date)
                else {{ build_date() }}
            end
            as date
        ) as first_date,
        {{ build_date() }} as build_date
    from dates_listed
    cross join settings
    group by 1, 2

),

digits as (

    {%- for digit in range(10) %}
    select {{ digit }} as digit{{ " union all" if not loop.last }}
    {%- endfor %}

),

offsets as (

    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as period_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds

),

firsts as (

    {#- the first and the last (holding the build date) period of each grain #}
    select
        bounds.fiscal_year_start_month,
        bounds.close_after_days,
        bounds.build_date,
        {{ week_start('bounds.first_date') }} as first_week,
        {{ period_start('month', 'bounds.first_date') }} as first_month,
        {{ fiscal_quarter_start('bounds.first_date', 'bounds.fiscal_year_start_month') }}
            as first_quarter,
        {{ week_start('bounds.build_date') }} as last_week,
        {{ period_start('month', 'bounds.build_date') }} as last_month,
        {{ fiscal_quarter_start('bounds.build_date', 'bounds.fiscal_year_start_month') }}
            as last_quarter
    from bounds

),

periods_listed as (

    {#- counted back from the period holding the build date, so that the cap of
        1,000 periods drops the oldest, never the period to date #}
    select
        'week' as period_grain,
        cast({{ dbt.dateadd('day', '-7 * offsets.period_offset', 'firsts.last_week') }} as date)
            as period_start,
        cast({{ dbt.dateadd('day', '6 - 7 * offsets.period_offset', 'firsts.last_week') }} as date)
            as period_end,
        firsts.first_week as first_period_start,
        firsts.fiscal_year_start_month,
        firsts.close_after_days,
        firsts.build_date
    from firsts
    cross join offsets
    union all
    select
        'month' as period_grain,
        cast({{ dbt.dateadd('month', '-1 * offsets.period_offset', 'firsts.last_month') }} as date)
            as period_start,
        cast({{ dbt.dateadd('day', '-1', dbt.dateadd(
            'month', '1 - offsets.period_offset', 'firsts.last_month')) }} as date)
            as period_end,
        firsts.first_month as first_period_start,
        firsts.fiscal_year_start_month,
        firsts.close_after_days,
        firsts.build_date
    from firsts
    cross join offsets
    union all
    select
        'quarter' as period_grain,
        cast({{ dbt.dateadd(
            'month', '-3 * offsets.period_offset', 'firsts.last_quarter'
        ) }} as date) as period_start,
        cast({{ dbt.dateadd('day', '-1', dbt.dateadd(
            'month', '3 - 3 * offsets.period_offset', 'firsts.last_quarter')) }} as date)
            as period_end,
        firsts.first_quarter as first_period_start,
        firsts.fiscal_year_start_month,
        firsts.close_after_days,
        firsts.build_date
    from firsts
    cross join offsets

),

final as (

    select
        -- strings
        periods_listed.period_grain,
        case periods_listed.period_grain
            when 'week' then cast(periods_listed.period_start as {{ dbt.type_string() }})
            when 'month' then {{ dbt.concat([
                dbt.cast('extract(year from periods_listed.period_start)', dbt.type_string()),
                "'-'",
                "lpad(" ~ dbt.cast('extract(month from periods_listed.period_start)',
                                  dbt.type_string()) ~ ", 2, '0')",
            ]) }}
            else {{ dbt.concat([
                dbt.cast(fiscal_year('periods_listed.period_start',
                                     'periods_listed.fiscal_year_start_month'),
                         dbt.type_string()),
                "'-Q'",
                dbt.cast(fiscal_quarter('periods_listed.period_start',
                                        'periods_listed.fiscal_year_start_month'),
                         dbt.type_string()),
            ]) }}
        end as period_label,
        -- numerics
        periods_listed.fiscal_year_start_month,
        -- booleans
        periods_listed.period_end >= periods_listed.build_date as is_period_to_date,
        -- dates
        periods_listed.build_date,
        periods_listed.period_start,
        periods_listed.period_end,
        case
            when periods_listed.period_end > periods_listed.build_date
                then periods_listed.build_date
            else periods_listed.period_end
        end as as_of_date,
        case
            when periods_listed.period_grain in ('month', 'quarter')
                then cast({{ dbt.dateadd(
                    'day', 'periods_listed.close_after_days', 'periods_listed.period_end'
                ) }} as date)
        end as closes_on
    from periods_listed
    where periods_listed.period_start >= periods_listed.first_period_start

)

select * from final
