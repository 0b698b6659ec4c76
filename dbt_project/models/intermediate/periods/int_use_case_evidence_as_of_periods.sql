{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per review period × use case known at its `as_of_date`: the
    evidence the scale / hold / redesign rule reads, over the trailing
    `recommend_window_weeks` × 7 days that end on `as_of_date` (thresholds),
    using only events on or before that day (CONTRACTS.md §5.4):
    - workflow: the `review_completed` events in the window and their
      override and quality-acceptance rates;
    - trust: the use case's requests in the window and their policy
      adherence;
    - outcomes: its KPIs known then (int_kpi_statuses_as_of_periods): how
      many, how many have a post-launch observation that is not stale, are on
      track for scale or regressing, and the five status counts.
#}
with

use_cases as (

    select * from {{ ref('int_use_cases_staged_as_of_periods') }}

),

workflow_events as (

    select * from {{ ref('int_workflow_events_deduplicated') }}

),

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

kpi_statuses as (

    select * from {{ ref('int_kpi_statuses_as_of_periods') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

windows as (

    select
        use_cases.period_grain,
        use_cases.period_start,
        use_cases.use_case_id,
        use_cases.as_of_date,
        cast(thresholds.recommend_window_weeks_green as {{ dbt.type_int() }}) as window_weeks,
        cast({{ dbt.dateadd(
            'day',
            '1 - 7 * cast(thresholds.recommend_window_weeks_green as '
            ~ dbt.type_int() ~ ')',
            'use_cases.as_of_date',
        ) }} as date) as window_start_date
    from use_cases
    cross join thresholds

),

reviews_by_day as (

    select
        workflow_events.use_case_id,
        cast(workflow_events.occurred_at as date) as event_date,
        count(*) as reviews,
        sum(case when workflow_events.review_outcome = 'accepted' then 1 else 0 end)
            as accepted_reviews,
        sum(case when workflow_events.review_outcome = 'overridden' then 1 else 0 end)
            as overridden_reviews
    from workflow_events
    where workflow_events.event_type = 'review_completed'
    group by 1, 2

),

requests_by_day as (

    select
        request_days.use_case_id,
        request_days.request_date,
        sum(request_days.requests) as requests,
        sum(request_days.policy_violations) as policy_violations
    from request_days
    where request_days.use_case_id is not null
    group by 1, 2

),

reviews_in_window as (

    select
        windows.period_grain,
        windows.period_start,
        windows.use_case_id,
        sum(reviews_by_day.reviews) as reviews,
        sum(reviews_by_day.accepted_reviews) as accepted_reviews,
        sum(reviews_by_day.overridden_reviews) as overridden_reviews
    from windows
    inner join reviews_by_day
        on
            windows.use_case_id = reviews_by_day.use_case_id
            and windows.window_start_date <= reviews_by_day.event_date
            and windows.as_of_date >= reviews_by_day.event_date
    group by 1, 2, 3

),

requests_in_window as (

    select
        windows.period_grain,
        windows.period_start,
        windows.use_case_id,
        sum(requests_by_day.requests) as requests,
        sum(requests_by_day.policy_violations) as policy_violations
    from windows
    inner join requests_by_day
        on
            windows.use_case_id = requests_by_day.use_case_id
            and windows.window_start_date <= requests_by_day.request_date
            and windows.as_of_date >= requests_by_day.request_date
    group by 1, 2, 3

),

kpis_assessed as (

    select
        kpi_statuses.period_grain,
        kpi_statuses.period_start,
        kpi_statuses.use_case_id,
        {%- for status in ['green', 'amber', 'red', 'stale', 'pre_launch'] %}
        sum(case when kpi_statuses.kpi_status = '{{ status }}' then 1 else 0 end)
            as kpis_{{ status }},
        {%- endfor %}
        count(*) as kpis,
        sum(case when kpi_statuses.is_post_launch_evidence then 1 else 0 end)
            as kpis_with_post_launch_actual,
        sum(case when kpi_statuses.is_on_track_for_scale then 1 else 0 end)
            as kpis_on_track_for_scale,
        sum(case when kpi_statuses.is_regressing then 1 else 0 end) as kpis_regressing
    from kpi_statuses
    group by 1, 2, 3

),

final as (

    select
        -- ids
        windows.use_case_id,
        -- strings
        windows.period_grain,
        -- numerics
        windows.window_weeks,
        coalesce(reviews_in_window.reviews, 0) as window_reviews,
        {{ pct('reviews_in_window.overridden_reviews', 'reviews_in_window.reviews') }}
            as window_override_rate_pct,
        {{ pct('reviews_in_window.accepted_reviews', 'reviews_in_window.reviews') }}
            as window_quality_acceptance_pct,
        coalesce(requests_in_window.requests, 0) as window_requests,
        100.0 - {{ pct('requests_in_window.policy_violations', 'requests_in_window.requests') }}
            as window_policy_adherence_pct,
        coalesce(kpis_assessed.kpis, 0) as kpis,
        coalesce(kpis_assessed.kpis_with_post_launch_actual, 0) as kpis_with_post_launch_actual,
        coalesce(kpis_assessed.kpis_on_track_for_scale, 0) as kpis_on_track_for_scale,
        coalesce(kpis_assessed.kpis_regressing, 0) as kpis_regressing,
        {%- for status in ['green', 'amber', 'red', 'stale', 'pre_launch'] %}
        coalesce(kpis_assessed.kpis_{{ status }}, 0) as kpis_{{ status }},
        {%- endfor %}
        -- dates
        windows.period_start,
        windows.window_start_date,
        windows.as_of_date as window_end_date
    from windows
    left join reviews_in_window
        on
            windows.period_grain = reviews_in_window.period_grain
            and windows.period_start = reviews_in_window.period_start
            and windows.use_case_id = reviews_in_window.use_case_id
    left join requests_in_window
        on
            windows.period_grain = requests_in_window.period_grain
            and windows.period_start = requests_in_window.period_start
            and windows.use_case_id = requests_in_window.use_case_id
    left join kpis_assessed
        on
            windows.period_grain = kpis_assessed.period_grain
            and windows.period_start = kpis_assessed.period_start
            and windows.use_case_id = kpis_assessed.use_case_id

)

select * from final
