{{ config(materialized='table') }}  {# read by the use-case periods and their recommendation #}
{#
    One row per review period × KPI known at the period's end (CONTRACTS.md
    §5.4; "period_end" below is the period's `as_of_date`: its end, or the
    build date for the period to date): the KPI's row in the configuration
    version in force at period_end (a KPI whose `defined_on` is after it does
    not exist yet), of a use case known then, and its status as of
    period_end, the first rule that applies:
    1. `pre_launch`: the use case has no production_date, or it is after
       period_end;
    2. `stale`: no observation starts on or before period_end, or the latest
       one starts more than `kpi_stale_periods` (thresholds) whole periods of
       its grain before the start of the period of that grain containing
       period_end;
    3. the RAG of the shortfall (expected_progress_pct − gap_closed_pct)
       against `kpi_progress_shortfall_pct`, on the latest observation period
       on or before period_end, except that a negative gap_closed_pct is never
       green (amber at best). Progress that cannot be computed (no baseline,
       no target, or a target equal to the baseline) is red: nothing shows the
       KPI on track.
    Baseline and target are as configured at period_end; an unconfigured
    baseline is the mean of the observations starting in the baseline window,
    on or before period_end. Expected progress is as in fct_kpi_progress
    (elapsed share of production_date → target_date at the observation
    period's end, clamped to 0–100).
#}
with

use_cases as (

    select * from {{ ref('int_use_cases_staged_as_of_periods') }}

),

kpi_versions as (

    {{ config_versions('kpis') }}

),

kpi_observations as (

    select * from {{ ref('stg_landing__kpi_observations') }}

),

kpi_periods as (

    select * from {{ ref('int_kpi_periods_aggregated') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

kpis_known as (

    select
        use_cases.period_grain,
        use_cases.period_start,
        use_cases.period_end,
        use_cases.as_of_date,
        use_cases.use_case_id,
        use_cases.production_date,
        kpi_versions.kpi_id,
        kpi_versions.direction,
        kpi_versions.baseline_value as configured_baseline_value,
        kpi_versions.baseline_start,
        kpi_versions.baseline_end,
        kpi_versions.target_value,
        kpi_versions.target_date
    from use_cases
    inner join kpi_versions
        on
            use_cases.use_case_id = kpi_versions.use_case_id
            and {{ config_in_force('kpi_versions', 'use_cases.as_of_date') }}
    where kpi_versions.defined_on is null or kpi_versions.defined_on <= use_cases.as_of_date

),

baselines_observed as (

    select
        kpis_known.period_grain,
        kpis_known.period_start,
        kpis_known.kpi_id,
        avg(kpi_observations.observed_value) as observed_baseline_value
    from kpis_known
    inner join kpi_observations
        on
            kpis_known.kpi_id = kpi_observations.kpi_id
            and kpis_known.baseline_start <= kpi_observations.period_start
            and kpis_known.baseline_end >= kpi_observations.period_start
            and kpis_known.as_of_date >= kpi_observations.period_start
    where kpis_known.configured_baseline_value is null
    group by 1, 2, 3

),

observations_latest as (

    select
        kpis_known.period_grain,
        kpis_known.period_start,
        kpis_known.kpi_id,
        kpi_periods.period_start as observation_period_start,
        kpi_periods.period_end_exclusive as observation_period_end_exclusive,
        kpi_periods.actual_value,
        row_number() over (
            partition by kpis_known.period_grain, kpis_known.period_start, kpis_known.kpi_id
            order by kpi_periods.period_start desc
        ) as recency_rank
    from kpis_known
    inner join kpi_periods
        on
            kpis_known.kpi_id = kpi_periods.kpi_id
            and kpis_known.as_of_date >= kpi_periods.period_start

),

observation_grains as (

    {#- the coarsest grain the KPI was reported at for that period start #}
    select
        kpi_observations.kpi_id,
        kpi_observations.period_start,
        max(
            case kpi_observations.grain
                when 'day' then 1 when 'week' then 2 when 'month' then 3 else 4
            end
        ) as grain_rank
    from kpi_observations
    group by 1, 2

),

progress_computed as (

    select
        kpis_known.*,
        coalesce(kpis_known.configured_baseline_value, baselines_observed.observed_baseline_value)
            as baseline_value,
        observations_latest.observation_period_start,
        observations_latest.actual_value,
        observation_grains.grain_rank,
        {#- the start of the period of the KPI's grain that contains period_end;
            for months and quarters its month: quarters are counted in months, in
            the phase of the KPI's own quarters (a source's quarters need not be
            the fiscal ones) #}
        case observation_grains.grain_rank
            when 1 then kpis_known.as_of_date
            when 2 then {{ week_start('kpis_known.as_of_date') }}
            else {{ period_start('month', 'kpis_known.as_of_date') }}
        end as as_of_grain_period_start,
        {{ dbt.datediff('kpis_known.production_date',
                        'observations_latest.observation_period_end_exclusive', 'day') }}
            as days_elapsed,
        {{ dbt.datediff('kpis_known.production_date', 'kpis_known.target_date', 'day') }}
            as days_planned,
        observations_latest.observation_period_end_exclusive
    from kpis_known
    left join baselines_observed
        on
            kpis_known.period_grain = baselines_observed.period_grain
            and kpis_known.period_start = baselines_observed.period_start
            and kpis_known.kpi_id = baselines_observed.kpi_id
    left join observations_latest
        on
            kpis_known.period_grain = observations_latest.period_grain
            and kpis_known.period_start = observations_latest.period_start
            and kpis_known.kpi_id = observations_latest.kpi_id
            and observations_latest.recency_rank = 1
    left join observation_grains
        on
            observations_latest.kpi_id = observation_grains.kpi_id
            and observations_latest.observation_period_start = observation_grains.period_start

),

staleness_measured as (

    select
        progress_computed.*,
        case progress_computed.grain_rank
            when 1 then {{ dbt.datediff('progress_computed.observation_period_start',
                                        'progress_computed.as_of_grain_period_start', 'day') }}
            when 2 then floor({{ dbt.datediff('progress_computed.observation_period_start',
                                              'progress_computed.as_of_grain_period_start',
                                              'day') }} / 7)
            {#- months as calendar-month boundaries crossed, the same on both engines
                (dbt-spark's month datediff floors months_between instead) #}
            when 3 then {{ months_crossed('progress_computed.observation_period_start',
                                          'progress_computed.as_of_grain_period_start') }}
            else floor({{ months_crossed('progress_computed.observation_period_start',
                                         'progress_computed.as_of_grain_period_start') }} / 3)
        end as periods_since_observation,
        100.0
        * (progress_computed.actual_value - progress_computed.baseline_value)
        / nullif(progress_computed.target_value - progress_computed.baseline_value, 0)
            as gap_closed_pct,
        case
            when progress_computed.target_date is null then null
            when progress_computed.days_planned <= 0
                then
                    case
                        when
                            progress_computed.observation_period_end_exclusive
                            > progress_computed.target_date
                            then 100.0
                        else 0.0
                    end
            when progress_computed.days_elapsed <= 0 then 0.0
            when progress_computed.days_elapsed >= progress_computed.days_planned then 100.0
            else {{ pct('progress_computed.days_elapsed', 'progress_computed.days_planned') }}
        end as expected_progress_pct
    from progress_computed

),

statuses_assigned as (

    select
        staleness_measured.*,
        case
            when
                staleness_measured.production_date is null
                or staleness_measured.production_date > staleness_measured.as_of_date
                then 'pre_launch'
            when
                staleness_measured.observation_period_start is null
                or staleness_measured.periods_since_observation > thresholds.kpi_stale_periods_green
                then 'stale'
            when
                staleness_measured.gap_closed_pct is null
                or staleness_measured.expected_progress_pct is null
                then 'red'
            when
                staleness_measured.gap_closed_pct < 0
                and {{ rag('staleness_measured.expected_progress_pct'
                           ~ ' - staleness_measured.gap_closed_pct',
                           'kpi_progress_shortfall_pct') }} = 'green'
                then 'amber'
            else {{ rag('staleness_measured.expected_progress_pct'
                        ~ ' - staleness_measured.gap_closed_pct', 'kpi_progress_shortfall_pct') }}
        end as kpi_status,
        staleness_measured.observation_period_start >= staleness_measured.production_date
            as is_post_launch_observation,
        thresholds.recommend_scale_min_kpi_progress_ratio_green as scale_min_progress_ratio,
        thresholds.recommend_redesign_min_gap_closed_pct_green as redesign_min_gap_closed_pct
    from staleness_measured
    cross join thresholds

),

final as (

    select
        -- ids
        statuses_assigned.use_case_id,
        statuses_assigned.kpi_id,
        -- strings
        statuses_assigned.period_grain,
        statuses_assigned.kpi_status,
        statuses_assigned.direction,
        -- numerics
        statuses_assigned.baseline_value,
        statuses_assigned.actual_value,
        statuses_assigned.target_value,
        statuses_assigned.gap_closed_pct,
        statuses_assigned.expected_progress_pct,
        statuses_assigned.periods_since_observation,
        -- booleans
        coalesce(
            statuses_assigned.kpi_status in ('green', 'amber', 'red')
            and statuses_assigned.is_post_launch_observation,
            false
        ) as is_post_launch_evidence,
        coalesce(
            statuses_assigned.kpi_status in ('green', 'amber', 'red')
            and statuses_assigned.is_post_launch_observation
            and statuses_assigned.gap_closed_pct
            >= statuses_assigned.scale_min_progress_ratio
            * statuses_assigned.expected_progress_pct,
            false
        ) as is_on_track_for_scale,
        coalesce(
            statuses_assigned.kpi_status in ('green', 'amber', 'red')
            and statuses_assigned.is_post_launch_observation
            and statuses_assigned.gap_closed_pct < statuses_assigned.redesign_min_gap_closed_pct,
            false
        ) as is_regressing,
        -- dates
        statuses_assigned.period_start,
        statuses_assigned.period_end,
        statuses_assigned.as_of_date,
        statuses_assigned.observation_period_start
    from statuses_assigned

)

select * from final
