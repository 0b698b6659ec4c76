{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per review period × use case × registered agent with runs in
    the trailing `recommend_window_weeks` × 7 days that end on the period's
    `as_of_date` (the window of int_use_case_evidence_as_of_periods): the
    evidence an agent adds to its use case's recommendation (issue 17,
    fct_use_case_periods). Only runs of agents agents.csv registered under the
    use case (as known on the run's day) count: the registry, not the span's
    own tag, says which use case answers for an agent. Runs on or before
    `as_of_date` only (CONTRACTS.md §5.4).
#}
with

windows as (

    select * from {{ ref('int_use_case_evidence_as_of_periods') }}

),

agent_runs as (

    select * from {{ ref('int_agent_runs_attributed') }}

),

final as (

    select
        -- ids
        windows.use_case_id,
        agent_runs.agent_id,
        -- strings
        windows.period_grain,
        max(coalesce(agent_runs.agent_name, agent_runs.agent_id)) as agent_name,
        -- numerics
        windows.window_weeks,
        count(*) as window_runs,
        sum(case when agent_runs.is_success then 1 else 0 end) as window_successful_runs,
        100.0 * sum(case when agent_runs.is_success then 1 else 0 end) / count(*)
            as window_success_rate_pct,
        sum(agent_runs.cost_usd)
        / nullif(sum(case when agent_runs.is_success then 1 else 0 end), 0)
            as window_cost_per_successful_run_usd,
        -- dates
        windows.period_start
    from windows
    inner join agent_runs
        on
            windows.use_case_id = agent_runs.use_case_id
            and agent_runs.is_registered
            and windows.window_start_date <= agent_runs.run_date
            and windows.window_end_date >= agent_runs.run_date
    group by
        windows.use_case_id,
        agent_runs.agent_id,
        windows.period_grain,
        windows.window_weeks,
        windows.period_start

)

select * from final
