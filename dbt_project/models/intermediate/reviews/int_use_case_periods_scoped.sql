{{ config(materialized='table') }}  {# read by the scorecard, KPI, trend and readiness rollups #}
{#
    One row per review period × reading scope × use case the scope covers as
    known at the period's end (CONTRACTS.md §5.3, §5.4): fct_use_case_periods'
    row (stage, readiness, recommendation, KPI status counts, evidence) for
    every scope whose cells (dim_scope_cells) hold the use case's portfolio ×
    business unit as configured at the period's end; the organisation covers
    every use case, one in a business unit not configured included. Beside
    it, the use case's labels and owners from the configuration version in
    force at the period's as_of_date (its name, else its id), and the
    priority score of dim_use_cases (the current rubric).
#}
with

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

staged_use_cases as (

    select * from {{ ref('int_use_cases_staged_as_of_periods') }}

),

use_cases as (

    select * from {{ ref('dim_use_cases') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

use_case_versions as (

    {{ config_versions('use_cases', {'scaled_date': 'date', 'retired_date': 'date'}) }}

),

portfolio_versions as (

    {{ config_versions('portfolios') }}

),

use_case_periods_labelled as (

    select
        use_case_periods.*,
        coalesce(use_case_versions.name, use_case_periods.use_case_id) as use_case_name,
        coalesce(portfolio_versions.name, use_case_periods.portfolio_id) as portfolio_name,
        use_case_versions.risk_tier,
        use_case_versions.exit_criterion,
        staged_use_cases.outcome_owner,
        staged_use_cases.platform_owner,
        staged_use_cases.risk_owner,
        staged_use_cases.measurement_owner,
        staged_use_cases.pilot_start_date,
        staged_use_cases.production_date,
        use_cases.priority_score
    from use_case_periods
    left join staged_use_cases
        on
            use_case_periods.period_grain = staged_use_cases.period_grain
            and use_case_periods.period_start = staged_use_cases.period_start
            and use_case_periods.use_case_id = staged_use_cases.use_case_id
    left join use_case_versions
        on
            use_case_periods.use_case_id = use_case_versions.use_case_id
            and {{ config_in_force('use_case_versions', 'use_case_periods.as_of_date') }}
    left join portfolio_versions
        on
            use_case_periods.portfolio_id = portfolio_versions.portfolio_id
            and {{ config_in_force('portfolio_versions', 'use_case_periods.as_of_date') }}
    left join use_cases on use_case_periods.use_case_id = use_cases.use_case_id

),

final as (

    select
        'organisation' as scope_id,
        use_case_periods_labelled.*
    from use_case_periods_labelled
    union all
    select
        scope_cells.scope_id,
        use_case_periods_labelled.*
    from use_case_periods_labelled
    inner join scope_cells
        on
            use_case_periods_labelled.portfolio_id = scope_cells.portfolio_id
            and use_case_periods_labelled.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'

)

select * from final
