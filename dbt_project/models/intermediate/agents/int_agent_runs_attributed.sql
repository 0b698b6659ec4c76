{{ config(materialized='table') }}  {# read by fct_agent_runs and the use cases' evidence #}
{#
    One row per agent run: an `invoke_agent` span (CONTRACTS.md §5.1, §5.3);
    fct_agent_runs publishes it.
    - agent_run_id: `<trace_id>-<span_id>` (the landed request_id when the
      span carries no trace ids); agent_id: gen_ai.agent.id, else the agent's
      name, else 'unknown' (as a model call naming no model, CONTRACTS.md §5.1).
    - model_calls, tool_calls, tool_errors, tokens and cost: over the spans
      the run owns. A span is owned by its nearest `invoke_agent` ancestor in
      the same trace (a sub-agent owns the calls beneath it, not its parent),
      found by walking up to 8 parents (max_depth); a span deeper than
      that under its agent is not attributed to it. Tokens and cost are the
      owned model calls'; the agent span's own usage, which repeats its
      descendants', counts only when no model call lies beneath it at any
      depth (a parent whose calls all lie under a sub-agent counts none: the
      sub-agent's run has them).
    - duration_ms, status, started_at: the agent span's own (latency_ms,
      status, occurred_at).
    - use_case_id: the agent registry's (agents.csv, as known on the run's
      day), else the span's own (untagged: 'unassigned'); owner: the
      registry's (null for an agent it does not know).
    - is_registered: the agent is in the registry version in force on the
      run's day, registered on or before it; is_approved: registered and
      approved there. A run that is not both is a shadow agent's.
#}
{%- set max_depth = 8 %}
with

requests as {{ inline_cte() }} (

    select * from {{ ref('int_requests_enriched') }}

),

registry_versions as (

    {{ config_versions('agents') }}

),

traced as (

    select
        requests.request_id,
        requests.trace_id,
        requests.span_id,
        requests.parent_span_id,
        requests.operation,
        requests.is_model_call,
        requests.is_error,
        requests.input_tokens,
        requests.output_tokens,
        requests.cost_usd,
        row_number() over (
            partition by requests.trace_id, requests.span_id
            order by requests.tool asc, requests.request_id asc
        ) as span_rank
    from requests
    where requests.trace_id is not null and requests.span_id is not null

),

{# one row per span (the same span landed by two tools counts once) #}
spans as (

    select * from traced
    where traced.span_rank = 1

),

{# each span with its first max_depth ancestors in the trace; SQLFluff cannot
    indent what the loops write: LT02 is off for this CTE #}
walk as (

    -- noqa: disable=LT02
    select
        spans.trace_id,
        spans.operation,
        spans.is_model_call,
        spans.is_error,
        spans.input_tokens,
        spans.output_tokens,
        spans.cost_usd,
        {%- for depth in range(1, max_depth + 1) %}
        case
            when ancestor_{{ depth }}.operation = 'invoke_agent'
                then ancestor_{{ depth }}.span_id
        end as agent_above_{{ depth }}{{ "," if not loop.last }}
        {%- endfor %}
    from spans
    {%- for depth in range(1, max_depth + 1) %}
    {%- set child = 'spans' if depth == 1 else 'ancestor_' ~ (depth - 1) %}
    left join spans as ancestor_{{ depth }}
        on
            {{ child }}.trace_id = ancestor_{{ depth }}.trace_id
            and {{ child }}.parent_span_id = ancestor_{{ depth }}.span_id
    {%- endfor %}
    -- noqa: enable=LT02

),

{# the nearest agent ancestor owns the span #}
owned as (

    select
        walk.*,
        coalesce(
            {%- for depth in range(1, max_depth + 1) %}
            walk.agent_above_{{ depth }}{{ "," if not loop.last }}
            {%- endfor %}
        ) as agent_span_id
    from walk

),

{# every agent with a model call beneath it, at any depth: its own usage
    attributes repeat its descendants' and never count #}
agents_above_model_calls as (

    {%- for depth in range(1, max_depth + 1) %}
    select
        walk.trace_id,
        walk.agent_above_{{ depth }} as agent_span_id
    from walk
    where walk.is_model_call and walk.agent_above_{{ depth }} is not null
    {{ "union" if not loop.last }}
    {%- endfor %}

),

owned_aggregated as (

    select
        owned.trace_id,
        owned.agent_span_id,
        sum(case when owned.is_model_call then 1 else 0 end) as model_calls,
        sum(case when owned.operation = 'execute_tool' then 1 else 0 end) as tool_calls,
        sum(case when owned.operation = 'execute_tool' and owned.is_error then 1 else 0 end)
            as tool_errors,
        sum(case when owned.is_model_call then owned.input_tokens else 0 end)
            as input_tokens,
        sum(case when owned.is_model_call then owned.output_tokens else 0 end)
            as output_tokens,
        sum(case when owned.is_model_call then owned.cost_usd else 0 end) as cost_usd
    from owned
    where owned.agent_span_id is not null
    group by 1, 2

),

runs as (

    select
        requests.*,
        coalesce(requests.agent_id, requests.agent_name, 'unknown') as run_agent_id
    from requests
    where requests.operation = 'invoke_agent'

),

registry_matches as (

    select
        runs.request_id,
        runs.tool,
        registry_versions.use_case_id,
        registry_versions.owner,
        coalesce(registry_versions.is_approved, false) as is_approved,
        row_number() over (
            partition by runs.tool, runs.request_id
            order by registry_versions.config_source_row asc
        ) as match_rank
    from runs
    inner join registry_versions
        on
            runs.run_agent_id = registry_versions.agent_id
            and {{ config_in_force('registry_versions', 'runs.request_date') }}
            and (
                registry_versions.registered_on is null
                or registry_versions.registered_on <= runs.request_date
            )

),

final as (

    select
        -- ids
        cast(coalesce(
            {{ dbt.concat(['runs.trace_id', "'-'", 'runs.span_id']) }}, runs.request_id
        ) as {{ dbt.type_string() }}) as agent_run_id,
        cast(runs.run_agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(coalesce(registry_matches.use_case_id, runs.use_case_id) as {{ dbt.type_string() }})
            as use_case_id,
        runs.business_unit_id,
        runs.user_id,
        runs.trace_id,
        runs.span_id,
        -- strings
        cast(runs.agent_name as {{ dbt.type_string() }}) as agent_name,
        runs.tool,
        runs.status,
        cast(registry_matches.owner as {{ dbt.type_string() }}) as owner,  -- noqa: RF04
        -- numerics
        cast(runs.latency_ms as {{ type_double() }}) as duration_ms,
        cast(coalesce(owned_aggregated.model_calls, 0) as {{ dbt.type_bigint() }})
            as model_calls,
        cast(coalesce(owned_aggregated.tool_calls, 0) as {{ dbt.type_bigint() }})
            as tool_calls,
        cast(coalesce(owned_aggregated.tool_errors, 0) as {{ dbt.type_bigint() }})
            as tool_errors,
        cast(
            case
                when agents_above_model_calls.agent_span_id is not null
                    then coalesce(owned_aggregated.input_tokens, 0)
                else runs.input_tokens
            end as {{ dbt.type_bigint() }}
        ) as input_tokens,
        cast(
            case
                when agents_above_model_calls.agent_span_id is not null
                    then coalesce(owned_aggregated.output_tokens, 0)
                else runs.output_tokens
            end as {{ dbt.type_bigint() }}
        ) as output_tokens,
        cast(
            case
                when agents_above_model_calls.agent_span_id is not null
                    then coalesce(owned_aggregated.cost_usd, 0)
                else runs.cost_usd
            end as {{ type_double() }}
        ) as cost_usd,
        -- booleans
        runs.is_success,
        registry_matches.request_id is not null as is_registered,
        coalesce(registry_matches.is_approved, false) as is_approved,
        -- dates
        runs.request_date as run_date,
        runs.week_start,
        -- timestamps
        runs.occurred_at as started_at
    from runs
    left join owned_aggregated
        on
            runs.trace_id = owned_aggregated.trace_id
            and runs.span_id = owned_aggregated.agent_span_id
    left join agents_above_model_calls
        on
            runs.trace_id = agents_above_model_calls.trace_id
            and runs.span_id = agents_above_model_calls.agent_span_id
    left join registry_matches
        on
            runs.tool = registry_matches.tool
            and runs.request_id = registry_matches.request_id
            and registry_matches.match_rank = 1

)

select * from final
