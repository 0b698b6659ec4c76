{#
    One row per review period (week, month, fiscal quarter) × reading scope ×
    use case the scope covers as known at the period's end: the readiness
    checklist the reviews and the use-case page show, every value as known at
    the period's as_of_date (fct_use_case_periods through
    int_use_case_periods_scoped): stage, readiness and its gaps, the
    recommendation and its reasons, the owners and milestone dates as
    configured then, and the evidence window behind the recommendation.
    readiness_order: the row's place in the table, by recommendation (scale,
    redesign, hold, then none), priority score (highest first) and name.
#}
with

use_cases as (

    select * from {{ ref('int_use_case_periods_scoped') }}

),

computed as (

    select
        -- ids
        cast(use_cases.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(use_cases.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(use_cases.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        cast(use_cases.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- strings
        cast(use_cases.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(use_cases.period_label as {{ dbt.type_string() }}) as period_label,
        cast(use_cases.use_case_name as {{ dbt.type_string() }}) as use_case_name,
        cast(use_cases.portfolio_name as {{ dbt.type_string() }}) as portfolio_name,
        cast(use_cases.stage as {{ dbt.type_string() }}) as stage,
        cast(use_cases.risk_tier as {{ dbt.type_string() }}) as risk_tier,
        cast(use_cases.readiness_status as {{ dbt.type_string() }}) as readiness_status,
        cast(use_cases.readiness_gaps as {{ dbt.type_string() }}) as readiness_gaps,
        cast(use_cases.recommendation as {{ dbt.type_string() }}) as recommendation,
        cast(use_cases.recommendation_reasons as {{ dbt.type_string() }})
            as recommendation_reasons,
        cast(use_cases.outcome_owner as {{ dbt.type_string() }}) as outcome_owner,
        cast(use_cases.platform_owner as {{ dbt.type_string() }}) as platform_owner,
        cast(use_cases.risk_owner as {{ dbt.type_string() }}) as risk_owner,
        cast(use_cases.measurement_owner as {{ dbt.type_string() }}) as measurement_owner,
        cast(use_cases.exit_criterion as {{ dbt.type_string() }}) as exit_criterion,
        -- numerics
        cast(
            row_number()
                over (
                    partition by use_cases.period_grain, use_cases.period_start, use_cases.scope_id
                    order by
                        case use_cases.recommendation
                            when 'scale' then 1
                            when 'redesign' then 2
                            when 'hold' then 3
                            else 4
                        end asc,
                        coalesce(use_cases.priority_score, -1) desc,
                        use_cases.use_case_name asc,
                        use_cases.use_case_id asc
                )
            as {{ dbt.type_int() }}
        ) as readiness_order,
        cast(use_cases.readiness_gap_count as {{ dbt.type_int() }}) as readiness_gap_count,
        cast(use_cases.priority_score as {{ type_double() }}) as priority_score,
        cast(use_cases.window_reviews as {{ dbt.type_bigint() }}) as window_reviews,
        cast(use_cases.window_override_rate_pct as {{ type_double() }})
            as window_override_rate_pct,
        cast(use_cases.window_quality_acceptance_pct as {{ type_double() }})
            as window_quality_acceptance_pct,
        cast(use_cases.window_requests as {{ dbt.type_bigint() }}) as window_requests,
        cast(use_cases.window_policy_adherence_pct as {{ type_double() }})
            as window_policy_adherence_pct,
        cast(use_cases.kpis_known as {{ dbt.type_int() }}) as kpis_known,
        cast(use_cases.kpis_on_track_for_scale as {{ dbt.type_int() }})
            as kpis_on_track_for_scale,
        cast(use_cases.kpis_regressing as {{ dbt.type_int() }}) as kpis_regressing,
        -- booleans
        cast(use_cases.is_period_to_date as boolean) as is_period_to_date,
        -- dates
        cast(use_cases.period_start as date) as period_start,
        cast(use_cases.period_end as date) as period_end,
        cast(use_cases.as_of_date as date) as as_of_date,
        cast(use_cases.window_start_date as date) as window_start_date,
        cast(use_cases.pilot_start_date as date) as pilot_start_date,
        cast(use_cases.production_date as date) as production_date
    from use_cases

),

{#- a closed period keeps the rows recorded at its close #}
{{ closed_review_rows('computed', ['use_case_id']) }}

select * from final
