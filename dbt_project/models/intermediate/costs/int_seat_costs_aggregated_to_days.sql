{{ config(materialized='table') }}  {# read by the weekly unit costs and the review measures #}
{#
    One row per day × business unit × licensed tool with a seat held that
    day: the seats held and their cost, a modelled estimate (CONTRACTS.md
    §5.2: every figure derived from an assumption is).
    - A seat is held from assigned_on through removed_on (inclusive), on the
      days of the weeks the data spans (int_weeks_spined), through the build
      date.
    - Its business unit: the holder's people row valid on the day, else
      'unassigned' (as int_license_weeks_spined, by day).
    - Its cost: `seat_usd_per_month:<tool>` (value_assumptions.csv) as known
      on the day (the configuration version in force then) × 12 ÷ 365 per
      day held. A tool without a seat price has seats and no cost
      (`seat_cost_usd` null), never a cost of zero.
#}
with

licenses as (

    select * from {{ ref('stg_landing__licenses') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

people as (

    select * from {{ ref('stg_landing__people') }}

),

assumption_versions as (

    {{ config_versions('value_assumptions') }}

),

weekdays as (

    {%- for offset in range(7) %}
    select {{ offset }} as day_offset{{ " union all" if not loop.last }}
    {%- endfor %}

),

days as (

    select {{ dbt.dateadd('day', 'weekdays.day_offset', 'weeks.week_start') }} as seat_date
    from weeks
    cross join weekdays

),

seat_days as (

    select
        licenses.license_id,
        licenses.user_id,
        licenses.tool,
        cast(days.seat_date as date) as seat_date
    from licenses
    inner join days
        on
            licenses.assigned_date <= days.seat_date
            and (licenses.removed_date is null or licenses.removed_date >= days.seat_date)
    where days.seat_date <= {{ build_date() }}

),

directory_matches as (

    select
        seat_days.license_id,
        seat_days.seat_date,
        people.business_unit_id,
        row_number() over (
            partition by seat_days.license_id, seat_days.seat_date
            order by people.valid_from desc, people.business_unit_id asc
        ) as match_rank
    from seat_days
    inner join people
        on
            seat_days.user_id = people.user_id
            and (people.valid_from is null or seat_days.seat_date >= people.valid_from)
            and (people.valid_to is null or seat_days.seat_date <= people.valid_to)

),

seat_prices as (

    select
        assumption_versions.config_valid_from_date,
        assumption_versions.config_valid_until_date,
        {#- the tool named after `seat_usd_per_month:` (19 characters) #}
        substring(trim(assumption_versions.assumption), 20) as tool,
        max(assumption_versions.value) as seat_usd_per_month
    from assumption_versions
    where trim(assumption_versions.assumption) like 'seat_usd_per_month:%'
    group by 1, 2, 3

),

final as (

    select
        -- ids
        coalesce(directory_matches.business_unit_id, 'unassigned') as business_unit_id,
        -- strings
        seat_days.tool,
        -- numerics
        count(*) as seats,
        sum(seat_prices.seat_usd_per_month * 12 / 365.0) as seat_cost_usd,
        -- dates
        seat_days.seat_date
    from seat_days
    left join directory_matches
        on
            seat_days.license_id = directory_matches.license_id
            and seat_days.seat_date = directory_matches.seat_date
            and directory_matches.match_rank = 1
    left join seat_prices
        on
            seat_days.tool = seat_prices.tool
            and {{ config_in_force('seat_prices', 'seat_days.seat_date') }}
    group by 1, 2, 5

)

select * from final
