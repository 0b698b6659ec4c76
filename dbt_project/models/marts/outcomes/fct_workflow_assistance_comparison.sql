{#
    One row per use_case_id × assistance ('ai_assisted', 'not_assisted',
    'unknown' when the run_started event did not say), over all runs: runs,
    completion, exception and override rates and the median cycle time, so
    AI-assisted runs can be compared with the rest.
#}
with

runs as (

    select * from {{ ref('int_workflow_runs_assembled') }}

),

runs_labelled as (

    select
        runs.*,
        case
            when runs.is_ai_assisted then 'ai_assisted'
            when not runs.is_ai_assisted then 'not_assisted'
            else 'unknown'
        end as assistance
    from runs

),

final as (

    select
        -- ids
        cast(runs_labelled.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(runs_labelled.assistance as {{ dbt.type_string() }}) as assistance,
        -- numerics
        cast(count(*) as {{ dbt.type_bigint() }}) as runs_started,
        cast(sum(case when runs_labelled.is_completed then 1 else 0 end) as {{ dbt.type_bigint() }})
            as runs_completed,
        cast(
            {{ pct('sum(case when runs_labelled.is_completed then 1 else 0 end)', 'count(*)') }}
            as {{ type_double() }}
        ) as completion_rate_pct,
        cast(
            {{ pct('sum(case when runs_labelled.has_exception then 1 else 0 end)', 'count(*)') }}
            as {{ type_double() }}
        ) as exception_rate_pct,
        cast(
            {{ pct(
                'sum(runs_labelled.overridden_reviews_count)', 'sum(runs_labelled.reviews_count)'
            ) }}
            as {{ type_double() }}
        ) as override_rate_pct,
        cast({{ median('runs_labelled.cycle_time_minutes') }} as {{ type_double() }})
            as median_cycle_time_minutes,
        cast(avg(runs_labelled.avg_quality_score) as {{ type_double() }}) as avg_quality_score
    from runs_labelled
    group by runs_labelled.use_case_id, runs_labelled.assistance

)

select * from final
