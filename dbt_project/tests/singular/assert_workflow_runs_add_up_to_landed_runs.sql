{# Every workflow run with landed events is started exactly once in fct_workflow_weekly. #}
with

landed as (

    select count(distinct run_id) as runs from {{ ref('stg_landing__workflow_events') }}

),

workflow as (

    select coalesce(sum(runs_started), 0) as runs from {{ ref('fct_workflow_weekly') }}

)

select landed.runs as landed_runs, workflow.runs as workflow_runs
from landed
cross join workflow
where landed.runs <> workflow.runs
