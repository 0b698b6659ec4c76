{#
    One row per KPI × period start (CONTRACTS.md §3, §4).
    - actual_value: mean of the period's observations;
    - baseline_value: configured, else the mean of the baseline window;
    - gap_closed_pct = (actual − baseline) ÷ (target − baseline) × 100, which
      works for both directions (for `decrease` both terms are negative);
    - expected_progress_pct: share of the time from the use case's
      production_date to the KPI's target_date elapsed at the period's end
      (the first day after the period), clamped to 0–100; 0 before launch;
    - status: RAG of the shortfall (expected − gap closed, in points) against
      thresholds.csv `kpi_progress_shortfall_pct` (lower is better), except
      that a negative gap closed is never green (amber at best).
#}
with

kpi_periods as (

    select * from {{ ref('int_kpi_periods_aggregated') }}

),

kpis as (

    select * from {{ ref('int_kpis_baselined') }}

),

use_cases as (

    select * from {{ ref('stg_config__use_cases') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

periods_joined as (

    select
        kpi_periods.kpi_id,
        kpis.use_case_id,
        kpis.direction,
        kpi_periods.period_start,
        {{ dbt.dateadd('day', -1, 'kpi_periods.period_end_exclusive') }}
            as period_end_date,
        kpi_periods.period_end_exclusive,
        kpi_periods.observations_count,
        kpis.baseline_value,
        kpis.baseline_source,
        kpi_periods.actual_value,
        kpis.target_value,
        kpis.target_date,
        use_cases.production_date,
        {{ dbt.datediff('use_cases.production_date', 'kpi_periods.period_end_exclusive', 'day') }}
            as days_elapsed,
        {{ dbt.datediff('use_cases.production_date', 'kpis.target_date', 'day') }}
            as days_planned
    from kpi_periods
    inner join kpis
        on kpi_periods.kpi_id = kpis.kpi_id
    left join use_cases
        on kpis.use_case_id = use_cases.use_case_id

),

progress_computed as (

    select
        periods_joined.*,
        100.0
        * (periods_joined.actual_value - periods_joined.baseline_value)
        / nullif(periods_joined.target_value - periods_joined.baseline_value, 0)
            as gap_closed_pct,
        case
            when periods_joined.target_date is null then null
            when periods_joined.production_date is null then 0.0
            when periods_joined.days_planned <= 0
                then
                    case
                        when periods_joined.period_end_exclusive > periods_joined.target_date
                            then 100.0
                        else 0.0
                    end
            when periods_joined.days_elapsed <= 0 then 0.0
            when periods_joined.days_elapsed >= periods_joined.days_planned then 100.0
            {#- days_planned > days_elapsed > 0 here: pct's nullif never applies #}
            else {{ pct('periods_joined.days_elapsed', 'periods_joined.days_planned') }}
        end as expected_progress_pct
    from periods_joined

),

final as (

    select
        -- ids
        cast(progress_computed.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(progress_computed.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(progress_computed.direction as {{ dbt.type_string() }}) as direction,
        cast(progress_computed.baseline_source as {{ dbt.type_string() }})
            as baseline_source,
        cast(
            case
                {#- a KPI moving away from target is never green (CONTRACTS.md §5.4) #}
                when
                    progress_computed.gap_closed_pct < 0
                    and {{ rag(
                        'progress_computed.expected_progress_pct'
                        ~ ' - progress_computed.gap_closed_pct',
                        'kpi_progress_shortfall_pct') }} = 'green'
                    then 'amber'
                else {{ rag(
                    'progress_computed.expected_progress_pct - progress_computed.gap_closed_pct',
                    'kpi_progress_shortfall_pct') }}
            end
            as {{ dbt.type_string() }}
        ) as status,
        -- numerics
        cast(progress_computed.baseline_value as {{ type_double() }}) as baseline_value,
        cast(progress_computed.actual_value as {{ type_double() }}) as actual_value,
        cast(progress_computed.target_value as {{ type_double() }}) as target_value,
        cast(
            progress_computed.actual_value - progress_computed.baseline_value
            as {{ type_double() }}
        ) as change_from_baseline,
        cast(progress_computed.gap_closed_pct as {{ type_double() }}) as gap_closed_pct,
        cast(progress_computed.expected_progress_pct as {{ type_double() }})
            as expected_progress_pct,
        cast(
            progress_computed.expected_progress_pct - progress_computed.gap_closed_pct
            as {{ type_double() }}
        ) as progress_shortfall_pct,
        cast(progress_computed.observations_count as {{ dbt.type_bigint() }})
            as observations_count,
        -- booleans
        progress_computed.gap_closed_pct >= progress_computed.expected_progress_pct
            as is_on_track,
        -- dates
        cast(progress_computed.period_start as date) as period_start,
        cast(progress_computed.period_end_date as date) as period_end_date,
        cast(progress_computed.target_date as date) as target_date
    from progress_computed
    cross join thresholds

)

select * from final
