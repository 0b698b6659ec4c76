{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='append',
) }}
{#
    One row per committed ingestion batch × partition the batch touched (an
    event day, or a workflow run), appended by the first build that sees the
    batch (`logged_at` = that build's start). It is the change log the
    incremental models read to decide what to rebuild (README.md,
    "Incremental builds"):
    - a requests batch touches the days of its rows and the days of every
      earlier version of the same requests, so a corrected request that moves
      to another day changes both days;
    - an activity batch touches the days of its rows (the day is part of the
      activity key, so a version never moves);
    - a workflow batch touches the runs of its events and the runs of every
      earlier version of the same events;
    - every batch also gets one row with neither day nor run, so a batch of
      any other entity (or with no rows) is logged exactly once too.
    A batch is new when the log does not hold it yet: a set difference on
    batch ids, which needs no clock and no ordering of batch ids. A full
    build logs every batch, each with the days of every version of its
    requests, so that whichever batch holds a request's latest version has
    logged every day the request ever had: int_requests_enriched reads only
    the batches that logged the days it rebuilds. (Workflow runs: the full
    build logs each version's own run.)
#}
with

batches as (

    select * from {{ ref('stg_ledger__batches') }}

),

request_versions as {{ inline_cte() }} (

    select * from {{ ref('stg_landing__request_versions') }}

),

activity_versions as (

    select * from {{ ref('stg_landing__activity_versions') }}

),

workflow_event_versions as {{ inline_cte() }} (

    select * from {{ ref('stg_landing__workflow_event_versions') }}

),

new_batches as (

    select
        batches.batch_id,
        batches.entity
    from batches
    {% if is_incremental() -%}
    left join {{ this }} as already_logged
        on batches.batch_id = already_logged.batch_id
    where already_logged.batch_id is null
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

{%- if not is_incremental() %}

shared_versions as (

    select
        request_versions.batch_id,
        request_versions.tool,
        request_versions.request_id,
        request_versions.request_date
    from request_versions
    where {{ key_hash(['tool', 'request_id'], 'request_versions') }} in (
        select {{ key_hash(['tool', 'request_id'], 'all_versions') }}
        from request_versions as all_versions
        group by {{ key_hash(['tool', 'request_id'], 'all_versions') }}
        having count(*) > 1
    )

),

{%- endif %}

new_event_versions as (

    select
        workflow_event_versions.batch_id,
        workflow_event_versions.event_id,
        workflow_event_versions.run_id
    from workflow_event_versions
    inner join new_batches
        on workflow_event_versions.batch_id = new_batches.batch_id

),

request_days as (

    select distinct
        new_request_versions.batch_id,
        new_request_versions.request_date as event_date
    from new_request_versions
    {%- if is_incremental() %}
    union
    select distinct
        new_request_versions.batch_id,
        request_versions.request_date as event_date
    from new_request_versions
    inner join request_versions
        on
            new_request_versions.tool = request_versions.tool
            and new_request_versions.request_id = request_versions.request_id
    {%- else %}
    {#- a full build logs every version at once: only the requests landed
        more than once (found by a shared 64-bit key hash) add days #}
    union
    select distinct
        shared_versions.batch_id,
        other_versions.request_date as event_date
    from shared_versions
    inner join shared_versions as other_versions
        on
            shared_versions.tool = other_versions.tool
            and shared_versions.request_id = other_versions.request_id
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

event_runs as (

    select distinct
        new_event_versions.batch_id,
        new_event_versions.run_id
    from new_event_versions
    {%- if is_incremental() %}
    union
    select distinct
        new_event_versions.batch_id,
        workflow_event_versions.run_id
    from new_event_versions
    inner join workflow_event_versions
        on new_event_versions.event_id = workflow_event_versions.event_id
    {%- endif %}

),

changes_unioned as (

    select
        request_days.batch_id,
        request_days.event_date,
        cast(null as {{ dbt.type_string() }}) as run_id
    from request_days
    union all
    select
        activity_days.batch_id,
        activity_days.event_date,
        cast(null as {{ dbt.type_string() }}) as run_id
    from activity_days
    union all
    select
        event_runs.batch_id,
        cast(null as date) as event_date,
        event_runs.run_id
    from event_runs
    union all
    select
        new_batches.batch_id,
        cast(null as date) as event_date,
        cast(null as {{ dbt.type_string() }}) as run_id
    from new_batches

),

{# the build's start, kept strictly after every earlier entry even if the
    clock stepped back since: models compare it with how far they have read -#}
build_started as (

    {%- set started -%}
        cast(
            '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}'
            as {{ dbt.type_timestamp() }}
        )
    {%- endset %}
    {%- if is_incremental() %}
    select
        case
            when max(already_logged.logged_at) >= {{ started }}
                then {{ dbt.dateadd('second', 1, 'max(already_logged.logged_at)') }}
            else {{ started }}
        end as logged_at
    from {{ this }} as already_logged
    {%- else %}
    select {{ started }} as logged_at
    {%- endif %}

),

final as (

    select
        -- ids
        changes_unioned.batch_id,
        changes_unioned.run_id,
        -- strings
        new_batches.entity,
        -- dates
        changes_unioned.event_date,
        -- timestamps
        build_started.logged_at
    from changes_unioned
    inner join new_batches
        on changes_unioned.batch_id = new_batches.batch_id
    cross join build_started

)

select * from final
