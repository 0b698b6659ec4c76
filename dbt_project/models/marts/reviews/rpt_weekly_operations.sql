{#
    One row per week_start (platform-wide), what the weekly operations review
    shows: volume, errors, latency percentiles over success requests, tokens
    and cost (reported vs catalogue-priced estimate), trust (policy
    adherence, shadow AI, blocked, classification violations), workflow
    health and active users, each key rate with its RAG status from
    seeds/thresholds.csv. Percentiles are over the week's requests, not an
    average of per-model percentiles.
#}
with

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

latencies as (

    select * from {{ ref('int_request_latencies_aggregated_to_weeks') }} as request_latencies
    where request_latencies.scope = 'platform'

),

workflow as (

    select * from {{ ref('fct_workflow_weekly') }}

),

active_user_weeks as (

    select * from {{ ref('int_active_user_days_aggregated_to_weeks') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

weeks_aggregated as (

    select
        request_days.week_start,
        sum(request_days.requests) as requests,
        sum(request_days.errored_requests) as errored_requests,
        sum(request_days.input_tokens) as input_tokens,
        sum(request_days.output_tokens) as output_tokens,
        sum(request_days.cost_usd) as cost_usd,
        sum(request_days.reported_cost_usd) as reported_cost_usd,
        sum(request_days.priced_cost_usd) as priced_cost_usd,
        sum(request_days.policy_violations) as policy_violations,
        sum(request_days.shadow_ai_requests) as shadow_ai_requests,
        sum(request_days.blocked_requests) as blocked_requests,
        sum(request_days.classification_violations) as classification_violations,
        {{ count_distinct(
            "case when request_days.use_case_id <> 'unassigned' then request_days.use_case_id end"
        ) }} as active_use_cases,
        {{ count_distinct('request_days.model') }} as models_used
    from request_days
    group by 1

),

requests_aggregated as (

    select
        weeks_aggregated.*,
        latencies.latency_p50_ms,
        latencies.latency_p95_ms
    from weeks_aggregated
    left join latencies
        on weeks_aggregated.week_start = latencies.week_start

),

workflow_aggregated as (

    select
        workflow.week_start,
        sum(workflow.runs_started) as runs_started,
        sum(workflow.runs_completed) as runs_completed,
        sum(workflow.reviews) as reviews,
        sum(workflow.overridden_reviews) as overridden_reviews,
        sum(workflow.accepted_reviews) as accepted_reviews,
        sum(workflow.exception_rate_pct * workflow.runs_started / 100.0) as runs_with_exception
    from workflow
    group by 1

),

users_aggregated as (

    select
        active_user_weeks.week_start,
        {{ count_distinct('active_user_weeks.user_id') }} as active_users
    from active_user_weeks
    group by 1

),

joined as (

    select
        weeks.week_start,
        coalesce(requests_aggregated.requests, 0) as requests,
        coalesce(requests_aggregated.errored_requests, 0) as errored_requests,
        {{ pct('requests_aggregated.errored_requests', 'requests_aggregated.requests') }}
            as error_rate_pct,
        round(requests_aggregated.latency_p50_ms, 3) as latency_p50_ms,
        round(requests_aggregated.latency_p95_ms, 3) as latency_p95_ms,
        coalesce(requests_aggregated.input_tokens, 0) as input_tokens,
        coalesce(requests_aggregated.output_tokens, 0) as output_tokens,
        coalesce(requests_aggregated.cost_usd, 0) as cost_usd,
        coalesce(requests_aggregated.reported_cost_usd, 0) as reported_cost_usd,
        coalesce(requests_aggregated.priced_cost_usd, 0) as priced_cost_usd,
        requests_aggregated.cost_usd / nullif(requests_aggregated.requests, 0)
            as cost_per_request_usd,
        100.0 - {{ pct('requests_aggregated.policy_violations', 'requests_aggregated.requests') }}
            as policy_adherence_pct,
        {{ pct('requests_aggregated.shadow_ai_requests', 'requests_aggregated.requests') }}
            as shadow_ai_pct,
        coalesce(requests_aggregated.blocked_requests, 0) as blocked_requests,
        coalesce(requests_aggregated.classification_violations, 0) as classification_violations,
        coalesce(requests_aggregated.active_use_cases, 0) as active_use_cases,
        coalesce(requests_aggregated.models_used, 0) as models_used,
        coalesce(users_aggregated.active_users, 0) as active_users,
        coalesce(workflow_aggregated.runs_started, 0) as runs_started,
        coalesce(workflow_aggregated.runs_completed, 0) as runs_completed,
        {{ pct('workflow_aggregated.runs_completed', 'workflow_aggregated.runs_started') }}
            as completion_rate_pct,
        {{ pct('workflow_aggregated.overridden_reviews', 'workflow_aggregated.reviews') }}
            as override_rate_pct,
        {{ pct('workflow_aggregated.accepted_reviews', 'workflow_aggregated.reviews') }}
            as quality_acceptance_pct,
        {{ pct('workflow_aggregated.runs_with_exception', 'workflow_aggregated.runs_started') }}
            as exception_rate_pct
    from weeks
    left join requests_aggregated
        on weeks.week_start = requests_aggregated.week_start
    left join workflow_aggregated
        on weeks.week_start = workflow_aggregated.week_start
    left join users_aggregated
        on weeks.week_start = users_aggregated.week_start

),

final as (

    select
        -- strings
        {%- for metric in [
            'error_rate_pct', 'latency_p95_ms', 'policy_adherence_pct', 'shadow_ai_pct',
            'completion_rate_pct', 'override_rate_pct', 'quality_acceptance_pct',
            'exception_rate_pct',
        ] %}
        cast({{ rag('joined.' ~ metric, metric) }} as {{ dbt.type_string() }})
            as {{ metric | replace('_pct', '') | replace('_ms', '') }}_status,
        {%- endfor %}
        -- numerics
        cast(joined.requests as {{ dbt.type_bigint() }}) as requests,
        cast(joined.errored_requests as {{ dbt.type_bigint() }}) as errored_requests,
        cast(joined.error_rate_pct as {{ type_double() }}) as error_rate_pct,
        cast(joined.latency_p50_ms as {{ type_double() }}) as latency_p50_ms,
        cast(joined.latency_p95_ms as {{ type_double() }}) as latency_p95_ms,
        cast(joined.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(joined.output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(joined.cost_usd as {{ type_double() }}) as cost_usd,
        cast(joined.reported_cost_usd as {{ type_double() }}) as reported_cost_usd,
        cast(joined.priced_cost_usd as {{ type_double() }}) as priced_cost_usd,
        cast(joined.cost_per_request_usd as {{ type_double() }}) as cost_per_request_usd,
        cast(joined.policy_adherence_pct as {{ type_double() }}) as policy_adherence_pct,
        cast(joined.shadow_ai_pct as {{ type_double() }}) as shadow_ai_pct,
        cast(joined.blocked_requests as {{ dbt.type_bigint() }}) as blocked_requests,
        cast(joined.classification_violations as {{ dbt.type_bigint() }})
            as classification_violations,
        cast(joined.active_use_cases as {{ dbt.type_bigint() }}) as active_use_cases,
        cast(joined.models_used as {{ dbt.type_bigint() }}) as models_used,
        cast(joined.active_users as {{ dbt.type_bigint() }}) as active_users,
        cast(joined.runs_started as {{ dbt.type_bigint() }}) as runs_started,
        cast(joined.runs_completed as {{ dbt.type_bigint() }}) as runs_completed,
        cast(joined.completion_rate_pct as {{ type_double() }}) as completion_rate_pct,
        cast(joined.override_rate_pct as {{ type_double() }}) as override_rate_pct,
        cast(joined.quality_acceptance_pct as {{ type_double() }}) as quality_acceptance_pct,
        cast(joined.exception_rate_pct as {{ type_double() }}) as exception_rate_pct,
        -- dates
        cast(joined.week_start as date) as week_start
    from joined
    cross join thresholds

)

select * from final
