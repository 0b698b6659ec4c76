{#
    One row per use case in the current configuration (CONTRACTS.md §3):
    portfolio, the four owners, the rubric's priority score, and its stage,
    readiness and scale / hold / redesign recommendation as of the build
    date, which are fct_use_case_periods' row for the week to date: one
    definition of each, so the current view and every past period agree.
    The rules are documented in fct_use_case_periods. recommendation is null
    while the use case is proposed or retired.

    priority_score (0–100) from the rubric, value, feasibility and scale
    potential counting up and risk down, equally weighted:
    (value + feasibility + scale + (6 − risk) − 4) ÷ 16 × 100.
#}
with

use_cases as (

    select * from {{ ref('stg_config__use_cases') }}

),

portfolios as (

    select * from {{ ref('stg_config__portfolios') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

current_weeks as (

    select use_case_periods.*
    from use_case_periods
    where use_case_periods.period_grain = 'week' and use_case_periods.is_period_to_date

),

final as (

    select
        -- ids
        cast(use_cases.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(use_cases.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        cast(use_cases.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- strings
        cast(use_cases.use_case_name as {{ dbt.type_string() }}) as use_case_name,
        cast(portfolios.portfolio_name as {{ dbt.type_string() }}) as portfolio_name,
        cast(portfolios.strategic_theme as {{ dbt.type_string() }}) as strategic_theme,
        cast(portfolios.executive_sponsor as {{ dbt.type_string() }}) as executive_sponsor,
        cast(coalesce(current_weeks.stage, use_cases.stage) as {{ dbt.type_string() }}) as stage,
        cast(use_cases.stage as {{ dbt.type_string() }}) as configured_stage,
        cast(use_cases.outcome_owner as {{ dbt.type_string() }}) as outcome_owner,
        cast(use_cases.platform_owner as {{ dbt.type_string() }}) as platform_owner,
        cast(use_cases.risk_owner as {{ dbt.type_string() }}) as risk_owner,
        cast(use_cases.measurement_owner as {{ dbt.type_string() }}) as measurement_owner,
        cast(use_cases.risk_tier as {{ dbt.type_string() }}) as risk_tier,
        cast(use_cases.exit_criterion as {{ dbt.type_string() }}) as exit_criterion,
        cast(current_weeks.readiness_status as {{ dbt.type_string() }}) as readiness_status,
        cast(current_weeks.readiness_gaps as {{ dbt.type_string() }}) as readiness_gaps,
        cast(current_weeks.recommendation as {{ dbt.type_string() }}) as recommendation,
        cast(current_weeks.recommendation_reasons as {{ dbt.type_string() }})
            as recommendation_reasons,
        -- numerics
        cast(use_cases.value_score as {{ dbt.type_int() }}) as value_score,
        cast(use_cases.feasibility_score as {{ dbt.type_int() }}) as feasibility_score,
        cast(use_cases.risk_score as {{ dbt.type_int() }}) as risk_score,
        cast(use_cases.scale_score as {{ dbt.type_int() }}) as scale_score,
        cast(
            (
                use_cases.value_score + use_cases.feasibility_score + use_cases.scale_score
                + (6 - use_cases.risk_score) - 4
            ) / 16.0 * 100
            as {{ type_double() }}
        ) as priority_score,
        cast(current_weeks.readiness_gap_count as {{ dbt.type_int() }}) as readiness_gap_count,
        cast(current_weeks.window_reviews as {{ dbt.type_bigint() }}) as window_reviews,
        cast(current_weeks.window_override_rate_pct as {{ type_double() }})
            as window_override_rate_pct,
        cast(current_weeks.window_quality_acceptance_pct as {{ type_double() }})
            as window_quality_acceptance_pct,
        cast(current_weeks.window_requests as {{ dbt.type_bigint() }}) as window_requests,
        cast(current_weeks.window_policy_adherence_pct as {{ type_double() }})
            as window_policy_adherence_pct,
        cast(current_weeks.kpis_known as {{ dbt.type_int() }}) as kpis_known,
        cast(current_weeks.kpis_on_track_for_scale as {{ dbt.type_int() }})
            as kpis_on_track_for_scale,
        cast(current_weeks.kpis_regressing as {{ dbt.type_int() }}) as kpis_regressing,
        -- booleans
        current_weeks.is_ready,
        -- dates
        cast(use_cases.pilot_start_date as date) as pilot_start_date,
        cast(use_cases.production_date as date) as production_date,
        cast(current_weeks.as_of_date as date) as as_of_date,
        cast(current_weeks.window_start_date as date) as window_start_date
    from use_cases
    left join portfolios
        on use_cases.portfolio_id = portfolios.portfolio_id
    left join current_weeks
        on use_cases.use_case_id = current_weeks.use_case_id

)

select * from final
