{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='week_start',
    window_entities=['requests'],
    window_grain='week',
    on_schema_change='sync_all_columns',
) }}
{#
    Latency percentiles over successful model calls (continuous, linear
    interpolation), which do not add up across days:
    - scope 'use_case_model': one row per week × use case × model with
      requests (fct_operations_weekly);
    - scope 'platform': one row per week with requests, over all of the
      week's requests (rpt_review_tiles), with use case and model null.
    Percentiles are rounded to the microsecond (3 decimals of a millisecond)
    and null when the group has no success request.
    Incremental by week: a run rebuilds every week holding a day that
    int_requests_enriched rebuilt.
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

window_weeks as (

    {{ changed_partitions(['requests'], 'week', '(select inputs.fingerprint from inputs)') }}

),

requests_in_window as (

    select requests.*
    from requests
    inner join window_weeks
        on requests.week_start = window_weeks.partition_value

),

{%- else %}

requests_in_window as (

    select * from requests

),

{%- endif %}

{%- set success_latency =
    'case when requests_in_window.is_success then requests_in_window.latency_ms end' %}

aggregated as (

    select
        'use_case_model' as scope,
        requests_in_window.week_start,
        requests_in_window.use_case_id,
        requests_in_window.model,
        {{ percentiles_cont(success_latency, [0.5, 0.95]) }} as latency_percentiles_ms
    from requests_in_window
    where requests_in_window.is_model_call
    group by 1, 2, 3, 4
    union all
    select
        'platform' as scope,
        requests_in_window.week_start,
        cast(null as {{ dbt.type_string() }}) as use_case_id,
        cast(null as {{ dbt.type_string() }}) as model,
        {{ percentiles_cont(success_latency, [0.5, 0.95]) }} as latency_percentiles_ms
    from requests_in_window
    where requests_in_window.is_model_call
    group by 1, 2

),

final as (

    select
        -- ids
        aggregated.use_case_id,
        -- strings
        aggregated.scope,
        aggregated.model,
        -- numerics
        round({{ list_element('aggregated.latency_percentiles_ms', 1) }}, 3)
            as latency_p50_ms,
        round({{ list_element('aggregated.latency_percentiles_ms', 2) }}, 3)
            as latency_p95_ms,
        -- dates
        aggregated.week_start,
        -- bookkeeping (macros/incremental.sql)
        inputs.logged_through_at,
        inputs.fingerprint as inputs_fingerprint
    from aggregated
    cross join inputs

)

select * from final
