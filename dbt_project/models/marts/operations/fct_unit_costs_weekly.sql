{#
    One row per week_start × use_case_id with requests, workflow runs or
    (`unassigned`) licence seats: usage cost (reported and catalogue-priced
    estimate kept apart), cost per request and cost per completed run (runs
    of that week's start cohort), and the seat cost, a modelled estimate from
    value_assumptions.csv (int_seat_costs_aggregated_to_days). Seats belong to
    people, not to use cases: the week's seat cost sits on `unassigned`, so
    the organisation's total cost is the sum of total_cost_usd over use cases.
    Agents (fct_agents_weekly, by the use case of each agent's latest run in
    the week): runs, successful runs, their cost and the cost per successful
    run. Their cost is part of cost_usd (the runs' model calls), or an agent
    span's own usage when no model call lies beneath it: never added to
    total_cost_usd.
#}
with

operations as (

    select * from {{ ref('fct_operations_weekly') }}

),

workflow as (

    select * from {{ ref('fct_workflow_weekly') }}

),

agents_weekly as (

    select * from {{ ref('fct_agents_weekly') }}

),

seat_days as (

    select * from {{ ref('int_seat_costs_aggregated_to_days') }}

),

seats_aggregated as (

    select
        {{ week_start('seat_days.seat_date') }} as week_start,
        'unassigned' as use_case_id,
        coalesce(sum(seat_days.seat_cost_usd), 0) as seat_cost_usd
    from seat_days
    group by 1, 2

),

operations_aggregated as (

    select
        operations.week_start,
        operations.use_case_id,
        sum(operations.requests) as requests,
        sum(operations.cost_usd) as cost_usd,
        sum(operations.reported_cost_usd) as reported_cost_usd,
        sum(operations.priced_cost_usd) as priced_cost_usd
    from operations
    group by 1, 2

),

agents_aggregated as (

    select
        agents_weekly.week_start,
        agents_weekly.use_case_id,
        sum(agents_weekly.runs) as agent_runs,
        sum(agents_weekly.successful_runs) as successful_agent_runs,
        sum(agents_weekly.cost_usd) as agent_cost_usd
    from agents_weekly
    group by 1, 2

),

grid as (

    select
        operations_aggregated.week_start,
        operations_aggregated.use_case_id
    from operations_aggregated
    union
    select
        workflow.week_start,
        workflow.use_case_id
    from workflow
    union
    select
        seats_aggregated.week_start,
        seats_aggregated.use_case_id
    from seats_aggregated
    union
    select
        agents_aggregated.week_start,
        agents_aggregated.use_case_id
    from agents_aggregated

),

final as (

    select
        -- ids
        cast(grid.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- numerics
        cast(coalesce(operations_aggregated.requests, 0) as {{ dbt.type_bigint() }}) as requests,
        cast(coalesce(workflow.runs_completed, 0) as {{ dbt.type_bigint() }}) as runs_completed,
        cast(coalesce(operations_aggregated.cost_usd, 0) as {{ type_double() }}) as cost_usd,
        cast(coalesce(operations_aggregated.reported_cost_usd, 0) as {{ type_double() }})
            as reported_cost_usd,
        cast(coalesce(operations_aggregated.priced_cost_usd, 0) as {{ type_double() }})
            as priced_cost_usd,
        cast(coalesce(seats_aggregated.seat_cost_usd, 0) as {{ type_double() }})
            as seat_cost_usd,
        cast(
            coalesce(operations_aggregated.cost_usd, 0)
            + coalesce(seats_aggregated.seat_cost_usd, 0)
            as {{ type_double() }}
        ) as total_cost_usd,
        cast(
            operations_aggregated.cost_usd / nullif(operations_aggregated.requests, 0)
            as {{ type_double() }}
        ) as cost_per_request_usd,
        cast(
            operations_aggregated.cost_usd / nullif(workflow.runs_completed, 0)
            as {{ type_double() }}
        ) as cost_per_completed_run_usd,
        cast(coalesce(agents_aggregated.agent_runs, 0) as {{ dbt.type_bigint() }}) as agent_runs,
        cast(coalesce(agents_aggregated.successful_agent_runs, 0) as {{ dbt.type_bigint() }})
            as successful_agent_runs,
        cast(coalesce(agents_aggregated.agent_cost_usd, 0) as {{ type_double() }})
            as agent_cost_usd,
        cast(
            agents_aggregated.agent_cost_usd / nullif(agents_aggregated.successful_agent_runs, 0)
            as {{ type_double() }}
        ) as cost_per_successful_agent_run_usd,
        -- dates
        cast(grid.week_start as date) as week_start
    from grid
    left join operations_aggregated
        on
            grid.week_start = operations_aggregated.week_start
            and grid.use_case_id = operations_aggregated.use_case_id
    left join workflow
        on
            grid.week_start = workflow.week_start
            and grid.use_case_id = workflow.use_case_id
    left join seats_aggregated
        on
            grid.week_start = seats_aggregated.week_start
            and grid.use_case_id = seats_aggregated.use_case_id
    left join agents_aggregated
        on
            grid.week_start = agents_aggregated.week_start
            and grid.use_case_id = agents_aggregated.use_case_id

)

select * from final
