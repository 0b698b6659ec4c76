{#
    One row per week_start × business_unit_id with requests or survey
    responses (CONTRACTS.md §3/§4). Requests without a resolvable business
    unit (e.g. telemetry with no user) are reported under 'unassigned'.
    - policy_adherence_pct: requests without a policy violation ÷ all × 100,
      a violation being policy_action blocked/redacted, a model absent from the
      catalogue or not approved, or data classified above the model's maximum;
    - shadow_ai_pct: requests to a model absent or not approved ÷ all × 100;
    - classification_violations: requests classified above the model's maximum;
    - blocked_requests: status blocked or policy_action blocked;
    - avg_satisfaction / avg_trust: survey means (1–5), observed;
    - survey_respondents: distinct people who answered a survey that week;
    - requesting_users: distinct (identified) people with ≥ 1 request;
    the two people counts let the app suppress groups under the minimum
    group size.
#}
with

request_days as (

    select * from {{ ref('int_requests_aggregated_to_days') }}

),

survey_responses as (

    select * from {{ ref('int_survey_responses_joined_to_people') }}

),

active_user_weeks as (

    select * from {{ ref('int_active_user_days_aggregated_to_weeks') }}

),

requesting_users_counted as (

    select
        active_user_weeks.week_start,
        active_user_weeks.business_unit_id,
        {{ count_distinct('active_user_weeks.user_id') }} as requesting_users
    from active_user_weeks
    where active_user_weeks.requests_count > 0
    group by 1, 2

),

requests_aggregated as (

    select
        request_days.week_start,
        request_days.business_unit_id,
        sum(request_days.requests) as requests,
        sum(request_days.policy_violations) as policy_violations,
        sum(request_days.shadow_ai_requests) as shadow_ai_requests,
        sum(request_days.classification_violations) as classification_violations,
        sum(request_days.blocked_requests) as blocked_requests,
        sum(request_days.redacted_requests) as redacted_requests
    from request_days
    group by 1, 2

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

grid as (

    select
        requests_aggregated.week_start,
        requests_aggregated.business_unit_id
    from requests_aggregated
    union
    select
        surveys_aggregated.week_start,
        surveys_aggregated.business_unit_id
    from surveys_aggregated

),

final as (

    select
        -- ids
        cast(grid.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- numerics
        cast(coalesce(requests_aggregated.requests, 0) as {{ dbt.type_bigint() }}) as requests,
        cast(coalesce(requests_aggregated.policy_violations, 0) as {{ dbt.type_bigint() }})
            as policy_violations,
        cast(
            100.0
            - {{ pct('requests_aggregated.policy_violations', 'requests_aggregated.requests') }}
            as {{ type_double() }}
        ) as policy_adherence_pct,
        cast(coalesce(requests_aggregated.shadow_ai_requests, 0) as {{ dbt.type_bigint() }})
            as shadow_ai_requests,
        cast(
            {{ pct('requests_aggregated.shadow_ai_requests', 'requests_aggregated.requests') }}
            as {{ type_double() }}
        ) as shadow_ai_pct,
        cast(coalesce(requests_aggregated.classification_violations, 0) as {{ dbt.type_bigint() }})
            as classification_violations,
        cast(coalesce(requests_aggregated.blocked_requests, 0) as {{ dbt.type_bigint() }})
            as blocked_requests,
        cast(
            {{ pct('requests_aggregated.blocked_requests', 'requests_aggregated.requests') }}
            as {{ type_double() }}
        ) as blocked_pct,
        cast(coalesce(requests_aggregated.redacted_requests, 0) as {{ dbt.type_bigint() }})
            as redacted_requests,
        cast(
            {{ pct('requests_aggregated.redacted_requests', 'requests_aggregated.requests') }}
            as {{ type_double() }}
        ) as redacted_pct,
        cast(coalesce(surveys_aggregated.survey_responses, 0) as {{ dbt.type_bigint() }})
            as survey_responses,
        cast(coalesce(surveys_aggregated.survey_respondents, 0) as {{ dbt.type_bigint() }})
            as survey_respondents,
        cast(coalesce(requesting_users_counted.requesting_users, 0) as {{ dbt.type_bigint() }})
            as requesting_users,
        cast(surveys_aggregated.avg_satisfaction as {{ type_double() }}) as avg_satisfaction,
        cast(surveys_aggregated.avg_trust as {{ type_double() }}) as avg_trust,
        -- dates
        cast(grid.week_start as date) as week_start
    from grid
    left join requests_aggregated
        on
            grid.week_start = requests_aggregated.week_start
            and grid.business_unit_id = requests_aggregated.business_unit_id
    left join surveys_aggregated
        on
            grid.week_start = surveys_aggregated.week_start
            and grid.business_unit_id = surveys_aggregated.business_unit_id
    left join requesting_users_counted
        on
            grid.week_start = requesting_users_counted.week_start
            and grid.business_unit_id = requesting_users_counted.business_unit_id

)

select * from final
