{#
    One row per week_start × reading scope (dim_scopes) × breakdown kind
    (`model`, `use_case`) × item (a model; a use case, untagged usage being
    the use case `unassigned`) with requests in the week: what the weekly
    operations review charts and downloads as "tokens and cost by model and
    use case", for any reader's scope.
    - A request belongs to the cell (CONTRACTS.md §5.3) of its use case's
      portfolio as known at the week's end (fct_use_case_periods, week grain;
      `unassigned` for usage no known use case claims) and of the requester's
      business unit, as in int_review_measures_scoped. The organisation
      covers every request, a business unit not configured included; any
      other scope the requests of its cells (dim_scope_cells).
    - requests … output_tokens: sums over the week's requests, counted as
      fct_operations_weekly and the review tiles count them (every row of
      int_requests_aggregated_to_days), so the breakdown adds up to the
      requests and cost tiles of the same week and scope.
    - cost_usd = reported_cost_usd (observed) + priced_cost_usd (priced from
      the model catalogue: a modelled estimate), kept apart;
      unpriced_requests had neither.
    - error_rate_pct: requests with status error or timeout ÷ requests × 100.
    - item_label: the model, or the use case's current name (dim_use_cases;
      its id when it has none), so a renamed use case keeps one label from
      week to week.
    No person is counted here, so nothing is suppressed by the minimum group
    size (CONTRACTS.md §5.5), as for the requests and cost tiles.
#}
with

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

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

requests_celled as (

    select
        request_days.week_start,
        coalesce(use_case_periods.portfolio_id, 'unassigned') as portfolio_id,
        request_days.business_unit_id,
        request_days.use_case_id,
        request_days.model,
        sum(request_days.requests) as requests,
        sum(request_days.errored_requests) as errored_requests,
        sum(request_days.input_tokens) as input_tokens,
        sum(request_days.output_tokens) as output_tokens,
        sum(request_days.cost_usd) as cost_usd,
        sum(request_days.reported_cost_usd) as reported_cost_usd,
        sum(request_days.priced_cost_usd) as priced_cost_usd,
        sum(request_days.unpriced_requests) as unpriced_requests
    from request_days
    left join use_case_periods
        on
            use_case_periods.period_grain = 'week'
            and request_days.week_start = use_case_periods.period_start
            and request_days.use_case_id = use_case_periods.use_case_id
    group by 1, 2, 3, 4, 5

),

requests_itemised as (

    select
        requests_celled.week_start,
        requests_celled.portfolio_id,
        requests_celled.business_unit_id,
        'model' as breakdown_kind,
        requests_celled.model as item_id,
        requests_celled.requests,
        requests_celled.errored_requests,
        requests_celled.input_tokens,
        requests_celled.output_tokens,
        requests_celled.cost_usd,
        requests_celled.reported_cost_usd,
        requests_celled.priced_cost_usd,
        requests_celled.unpriced_requests
    from requests_celled
    union all
    select
        requests_celled.week_start,
        requests_celled.portfolio_id,
        requests_celled.business_unit_id,
        'use_case' as breakdown_kind,
        requests_celled.use_case_id as item_id,
        requests_celled.requests,
        requests_celled.errored_requests,
        requests_celled.input_tokens,
        requests_celled.output_tokens,
        requests_celled.cost_usd,
        requests_celled.reported_cost_usd,
        requests_celled.priced_cost_usd,
        requests_celled.unpriced_requests
    from requests_celled

),

requests_scoped as (

    select
        requests_itemised.week_start,
        'organisation' as scope_id,
        requests_itemised.breakdown_kind,
        requests_itemised.item_id,
        sum(requests_itemised.requests) as requests,
        sum(requests_itemised.errored_requests) as errored_requests,
        sum(requests_itemised.input_tokens) as input_tokens,
        sum(requests_itemised.output_tokens) as output_tokens,
        sum(requests_itemised.cost_usd) as cost_usd,
        sum(requests_itemised.reported_cost_usd) as reported_cost_usd,
        sum(requests_itemised.priced_cost_usd) as priced_cost_usd,
        sum(requests_itemised.unpriced_requests) as unpriced_requests
    from requests_itemised
    group by 1, 2, 3, 4
    union all
    select
        requests_itemised.week_start,
        scope_cells.scope_id,
        requests_itemised.breakdown_kind,
        requests_itemised.item_id,
        sum(requests_itemised.requests) as requests,
        sum(requests_itemised.errored_requests) as errored_requests,
        sum(requests_itemised.input_tokens) as input_tokens,
        sum(requests_itemised.output_tokens) as output_tokens,
        sum(requests_itemised.cost_usd) as cost_usd,
        sum(requests_itemised.reported_cost_usd) as reported_cost_usd,
        sum(requests_itemised.priced_cost_usd) as priced_cost_usd,
        sum(requests_itemised.unpriced_requests) as unpriced_requests
    from requests_itemised
    inner join scope_cells
        on
            requests_itemised.portfolio_id = scope_cells.portfolio_id
            and requests_itemised.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'
    group by 1, 2, 3, 4

),

final as (

    select
        -- ids
        cast(requests_scoped.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(requests_scoped.item_id as {{ dbt.type_string() }}) as item_id,
        -- strings
        cast(requests_scoped.breakdown_kind as {{ dbt.type_string() }}) as breakdown_kind,
        cast(
            case
                when requests_scoped.breakdown_kind = 'use_case'
                    then coalesce(use_cases.use_case_name, requests_scoped.item_id)
                else requests_scoped.item_id
            end as {{ dbt.type_string() }}
        ) as item_label,
        -- numerics
        cast(requests_scoped.requests as {{ dbt.type_bigint() }}) as requests,
        cast(requests_scoped.errored_requests as {{ dbt.type_bigint() }}) as errored_requests,
        cast(
            {{ pct('requests_scoped.errored_requests', 'requests_scoped.requests') }}
            as {{ type_double() }}
        ) as error_rate_pct,
        cast(requests_scoped.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(requests_scoped.output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(requests_scoped.cost_usd as {{ type_double() }}) as cost_usd,
        cast(requests_scoped.reported_cost_usd as {{ type_double() }}) as reported_cost_usd,
        cast(requests_scoped.priced_cost_usd as {{ type_double() }}) as priced_cost_usd,
        cast(requests_scoped.unpriced_requests as {{ dbt.type_bigint() }}) as unpriced_requests,
        -- dates
        cast(requests_scoped.week_start as date) as week_start
    from requests_scoped
    left join use_cases
        on
            requests_scoped.breakdown_kind = 'use_case'
            and requests_scoped.item_id = use_cases.use_case_id

)

select * from final
