{#
    One row per review period (month, fiscal quarter) × reading scope × KPI
    known at the period's end of a use case the scope covers then
    (int_use_case_periods_scoped): what the reviews' "value realised per KPI"
    table shows, every value as known at the period's end.
    - baseline, latest actual (its observation period: the latest starting on
      or before the period's as_of_date), target, gap closed, expected
      progress and status (CONTRACTS.md §5.4: pre_launch, stale, else the RAG
      of the shortfall) come from int_kpi_statuses_as_of_periods, the same
      rows fct_use_case_periods counts; change_from_baseline = actual −
      baseline, as fct_kpi_progress; name, unit and target date from the KPI
      configuration in force at the period's end.
    - effect_*: the effect of the launch with its 95% interval and verdict,
      as known at the same period's end (fct_kpi_effects); a figure drawn
      from runs of fewer people than the minimum group size (its
      smallest_group_people) is suppressed: effect, interval and sentence
      null, is_effect_suppressed true, the verdict kept. The forest plot's
      effect_improvement_*_pct: the effect and its interval as a share of
      the before mean (|mean_before|), signed so that positive is better in
      the KPI's direction: one axis for KPIs of every unit.
    - use_case_cost_usd: the use case's usage cost over the period's days
      through its as_of_date (reported, plus catalogue-priced at the price of
      each request's day; rpt_use_case_scorecard, the use case's whole cost,
      whoever made the requests); effect_cost_per_unit_usd = that cost ÷
      |effect|, USD per unit of the KPI's improvement, only where the verdict
      is `improved` (and the effect shown) and the use case had a cost: what
      a unit of the measured effect cost in the period. Seat cost is not in it (seats belong to
      people, not use cases).
    - kpi_order: the row's place in the table, by portfolio, use case and KPI
      name.
    Trends: rpt_kpi_trends.
#}
with

use_cases as (

    select * from {{ ref('int_use_case_periods_scoped') }}

),

kpi_statuses as (

    select * from {{ ref('int_kpi_statuses_as_of_periods') }}

),

kpi_progress as (

    select * from {{ ref('fct_kpi_progress') }}

),

kpi_effects as (

    select * from {{ ref('fct_kpi_effects') }}

),

kpi_versions as (

    {{ config_versions('kpis') }}

),

use_case_scorecard as (

    select * from {{ ref('rpt_use_case_scorecard') }}

),

kpis_scoped as (

    select
        use_cases.scope_id,
        use_cases.use_case_id,
        use_cases.use_case_name,
        use_cases.portfolio_name,
        use_cases.period_label,
        use_cases.is_period_to_date,
        kpi_statuses.kpi_id,
        coalesce(kpi_versions.name, kpi_statuses.kpi_id) as kpi_name,
        kpi_versions.unit,
        kpi_statuses.direction,
        kpi_statuses.kpi_status,
        kpi_statuses.baseline_value,
        kpi_statuses.actual_value,
        kpi_statuses.target_value,
        kpi_statuses.actual_value - kpi_statuses.baseline_value as change_from_baseline,
        kpi_statuses.gap_closed_pct,
        kpi_statuses.expected_progress_pct,
        kpi_effects.design as effect_design,
        kpi_effects.comparison as effect_comparison,
        kpi_effects.verdict as effect_verdict,
        kpi_effects.verdict_text as effect_verdict_text,
        kpi_effects.effect,
        kpi_effects.ci_low as effect_ci_low,
        kpi_effects.ci_high as effect_ci_high,
        kpi_effects.mean_before as effect_mean_before,
        kpi_effects.is_interim as is_effect_interim,
        use_case_scorecard.period_cost_usd as use_case_cost_usd,
        coalesce({{ is_small_group('kpi_effects.smallest_group_people') }}, false)
            as is_effect_suppressed,
        kpi_statuses.period_grain,
        kpi_statuses.period_start,
        kpi_statuses.period_end,
        kpi_statuses.as_of_date,
        kpi_statuses.observation_period_start,
        kpi_progress.period_end_date as observation_period_end_date,
        kpi_versions.target_date
    from kpi_statuses
    inner join use_cases
        on
            kpi_statuses.period_grain = use_cases.period_grain
            and kpi_statuses.period_start = use_cases.period_start
            and kpi_statuses.use_case_id = use_cases.use_case_id
    left join kpi_versions
        on
            kpi_statuses.kpi_id = kpi_versions.kpi_id
            and {{ config_in_force('kpi_versions', 'kpi_statuses.as_of_date') }}
    left join kpi_progress
        on
            kpi_statuses.kpi_id = kpi_progress.kpi_id
            and kpi_statuses.observation_period_start = kpi_progress.period_start
    left join kpi_effects
        on
            kpi_statuses.kpi_id = kpi_effects.kpi_id
            and kpi_statuses.period_grain = kpi_effects.period_grain
            and kpi_statuses.period_start = kpi_effects.period_start
    left join use_case_scorecard
        on
            use_case_scorecard.scope_id = 'organisation'
            and kpi_statuses.period_grain = use_case_scorecard.period_grain
            and kpi_statuses.period_start = use_case_scorecard.period_start
            and kpi_statuses.use_case_id = use_case_scorecard.use_case_id
    where kpi_statuses.period_grain in ('month', 'quarter')

),

computed as (

    select
        -- ids
        cast(kpis_scoped.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(kpis_scoped.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(kpis_scoped.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(kpis_scoped.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(kpis_scoped.period_label as {{ dbt.type_string() }}) as period_label,
        cast(kpis_scoped.use_case_name as {{ dbt.type_string() }}) as use_case_name,
        cast(kpis_scoped.portfolio_name as {{ dbt.type_string() }}) as portfolio_name,
        cast(kpis_scoped.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(kpis_scoped.unit as {{ dbt.type_string() }}) as unit,
        cast(kpis_scoped.direction as {{ dbt.type_string() }}) as direction,
        cast(kpis_scoped.kpi_status as {{ dbt.type_string() }}) as status,
        cast(kpis_scoped.effect_design as {{ dbt.type_string() }}) as effect_design,
        cast(kpis_scoped.effect_comparison as {{ dbt.type_string() }}) as effect_comparison,
        cast(kpis_scoped.effect_verdict as {{ dbt.type_string() }}) as effect_verdict,
        cast(
            case
                when kpis_scoped.is_effect_suppressed
                    then {{ dbt.concat([
                        "kpis_scoped.kpi_name",
                        "': effect hidden, fewer than " ~ min_group_size()
                        ~ " people behind a group of runs'",
                    ]) }}
                else kpis_scoped.effect_verdict_text
            end
            as {{ dbt.type_string() }}
        ) as effect_verdict_text,
        -- numerics
        cast(
            row_number()
                over (
                    partition by
                        kpis_scoped.period_grain, kpis_scoped.period_start, kpis_scoped.scope_id
                    order by
                        kpis_scoped.portfolio_name,
                        kpis_scoped.use_case_name,
                        kpis_scoped.kpi_name,
                        kpis_scoped.kpi_id
                )
            as {{ dbt.type_int() }}
        ) as kpi_order,
        cast(kpis_scoped.baseline_value as {{ type_double() }}) as baseline_value,
        cast(kpis_scoped.actual_value as {{ type_double() }}) as actual_value,
        cast(kpis_scoped.target_value as {{ type_double() }}) as target_value,
        cast(kpis_scoped.change_from_baseline as {{ type_double() }}) as change_from_baseline,
        cast(kpis_scoped.gap_closed_pct as {{ type_double() }}) as gap_closed_pct,
        cast(kpis_scoped.expected_progress_pct as {{ type_double() }}) as expected_progress_pct,
        {%- for column in ['effect', 'effect_ci_low', 'effect_ci_high'] %}
        cast(
            case when not kpis_scoped.is_effect_suppressed then kpis_scoped.{{ column }} end
            as {{ type_double() }}
        ) as {{ column }},
        {%- endfor %}
        {%- set before_level = 'abs(kpis_scoped.effect_mean_before)' %}
        {%- for column, mirrored in [
            ('effect', 'effect'),
            ('effect_ci_low', 'effect_ci_high'),
            ('effect_ci_high', 'effect_ci_low'),
        ] %}
        cast(
            case
                when kpis_scoped.is_effect_suppressed then null
                when kpis_scoped.direction = 'decrease'
                    then -{{ pct('kpis_scoped.' ~ mirrored, before_level) }}
                else {{ pct('kpis_scoped.' ~ column, before_level) }}
            end
            as {{ type_double() }}
        ) as {{ column | replace('effect', 'effect_improvement') }}_pct,
        {%- endfor %}
        cast(kpis_scoped.use_case_cost_usd as {{ type_double() }}) as use_case_cost_usd,
        cast(
            case
                when
                    not kpis_scoped.is_effect_suppressed
                    and kpis_scoped.effect_verdict = 'improved'
                    and kpis_scoped.use_case_cost_usd > 0
                    then kpis_scoped.use_case_cost_usd / nullif(abs(kpis_scoped.effect), 0)
            end
            as {{ type_double() }}
        ) as effect_cost_per_unit_usd,
        -- booleans
        cast(kpis_scoped.is_period_to_date as boolean) as is_period_to_date,
        cast(kpis_scoped.is_effect_interim as boolean) as is_effect_interim,
        cast(kpis_scoped.is_effect_suppressed as boolean) as is_effect_suppressed,
        -- dates
        cast(kpis_scoped.period_start as date) as period_start,
        cast(kpis_scoped.period_end as date) as period_end,
        cast(kpis_scoped.as_of_date as date) as as_of_date,
        cast(kpis_scoped.observation_period_start as date) as observation_period_start,
        cast(kpis_scoped.observation_period_end_date as date) as observation_period_end_date,
        cast(kpis_scoped.target_date as date) as target_date
    from kpis_scoped

),

{#- a closed period keeps the rows recorded at its close #}
{{ closed_review_rows('computed', ['kpi_id']) }}

select * from final
