{#
    One row per week_start × reading scope (dim_scopes) × use case × model
    with requests in the week: latency p50/p95 and error rate of each model
    in each use case, RAG-banded against the thresholds of the platform's
    tiles (latency_p95_ms, error_rate_pct), so the weekly operations review
    can show where latency or errors breach their bounds, for any reader's
    scope.
    - A request belongs to the cell (CONTRACTS.md §5.3) of its use case's
      portfolio as known at the week's end (fct_use_case_periods, week grain;
      `unassigned` for usage no known use case claims) and of the requester's
      business unit, as in rpt_operations_breakdown_weekly. The organisation
      covers every request; any other scope the requests of its cells.
    - requests, errored_requests: sums over int_requests_aggregated_to_days,
      as the breakdown counts them; error_rate_pct = errored ÷ requests × 100.
    - latency_p50_ms / latency_p95_ms: continuous percentiles (linear
      interpolation between the two nearest ranks, as percentile_cont and
      int_request_latencies_aggregated_to_weeks) over the scope's timed
      success requests, read from the weekly latency histogram
      (int_request_latencies_bucketed_to_weeks: whole ms below 100 ms, else a
      1% logarithmic grid, so within 0.5 ms or 0.5% of the raw latencies'):
      the histogram's buckets are summed over the scope's cells and ranked,
      never the request rows sorted once per scope. Null without a timed
      success request; rounded to the microsecond.
    - latency_p95_status, error_rate_status: the RAG band of each against
      thresholds (int_thresholds_pivoted, the bands of the review tiles);
      status: the worse of the two (red, then amber, then green).
    - use_case_name: the use case's current name (dim_use_cases; its id when
      it has none, e.g. `unassigned`), so a renamed use case keeps one label.
    No person is counted here, so nothing is suppressed by the minimum group
    size (CONTRACTS.md §5.5), as for the breakdown and the error-rate tile.
#}

with

latency_buckets as (

    select * from {{ ref('int_request_latencies_bucketed_to_weeks') }}

),

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

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

requests_celled as (

    select
        request_days.week_start,
        coalesce(use_case_periods.portfolio_id, 'unassigned') as portfolio_id,
        request_days.business_unit_id,
        request_days.use_case_id,
        request_days.model,
        sum(request_days.requests) as requests,
        sum(request_days.errored_requests) as errored_requests
    from request_days
    left join use_case_periods
        on
            use_case_periods.period_grain = 'week'
            and request_days.week_start = use_case_periods.period_start
            and request_days.use_case_id = use_case_periods.use_case_id
    group by 1, 2, 3, 4, 5

),

requests_scoped as (

    select
        requests_celled.week_start,
        'organisation' as scope_id,
        requests_celled.use_case_id,
        requests_celled.model,
        sum(requests_celled.requests) as requests,
        sum(requests_celled.errored_requests) as errored_requests
    from requests_celled
    group by 1, 2, 3, 4
    union all
    select
        requests_celled.week_start,
        scope_cells.scope_id,
        requests_celled.use_case_id,
        requests_celled.model,
        sum(requests_celled.requests) as requests,
        sum(requests_celled.errored_requests) as errored_requests
    from requests_celled
    inner join scope_cells
        on
            requests_celled.portfolio_id = scope_cells.portfolio_id
            and requests_celled.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'
    group by 1, 2, 3, 4

),

buckets_celled as (

    select
        latency_buckets.week_start,
        coalesce(use_case_periods.portfolio_id, 'unassigned') as portfolio_id,
        latency_buckets.business_unit_id,
        latency_buckets.use_case_id,
        latency_buckets.model,
        latency_buckets.latency_bucket_ms,
        latency_buckets.timed_requests
    from latency_buckets
    left join use_case_periods
        on
            use_case_periods.period_grain = 'week'
            and latency_buckets.week_start = use_case_periods.period_start
            and latency_buckets.use_case_id = use_case_periods.use_case_id

),

buckets_scoped as (

    select
        buckets_celled.week_start,
        'organisation' as scope_id,
        buckets_celled.use_case_id,
        buckets_celled.model,
        buckets_celled.latency_bucket_ms,
        sum(buckets_celled.timed_requests) as timed_requests
    from buckets_celled
    group by 1, 2, 3, 4, 5
    union all
    select
        buckets_celled.week_start,
        scope_cells.scope_id,
        buckets_celled.use_case_id,
        buckets_celled.model,
        buckets_celled.latency_bucket_ms,
        sum(buckets_celled.timed_requests) as timed_requests
    from buckets_celled
    inner join scope_cells
        on
            buckets_celled.portfolio_id = scope_cells.portfolio_id
            and buckets_celled.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'
    group by 1, 2, 3, 4, 5

),

buckets_ranked as (

    {#- a bucket holds the 0-based ranks first_rank … last_rank of its group's latencies #}
    select
        buckets_scoped.week_start,
        buckets_scoped.scope_id,
        buckets_scoped.use_case_id,
        buckets_scoped.model,
        buckets_scoped.latency_bucket_ms,
        sum(buckets_scoped.timed_requests) over (
            partition by
                buckets_scoped.week_start,
                buckets_scoped.scope_id,
                buckets_scoped.use_case_id,
                buckets_scoped.model
            order by buckets_scoped.latency_bucket_ms
            rows between unbounded preceding and current row
        ) - buckets_scoped.timed_requests as first_rank,
        sum(buckets_scoped.timed_requests) over (
            partition by
                buckets_scoped.week_start,
                buckets_scoped.scope_id,
                buckets_scoped.use_case_id,
                buckets_scoped.model
            order by buckets_scoped.latency_bucket_ms
            rows between unbounded preceding and current row
        ) - 1 as last_rank,
        sum(buckets_scoped.timed_requests) over (
            partition by
                buckets_scoped.week_start,
                buckets_scoped.scope_id,
                buckets_scoped.use_case_id,
                buckets_scoped.model
        ) as timed_requests
    from buckets_scoped

),

percentile_positions as (

    {#- percentile_cont's fractional rank: (n - 1) × fraction, in doubles as the engines do #}
    select
        buckets_ranked.*,
        cast(buckets_ranked.timed_requests - 1 as {{ type_double() }})
        * cast(0.5 as {{ type_double() }}) as p50_position,
        cast(buckets_ranked.timed_requests - 1 as {{ type_double() }})
        * cast(0.95 as {{ type_double() }}) as p95_position
    from buckets_ranked

),

percentiles_bracketed as (

    {#- per group, each percentile's fractional rank and the buckets of the ranks around it #}
    select
        percentile_positions.week_start,
        percentile_positions.scope_id,
        percentile_positions.use_case_id,
        percentile_positions.model,
        max(percentile_positions.timed_requests) as timed_requests,
        max(percentile_positions.p50_position) as p50_position,
        max(
            case
                when
                    floor(percentile_positions.p50_position)
                    between percentile_positions.first_rank and percentile_positions.last_rank
                    then percentile_positions.latency_bucket_ms
            end
        ) as p50_lower_ms,
        max(
            case
                when
                    ceil(percentile_positions.p50_position)
                    between percentile_positions.first_rank and percentile_positions.last_rank
                    then percentile_positions.latency_bucket_ms
            end
        ) as p50_upper_ms,
        max(percentile_positions.p95_position) as p95_position,
        max(
            case
                when
                    floor(percentile_positions.p95_position)
                    between percentile_positions.first_rank and percentile_positions.last_rank
                    then percentile_positions.latency_bucket_ms
            end
        ) as p95_lower_ms,
        max(
            case
                when
                    ceil(percentile_positions.p95_position)
                    between percentile_positions.first_rank and percentile_positions.last_rank
                    then percentile_positions.latency_bucket_ms
            end
        ) as p95_upper_ms
    from percentile_positions
    group by 1, 2, 3, 4

),

latencies_scoped as (

    {#- linear interpolation between the two ranks around the fractional rank #}
    select
        percentiles_bracketed.week_start,
        percentiles_bracketed.scope_id,
        percentiles_bracketed.use_case_id,
        percentiles_bracketed.model,
        percentiles_bracketed.timed_requests,
        {{ round_half_up(
            'percentiles_bracketed.p50_lower_ms'
            ~ ' + (percentiles_bracketed.p50_position'
            ~ ' - floor(percentiles_bracketed.p50_position))'
            ~ ' * (percentiles_bracketed.p50_upper_ms - percentiles_bracketed.p50_lower_ms)',
            3,
        ) }} as latency_p50_ms,
        {{ round_half_up(
            'percentiles_bracketed.p95_lower_ms'
            ~ ' + (percentiles_bracketed.p95_position'
            ~ ' - floor(percentiles_bracketed.p95_position))'
            ~ ' * (percentiles_bracketed.p95_upper_ms - percentiles_bracketed.p95_lower_ms)',
            3,
        ) }} as latency_p95_ms
    from percentiles_bracketed

),

measured as (

    select
        requests_scoped.week_start,
        requests_scoped.scope_id,
        requests_scoped.use_case_id,
        requests_scoped.model,
        requests_scoped.requests,
        requests_scoped.errored_requests,
        {{ pct('requests_scoped.errored_requests', 'requests_scoped.requests') }}
            as error_rate_pct,
        coalesce(latencies_scoped.timed_requests, 0) as timed_requests,
        latencies_scoped.latency_p50_ms,
        latencies_scoped.latency_p95_ms
    from requests_scoped
    left join latencies_scoped
        on
            requests_scoped.week_start = latencies_scoped.week_start
            and requests_scoped.scope_id = latencies_scoped.scope_id
            and requests_scoped.use_case_id = latencies_scoped.use_case_id
            and requests_scoped.model = latencies_scoped.model

),

banded as (

    select
        measured.*,
        {{ rag('measured.latency_p95_ms', 'latency_p95_ms') }} as latency_p95_status,
        {{ rag('measured.error_rate_pct', 'error_rate_pct') }} as error_rate_status
    from measured
    cross join thresholds

),

final as (

    select
        -- ids
        cast(banded.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(banded.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(banded.model as {{ dbt.type_string() }}) as model,
        cast(
            coalesce(use_cases.use_case_name, banded.use_case_id) as {{ dbt.type_string() }}
        ) as use_case_name,
        cast(banded.latency_p95_status as {{ dbt.type_string() }}) as latency_p95_status,
        cast(banded.error_rate_status as {{ dbt.type_string() }}) as error_rate_status,
        cast(
            case
                when banded.latency_p95_status = 'red' or banded.error_rate_status = 'red'
                    then 'red'
                when banded.latency_p95_status = 'amber' or banded.error_rate_status = 'amber'
                    then 'amber'
                when banded.latency_p95_status = 'green' or banded.error_rate_status = 'green'
                    then 'green'
            end as {{ dbt.type_string() }}
        ) as status,
        -- numerics
        cast(banded.requests as {{ dbt.type_bigint() }}) as requests,
        cast(banded.errored_requests as {{ dbt.type_bigint() }}) as errored_requests,
        cast(banded.error_rate_pct as {{ type_double() }}) as error_rate_pct,
        cast(banded.timed_requests as {{ dbt.type_bigint() }}) as timed_requests,
        cast(banded.latency_p50_ms as {{ type_double() }}) as latency_p50_ms,
        cast(banded.latency_p95_ms as {{ type_double() }}) as latency_p95_ms,
        -- dates
        cast(banded.week_start as date) as week_start
    from banded
    left join use_cases
        on banded.use_case_id = use_cases.use_case_id

)

select * from final
