{#
    The measures of a group of agent runs (fct_agent_runs rows as `relation`),
    shared by fct_agents_weekly and rpt_agent_periods so that a week reads
    the same in both: runs, successful runs (status `success`), model and
    tool calls, tool errors, the 95th percentile of run duration (continuous,
    linear interpolation), tokens, cost, distinct identified users, and
    shadow_flag (1 when a run was not both registered and approved).
#}
{% macro agent_run_measures(relation) -%}
        count(*) as runs,
        sum(case when {{ relation }}.is_success then 1 else 0 end) as successful_runs,
        sum({{ relation }}.model_calls) as model_calls,
        sum({{ relation }}.tool_calls) as tool_calls,
        sum({{ relation }}.tool_errors) as tool_errors,
        {{ percentile_cont(relation ~ '.duration_ms', 0.95) }} as duration_p95_ms,
        sum({{ relation }}.input_tokens) as input_tokens,
        sum({{ relation }}.output_tokens) as output_tokens,
        sum({{ relation }}.cost_usd) as cost_usd,
        {{ count_distinct(relation ~ '.user_id') }} as users,
        max(case when {{ relation }}.is_registered and {{ relation }}.is_approved then 0 else 1 end)
            as shadow_flag
{%- endmacro %}

{#
    The rates of `agent_run_measures` (aggregated as `relation`), typed:
    success rate, calls per run, p95 duration (to the microsecond), cost per
    successful run (every run's cost over the successful ones: failed runs'
    spend counts against the runs that worked; null with none).
#}
{% macro agent_run_rates(relation) -%}
        cast({{ relation }}.runs as {{ dbt.type_bigint() }}) as runs,
        cast({{ relation }}.successful_runs as {{ dbt.type_bigint() }}) as successful_runs,
        cast(100.0 * {{ relation }}.successful_runs / {{ relation }}.runs as {{ type_double() }})
            as success_rate_pct,
        cast({{ relation }}.model_calls * 1.0 / {{ relation }}.runs as {{ type_double() }})
            as model_calls_per_run,
        cast({{ relation }}.tool_calls * 1.0 / {{ relation }}.runs as {{ type_double() }})
            as tool_calls_per_run,
        cast({{ relation }}.tool_errors as {{ dbt.type_bigint() }}) as tool_errors,
        cast(round({{ relation }}.duration_p95_ms, 3) as {{ type_double() }}) as duration_p95_ms,
        cast({{ relation }}.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast({{ relation }}.output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast({{ relation }}.cost_usd as {{ type_double() }}) as cost_usd,
        cast(
            {{ relation }}.cost_usd / nullif({{ relation }}.successful_runs, 0)
            as {{ type_double() }}
        ) as cost_per_successful_run_usd,
        cast({{ relation }}.users as {{ dbt.type_bigint() }}) as users,
        {{ relation }}.shadow_flag = 1 as is_shadow_agent
{%- endmacro %}
