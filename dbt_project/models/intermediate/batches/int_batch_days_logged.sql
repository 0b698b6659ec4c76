{{ config(materialized='incremental', incremental_strategy='append') }}
{#
    One row per committed ingestion batch × event day the batch touched,
    appended by the first build that sees the batch (`logged_at` = that
    build's start). It is the change log incremental models read to decide
    what to rebuild (README.md, "Incremental builds"):
    - a requests batch touches the days of its rows and the days of every
      earlier version of the same requests, so a corrected request that moves
      to another day changes both days;
    - an activity batch touches the days of its rows (the day is part of the
      activity key, so a version never moves);
    - every batch also gets one row with a null day, so a batch of any other
      entity (or with no rows) is logged exactly once too.
    A batch is new when the log does not hold it yet: a set difference on
    batch ids, which needs no clock and no ordering of batch ids.
#}
with

batches as (

    select * from {{ ref('stg_ledger__batches') }}

),

request_versions as (

    select * from {{ ref('stg_landing__request_versions') }}

),

activity_versions as (

    select * from {{ ref('stg_landing__activity_versions') }}

),

new_batches as (

    select batches.batch_id, batches.entity
    from batches
    {%- if is_incremental() %}
    left join {{ this }} as logged
        on batches.batch_id = logged.batch_id
    where logged.batch_id is null
    {%- endif %}

),

new_request_versions as (

    select
        request_versions.batch_id,
        request_versions.tool,
        request_versions.request_id,
        request_versions.request_date
    from request_versions
    inner join new_batches
        on request_versions.batch_id = new_batches.batch_id

),

request_days as (

    select distinct
        new_request_versions.batch_id,
        new_request_versions.request_date as event_date
    from new_request_versions
    {%- if is_incremental() %}
    {#- the days of earlier versions of the same requests (a full build logs
        every batch, and with it every version's own day) #}
    union
    select distinct
        new_request_versions.batch_id,
        request_versions.request_date as event_date
    from new_request_versions
    inner join request_versions
        on
            new_request_versions.tool = request_versions.tool
            and new_request_versions.request_id = request_versions.request_id
    {%- endif %}

),

activity_days as (

    select distinct
        activity_versions.batch_id,
        activity_versions.activity_date as event_date
    from activity_versions
    inner join new_batches
        on activity_versions.batch_id = new_batches.batch_id

),

days_unioned as (

    select request_days.batch_id, request_days.event_date
    from request_days
    union all
    select activity_days.batch_id, activity_days.event_date
    from activity_days
    union all
    select new_batches.batch_id, cast(null as date) as event_date
    from new_batches

),

final as (

    select
        -- ids
        days_unioned.batch_id,
        -- strings
        new_batches.entity,
        -- dates
        days_unioned.event_date,
        -- timestamps
        cast(
            '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}'
            as {{ dbt.type_timestamp() }}
        ) as logged_at
    from days_unioned
    inner join new_batches
        on days_unioned.batch_id = new_batches.batch_id

)

select * from final
