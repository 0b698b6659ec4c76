{#
    One row per week_start × use_case_id, over the runs started that week
    (a run cohort: a run's later events count in the week it started).
    - completion_rate_pct: runs completed ÷ runs started × 100;
    - human_review_rate_pct: runs with ≥ 1 review_completed ÷ runs started;
    - quality_acceptance_pct: review_completed events with outcome accepted ÷
      all review_completed × 100; override_rate_pct likewise with overridden;
    - exception_rate_pct: runs with ≥ 1 exception ÷ runs started × 100;
    - median_cycle_time_minutes: continuous median of start → completion over
      completed runs;
    - workflow_penetration_pct: AI-assisted runs ÷ runs started × 100.
#}
with

runs as (

    select * from {{ ref('int_workflow_runs_assembled') }}

),

aggregated as (

    select
        runs.week_start,
        runs.use_case_id,
        count(*) as runs_started,
        sum(case when runs.is_completed then 1 else 0 end) as runs_completed,
        sum(case when runs.is_abandoned then 1 else 0 end) as runs_abandoned,
        sum(case when runs.is_ai_assisted then 1 else 0 end) as ai_assisted_runs,
        sum(case when runs.has_review then 1 else 0 end) as reviewed_runs,
        sum(case when runs.has_exception then 1 else 0 end) as runs_with_exception,
        sum(runs.reviews_count) as reviews,
        sum(runs.accepted_reviews_count) as accepted_reviews,
        sum(runs.edited_reviews_count) as edited_reviews,
        sum(runs.overridden_reviews_count) as overridden_reviews,
        {{ median('runs.cycle_time_minutes') }} as median_cycle_time_minutes
    from runs
    group by 1, 2

),

final as (

    select
        -- ids
        cast(aggregated.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- numerics
        cast(aggregated.runs_started as {{ dbt.type_bigint() }}) as runs_started,
        cast(aggregated.runs_completed as {{ dbt.type_bigint() }}) as runs_completed,
        cast(aggregated.runs_abandoned as {{ dbt.type_bigint() }}) as runs_abandoned,
        cast(aggregated.ai_assisted_runs as {{ dbt.type_bigint() }}) as ai_assisted_runs,
        cast(aggregated.reviews as {{ dbt.type_bigint() }}) as reviews,
        cast(aggregated.accepted_reviews as {{ dbt.type_bigint() }}) as accepted_reviews,
        cast(aggregated.edited_reviews as {{ dbt.type_bigint() }}) as edited_reviews,
        cast(aggregated.overridden_reviews as {{ dbt.type_bigint() }}) as overridden_reviews,
        cast(
            {{ pct('aggregated.runs_completed', 'aggregated.runs_started') }}
            as {{ type_double() }}
        ) as completion_rate_pct,
        cast(
            {{ pct('aggregated.reviewed_runs', 'aggregated.runs_started') }}
            as {{ type_double() }}
        ) as human_review_rate_pct,
        cast({{ pct('aggregated.accepted_reviews', 'aggregated.reviews') }} as {{ type_double() }})
            as quality_acceptance_pct,
        cast(
            {{ pct('aggregated.overridden_reviews', 'aggregated.reviews') }}
            as {{ type_double() }}
        ) as override_rate_pct,
        cast(
            {{ pct('aggregated.runs_with_exception', 'aggregated.runs_started') }}
            as {{ type_double() }}
        ) as exception_rate_pct,
        cast(
            {{ pct('aggregated.ai_assisted_runs', 'aggregated.runs_started') }}
            as {{ type_double() }}
        ) as workflow_penetration_pct,
        cast(aggregated.median_cycle_time_minutes as {{ type_double() }})
            as median_cycle_time_minutes,
        -- dates
        cast(aggregated.week_start as date) as week_start
    from aggregated

)

select * from final
