{{ config(materialized='table') }}  {# read by the tiles and the decisions #}
{#
    One row per review window (int_review_windows_listed) × reading scope
    (dim_scopes): the additive counts, the distinct people and the as-of
    states every review tile is computed from (rpt_review_tiles), all zero
    where nothing happened.

    A row of activity belongs to the cell (portfolio, business unit) of
    CONTRACTS.md §5.3: the portfolio of its use case as known at the end of
    the window's period (fct_use_case_periods; `unassigned` for usage no
    known use case claims) and the business unit of the person (requests,
    activity) or of the use case (workflow runs, stages, KPIs). The
    organisation covers every row, a business unit not configured included;
    any other scope covers the rows of its cells (dim_scope_cells).
    - requests … redacted_requests: sums over the window's days;
    - active_users: distinct people with a request or vendor activity;
      requesting_users: distinct people with a request;
    - seat_days, seat_cost_usd: licence seats held on the window's days and
      their modelled cost (int_seat_costs_aggregated_to_days), in the cell
      of the holder's business unit and the `unassigned` portfolio (seats
      belong to people, not to use cases: a portfolio scope has none);
    - eligible_headcount: the eligible headcount of the scope's business
      units as configured at the window's last day;
    - runs_*, reviews …: workflow runs started in the window (a run's later
      events count with it, as in fct_workflow_weekly);
    - kpis_*, use_cases_*: as known at the period's end (fct_use_case_periods),
      on `period` windows only (null on `previous_to_date` windows).
#}

with

windows as (

    select * from {{ ref('int_review_windows_listed') }}

),

periods as (

    select * from {{ ref('int_periods_spined') }}

),

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

user_days as (

    select * from {{ ref('int_active_user_days_unioned') }}

),

runs as (

    select * from {{ ref('int_workflow_runs_assembled') }}

),

seat_costs as (

    select * from {{ ref('int_seat_costs_aggregated_to_days') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

scopes as (

    select * from {{ ref('dim_scopes') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

business_unit_versions as (

    {{ config_versions('business_units') }}

),

fiscal as (

    select max(periods.fiscal_year_start_month) as fiscal_year_start_month
    from periods

),


requests_daily as (

    select
        request_days.request_date as activity_date,
        request_days.business_unit_id,
        request_days.use_case_id,
        sum(request_days.requests) as requests,
        sum(request_days.errored_requests) as errored_requests,
        sum(request_days.input_tokens) as input_tokens,
        sum(request_days.output_tokens) as output_tokens,
        sum(request_days.cost_usd) as cost_usd,
        sum(request_days.reported_cost_usd) as reported_cost_usd,
        sum(request_days.priced_cost_usd) as priced_cost_usd,
        sum(request_days.policy_violations) as policy_violations,
        sum(request_days.shadow_ai_requests) as shadow_ai_requests,
        sum(request_days.classification_violations) as classification_violations,
        sum(request_days.blocked_requests) as blocked_requests,
        sum(request_days.redacted_requests) as redacted_requests
    from request_days
    group by 1, 2, 3

),

people_daily as (

    select
        user_days.activity_date,
        user_days.business_unit_id,
        user_days.use_case_id,
        user_days.user_id,
        max(case when user_days.requests_count > 0 then 1 else 0 end) as has_request
    from user_days
    group by 1, 2, 3, 4

),

runs_daily as (

    select
        cast(runs.started_at as date) as activity_date,
        runs.use_case_id,
        count(*) as runs_started,
        sum(case when runs.is_completed then 1 else 0 end) as runs_completed,
        sum(case when runs.has_exception then 1 else 0 end) as runs_with_exception,
        sum(runs.reviews_count) as reviews,
        sum(runs.accepted_reviews_count) as accepted_reviews,
        sum(runs.overridden_reviews_count) as overridden_reviews
    from runs
    group by 1, 2

),

seats_daily as (

    select
        seat_costs.seat_date as activity_date,
        seat_costs.business_unit_id,
        sum(seat_costs.seats) as seat_days,
        coalesce(sum(seat_costs.seat_cost_usd), 0) as seat_cost_usd
    from seat_costs
    group by 1, 2

),

seats_by_grain as (

    {{ review_rows_by_grain('seats_daily', 'seats_daily.activity_date') }}

),

requests_by_grain as (

    {{ review_rows_by_grain('requests_daily', 'requests_daily.activity_date') }}

),

people_by_grain as (

    {{ review_rows_by_grain('people_daily', 'people_daily.activity_date') }}

),

runs_by_grain as (

    {{ review_rows_by_grain('runs_daily', 'runs_daily.activity_date') }}

),


seats_windowed as (

    {{ review_rows_windowed('seats_by_grain') }}

),

requests_windowed as (

    {{ review_rows_windowed('requests_by_grain') }}

),

people_windowed as (

    {{ review_rows_windowed('people_by_grain') }}

),

runs_windowed as (

    {{ review_rows_windowed('runs_by_grain') }}

),

requests_celled as (

    select
        requests_windowed.period_grain,
        requests_windowed.period_start,
        requests_windowed.window_kind,
        coalesce(use_case_periods.portfolio_id, 'unassigned') as portfolio_id,
        requests_windowed.business_unit_id,
        sum(requests_windowed.requests) as requests,
        sum(requests_windowed.errored_requests) as errored_requests,
        sum(requests_windowed.input_tokens) as input_tokens,
        sum(requests_windowed.output_tokens) as output_tokens,
        sum(requests_windowed.cost_usd) as cost_usd,
        sum(requests_windowed.reported_cost_usd) as reported_cost_usd,
        sum(requests_windowed.priced_cost_usd) as priced_cost_usd,
        sum(requests_windowed.policy_violations) as policy_violations,
        sum(requests_windowed.shadow_ai_requests) as shadow_ai_requests,
        sum(requests_windowed.classification_violations) as classification_violations,
        sum(requests_windowed.blocked_requests) as blocked_requests,
        sum(requests_windowed.redacted_requests) as redacted_requests
    from requests_windowed
    left join use_case_periods
        on
            requests_windowed.period_grain = use_case_periods.period_grain
            and requests_windowed.mapping_period_start = use_case_periods.period_start
            and requests_windowed.use_case_id = use_case_periods.use_case_id
    group by 1, 2, 3, 4, 5

),

people_celled as (

    select
        people_windowed.period_grain,
        people_windowed.period_start,
        people_windowed.window_kind,
        coalesce(use_case_periods.portfolio_id, 'unassigned') as portfolio_id,
        people_windowed.business_unit_id,
        people_windowed.user_id,
        max(people_windowed.has_request) as has_request
    from people_windowed
    left join use_case_periods
        on
            people_windowed.period_grain = use_case_periods.period_grain
            and people_windowed.mapping_period_start = use_case_periods.period_start
            and people_windowed.use_case_id = use_case_periods.use_case_id
    group by 1, 2, 3, 4, 5, 6

),

runs_celled as (

    select
        runs_windowed.period_grain,
        runs_windowed.period_start,
        runs_windowed.window_kind,
        coalesce(use_case_periods.portfolio_id, 'unassigned') as portfolio_id,
        use_case_periods.business_unit_id,
        sum(runs_windowed.runs_started) as runs_started,
        sum(runs_windowed.runs_completed) as runs_completed,
        sum(runs_windowed.runs_with_exception) as runs_with_exception,
        sum(runs_windowed.reviews) as reviews,
        sum(runs_windowed.accepted_reviews) as accepted_reviews,
        sum(runs_windowed.overridden_reviews) as overridden_reviews
    from runs_windowed
    left join use_case_periods
        on
            runs_windowed.period_grain = use_case_periods.period_grain
            and runs_windowed.mapping_period_start = use_case_periods.period_start
            and runs_windowed.use_case_id = use_case_periods.use_case_id
    group by 1, 2, 3, 4, 5

),

seats_celled as (

    select
        seats_windowed.period_grain,
        seats_windowed.period_start,
        seats_windowed.window_kind,
        'unassigned' as portfolio_id,
        seats_windowed.business_unit_id,
        sum(seats_windowed.seat_days) as seat_days,
        sum(seats_windowed.seat_cost_usd) as seat_cost_usd
    from seats_windowed
    group by 1, 2, 3, 4, 5

),

states_celled as (

    select
        use_case_periods.period_grain,
        use_case_periods.period_start,
        'period' as window_kind,
        use_case_periods.portfolio_id,
        use_case_periods.business_unit_id,
        sum(use_case_periods.kpis_known) as kpis_known,
        sum(use_case_periods.kpis_green) as kpis_green,
        sum(use_case_periods.kpis_amber) as kpis_amber,
        sum(use_case_periods.kpis_red) as kpis_red,
        sum(use_case_periods.kpis_stale) as kpis_stale,
        sum(use_case_periods.kpis_pre_launch) as kpis_pre_launch,
        sum(
            case when use_case_periods.stage in ('production', 'scaled') then 1 else 0 end
        ) as use_cases_in_production,
        sum(case when use_case_periods.readiness_status = 'ready' then 1 else 0 end)
            as use_cases_ready,
        sum(case when use_case_periods.recommendation = 'scale' then 1 else 0 end)
            as use_cases_to_scale,
        sum(case when use_case_periods.recommendation = 'hold' then 1 else 0 end)
            as use_cases_to_hold,
        sum(case when use_case_periods.recommendation = 'redesign' then 1 else 0 end)
            as use_cases_to_redesign
    from use_case_periods
    group by 1, 2, 3, 4, 5

),


{%- set request_measures = [
    'requests', 'errored_requests', 'input_tokens', 'output_tokens', 'cost_usd',
    'reported_cost_usd', 'priced_cost_usd', 'policy_violations', 'shadow_ai_requests',
    'classification_violations', 'blocked_requests', 'redacted_requests',
] %}
{%- set run_measures = [
    'runs_started', 'runs_completed', 'runs_with_exception', 'reviews', 'accepted_reviews',
    'overridden_reviews',
] %}
{%- set seat_measures = ['seat_days', 'seat_cost_usd'] %}
{%- set state_measures = [
    'kpis_known', 'kpis_green', 'kpis_amber', 'kpis_red', 'kpis_stale', 'kpis_pre_launch',
    'use_cases_in_production', 'use_cases_ready', 'use_cases_to_scale', 'use_cases_to_hold',
    'use_cases_to_redesign',
] %}

requests_scoped as (

    {{ review_rows_scoped('requests_celled', request_measures) }}

),

people_scoped as (

    {{ review_rows_scoped('people_celled', ['people'], people=true) }}

),

runs_scoped as (

    {{ review_rows_scoped('runs_celled', run_measures) }}

),

seats_scoped as (

    {{ review_rows_scoped('seats_celled', seat_measures) }}

),

states_scoped as (

    {{ review_rows_scoped('states_celled', state_measures) }}

),

headcount_celled as (

    select
        windows.period_grain,
        windows.period_start,
        windows.window_kind,
        business_unit_versions.business_unit_id,
        max(business_unit_versions.eligible_headcount) as eligible_headcount
    from windows
    inner join business_unit_versions
        on {{ config_in_force('business_unit_versions', 'windows.window_end') }}
    group by 1, 2, 3, 4

),

scope_business_units as (

    select distinct
        scope_cells.scope_id,
        scope_cells.business_unit_id
    from scope_cells

),

headcount_scoped as (

    select
        headcount_celled.period_grain,
        headcount_celled.period_start,
        headcount_celled.window_kind,
        scope_business_units.scope_id,
        sum(headcount_celled.eligible_headcount) as eligible_headcount
    from headcount_celled
    inner join scope_business_units
        on headcount_celled.business_unit_id = scope_business_units.business_unit_id
    group by 1, 2, 3, 4

),

final as (

    select
        -- ids
        scopes.scope_id,
        -- strings
        windows.period_grain,
        windows.window_kind,
        -- numerics
        {%- for measure in request_measures %}
        coalesce(requests_scoped.{{ measure }}, 0) as {{ measure }},
        {%- endfor %}
        coalesce(people_scoped.active_users, 0) as active_users,
        coalesce(people_scoped.requesting_users, 0) as requesting_users,
        {%- for measure in run_measures %}
        coalesce(runs_scoped.{{ measure }}, 0) as {{ measure }},
        {%- endfor %}
        {%- for measure in seat_measures %}
        coalesce(seats_scoped.{{ measure }}, 0) as {{ measure }},
        {%- endfor %}
        headcount_scoped.eligible_headcount,
        {%- for measure in state_measures %}
        case
            when windows.window_kind = 'period' then coalesce(states_scoped.{{ measure }}, 0)
        end as {{ measure }},
        {%- endfor %}
        -- dates
        windows.period_start,
        windows.window_start,
        windows.window_end
    from windows
    cross join scopes
    {%- for relation in ['requests_scoped', 'people_scoped', 'runs_scoped', 'seats_scoped',
                         'states_scoped', 'headcount_scoped'] %}
    left join {{ relation }}
        on
            windows.period_grain = {{ relation }}.period_grain
            and windows.period_start = {{ relation }}.period_start
            and windows.window_kind = {{ relation }}.window_kind
            and scopes.scope_id = {{ relation }}.scope_id
    {%- endfor %}

)

select * from final
