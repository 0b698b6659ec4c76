{#
    One row per week_start × reading scope (dim_scopes) × use case with
    requests or workflow runs that week (`unassigned`: untagged usage): the
    weekly operations review's unit costs for any reader's scope.
    - Each row is fct_unit_costs_weekly's row of the use case and week, as it
      is: the use case's whole cost (reported and catalogue-priced estimate
      kept apart), its requests and its runs completed (that week's start
      cohort), so that cost per request and cost per completed run divide
      figures of one population. A unit cost is the use case's, whoever made
      the requests.
    - A use case belongs to the cell (CONTRACTS.md §5.3) of its portfolio and
      business unit as known at the week's end (fct_use_case_periods, week
      grain), as its workflow runs do: a use case that moved portfolio shows
      under its old portfolio in the weeks before the move. The organisation
      covers every use case, `unassigned` and one missing from the
      configuration included; any other scope the use cases of its cells
      (dim_scope_cells).
    - use_case_name: the use case's current name (dim_use_cases; its id when
      it has none, e.g. `unassigned`).
    No person is counted here, so nothing is suppressed by the minimum group
    size (CONTRACTS.md §5.5), as for the requests and cost tiles.
#}
with

unit_costs as (

    select * from {{ ref('fct_unit_costs_weekly') }}

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

unit_costs_celled as (

    select
        unit_costs.*,
        use_case_periods.portfolio_id,
        use_case_periods.business_unit_id
    from unit_costs
    left join use_case_periods
        on
            use_case_periods.period_grain = 'week'
            and unit_costs.week_start = use_case_periods.period_start
            and unit_costs.use_case_id = use_case_periods.use_case_id

),

unit_costs_scoped as (

    select
        'organisation' as scope_id,
        unit_costs_celled.*
    from unit_costs_celled
    union all
    select
        scope_cells.scope_id,
        unit_costs_celled.*
    from unit_costs_celled
    inner join scope_cells
        on
            unit_costs_celled.portfolio_id = scope_cells.portfolio_id
            and unit_costs_celled.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'

),

final as (

    select
        -- ids
        cast(unit_costs_scoped.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(unit_costs_scoped.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        -- strings
        cast(
            coalesce(use_cases.use_case_name, unit_costs_scoped.use_case_id)
            as {{ dbt.type_string() }}
        ) as use_case_name,
        -- numerics
        cast(unit_costs_scoped.requests as {{ dbt.type_bigint() }}) as requests,
        cast(unit_costs_scoped.runs_completed as {{ dbt.type_bigint() }}) as runs_completed,
        {%- for measure in [
            'cost_usd', 'reported_cost_usd', 'priced_cost_usd', 'cost_per_request_usd',
            'cost_per_completed_run_usd',
        ] %}
        cast(unit_costs_scoped.{{ measure }} as {{ type_double() }}) as {{ measure }},
        {%- endfor %}
        -- dates
        cast(unit_costs_scoped.week_start as date) as week_start
    from unit_costs_scoped
    left join use_cases
        on unit_costs_scoped.use_case_id = use_cases.use_case_id

)

select * from final
