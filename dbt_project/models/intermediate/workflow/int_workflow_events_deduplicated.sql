{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='run_id',
    window_entities=['workflow_events'],
    window_grain='run',
    on_schema_change='sync_all_columns',
) }}
{#
    One row per workflow event, the latest landed version per event_id (as
    stg_landing__workflow_events), kept as a table that the runs, the week
    spine, data health and the unknown-reference checks read.
    Incremental by run (macros/incremental.sql): a run rebuilds the events of
    the runs new workflow batches touched (late events, corrections, an event
    corrected into another run: both runs), from every version of those
    events.
#}
with

workflow_event_versions as {{ inline_cte() }} (

    select * from {{ ref('stg_landing__workflow_event_versions') }}

),

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

{%- set event_columns = [
    'event_id', 'run_id', 'use_case_id', 'actor_id', 'batch_id', 'event_type',
    'review_outcome', 'exception_type', 'quality_score', 'is_ai_assisted',
    'occurred_at', 'ingested_at',
] %}

inputs as (

    select
        {{ dbt.hash("'" ~ model.checksum.checksum ~ "'") }} as fingerprint,
        {{ build_watermark('batch_changes') }} as logged_through_at

),

{%- if is_incremental() %}

window_runs as (

    {{ changed_partitions(['workflow_events'], 'run', '(select inputs.fingerprint from inputs)') }}

),

window_events as (

    select distinct workflow_event_versions.event_id
    from workflow_event_versions
    inner join window_runs
        on workflow_event_versions.run_id = window_runs.partition_value

),

{# every version of those events: the latest decides the run an event
    belongs to -#}
candidate_versions as (

    select workflow_event_versions.*
    from workflow_event_versions
    inner join window_events
        on workflow_event_versions.event_id = window_events.event_id

),

latest_versions as (

    {{ latest_version('candidate_versions', ['event_id'], event_columns) }}

),

workflow_events as (

    select latest_versions.*
    from latest_versions
    inner join window_runs
        on latest_versions.run_id = window_runs.partition_value

),

{%- else %}

workflow_events as (

    {{ latest_version(
        'workflow_event_versions', ['event_id'], event_columns,
        split_unique_keys=true,
    ) }}

),

{%- endif %}

final as (

    select
        workflow_events.*,
        inputs.logged_through_at,
        -- bookkeeping (macros/incremental.sql)
        inputs.fingerprint as inputs_fingerprint
    from workflow_events
    cross join inputs

)

select * from final
