{#
    One row per week_start × reading scope (dim_scopes) × use case with
    workflow runs started that week: the weekly operations review's workflow
    exceptions and overrides for any reader's scope.
    - Each row is fct_workflow_weekly's row of the use case and week, as it is
      (runs of that week's start cohort; rates and the median as defined
      there): a use case's runs are never split between scopes.
    - A use case's runs belong to the cell (CONTRACTS.md §5.3) of its
      portfolio and business unit as known at the week's end
      (fct_use_case_periods, week grain), as the workflow tiles place them in
      int_review_measures_scoped: a use case that moved portfolio shows under
      its old portfolio in the weeks before the move. The organisation covers
      every use case, one missing from the configuration included; any other
      scope the use cases of its cells (dim_scope_cells).
    - use_case_name: the use case's current name (dim_use_cases; its id when
      it has none), so a renamed use case keeps one line from week to week.
    Workflow runs are not people, so nothing is suppressed by the minimum
    group size (CONTRACTS.md §5.5), as for the workflow tiles.
#}
with

workflow as (

    select * from {{ ref('fct_workflow_weekly') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

use_cases as (

    select * from {{ ref('dim_use_cases') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

workflow_celled as (

    select
        workflow.*,
        use_case_periods.portfolio_id,
        use_case_periods.business_unit_id
    from workflow
    left join use_case_periods
        on
            use_case_periods.period_grain = 'week'
            and workflow.week_start = use_case_periods.period_start
            and workflow.use_case_id = use_case_periods.use_case_id

),

workflow_scoped as (

    select
        'organisation' as scope_id,
        workflow_celled.*
    from workflow_celled
    union all
    select
        scope_cells.scope_id,
        workflow_celled.*
    from workflow_celled
    inner join scope_cells
        on
            workflow_celled.portfolio_id = scope_cells.portfolio_id
            and workflow_celled.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'

),

final as (

    select
        -- ids
        cast(workflow_scoped.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(workflow_scoped.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(
            coalesce(use_cases.use_case_name, workflow_scoped.use_case_id)
            as {{ dbt.type_string() }}
        ) as use_case_name,
        -- numerics
        {%- for measure in [
            'runs_started', 'runs_completed', 'runs_abandoned', 'ai_assisted_runs', 'reviews',
            'accepted_reviews', 'edited_reviews', 'overridden_reviews',
        ] %}
        cast(workflow_scoped.{{ measure }} as {{ dbt.type_bigint() }}) as {{ measure }},
        {%- endfor %}
        {%- for measure in [
            'completion_rate_pct', 'human_review_rate_pct', 'quality_acceptance_pct',
            'override_rate_pct', 'exception_rate_pct', 'workflow_penetration_pct',
            'median_cycle_time_minutes',
        ] %}
        cast(workflow_scoped.{{ measure }} as {{ type_double() }}) as {{ measure }},
        {%- endfor %}
        -- dates
        cast(workflow_scoped.week_start as date) as week_start
    from workflow_scoped
    left join use_cases
        on workflow_scoped.use_case_id = use_cases.use_case_id

)

select * from final
