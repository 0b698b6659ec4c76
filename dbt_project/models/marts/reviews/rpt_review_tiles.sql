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
      do. A complement is suppressed too: where exactly one scope under a
      parent (the pairs of a portfolio, then of a business unit, alternately
      for six rounds, then the portfolios and the business units of the
      organisation) is suppressed, so is the smallest other one — or, when
      it has no other non-empty one, the parent.
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

scopes as (

    select * from {{ ref('dim_scopes') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

family_members as (

    {#- the parents a complement is taken under, in the order they are checked:
        each family's members, and its parent scope (whose id is the family's) #}
    select
        {{ dbt.concat(["'portfolio:'", 'scope_cells.portfolio_id']) }} as family_id,
        1 as family_pass,
        scope_cells.scope_id,
        false as is_parent
    from scope_cells
    inner join scopes on scope_cells.scope_id = scopes.scope_id
    where scopes.scope_kind = 'portfolio_business_unit'
    union all
    select
        {{ dbt.concat(["'business_unit:'", 'scope_cells.business_unit_id']) }} as family_id,
        2 as family_pass,
        scope_cells.scope_id,
        false as is_parent
    from scope_cells
    inner join scopes on scope_cells.scope_id = scopes.scope_id
    where scopes.scope_kind = 'portfolio_business_unit'
    union all
    select
        scopes.scope_id as family_id,
        case when scopes.scope_kind = 'portfolio' then 1 else 2 end as family_pass,
        scopes.scope_id,
        true as is_parent
    from scopes
    where scopes.scope_kind in ('portfolio', 'business_unit')
    union all
    select
        {{ dbt.concat(["'organisation:'", 'scopes.scope_kind']) }} as family_id,
        3 as family_pass,
        scopes.scope_id,
        false as is_parent
    from scopes
    where scopes.scope_kind in ('portfolio', 'business_unit')

),

{%- for guard, people in [('people', 'active_users'), ('trust', 'requesting_users')] %}

{{ guard }}_hidden_0 as (

    select
        measures.period_grain,
        measures.period_start,
        measures.window_kind,
        measures.scope_id,
        measures.{{ people }} as people,
        {{ is_small_group('measures.' ~ people) }} as is_hidden
    from measures

),
{#- the pairs of each portfolio, then of each business unit, alternately until a pass
    adds nothing in practice (six rounds, ending on the portfolios), then the
    organisation's portfolios and units #}
{%- set family_passes = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 3] %}
{%- for family_pass in family_passes %}
{%- set pass = loop.index %}

{{ guard }}_ranked_{{ pass }} as (

    {#- every row once (a scope is in at most one family per pass; the parent is
        in its own family, is_parent), with its family's counts over the members
        with people, and its rank among them: hidden first, then the smallest.
        One reference to the previous pass keeps Spark's plan linear. #}
    select
        hidden.period_grain,
        hidden.period_start,
        hidden.window_kind,
        hidden.scope_id,
        hidden.people,
        hidden.is_hidden,
        family_members.family_id,
        coalesce(family_members.is_parent, false) as is_parent,
        family_members.family_id is not null
        and not family_members.is_parent
        and hidden.people > 0 as is_member,
        sum(
            case
                when not family_members.is_parent and hidden.people > 0 and hidden.is_hidden
                    then 1
                else 0
            end
        ) over (
            partition by
                hidden.period_grain, hidden.period_start, hidden.window_kind,
                family_members.family_id
        ) as hidden_members,
        sum(
            case
                when not family_members.is_parent and hidden.people > 0 and not hidden.is_hidden
                    then 1
                else 0
            end
        ) over (
            partition by
                hidden.period_grain, hidden.period_start, hidden.window_kind,
                family_members.family_id
        ) as shown_members,
        row_number() over (
            partition by
                hidden.period_grain, hidden.period_start, hidden.window_kind,
                family_members.family_id
            order by
                case
                    when not family_members.is_parent and hidden.people > 0 then 0 else 1
                end,
                case when hidden.is_hidden then 0 else 1 end,
                hidden.people,
                hidden.scope_id
        ) as hiding_rank
    from {{ guard }}_hidden_{{ pass - 1 }} as hidden
    left join family_members
        on
            hidden.scope_id = family_members.scope_id
            and family_members.family_pass = {{ family_pass }}

),

{{ guard }}_hidden_{{ pass }} as (

    {#- a family with exactly one hidden member hides its smallest shown member too
        (the complement); with no member shown, the parent equals the hidden one
        and is hidden instead (not for the organisation's families) #}
    select
        ranked.period_grain,
        ranked.period_start,
        ranked.window_kind,
        ranked.scope_id,
        ranked.people,
        ranked.is_hidden
        or coalesce(
            ranked.is_member and ranked.hidden_members = 1 and ranked.hiding_rank = 2,
            false
        )
        {%- if family_pass != 3 %}
        or coalesce(
            ranked.is_parent and ranked.hidden_members = 1 and ranked.shown_members = 0,
            false
        )
        {%- endif %} as is_hidden
    from {{ guard }}_ranked_{{ pass }} as ranked

),
{%- endfor %}

{{ guard }}_hidden_final as (

    select * from {{ guard }}_hidden_{{ family_passes | length }}

),
{%- endfor %}

figures as (

    {#- each window's figures, with its suppression flags #}
    select
        measures.period_grain,
        measures.period_start,
        measures.window_kind,
        measures.window_start,
        measures.window_end,
        measures.scope_id,
        people_hidden_final.is_hidden as is_people_hidden,
        trust_hidden_final.is_hidden as is_trust_hidden,
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
    inner join people_hidden_final
        on
            measures.period_grain = people_hidden_final.period_grain
            and measures.period_start = people_hidden_final.period_start
            and measures.window_kind = people_hidden_final.window_kind
            and measures.scope_id = people_hidden_final.scope_id
    inner join trust_hidden_final
        on
            measures.period_grain = trust_hidden_final.period_grain
            and measures.period_start = trust_hidden_final.period_start
            and measures.window_kind = trust_hidden_final.window_kind
            and measures.scope_id = trust_hidden_final.scope_id
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

unpivoted as (

    {%- for metric in metrics %}
    {%- set hidden = 'compared.is_' ~ metric.guard ~ '_hidden' if metric.guard else 'false' %}
    {%- set previous_hidden =
        'compared.is_previous_' ~ metric.guard ~ '_hidden' if metric.guard else 'false' %}
    select
        compared.*,
        '{{ metric.metric }}' as metric,
        '{{ metric.label }}' as metric_label,
        '{{ metric.unit }}' as unit,
        '{{ metric.kind }}' as value_kind,
        {{ loop.index }} as metric_order,
        coalesce({{ hidden }}, false) as is_suppressed,
        coalesce({{ previous_hidden }}, false) as is_previous_suppressed,
        case when not coalesce({{ hidden }}, false) then compared.{{ metric.metric }} end
            as metric_value,
        case
            when not coalesce({{ previous_hidden }}, false)
                then compared.previous_{{ metric.metric }}
        end as previous_metric_value,
        {%- if metric.banded %}
        {{ rag('compared.' ~ metric.metric, metric.metric) }} as raw_status,
        {{ rag('compared.previous_' ~ metric.metric, metric.metric) }} as raw_previous_status
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as raw_status,
        cast(null as {{ dbt.type_string() }}) as raw_previous_status
        {%- endif %}
    from compared
    cross join thresholds
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

final as (

    select
        -- ids
        cast(unpivoted.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(unpivoted.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(unpivoted.period_label as {{ dbt.type_string() }}) as period_label,
        cast(unpivoted.metric as {{ dbt.type_string() }}) as metric,
        cast(unpivoted.metric_label as {{ dbt.type_string() }}) as metric_label,
        cast(unpivoted.unit as {{ dbt.type_string() }}) as unit,
        cast(unpivoted.value_kind as {{ dbt.type_string() }}) as value_kind,
        cast(
            case when not unpivoted.is_suppressed then unpivoted.raw_status end
            as {{ dbt.type_string() }}
        ) as status,
        cast(
            case when not unpivoted.is_previous_suppressed then unpivoted.raw_previous_status end
            as {{ dbt.type_string() }}
        ) as previous_status,
        cast(
            case
                when unpivoted.is_period_to_date then 'to date, like for like'
                else 'whole periods'
            end
            as {{ dbt.type_string() }}
        ) as comparison,
        -- numerics
        cast(unpivoted.metric_order as {{ dbt.type_int() }}) as metric_order,
        cast(unpivoted.metric_value as {{ type_double() }}) as metric_value,
        cast(unpivoted.previous_metric_value as {{ type_double() }}) as previous_metric_value,
        cast(unpivoted.metric_value - unpivoted.previous_metric_value as {{ type_double() }})
            as metric_change,
        cast(
            (unpivoted.metric_value - unpivoted.previous_metric_value) * 100.0
            / nullif(abs(unpivoted.previous_metric_value), 0)
            as {{ type_double() }}
        ) as metric_change_pct,
        -- booleans
        cast(unpivoted.is_period_to_date as boolean) as is_period_to_date,
        cast(unpivoted.is_suppressed as boolean) as is_suppressed,
        cast(unpivoted.is_previous_suppressed as boolean) as is_previous_suppressed,
        cast(
            coalesce(
                not unpivoted.is_suppressed and not unpivoted.is_previous_suppressed
                and (
                    unpivoted.raw_status <> unpivoted.raw_previous_status
                    or abs(unpivoted.metric_value - unpivoted.previous_metric_value) * 100.0
                    / nullif(abs(unpivoted.previous_metric_value), 0)
                    > thresholds.week_over_week_change_pct_green
                ),
                false
            )
            as boolean
        ) as is_flagged,
        -- dates
        cast(unpivoted.period_start as date) as period_start,
        cast(unpivoted.period_end as date) as period_end,
        cast(unpivoted.as_of_date as date) as as_of_date,
        cast(unpivoted.previous_period_start as date) as previous_period_start,
        cast(unpivoted.previous_window_start as date) as previous_window_start,
        cast(unpivoted.previous_window_end as date) as previous_window_end
    from unpivoted
    cross join thresholds

)

select * from final
