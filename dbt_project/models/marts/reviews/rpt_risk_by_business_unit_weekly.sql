{#
    One row per week_start × reading scope (dim_scopes) × business_unit_id
    with requests or survey figures in that scope: the risk posture a review
    shows by business unit, computed over the scope's cells only.

    - Requests belong to the cell of their use case's portfolio as known at
      the week's end (fct_use_case_periods, `unassigned` for usage no known
      use case claims) and of the requester's business unit, as in
      int_review_measures_scoped: a portfolio scope counts only requests of
      its use cases in that unit; the organisation counts every request,
      untagged, unassigned and unconfigured units included (its rows are
      fct_trust_weekly's).
    - policy_adherence_pct, shadow_ai_pct: as in fct_trust_weekly (CONTRACTS.md
      §4); requesting_users: distinct identified people with a request in the
      scope's cells of that unit and week.
    - Surveys describe a person in a business unit, not a use case: a unit's
      survey figures (survey_responses, survey_respondents, avg_satisfaction,
      avg_trust) are given only on rows whose scope covers the whole unit
      (every portfolio cell of it, `unassigned` included: the organisation,
      the business unit, an access scope granting the whole unit;
      is_whole_business_unit), and are null elsewhere.
    - Minimum group size (CONTRACTS.md §5.5): requesting_users,
      policy_violations, policy_adherence_pct, shadow_ai_requests and
      shadow_ai_pct are null (is_suppressed) when the row's requesting people
      number 1 to min_group_size − 1; the survey figures (is_survey_suppressed)
      when its respondents do. Complement: within one week × scope, whose
      total rpt_review_tiles shows, when exactly one row with requests (with
      survey responses) is suppressed, so is the next-smallest such row.
      Request volumes and the blocked, redacted and classification counts are
      request figures and are shown.
#}
with

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

user_weeks as (

    select * from {{ ref('int_active_user_days_aggregated_to_weeks') }}

),

survey_responses as (

    select * from {{ ref('int_survey_responses_joined_to_people') }}

),

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

scopes as (

    select * from {{ ref('dim_scopes') }}

),

business_units as (

    select * from {{ ref('stg_config__business_units') }}

),

review_tiles as (

    select * from {{ ref('rpt_review_tiles') }}

),

use_case_weeks as (

    select
        use_case_periods.period_start,
        use_case_periods.use_case_id,
        use_case_periods.portfolio_id
    from use_case_periods
    where use_case_periods.period_grain = 'week'

),

requests_celled as (

    {#- the window columns review_rows_scoped keys on: one whole week #}
    select
        'week' as period_grain,
        request_days.week_start as period_start,
        'period' as window_kind,
        coalesce(use_case_weeks.portfolio_id, 'unassigned') as portfolio_id,
        request_days.business_unit_id,
        sum(request_days.requests) as requests,
        sum(request_days.policy_violations) as policy_violations,
        sum(request_days.shadow_ai_requests) as shadow_ai_requests,
        sum(request_days.classification_violations) as classification_violations,
        sum(request_days.blocked_requests) as blocked_requests,
        sum(request_days.redacted_requests) as redacted_requests
    from request_days
    left join use_case_weeks
        on
            request_days.week_start = use_case_weeks.period_start
            and request_days.use_case_id = use_case_weeks.use_case_id
    group by 1, 2, 3, 4, 5

),

requesters_celled as (

    select
        'week' as period_grain,
        user_weeks.week_start as period_start,
        'period' as window_kind,
        coalesce(use_case_weeks.portfolio_id, 'unassigned') as portfolio_id,
        user_weeks.business_unit_id,
        user_weeks.user_id,
        1 as has_request
    from user_weeks
    left join use_case_weeks
        on
            user_weeks.week_start = use_case_weeks.period_start
            and user_weeks.use_case_id = use_case_weeks.use_case_id
    where user_weeks.requests_count > 0
    group by 1, 2, 3, 4, 5, 6

),

{%- set request_measures = [
    'requests', 'policy_violations', 'shadow_ai_requests', 'classification_violations',
    'blocked_requests', 'redacted_requests',
] %}

requests_scoped as (

    {{ review_rows_scoped('requests_celled', request_measures, keys=['business_unit_id']) }}

),

requesters_scoped as (

    {{ review_rows_scoped(
        'requesters_celled', ['people'], people=true, keys=['business_unit_id']
    ) }}

),

surveys_aggregated as (

    select
        survey_responses.week_start,
        survey_responses.business_unit_id,
        count(*) as survey_responses,
        {{ count_distinct('survey_responses.user_id') }} as survey_respondents,
        avg(survey_responses.satisfaction_score) as avg_satisfaction,
        avg(survey_responses.trust_score) as avg_trust
    from survey_responses
    group by 1, 2

),

scope_unit_cells as (

    select
        scope_cells.scope_id,
        scope_cells.business_unit_id,
        count(*) as cells_count
    from scope_cells
    group by 1, 2

),

whole_business_units as (

    {#- the scopes holding every cell of a unit (the unit's own scope's cells) #}
    select
        scope_unit_cells.scope_id,
        scope_unit_cells.business_unit_id
    from scope_unit_cells
    inner join scope_unit_cells as unit_cells
        on
            unit_cells.scope_id = {{ dbt.concat([
                "'business_unit:'", 'scope_unit_cells.business_unit_id',
            ]) }}
            and scope_unit_cells.business_unit_id = unit_cells.business_unit_id
    where
        scope_unit_cells.scope_id <> 'organisation'
        and scope_unit_cells.cells_count >= unit_cells.cells_count

),

same_cells as (

    {#- each scope's unit (its cells of the unit) beside every scope whose cells
        are exactly those: the scope whose tiles show the same figures #}
    select
        scope_unit_cells.scope_id,
        scope_unit_cells.business_unit_id,
        twin_cells.scope_id as twin_scope_id
    from scope_unit_cells
    inner join scope_cells
        on
            scope_unit_cells.scope_id = scope_cells.scope_id
            and scope_unit_cells.business_unit_id = scope_cells.business_unit_id
    inner join scope_cells as twin_cells
        on
            scope_cells.portfolio_id = twin_cells.portfolio_id
            and scope_cells.business_unit_id = twin_cells.business_unit_id
    inner join scopes as twins
        on
            twin_cells.scope_id = twins.scope_id
            and scope_unit_cells.cells_count = twins.cells_count
    group by 1, 2, 3, scope_unit_cells.cells_count
    having count(*) = scope_unit_cells.cells_count

),

twins_hidden as (

    {#- the unit's trust figures are already suppressed where a twin's tiles are
        (rpt_review_tiles' complements included), so neither table reveals them #}
    select
        same_cells.scope_id,
        same_cells.business_unit_id,
        review_tiles.period_start as week_start,
        max(case when review_tiles.is_suppressed then 1 else 0 end) as is_twin_hidden
    from same_cells
    inner join review_tiles
        on
            same_cells.twin_scope_id = review_tiles.scope_id
            and review_tiles.period_grain = 'week'
            and review_tiles.metric = 'policy_adherence_pct'
    group by 1, 2, 3

),

surveys_scoped as (

    select
        'organisation' as scope_id,
        surveys_aggregated.*
    from surveys_aggregated
    union all
    select
        whole_business_units.scope_id,
        surveys_aggregated.*
    from surveys_aggregated
    inner join whole_business_units
        on surveys_aggregated.business_unit_id = whole_business_units.business_unit_id

),

grid as (

    select
        requests_scoped.period_start as week_start,
        requests_scoped.scope_id,
        requests_scoped.business_unit_id
    from requests_scoped
    union
    select
        surveys_scoped.week_start,
        surveys_scoped.scope_id,
        surveys_scoped.business_unit_id
    from surveys_scoped

),

measured as (

    select
        grid.week_start,
        grid.scope_id,
        grid.business_unit_id,
        {%- for measure in request_measures %}
        coalesce(requests_scoped.{{ measure }}, 0) as {{ measure }},
        {%- endfor %}
        coalesce(requesters_scoped.requesting_users, 0) as requesting_users,
        coalesce(surveys_scoped.survey_responses, 0) as survey_responses,
        coalesce(surveys_scoped.survey_respondents, 0) as survey_respondents,
        surveys_scoped.avg_satisfaction,
        surveys_scoped.avg_trust,
        (
            grid.scope_id = 'organisation' or whole_business_units.scope_id is not null
        ) as is_whole_business_unit,
        (
            {{ is_small_group('coalesce(requesters_scoped.requesting_users, 0)') }}
            or coalesce(twins_hidden.is_twin_hidden, 0) = 1
        ) as is_small_trust_group,
        {{ is_small_group('coalesce(surveys_scoped.survey_respondents, 0)') }}
            as is_small_survey_group
    from grid
    left join requests_scoped
        on
            grid.week_start = requests_scoped.period_start
            and grid.scope_id = requests_scoped.scope_id
            and grid.business_unit_id = requests_scoped.business_unit_id
    left join requesters_scoped
        on
            grid.week_start = requesters_scoped.period_start
            and grid.scope_id = requesters_scoped.scope_id
            and grid.business_unit_id = requesters_scoped.business_unit_id
    left join surveys_scoped
        on
            grid.week_start = surveys_scoped.week_start
            and grid.scope_id = surveys_scoped.scope_id
            and grid.business_unit_id = surveys_scoped.business_unit_id
    left join whole_business_units
        on
            grid.scope_id = whole_business_units.scope_id
            and grid.business_unit_id = whole_business_units.business_unit_id
    left join twins_hidden
        on
            grid.week_start = twins_hidden.week_start
            and grid.scope_id = twins_hidden.scope_id
            and grid.business_unit_id = twins_hidden.business_unit_id

),

trust_complemented as (

    {{ complement_hidden(
        'measured', ['week_start', 'scope_id'], 'requesting_users', ['business_unit_id'],
        'is_small_trust_group', 'is_trust_hidden',
    ) }}

),

survey_complemented as (

    {{ complement_hidden(
        'trust_complemented', ['week_start', 'scope_id'], 'survey_respondents',
        ['business_unit_id'], 'is_small_survey_group', 'is_survey_hidden',
    ) }}

),

final as (

    select
        -- ids
        cast(survey_complemented.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(survey_complemented.business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        -- strings
        cast(
            coalesce(business_units.business_unit_name, survey_complemented.business_unit_id)
            as {{ dbt.type_string() }}
        ) as business_unit_name,
        -- numerics
        cast(survey_complemented.requests as {{ dbt.type_bigint() }}) as requests,
        cast(
            case
                when not survey_complemented.is_trust_hidden
                    then survey_complemented.policy_violations
            end
            as {{ dbt.type_bigint() }}
        ) as policy_violations,
        cast(
            case
                when not survey_complemented.is_trust_hidden
                    then 100.0 - {{ pct(
                        'survey_complemented.policy_violations', 'survey_complemented.requests'
                    ) }}
            end
            as {{ type_double() }}
        ) as policy_adherence_pct,
        cast(
            case
                when not survey_complemented.is_trust_hidden
                    then survey_complemented.shadow_ai_requests
            end
            as {{ dbt.type_bigint() }}
        ) as shadow_ai_requests,
        cast(
            case
                when not survey_complemented.is_trust_hidden
                    then {{ pct(
                        'survey_complemented.shadow_ai_requests', 'survey_complemented.requests'
                    ) }}
            end
            as {{ type_double() }}
        ) as shadow_ai_pct,
        cast(survey_complemented.classification_violations as {{ dbt.type_bigint() }})
            as classification_violations,
        cast(survey_complemented.blocked_requests as {{ dbt.type_bigint() }})
            as blocked_requests,
        cast(survey_complemented.redacted_requests as {{ dbt.type_bigint() }})
            as redacted_requests,
        cast(
            case
                when not survey_complemented.is_trust_hidden
                    then survey_complemented.requesting_users
            end
            as {{ dbt.type_bigint() }}
        ) as requesting_users,
        {%- for measure, type in [
            ('survey_responses', dbt.type_bigint()),
            ('survey_respondents', dbt.type_bigint()),
            ('avg_satisfaction', type_double()),
            ('avg_trust', type_double()),
        ] %}
        cast(
            case
                when
                    survey_complemented.is_whole_business_unit
                    and not survey_complemented.is_survey_hidden
                    then survey_complemented.{{ measure }}
            end
            as {{ type }}
        ) as {{ measure }},
        {%- endfor %}
        -- booleans
        cast(survey_complemented.is_trust_hidden as boolean) as is_suppressed,
        cast(
            survey_complemented.is_whole_business_unit and survey_complemented.is_survey_hidden
            as boolean
        ) as is_survey_suppressed,
        cast(survey_complemented.is_whole_business_unit as boolean) as is_whole_business_unit,
        -- dates
        cast(survey_complemented.week_start as date) as week_start
    from survey_complemented
    left join business_units
        on survey_complemented.business_unit_id = business_units.business_unit_id

)

select * from final
