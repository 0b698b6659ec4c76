{{ config(materialized='table') }}  {# read by five models: computed once #}
{#
    One row per Monday from the first to the last week with any request,
    activity or workflow event (at most 1,000 weeks).
#}
with

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

runs as (

    select * from {{ ref('int_workflow_runs_assembled') }}

),

event_weeks as (

    select
        min(request_days.week_start) as first_week,
        max(request_days.week_start) as last_week
    from request_days
    union all
    {#- the logged activity days are exactly the days with activity rows: the
        day is part of the activity key, so no version moves #}
    select
        min({{ week_start('batch_changes.event_date') }}),
        max({{ week_start('batch_changes.event_date') }})
    from batch_changes
    where batch_changes.entity = 'activity'
    union all
    select
        min({{ week_start('runs.first_event_at') }}),
        max({{ week_start('runs.last_event_at') }})
    from runs

),

bounds as (

    select
        min(event_weeks.first_week) as first_week,
        max(event_weeks.last_week) as last_week
    from event_weeks

),

digits as (

    {%- for digit in range(10) %}
    select {{ digit }} as digit{{ " union all" if not loop.last }}
    {%- endfor %}

),

offsets as (

    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as week_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds

),

final as (

    select
        cast(
            {{ dbt.dateadd('day', '7 * offsets.week_offset', 'bounds.first_week') }}
            as date
        ) as week_start
    from bounds
    cross join offsets
    where
        bounds.first_week is not null
        and {{ dbt.dateadd('day', '7 * offsets.week_offset', 'bounds.first_week') }}
        <= bounds.last_week

)

select * from final
