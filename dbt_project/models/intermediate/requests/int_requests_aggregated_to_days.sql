{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='request_date',
    window_entities=['requests'],
    on_schema_change='sync_all_columns',
) }}
{#
    One row per request day × business unit × use case × model with model
    calls (agent and tool spans are not model calls, CONTRACTS.md §5.1):
    the additive request measures every weekly, monthly and quarterly mart
    sums (counts, tokens, cost split into reported and catalogue-priced,
    policy and trust flags), so no mart scans the request table. Percentiles
    are not additive: int_request_latencies_aggregated_to_weeks has them.
    Incremental by day, rebuilding the days int_requests_enriched rebuilt.
#}
with

requests as {{ inline_cte() }} (

    select * from {{ ref('int_requests_enriched') }}

),

batch_changes as (

    select * from {{ ref('int_batch_changes_logged') }}

),

inputs as (

    select
        {{ dbt.hash(dbt.concat([
            "'" ~ model.checksum.checksum ~ "'",
            'max(requests.inputs_fingerprint)',
        ])) }} as fingerprint,
        {{ build_watermark('batch_changes') }} as logged_through_at
    from requests

),

{%- if is_incremental() %}

window_days as (

    {{ changed_partitions(['requests'], 'day', '(select inputs.fingerprint from inputs)') }}

),

requests_in_window as (

    select requests.*
    from requests
    inner join window_days
        on requests.request_date = window_days.partition_value

),

{%- else %}

requests_in_window as (

    select * from requests

),

{%- endif %}

aggregated as (

    select
        requests_in_window.request_date,
        requests_in_window.business_unit_id,
        requests_in_window.use_case_id,
        requests_in_window.model,
        count(*) as requests,
        sum(case when requests_in_window.is_error then 1 else 0 end)
            as errored_requests,
        sum(case when requests_in_window.status = 'timeout' then 1 else 0 end)
            as timed_out_requests,
        sum(requests_in_window.input_tokens) as input_tokens,
        sum(requests_in_window.output_tokens) as output_tokens,
        sum(requests_in_window.cost_usd) as cost_usd,
        sum(coalesce(requests_in_window.reported_cost_usd, 0))
            as reported_cost_usd,
        sum(coalesce(requests_in_window.priced_cost_usd, 0)) as priced_cost_usd,
        sum(case when requests_in_window.cost_source = 'unpriced' then 1 else 0 end)
            as unpriced_requests,
        sum(case when requests_in_window.is_policy_violation then 1 else 0 end)
            as policy_violations,
        sum(case when requests_in_window.is_shadow_ai then 1 else 0 end)
            as shadow_ai_requests,
        sum(case when requests_in_window.is_classification_violation then 1 else 0 end)
            as classification_violations,
        sum(case when requests_in_window.is_blocked then 1 else 0 end)
            as blocked_requests,
        sum(case when requests_in_window.is_redacted then 1 else 0 end)
            as redacted_requests,
        min(requests_in_window.occurred_at) as first_occurred_at,
        max(requests_in_window.occurred_at) as last_occurred_at
    from requests_in_window
    {#- model calls only: agent runs and tool calls are fct_agent_runs'
        (CONTRACTS.md §5.1) #}
    where requests_in_window.is_model_call
    group by 1, 2, 3, 4

),

final as (

    select
        -- ids
        aggregated.business_unit_id,
        aggregated.use_case_id,
        -- strings
        aggregated.model,
        -- numerics
        aggregated.requests,
        aggregated.errored_requests,
        aggregated.timed_out_requests,
        aggregated.input_tokens,
        aggregated.output_tokens,
        aggregated.cost_usd,
        aggregated.reported_cost_usd,
        aggregated.priced_cost_usd,
        aggregated.unpriced_requests,
        aggregated.policy_violations,
        aggregated.shadow_ai_requests,
        aggregated.classification_violations,
        aggregated.blocked_requests,
        aggregated.redacted_requests,
        -- dates
        aggregated.request_date,
        {{ week_start('aggregated.request_date') }} as week_start,
        {{ period_start('month', 'aggregated.request_date') }} as month_start,
        {{ period_start('quarter', 'aggregated.request_date') }} as quarter_start,
        -- timestamps
        aggregated.first_occurred_at,
        aggregated.last_occurred_at,
        -- bookkeeping (macros/incremental.sql)
        inputs.logged_through_at,
        inputs.fingerprint as inputs_fingerprint
    from aggregated
    cross join inputs

)

select * from final
