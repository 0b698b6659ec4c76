{#
    One row per week_start × reading scope (dim_scopes) × business_unit_id ×
    provider × model of shadow-AI requests (to a model absent from the
    catalogue or not approved in it, CONTRACTS.md §4) in the scope's cells:
    the shadow-AI models a review lists for any reader's scope.

    - Cells as in rpt_risk_by_business_unit_weekly: the use case's portfolio
      as known at the week's end (`unassigned` when none) × the requester's
      business unit; the organisation covers every request (its rows add up
      to fct_shadow_ai_weekly's).
    - requesting_users: distinct identified people with such a request.
    - Minimum group size (CONTRACTS.md §5.5): a row whose requesting people
      number 1 to min_group_size − 1 is hidden (is_suppressed; requests and
      requesting_users null). Complement: the rows of one week × scope ×
      business unit add up to that unit's shadow_ai_requests
      (rpt_risk_by_business_unit_weekly), and the rows of one week × scope
      to the scope's shadow AI share (rpt_review_tiles): where exactly one
      row of either family is hidden, so is the next-smallest one (two
      rounds of each).
    - hidden_rows_count: the rows hidden in the row's week × scope, for the
      page's note (the same on every row of a week × scope).
#}
with

requests as (

    select * from {{ ref('int_requests_enriched') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

business_units as (

    select * from {{ ref('stg_config__business_units') }}

),

use_case_weeks as (

    select
        use_case_periods.period_start,
        use_case_periods.use_case_id,
        use_case_periods.portfolio_id
    from use_case_periods
    where use_case_periods.period_grain = 'week'

),

shadow_requests_celled as (

    {#- the window columns review_rows_scoped keys on: one whole week #}
    select
        'week' as period_grain,
        requests.week_start as period_start,
        'period' as window_kind,
        coalesce(use_case_weeks.portfolio_id, 'unassigned') as portfolio_id,
        requests.business_unit_id,
        requests.provider,
        requests.model,
        requests.user_id,
        1 as has_request,
        count(*) as requests,
        sum(case when requests.is_in_catalogue then 1 else 0 end) as in_catalogue_requests
    from requests
    left join use_case_weeks
        on
            requests.week_start = use_case_weeks.period_start
            and requests.use_case_id = use_case_weeks.use_case_id
    where requests.is_shadow_ai
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

{%- set keys = ['business_unit_id', 'provider', 'model'] %}

requests_scoped as (

    {{ review_rows_scoped(
        'shadow_requests_celled', ['requests', 'in_catalogue_requests'], keys=keys
    ) }}

),

requesters_scoped as (

    {{ review_rows_scoped('shadow_requests_celled', ['people'], people=true, keys=keys) }}

),

measured as (

    select
        requests_scoped.period_start as week_start,
        requests_scoped.scope_id,
        requests_scoped.business_unit_id,
        requests_scoped.provider,
        requests_scoped.model,
        requests_scoped.requests,
        requests_scoped.in_catalogue_requests,
        requesters_scoped.requesting_users,
        {{ is_small_group('requesters_scoped.requesting_users') }} as is_small_group
    from requests_scoped
    inner join requesters_scoped
        on
            requests_scoped.period_start = requesters_scoped.period_start
            and requests_scoped.scope_id = requesters_scoped.scope_id
            and requests_scoped.business_unit_id = requesters_scoped.business_unit_id
            and requests_scoped.provider = requesters_scoped.provider
            and requests_scoped.model = requesters_scoped.model

),

{%- set families = [
    ['week_start', 'scope_id', 'business_unit_id'], ['week_start', 'scope_id'],
    ['week_start', 'scope_id', 'business_unit_id'], ['week_start', 'scope_id'],
] %}
{%- for family in families %}

complemented_{{ loop.index }} as (

    {{ complement_hidden(
        'measured' if loop.first else 'complemented_' ~ (loop.index - 1),
        family, 'requests', ['business_unit_id', 'provider', 'model'],
        'is_small_group' if loop.first else 'is_hidden_' ~ (loop.index - 1),
        'is_hidden_' ~ loop.index,
    ) }}

),
{%- endfor %}

hidden as (

    select
        complemented.week_start,
        complemented.scope_id,
        complemented.business_unit_id,
        complemented.provider,
        complemented.model,
        complemented.requests,
        complemented.in_catalogue_requests,
        complemented.requesting_users,
        complemented.is_hidden_{{ families | length }} as is_hidden,
        sum(case when complemented.is_hidden_{{ families | length }} then 1 else 0 end) over (
            partition by complemented.week_start, complemented.scope_id
        ) as hidden_rows_count
    from complemented_{{ families | length }} as complemented

),

final as (

    select
        -- ids
        cast(hidden.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(hidden.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- strings
        cast(
            coalesce(business_units.business_unit_name, hidden.business_unit_id)
            as {{ dbt.type_string() }}
        ) as business_unit_name,
        cast(hidden.provider as {{ dbt.type_string() }}) as provider,
        cast(hidden.model as {{ dbt.type_string() }}) as model,
        -- numerics
        cast(case when not hidden.is_hidden then hidden.requests end as {{ dbt.type_bigint() }})
            as requests,
        cast(
            case when not hidden.is_hidden then hidden.requesting_users end
            as {{ dbt.type_bigint() }}
        ) as requesting_users,
        cast(hidden.hidden_rows_count as {{ dbt.type_bigint() }}) as hidden_rows_count,
        -- booleans
        cast(hidden.in_catalogue_requests > 0 as boolean) as is_in_catalogue,
        cast(hidden.is_hidden as boolean) as is_suppressed,
        -- dates
        cast(hidden.week_start as date) as week_start
    from hidden
    left join business_units
        on hidden.business_unit_id = business_units.business_unit_id

)

select * from final
