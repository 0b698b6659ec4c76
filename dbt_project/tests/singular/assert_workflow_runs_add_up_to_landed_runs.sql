{#
    Every workflow run is counted exactly once:
    - the run of the latest version of every event this build logged
      (late events and corrections included) is in int_workflow_runs_assembled,
      once; a full build logs every event, so it checks every run, an incremental
      build what it logged, a build with nothing new no run;
    - fct_workflow_weekly starts every assembled run exactly once.
#}
with

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

workflow_event_versions as {{ inline_cte() }} (

    select * from {{ ref('stg_landing__workflow_event_versions') }}

),

runs as (

    select * from {{ ref('int_workflow_runs_assembled') }}

),

workflow as (

    select coalesce(sum(workflow_weekly.runs_started), 0) as runs
    from {{ ref('fct_workflow_weekly') }} as workflow_weekly

),

latest_batches as (

    select distinct batch_changes.batch_id
    from batch_changes
    where
        batch_changes.entity = 'workflow_events'
        and {{ written_by_this_build('batch_changes.logged_at') }}

),

logged_events as (

    select distinct workflow_event_versions.event_id
    from workflow_event_versions
    inner join latest_batches
        on workflow_event_versions.batch_id = latest_batches.batch_id

),

event_versions as (

    select workflow_event_versions.*
    from workflow_event_versions
    inner join logged_events
        on workflow_event_versions.event_id = logged_events.event_id

),

latest_events as (

    {{ latest_version('event_versions', ['event_id'], ['event_id', 'run_id']) }}

),

counted as (

    select
        expected.run_id,
        count(runs.run_id) as times_counted
    from (select distinct latest_events.run_id from latest_events) as expected
    left join runs
        on expected.run_id = runs.run_id
    group by 1

)

select
    {{ dbt.concat([
        "'run counted '",
        dbt.cast('counted.times_counted', dbt.type_string()),
        "' times'",
    ]) }} as failure,
    counted.run_id
from counted
where counted.times_counted <> 1
union all
select
    'fct_workflow_weekly does not start every run once' as failure,
    null as run_id
from workflow
where workflow.runs <> (select count(*) from runs)
