{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='replace_window',
    window_column='week_start',
    window_entities=['requests'],
    window_grain='week',
    on_schema_change='sync_all_columns',
) }}
{#
    One row per week × business unit × use case × model × latency bucket
    with success requests: a latency histogram, from which
    rpt_latency_by_model_use_case_weekly takes percentiles for any reading
    scope. That mart is rebuilt every build: it reads this histogram, built
    incrementally, instead of every request row, and holds a bucket count
    per scope where per-scope percentiles of the rows would hold every
    latency once per scope covering it (~2.8 times).
    - latency_bucket_ms: the latency in whole milliseconds below 100 ms, else
      on a 1% logarithmic grid: 1.01^k ms for the nearest whole k (12,345.6
      ms -> 1.01^947 = 12,369.182 ms, rounded to the microsecond). Every
      latency is within 0.5 ms (below 100 ms) or 0.5% of its bucket, so a
      percentile read from the buckets is too. A group holds at most ~230
      buckets per tenfold of latency whatever its number of requests (~330
      for a demo model's spread), where the raw latencies hold one value per
      request: 0.54 rows per success request at 1M demo requests (~100 per
      group), 0.16 at 10M (~750 per group), ~0.04 from ~8,000 per group.
    - timed_requests: success requests with a latency in the bucket (the
      requests int_request_latencies_aggregated_to_weeks takes percentiles
      over; a null latency is left out, as there).
    Incremental by week, like int_request_latencies_aggregated_to_weeks: a run
    rebuilds every week holding a day that int_requests_enriched rebuilt.
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

aggregated as (

    select
        requests_in_window.week_start,
        requests_in_window.business_unit_id,
        requests_in_window.use_case_id,
        requests_in_window.model,
        {#- whole ms below 100 ms (within 0.5 ms), else 1.01^k for the nearest k (within 0.5%) #}
        case
            when requests_in_window.latency_ms < 100
                then round(requests_in_window.latency_ms)
            else {{ round_half_up(
                'power(1.01, round(ln(requests_in_window.latency_ms) / ln(1.01)))', 3
            ) }}
        end as latency_bucket_ms,
        count(*) as timed_requests
    from requests_in_window
    where
        requests_in_window.is_model_call
        and requests_in_window.is_success
        and requests_in_window.latency_ms is not null
    group by 1, 2, 3, 4, 5

),

final as (

    select
        -- ids
        aggregated.business_unit_id,
        aggregated.use_case_id,
        -- strings
        aggregated.model,
        -- numerics
        cast(aggregated.latency_bucket_ms as {{ type_double() }}) as latency_bucket_ms,
        aggregated.timed_requests,
        -- dates
        aggregated.week_start,
        -- bookkeeping (macros/incremental.sql)
        inputs.logged_through_at,
        inputs.fingerprint as inputs_fingerprint
    from aggregated
    cross join inputs

)

select * from final
