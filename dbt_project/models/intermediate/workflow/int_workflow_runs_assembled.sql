{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='run_id',
    window_entities=['workflow_events'],
    window_grain='run',
    on_schema_change='sync_all_columns',
) }}
{#
    One row per workflow run, assembled from its events (latest version per
    event_id). A run starts at its `run_started` event (else its first event)
    and belongs to the week of that start; it is completed when it has a
    `run_completed` event, and its cycle time runs from start to the first
    completion. `is_ai_assisted` comes from the `run_started` event.
    `first_event_at`, `last_event_at` and `events_count` cover all of the
    run's events (the week spine and data health read them).
    Incremental by run (macros/incremental.sql): a run rebuilds the runs new
    workflow batches touched (late events, corrections, a corrected event
    that moved to another run: both runs), each from all its events in
    int_workflow_events_deduplicated.
#}
with

workflow_events_deduplicated as {{ inline_cte() }} (

    select * from {{ ref('int_workflow_events_deduplicated') }}

),

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

inputs as (

    select
        {{ dbt.hash(dbt.concat([
            "'" ~ model.checksum.checksum ~ "'",
            '(select max(workflow_events_deduplicated.inputs_fingerprint)'
            ~ ' from workflow_events_deduplicated)',
        ])) }} as fingerprint,
        {{ build_watermark('batch_changes') }} as logged_through_at

),

{%- if is_incremental() %}

window_runs as (

    {{ changed_partitions(['workflow_events'], 'run', '(select inputs.fingerprint from inputs)') }}

),

{# the events of the window's runs, already rebuilt upstream -#}
workflow_events as (

    select workflow_events_deduplicated.*
    from workflow_events_deduplicated
    inner join window_runs
        on workflow_events_deduplicated.run_id = window_runs.partition_value

),

{%- else %}

workflow_events as (

    select * from workflow_events_deduplicated

),

{%- endif %}

runs_aggregated as (

    select
        workflow_events.run_id,
        max(workflow_events.use_case_id) as use_case_id,
        min(
            case
                when workflow_events.event_type = 'run_started' then workflow_events.occurred_at
            end
        ) as run_started_at,
        min(workflow_events.occurred_at) as first_event_at,
        max(workflow_events.occurred_at) as last_event_at,
        count(*) as events_count,
        min(
            case
                when workflow_events.event_type = 'run_completed' then workflow_events.occurred_at
            end
        ) as completed_at,
        min(
            case
                when workflow_events.event_type = 'run_abandoned' then workflow_events.occurred_at
            end
        ) as abandoned_at,
        min(case when workflow_events.event_type = 'published' then workflow_events.occurred_at end)
            as published_at,
        {{ bool_or(
            "workflow_events.event_type = 'run_started' and workflow_events.is_ai_assisted"
        ) }} as has_assisted_start,
        {{ bool_or(
            "workflow_events.event_type = 'run_started' and not workflow_events.is_ai_assisted"
        ) }} as has_unassisted_start,
        sum(case when workflow_events.event_type = 'ai_output' then 1 else 0 end)
            as ai_outputs_count,
        sum(case when workflow_events.event_type = 'review_completed' then 1 else 0 end)
            as reviews_count,
        sum(
            case
                when
                    workflow_events.event_type = 'review_completed'
                    and workflow_events.review_outcome = 'accepted'
                    then 1
                else 0
            end
        ) as accepted_reviews_count,
        sum(
            case
                when
                    workflow_events.event_type = 'review_completed'
                    and workflow_events.review_outcome = 'edited'
                    then 1
                else 0
            end
        ) as edited_reviews_count,
        sum(
            case
                when
                    workflow_events.event_type = 'review_completed'
                    and workflow_events.review_outcome = 'overridden'
                    then 1
                else 0
            end
        ) as overridden_reviews_count,
        sum(case when workflow_events.event_type = 'exception' then 1 else 0 end)
            as exceptions_count,
        avg(workflow_events.quality_score) as avg_quality_score
    from workflow_events
    group by workflow_events.run_id

),

final as (

    select
        -- ids
        runs_aggregated.run_id,
        runs_aggregated.use_case_id,
        -- numerics
        runs_aggregated.ai_outputs_count,
        runs_aggregated.reviews_count,
        runs_aggregated.accepted_reviews_count,
        runs_aggregated.edited_reviews_count,
        runs_aggregated.overridden_reviews_count,
        runs_aggregated.exceptions_count,
        runs_aggregated.events_count,
        runs_aggregated.avg_quality_score,
        case
            when runs_aggregated.completed_at is not null
                then {{ minutes_between(
                    'coalesce(runs_aggregated.run_started_at, runs_aggregated.first_event_at)',
                    'runs_aggregated.completed_at',
                ) }}
        end as cycle_time_minutes,
        -- booleans
        case
            when runs_aggregated.has_assisted_start then true
            when runs_aggregated.has_unassisted_start then false
        end as is_ai_assisted,
        runs_aggregated.completed_at is not null as is_completed,
        runs_aggregated.completed_at is null
        and runs_aggregated.abandoned_at is not null as is_abandoned,
        runs_aggregated.reviews_count > 0 as has_review,
        runs_aggregated.exceptions_count > 0 as has_exception,
        runs_aggregated.published_at is not null as is_published,
        -- dates
        {{ week_start('coalesce(runs_aggregated.run_started_at, runs_aggregated.first_event_at)') }}
            as week_start,
        {{ period_start(
            'month', 'coalesce(runs_aggregated.run_started_at, runs_aggregated.first_event_at)'
        ) }} as month_start,
        -- timestamps
        coalesce(runs_aggregated.run_started_at, runs_aggregated.first_event_at)
            as started_at,
        runs_aggregated.completed_at,
        runs_aggregated.abandoned_at,
        runs_aggregated.published_at,
        runs_aggregated.first_event_at,
        runs_aggregated.last_event_at,
        inputs.logged_through_at,
        -- bookkeeping (macros/incremental.sql)
        inputs.fingerprint as inputs_fingerprint
    from runs_aggregated
    cross join inputs

)

select * from final
