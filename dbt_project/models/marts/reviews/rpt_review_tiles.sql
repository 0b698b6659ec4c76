{#
    One row per review period × reading scope × tile metric: what a review's
    headline tiles show for any reader's scope, the change against the
    previous period, and whether the weekly review flags it.
    - value: the period's figure (int_review_measures_scoped), through its
      as_of_date; previous_value: the previous period's, like for like for
      the period to date (its first as many days, CONTRACTS.md §5.4), the
      whole previous period otherwise. States (KPI statuses, stages,
      recommendations) are as known at each period's end, and so is the
      previous one; latency percentiles are platform-wide (organisation
      scope, weekly grain) and compare whole weeks.
    - change: value − previous_value (points for a percentage); change_pct:
      the relative change in % of |previous_value|.
    - status / previous_status: the RAG band (thresholds) of a banded metric.
    - is_flagged: the metric changed RAG band, or moved by more than
      `week_over_week_change_pct` (thresholds) relative to the previous
      period.
    - Minimum group size (CONTRACTS.md §5.5): active users and penetration
      are suppressed (null, is_suppressed) when the scope's active people
      number 1 to min_group_size − 1; policy adherence and shadow AI share,
      which describe what the scope's people did, when its requesting people
      do; and so is a complement of a suppressed figure
      (int_review_groups_suppressed says which).
#}
{%- set metrics = [
    {'metric': 'active_users', 'label': 'Active users', 'unit': 'people', 'kind': 'observed',
     'guard': 'people'},
    {'metric': 'eligible_headcount', 'label': 'Eligible headcount', 'unit': 'people',
     'kind': 'configured'},
    {'metric': 'penetration_pct', 'label': 'Penetration', 'unit': 'pct', 'kind': 'observed',
     'guard': 'people', 'banded': true},
    {'metric': 'requests', 'label': 'Requests', 'unit': 'count', 'kind': 'observed'},
    {'metric': 'error_rate_pct', 'label': 'Error rate', 'unit': 'pct', 'kind': 'observed',
     'banded': true},
    {'metric': 'latency_p50_ms', 'label': 'Latency p50', 'unit': 'ms', 'kind': 'observed'},
    {'metric': 'latency_p95_ms', 'label': 'Latency p95', 'unit': 'ms', 'kind': 'observed',
     'banded': true},
    {'metric': 'cost_usd', 'label': 'Cost (reported + estimate)', 'unit': 'usd',
     'kind': 'observed_and_estimate'},
    {'metric': 'reported_cost_usd', 'label': 'Reported cost', 'unit': 'usd', 'kind': 'observed'},
    {'metric': 'priced_cost_usd', 'label': 'Estimated cost', 'unit': 'usd', 'kind': 'estimate'},
    {'metric': 'cost_per_request_usd', 'label': 'Cost per request', 'unit': 'usd',
     'kind': 'observed_and_estimate'},
    {'metric': 'input_tokens', 'label': 'Input tokens', 'unit': 'count', 'kind': 'observed'},
    {'metric': 'output_tokens', 'label': 'Output tokens', 'unit': 'count', 'kind': 'observed'},
    {'metric': 'policy_adherence_pct', 'label': 'Policy adherence', 'unit': 'pct',
     'kind': 'observed', 'guard': 'trust', 'banded': true},
    {'metric': 'shadow_ai_pct', 'label': 'Shadow AI share', 'unit': 'pct', 'kind': 'observed',
     'guard': 'trust', 'banded': true},
    {'metric': 'blocked_requests', 'label': 'Blocked requests', 'unit': 'count',
     'kind': 'observed'},
    {'metric': 'redacted_requests', 'label': 'Redacted requests', 'unit': 'count',
     'kind': 'observed'},
    {'metric': 'classification_violations', 'label': 'Classification violations',
     'unit': 'count', 'kind': 'observed'},
    {'metric': 'runs_started', 'label': 'Workflow runs started', 'unit': 'count',
     'kind': 'observed'},
    {'metric': 'completion_rate_pct', 'label': 'Completion rate', 'unit': 'pct',
     'kind': 'observed', 'banded': true},
    {'metric': 'override_rate_pct', 'label': 'Override rate', 'unit': 'pct', 'kind': 'observed',
     'banded': true},
    {'metric': 'quality_acceptance_pct', 'label': 'Quality acceptance', 'unit': 'pct',
     'kind': 'observed', 'banded': true},
    {'metric': 'exception_rate_pct', 'label': 'Exception rate', 'unit': 'pct',
     'kind': 'observed', 'banded': true},
    {'metric': 'kpis_known', 'label': 'KPIs defined', 'unit': 'count', 'kind': 'status'},
    {'metric': 'kpis_green', 'label': 'KPIs on track', 'unit': 'count', 'kind': 'status'},
    {'metric': 'kpis_amber', 'label': 'KPIs to watch', 'unit': 'count', 'kind': 'status'},
    {'metric': 'kpis_red', 'label': 'KPIs off track', 'unit': 'count', 'kind': 'status'},
    {'metric': 'kpis_stale', 'label': 'KPIs stale', 'unit': 'count', 'kind': 'status'},
    {'metric': 'kpis_pre_launch', 'label': 'KPIs pre-launch', 'unit': 'count', 'kind': 'status'},
    {'metric': 'use_cases_in_production', 'label': 'Use cases in production or scaled',
     'unit': 'count', 'kind': 'status'},
    {'metric': 'use_cases_ready', 'label': 'Use cases ready', 'unit': 'count', 'kind': 'status'},
    {'metric': 'use_cases_to_scale', 'label': 'Use cases to scale', 'unit': 'count',
     'kind': 'status'},
    {'metric': 'use_cases_to_hold', 'label': 'Use cases to hold', 'unit': 'count',
     'kind': 'status'},
    {'metric': 'use_cases_to_redesign', 'label': 'Use cases to redesign', 'unit': 'count',
     'kind': 'status'},
] %}

with

measures as (

    select * from {{ ref('int_review_measures_scoped') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

latencies as (

    select * from {{ ref('int_request_latencies_aggregated_to_weeks') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

suppression as (

    select * from {{ ref('int_review_groups_suppressed') }}

),

closes as (

    select * from {{ ref('int_period_closes_listed') }}

),

figures_recorded as (

    select
        period_closes.*,
        row_number() over (
            partition by
                period_closes.period_grain,
                period_closes.period_start,
                period_closes.scope_id,
                period_closes.metric
            order by period_closes.closed_at, period_closes.close_id
        ) as close_rank
    from {{ ref('stg_ledger__period_closes') }} as period_closes
    where not period_closes.is_marker and not period_closes.is_request

),

closed_figures as (

    {#- the figures recorded at a period's close: the earliest close's, when a
        later build recorded a row again #}
    select figures_recorded.* from figures_recorded
    where figures_recorded.close_rank = 1

),

restatements as (

    select * from {{ ref('int_period_restatements_explained') }}

),

figures as (

    {#- each window's figures, with its suppression flags #}
    select
        measures.period_grain,
        measures.period_start,
        measures.window_kind,
        measures.window_start,
        measures.window_end,
        measures.scope_id,
        people_suppression.is_hidden as is_people_hidden,
        trust_suppression.is_hidden as is_trust_hidden,
        measures.active_users,
        measures.eligible_headcount,
        {{ pct('measures.active_users', 'measures.eligible_headcount') }} as penetration_pct,
        measures.requests,
        {{ pct('measures.errored_requests', 'measures.requests') }} as error_rate_pct,
        case
            when measures.scope_id = 'organisation' and measures.period_grain = 'week'
                then latencies.latency_p50_ms
        end as latency_p50_ms,
        case
            when measures.scope_id = 'organisation' and measures.period_grain = 'week'
                then latencies.latency_p95_ms
        end as latency_p95_ms,
        measures.cost_usd,
        measures.reported_cost_usd,
        measures.priced_cost_usd,
        measures.cost_usd / nullif(measures.requests, 0) as cost_per_request_usd,
        measures.input_tokens,
        measures.output_tokens,
        100.0 - {{ pct('measures.policy_violations', 'measures.requests') }}
            as policy_adherence_pct,
        {{ pct('measures.shadow_ai_requests', 'measures.requests') }} as shadow_ai_pct,
        measures.blocked_requests,
        measures.redacted_requests,
        measures.classification_violations,
        measures.runs_started,
        {{ pct('measures.runs_completed', 'measures.runs_started') }} as completion_rate_pct,
        {{ pct('measures.overridden_reviews', 'measures.reviews') }} as override_rate_pct,
        {{ pct('measures.accepted_reviews', 'measures.reviews') }} as quality_acceptance_pct,
        {{ pct('measures.runs_with_exception', 'measures.runs_started') }}
            as exception_rate_pct,
        measures.kpis_known,
        measures.kpis_green,
        measures.kpis_amber,
        measures.kpis_red,
        measures.kpis_stale,
        measures.kpis_pre_launch,
        measures.use_cases_in_production,
        measures.use_cases_ready,
        measures.use_cases_to_scale,
        measures.use_cases_to_hold,
        measures.use_cases_to_redesign
    from measures
    inner join suppression as people_suppression
        on
            measures.period_grain = people_suppression.period_grain
            and measures.period_start = people_suppression.period_start
            and measures.window_kind = people_suppression.window_kind
            and measures.scope_id = people_suppression.scope_id
            and people_suppression.guard = 'people'
    inner join suppression as trust_suppression
        on
            measures.period_grain = trust_suppression.period_grain
            and measures.period_start = trust_suppression.period_start
            and measures.window_kind = trust_suppression.window_kind
            and measures.scope_id = trust_suppression.scope_id
            and trust_suppression.guard = 'trust'
    left join latencies
        on
            measures.period_start = latencies.week_start
            and latencies.scope = 'platform'
            and measures.window_kind = 'period'

),

periods_chained as (

    select
        periods.*,
        lag(periods.period_start) over (
            partition by periods.period_grain order by periods.period_start
        ) as previous_period_start
    from periods

),

compared as (

    {#- the period's figures beside the previous period's: like for like
        (previous_to_date) for flows in the period to date; states, and every
        figure of a closed period, against the whole previous period #}
    select
        periods_chained.period_grain,
        periods_chained.period_start,
        periods_chained.period_end,
        periods_chained.as_of_date,
        periods_chained.period_label,
        periods_chained.is_period_to_date,
        periods_chained.previous_period_start,
        coalesce(like_for_like.window_start, previous_period.window_start)
            as previous_window_start,
        coalesce(like_for_like.window_end, previous_period.window_end) as previous_window_end,
        current_period.scope_id,
        current_period.is_people_hidden,
        current_period.is_trust_hidden,
        coalesce(like_for_like.is_people_hidden, previous_period.is_people_hidden)
            as is_previous_people_hidden,
        coalesce(like_for_like.is_trust_hidden, previous_period.is_trust_hidden)
            as is_previous_trust_hidden,
        {#- SQLFluff cannot indent the select targets a loop writes #}
        -- noqa: disable=LT02
        {%- for metric in metrics %}
        current_period.{{ metric.metric }},
        {%- if metric.kind == 'status' or metric.metric.startswith('latency') %}
        previous_period.{{ metric.metric }} as previous_{{ metric.metric }}
        {%- else %}
        case
            when periods_chained.is_period_to_date then like_for_like.{{ metric.metric }}
            else previous_period.{{ metric.metric }}
        end as previous_{{ metric.metric }}
        {%- endif %}{{ "," if not loop.last }}
        {%- endfor %}
    -- noqa: enable=LT02
    from periods_chained
    inner join figures as current_period
        on
            periods_chained.period_grain = current_period.period_grain
            and periods_chained.period_start = current_period.period_start
            and current_period.window_kind = 'period'
    left join figures as previous_period
        on
            periods_chained.period_grain = previous_period.period_grain
            and periods_chained.previous_period_start = previous_period.period_start
            and current_period.scope_id = previous_period.scope_id
            and previous_period.window_kind = 'period'
    left join figures as like_for_like
        on
            periods_chained.period_grain = like_for_like.period_grain
            and periods_chained.period_start = like_for_like.period_start
            and current_period.scope_id = like_for_like.scope_id
            and like_for_like.window_kind = 'previous_to_date'

),

metric_list as (

    {#- the tile metrics, in order, with the guard that suppresses each #}
    {%- for metric in metrics %}
    select
        '{{ metric.metric }}' as metric,
        '{{ metric.label }}' as metric_label,
        '{{ metric.unit }}' as unit,
        '{{ metric.kind }}' as value_kind,
        {{ loop.index }} as metric_order,
        '{{ metric.guard or "none" }}' as guard
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

unpivoted as (

    {#- one row per metric: a cross join and a case per value, so `compared` is
        read once (a union of one select per metric made Spark plan it 36 times) #}
    select
        compared.*,
        metric_list.metric,
        metric_list.metric_label,
        metric_list.unit,
        metric_list.value_kind,
        metric_list.metric_order,
        coalesce(
            case metric_list.guard
                when 'people' then compared.is_people_hidden
                when 'trust' then compared.is_trust_hidden
                else false
            end,
            false
        ) as is_suppressed,
        coalesce(
            case metric_list.guard
                when 'people' then compared.is_previous_people_hidden
                when 'trust' then compared.is_previous_trust_hidden
                else false
            end,
            false
        ) as is_previous_suppressed,
        case metric_list.metric
            {%- for metric in metrics %}
            when '{{ metric.metric }}'
                then cast(compared.{{ metric.metric }} as {{ type_double() }})
            {%- endfor %}
        end as raw_value,
        case metric_list.metric
            {%- for metric in metrics %}
            when '{{ metric.metric }}'
                then cast(compared.previous_{{ metric.metric }} as {{ type_double() }})
            {%- endfor %}
        end as raw_previous_value,
        case metric_list.metric
            {%- for metric in metrics if metric.banded %}
            when '{{ metric.metric }}' then {{ rag('compared.' ~ metric.metric, metric.metric) }}
            {%- endfor %}
        end as raw_status,
        case metric_list.metric
            {%- for metric in metrics if metric.banded %}
            when '{{ metric.metric }}'
                then {{ rag('compared.previous_' ~ metric.metric, metric.metric) }}
            {%- endfor %}
        end as raw_previous_status
    from compared
    cross join metric_list
    cross join thresholds

),

shown as (

    select
        unpivoted.*,
        case when not unpivoted.is_suppressed then unpivoted.raw_value end as metric_value,
        case when not unpivoted.is_previous_suppressed then unpivoted.raw_previous_value end
            as previous_metric_value
    from unpivoted

),

computed as (

    select
        -- ids
        cast(shown.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(shown.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(shown.period_label as {{ dbt.type_string() }}) as period_label,
        cast(shown.metric as {{ dbt.type_string() }}) as metric,
        cast(shown.metric_label as {{ dbt.type_string() }}) as metric_label,
        cast(shown.unit as {{ dbt.type_string() }}) as unit,
        cast(shown.value_kind as {{ dbt.type_string() }}) as value_kind,
        cast(
            case when not shown.is_suppressed then shown.raw_status end
            as {{ dbt.type_string() }}
        ) as status,
        cast(
            case when not shown.is_previous_suppressed then shown.raw_previous_status end
            as {{ dbt.type_string() }}
        ) as previous_status,
        cast(
            case
                when shown.is_period_to_date then 'to date, like for like'
                else 'whole periods'
            end
            as {{ dbt.type_string() }}
        ) as comparison,
        -- numerics
        cast(shown.metric_order as {{ dbt.type_int() }}) as metric_order,
        cast(shown.metric_value as {{ type_double() }}) as metric_value,
        cast(shown.previous_metric_value as {{ type_double() }}) as previous_metric_value,
        cast(shown.metric_value - shown.previous_metric_value as {{ type_double() }})
            as metric_change,
        cast(
            (shown.metric_value - shown.previous_metric_value) * 100.0
            / nullif(abs(shown.previous_metric_value), 0)
            as {{ type_double() }}
        ) as metric_change_pct,
        -- booleans
        cast(shown.is_period_to_date as boolean) as is_period_to_date,
        cast(shown.is_suppressed as boolean) as is_suppressed,
        cast(shown.is_previous_suppressed as boolean) as is_previous_suppressed,
        cast(
            coalesce(
                not shown.is_suppressed and not shown.is_previous_suppressed
                and (
                    shown.raw_status <> shown.raw_previous_status
                    or abs(shown.metric_value - shown.previous_metric_value) * 100.0
                    / nullif(abs(shown.previous_metric_value), 0)
                    > thresholds.week_over_week_change_pct_green
                ),
                false
            )
            as boolean
        ) as is_flagged,
        -- dates
        cast(shown.period_start as date) as period_start,
        cast(shown.period_end as date) as period_end,
        cast(shown.as_of_date as date) as as_of_date,
        cast(shown.previous_period_start as date) as previous_period_start,
        cast(shown.previous_window_start as date) as previous_window_start,
        cast(shown.previous_window_end as date) as previous_window_end
    from shown
    cross join thresholds

),

restated as (

    {#- a closed period shows the figures recorded at its close; the value now
        stays beside them, and a difference is a restatement #}
    select
        computed.*,
        closes.closed_at,
        closes.close_kind,
        closed_figures.metric is not null as is_close_recorded,
        closes.period_start is not null as is_closed,
        coalesce(
            closed_figures.metric is not null
            and not (
                (computed.metric_value is null and closed_figures.metric_value is null)
                or abs(computed.metric_value - closed_figures.metric_value)
                <= 1e-9 * case
                    when abs(closed_figures.metric_value) > 1
                        then abs(closed_figures.metric_value)
                    else 1
                end
            ),
            true
        ) as is_restated,
        closed_figures.metric_value as closed_metric_value,
        closed_figures.previous_metric_value as closed_previous_metric_value,
        closed_figures.metric_change as closed_metric_change,
        closed_figures.metric_change_pct as closed_metric_change_pct,
        closed_figures.status as closed_status,
        closed_figures.previous_status as closed_previous_status,
        closed_figures.comparison as closed_comparison,
        closed_figures.is_suppressed as closed_is_suppressed,
        closed_figures.is_previous_suppressed as closed_is_previous_suppressed,
        closed_figures.is_flagged as closed_is_flagged,
        restatements.restatement_reason,
        restatements.has_rows_after_close
    from computed
    left join closes
        on
            computed.period_grain = closes.period_grain
            and computed.period_start = closes.period_start
    left join closed_figures
        on
            computed.period_grain = closed_figures.period_grain
            and computed.period_start = closed_figures.period_start
            and computed.scope_id = closed_figures.scope_id
            and computed.metric = closed_figures.metric
    left join restatements
        on
            computed.period_grain = restatements.period_grain
            and computed.period_start = restatements.period_start

),

final as (

    {%- set recorded = 'restated.is_close_recorded' %}
    select
        -- ids
        restated.scope_id,
        -- strings
        restated.period_grain,
        restated.period_label,
        restated.metric,
        restated.metric_label,
        restated.unit,
        restated.value_kind,
        case when {{ recorded }} then restated.closed_status else restated.status end as status,
        case
            when {{ recorded }} then restated.closed_previous_status
            else restated.previous_status
        end as previous_status,
        case
            when {{ recorded }} then restated.closed_comparison else restated.comparison
        end as comparison,
        cast(restated.close_kind as {{ dbt.type_string() }}) as close_kind,
        cast(
            case
                when restated.is_restated or restated.has_rows_after_close
                    then restated.restatement_reason
            end
            as {{ dbt.type_string() }}
        ) as restatement_reason,
        -- numerics
        restated.metric_order,
        case
            when {{ recorded }} then restated.closed_metric_value else restated.metric_value
        end as metric_value,
        case
            when {{ recorded }} then restated.closed_previous_metric_value
            else restated.previous_metric_value
        end as previous_metric_value,
        case
            when {{ recorded }} then restated.closed_metric_change else restated.metric_change
        end as metric_change,
        case
            when {{ recorded }} then restated.closed_metric_change_pct
            else restated.metric_change_pct
        end as metric_change_pct,
        restated.metric_value as current_metric_value,
        -- booleans
        restated.is_period_to_date,
        case
            when {{ recorded }} then restated.closed_is_suppressed else restated.is_suppressed
        end as is_suppressed,
        case
            when {{ recorded }} then restated.closed_is_previous_suppressed
            else restated.is_previous_suppressed
        end as is_previous_suppressed,
        restated.is_suppressed as is_current_suppressed,
        case when {{ recorded }} then restated.closed_is_flagged else restated.is_flagged end
            as is_flagged,
        restated.is_closed,
        restated.is_close_recorded,
        restated.is_restated,
        -- dates
        restated.period_start,
        restated.period_end,
        restated.as_of_date,
        restated.previous_period_start,
        restated.previous_window_start,
        restated.previous_window_end,
        -- timestamps
        cast(restated.closed_at as {{ dbt.type_timestamp() }}) as closed_at
    from restated

)

select * from final
