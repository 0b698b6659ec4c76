{#
    One row per use case: the evidence the scale / hold / redesign rule reads,
    over the trailing `recommend_window_weeks` weeks (thresholds.csv) that end
    with the latest week holding any request, activity or workflow event.
    - workflow: review_completed events of runs started in the window, their
      override and quality-acceptance rates;
    - trust: the use case's requests in the window and their policy adherence;
    - outcomes: each KPI's latest period in fct_kpi_progress: whether it is
      after launch (period_start ≥ production_date), on track for scale
      (gap_closed_pct ≥ recommend_scale_min_kpi_progress_ratio ×
      expected_progress_pct) or regressing (gap_closed_pct below
      recommend_redesign_min_gap_closed_pct after launch).
#}
with

use_cases as (

    select * from {{ ref('stg_config__use_cases') }}

),

kpis as (

    select * from {{ ref('stg_config__kpis') }}

),

kpi_progress as (

    select * from {{ ref('fct_kpi_progress') }}

),

runs as (

    select * from {{ ref('int_workflow_runs_assembled') }}

),

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

weeks as (

    select * from {{ ref('int_weeks_spined') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

window_bounds as (

    select
        max(weeks.week_start) as window_end_week,
        {{ dbt.dateadd(
            'day',
            '-7 * (cast(max(thresholds.recommend_window_weeks_green) as '
            ~ dbt.type_int() ~ ') - 1)',
            'max(weeks.week_start)',
        ) }} as window_start_week
    from weeks
    cross join thresholds

),

runs_in_window as (

    select
        runs.use_case_id,
        count(*) as runs_started,
        sum(runs.reviews_count) as reviews,
        sum(runs.accepted_reviews_count) as accepted_reviews,
        sum(runs.overridden_reviews_count) as overridden_reviews
    from runs
    cross join window_bounds
    where runs.week_start between window_bounds.window_start_week and window_bounds.window_end_week
    group by 1

),

requests_in_window as (

    select
        request_days.use_case_id,
        sum(request_days.requests) as requests,
        sum(request_days.policy_violations) as policy_violations
    from request_days
    cross join window_bounds
    where
        request_days.week_start
        between window_bounds.window_start_week and window_bounds.window_end_week
    group by 1

),

latest_kpi_periods as (

    select
        kpi_progress.*,
        row_number() over (
            partition by kpi_progress.kpi_id
            order by kpi_progress.period_start desc
        ) as recency_rank
    from kpi_progress

),

kpis_assessed as (

    select
        kpis.use_case_id,
        count(*) as kpis,
        sum(
            case
                when latest_kpi_periods.period_start >= use_cases.production_date then 1
                else 0
            end
        ) as kpis_with_post_launch_actual,
        sum(
            case
                when
                    latest_kpi_periods.period_start >= use_cases.production_date
                    and latest_kpi_periods.gap_closed_pct
                    >= thresholds.recommend_scale_min_kpi_progress_ratio_green
                    * latest_kpi_periods.expected_progress_pct
                    then 1
                else 0
            end
        ) as kpis_on_track_for_scale,
        sum(
            case
                when
                    latest_kpi_periods.period_start >= use_cases.production_date
                    and latest_kpi_periods.gap_closed_pct
                    < thresholds.recommend_redesign_min_gap_closed_pct_green
                    then 1
                else 0
            end
        ) as kpis_regressing
    from kpis
    inner join use_cases
        on kpis.use_case_id = use_cases.use_case_id
    left join latest_kpi_periods
        on
            kpis.kpi_id = latest_kpi_periods.kpi_id
            and latest_kpi_periods.recency_rank = 1
    cross join thresholds
    group by 1

),

final as (

    select
        -- ids
        cast(use_cases.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- numerics
        cast(coalesce(runs_in_window.runs_started, 0) as {{ dbt.type_bigint() }})
            as window_runs_started,
        cast(coalesce(runs_in_window.reviews, 0) as {{ dbt.type_bigint() }}) as window_reviews,
        cast(
            {{ pct('runs_in_window.overridden_reviews', 'runs_in_window.reviews') }}
            as {{ type_double() }}
        ) as window_override_rate_pct,
        cast(
            {{ pct('runs_in_window.accepted_reviews', 'runs_in_window.reviews') }}
            as {{ type_double() }}
        ) as window_quality_acceptance_pct,
        cast(coalesce(requests_in_window.requests, 0) as {{ dbt.type_bigint() }})
            as window_requests,
        cast(
            100.0 - {{ pct('requests_in_window.policy_violations', 'requests_in_window.requests') }}
            as {{ type_double() }}
        ) as window_policy_adherence_pct,
        cast(coalesce(kpis_assessed.kpis, 0) as {{ dbt.type_bigint() }}) as kpis,
        cast(coalesce(kpis_assessed.kpis_with_post_launch_actual, 0) as {{ dbt.type_bigint() }})
            as kpis_with_post_launch_actual,
        cast(coalesce(kpis_assessed.kpis_on_track_for_scale, 0) as {{ dbt.type_bigint() }})
            as kpis_on_track_for_scale,
        cast(coalesce(kpis_assessed.kpis_regressing, 0) as {{ dbt.type_bigint() }})
            as kpis_regressing,
        -- dates
        cast(window_bounds.window_start_week as date) as window_start_week,
        cast(window_bounds.window_end_week as date) as window_end_week
    from use_cases
    cross join window_bounds
    left join runs_in_window
        on use_cases.use_case_id = runs_in_window.use_case_id
    left join requests_in_window
        on use_cases.use_case_id = requests_in_window.use_case_id
    left join kpis_assessed
        on use_cases.use_case_id = kpis_assessed.use_case_id

)

select * from final
