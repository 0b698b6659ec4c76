{#
    One row per period (week, month, fiscal quarter: dim_periods) × reading
    scope (dim_scopes) × agent with runs started in the period: the weekly
    review's agents section and the quarterly review's agent list
    (fct_agent_runs, CONTRACTS.md §5.3), measured as fct_agents_weekly is
    (macros/agents.sql), so a week reads the same in both.
    - An agent's run belongs to the cell of its use case's portfolio and
      business unit as known at the period's end (fct_use_case_periods), as
      the unit costs do; the organisation covers every run, an unregistered
      agent's (use case 'unassigned') included; any other scope the runs
      whose use case lies in its cells (dim_scope_cells).
    - agent_name, use_case_id, owner: the period's latest run's in the scope.
    - success_rate_status, duration_p95_status, cost_per_successful_run_status:
      RAG against thresholds agent_success_rate_pct, agent_duration_p95_ms and
      agent_cost_per_successful_run_usd.
    - recommendation, readiness_status, readiness_gaps: the agent's use
      case's, as known at the period's end (fct_use_case_periods): the
      registry joins an agent to its use case's verdict and launch readiness
      (null for 'unassigned' or a use case without them).
    - users: distinct identified people with a run; the app shows none under
      the minimum group size (CONTRACTS.md §5.5).
#}
with

runs as (

    select * from {{ ref('fct_agent_runs') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

use_cases as (

    select * from {{ ref('dim_use_cases') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

runs_celled as (

    select
        runs.*,
        periods.period_grain,
        periods.period_start,
        use_case_periods.portfolio_id,
        use_case_periods.business_unit_id as use_case_business_unit_id,
        use_case_periods.recommendation,
        use_case_periods.readiness_status,
        use_case_periods.readiness_gaps
    from runs
    inner join periods
        on
            runs.run_date >= periods.period_start
            and runs.run_date <= periods.period_end
            and periods.period_grain in ('week', 'month', 'quarter')
    left join use_case_periods
        on
            periods.period_grain = use_case_periods.period_grain
            and periods.period_start = use_case_periods.period_start
            and runs.use_case_id = use_case_periods.use_case_id

),

runs_scoped as (

    select
        'organisation' as scope_id,
        runs_celled.*
    from runs_celled
    union all
    select
        scope_cells.scope_id,
        runs_celled.*
    from runs_celled
    inner join scope_cells
        on
            runs_celled.portfolio_id = scope_cells.portfolio_id
            and runs_celled.use_case_business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'

),

latest_runs as (

    select
        runs_scoped.period_grain,
        runs_scoped.period_start,
        runs_scoped.scope_id,
        runs_scoped.agent_id,
        runs_scoped.agent_name,
        runs_scoped.use_case_id,
        runs_scoped.owner,
        runs_scoped.recommendation,
        runs_scoped.readiness_status,
        runs_scoped.readiness_gaps,
        row_number() over (
            partition by
                runs_scoped.period_grain, runs_scoped.period_start,
                runs_scoped.scope_id, runs_scoped.agent_id
            order by runs_scoped.started_at desc, runs_scoped.agent_run_id desc
        ) as recency_rank
    from runs_scoped

),

aggregated as (

    select
        runs_scoped.period_grain,
        runs_scoped.period_start,
        runs_scoped.scope_id,
        runs_scoped.agent_id,
        {{ agent_run_measures('runs_scoped') }}
    from runs_scoped
    group by 1, 2, 3, 4

),

measured as (

    select
        latest_runs.agent_name,
        latest_runs.use_case_id,
        latest_runs.owner,
        latest_runs.recommendation,
        latest_runs.readiness_status,
        latest_runs.readiness_gaps,
        aggregated.period_grain,
        aggregated.period_start,
        aggregated.scope_id,
        aggregated.agent_id,
        {{ agent_run_rates('aggregated') }}
    from aggregated
    inner join latest_runs
        on
            aggregated.period_grain = latest_runs.period_grain
            and aggregated.period_start = latest_runs.period_start
            and aggregated.scope_id = latest_runs.scope_id
            and aggregated.agent_id = latest_runs.agent_id
            and latest_runs.recency_rank = 1

),

final as (

    select
        -- ids
        cast(measured.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(measured.agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(measured.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(measured.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(measured.agent_name as {{ dbt.type_string() }}) as agent_name,
        cast(
            coalesce(use_cases.use_case_name, measured.use_case_id)
            as {{ dbt.type_string() }}
        ) as use_case_name,
        cast(measured.owner as {{ dbt.type_string() }}) as owner,  -- noqa: RF04
        cast(measured.recommendation as {{ dbt.type_string() }}) as recommendation,
        cast(measured.readiness_status as {{ dbt.type_string() }}) as readiness_status,
        cast(measured.readiness_gaps as {{ dbt.type_string() }}) as readiness_gaps,
        {{ rag('measured.success_rate_pct', 'agent_success_rate_pct') }}
            as success_rate_status,
        {{ rag('measured.duration_p95_ms', 'agent_duration_p95_ms') }}
            as duration_p95_status,
        {{ rag('measured.cost_per_successful_run_usd', 'agent_cost_per_successful_run_usd') }}
            as cost_per_successful_run_status,
        -- numerics
        {%- for measure in [
            'runs', 'successful_runs', 'tool_errors', 'input_tokens', 'output_tokens', 'users',
        ] %}
        measured.{{ measure }},
        {%- endfor %}
        {%- for measure in [
            'success_rate_pct', 'model_calls_per_run', 'tool_calls_per_run',
            'duration_p95_ms', 'cost_usd', 'cost_per_successful_run_usd',
        ] %}
        measured.{{ measure }},
        {%- endfor %}
        -- booleans
        measured.is_shadow_agent,
        -- dates
        cast(measured.period_start as date) as period_start
    from measured
    left join use_cases
        on measured.use_case_id = use_cases.use_case_id
    cross join thresholds

)

select * from final
