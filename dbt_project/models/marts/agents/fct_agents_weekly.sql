{#
    One row per week_start × agent_id with runs (CONTRACTS.md §5.3), from
    fct_agent_runs: the measures of the runs started that week
    (macros/agents.sql: success rate, calls per run, p95 duration over every
    run, cost, cost per successful run, distinct identified users).
    agent_name, use_case_id and owner: the week's latest run's;
    is_shadow_agent: a run of the week was not both registered and approved
    (agents.csv as known on its day).
#}
with

runs as (

    select * from {{ ref('fct_agent_runs') }}

),

latest_runs as (

    select
        runs.week_start,
        runs.agent_id,
        runs.agent_name,
        runs.use_case_id,
        runs.owner,
        row_number() over (
            partition by runs.week_start, runs.agent_id
            order by runs.started_at desc, runs.agent_run_id desc
        ) as recency_rank
    from runs

),

aggregated as (

    select
        runs.week_start,
        runs.agent_id,
        {{ agent_run_measures('runs') }}
    from runs
    group by 1, 2

),

final as (

    select
        -- ids
        aggregated.agent_id,
        latest_runs.use_case_id,
        -- strings
        latest_runs.agent_name,
        latest_runs.owner,
        -- numerics, booleans
        {{ agent_run_rates('aggregated') }},
        -- dates
        cast(aggregated.week_start as date) as week_start
    from aggregated
    inner join latest_runs
        on
            aggregated.week_start = latest_runs.week_start
            and aggregated.agent_id = latest_runs.agent_id
            and latest_runs.recency_rank = 1

)

select * from final
