{#
    One row per review period (month, fiscal quarter) × reading scope: what
    the period cost and what the surveys say it saved, kept apart (CONTRACTS.md
    §5.2: every figure derived from an assumption is a modelled estimate).
    - Costs over the period's days through its as_of_date
      (int_review_measures_scoped, `period` window): usage cost (reported,
      observed; catalogue-priced, an estimate at the price of each request's
      day), licence seat cost (modelled: value_assumptions.csv seat prices;
      seats belong to people, so a portfolio scope has none) and their total.
    - Surveys submitted in the same days, in the cell of the response's use
      case's portfolio as known at the period's end (`unassigned` without
      one) and its business unit (int_survey_responses_joined_to_people):
      responses, respondents (distinct people), mean satisfaction and trust
      (over responses), avg_minutes_saved_per_week (each respondent's mean
      over their responses, averaged over respondents who answered it).
    - modelled_value_usd, a modelled estimate: Σ over those respondents of
      their mean minutes saved per week ÷ 60 × loaded_hourly_cost_usd (as
      known at the as_of_date) × the period's elapsed days ÷ 7. It counts
      respondents only (people who did not answer save nothing here), and is
      never added to an observed effect or a cost.
    - Minimum group size (CONTRACTS.md §5.5): 1 to min_group_size − 1
      respondents hide every survey figure, the counts of responses and
      respondents included, and the modelled value (is_survey_suppressed);
      the costs stay.
#}
with

measures as (

    select * from {{ ref('int_review_measures_scoped') }}

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

assumption_versions as (

    {{ config_versions('value_assumptions') }}

),

period_windows as (

    select
        measures.period_grain,
        measures.period_start,
        measures.scope_id,
        measures.window_start,
        measures.window_end,
        measures.cost_usd,
        measures.reported_cost_usd,
        measures.priced_cost_usd,
        measures.seat_days,
        measures.seat_cost_usd
    from measures
    where
        measures.window_kind = 'period'
        and measures.period_grain in ('month', 'quarter')

),

windows as (

    select distinct
        period_windows.period_grain,
        period_windows.period_start,
        period_windows.window_start,
        period_windows.window_end
    from period_windows

),

responses_celled as (

    select
        windows.period_grain,
        windows.period_start,
        coalesce(use_case_periods.portfolio_id, 'unassigned') as portfolio_id,
        survey_responses.business_unit_id,
        survey_responses.user_id,
        count(*) as responses,
        sum(survey_responses.satisfaction_score) as satisfaction_sum,
        count(survey_responses.satisfaction_score) as satisfaction_responses,
        sum(survey_responses.trust_score) as trust_sum,
        count(survey_responses.trust_score) as trust_responses,
        sum(survey_responses.reported_minutes_saved_per_week) as minutes_sum,
        count(survey_responses.reported_minutes_saved_per_week) as minutes_responses
    from windows
    inner join survey_responses
        on survey_responses.submitted_date between windows.window_start and windows.window_end
    left join use_case_periods
        on
            windows.period_grain = use_case_periods.period_grain
            and windows.period_start = use_case_periods.period_start
            and survey_responses.use_case_id = use_case_periods.use_case_id
    group by 1, 2, 3, 4, 5

),

responses_scoped as (

    select
        'organisation' as scope_id,
        responses_celled.*
    from responses_celled
    union all
    select
        scope_cells.scope_id,
        responses_celled.*
    from responses_celled
    inner join scope_cells
        on
            responses_celled.portfolio_id = scope_cells.portfolio_id
            and responses_celled.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'

),

respondents as (

    select
        responses_scoped.period_grain,
        responses_scoped.period_start,
        responses_scoped.scope_id,
        responses_scoped.user_id,
        sum(responses_scoped.responses) as responses,
        sum(responses_scoped.satisfaction_sum) as satisfaction_sum,
        sum(responses_scoped.satisfaction_responses) as satisfaction_responses,
        sum(responses_scoped.trust_sum) as trust_sum,
        sum(responses_scoped.trust_responses) as trust_responses,
        sum(responses_scoped.minutes_sum)
        / nullif(sum(responses_scoped.minutes_responses), 0) as mean_minutes_saved
    from responses_scoped
    group by 1, 2, 3, 4

),

surveys as (

    select
        respondents.period_grain,
        respondents.period_start,
        respondents.scope_id,
        sum(respondents.responses) as survey_responses,
        count(*) as survey_respondents,
        sum(respondents.satisfaction_sum)
        / nullif(sum(respondents.satisfaction_responses), 0) as avg_satisfaction,
        sum(respondents.trust_sum) / nullif(sum(respondents.trust_responses), 0) as avg_trust,
        count(respondents.mean_minutes_saved) as minutes_respondents,
        avg(respondents.mean_minutes_saved) as avg_minutes_saved_per_week,
        sum(respondents.mean_minutes_saved) as minutes_saved_per_week
    from respondents
    group by 1, 2, 3

),

hourly_costs as (

    select
        windows.period_grain,
        windows.period_start,
        max(assumption_versions.value) as loaded_hourly_cost_usd
    from windows
    inner join assumption_versions
        on {{ config_in_force('assumption_versions', 'windows.window_end') }}
    where trim(assumption_versions.assumption) = 'loaded_hourly_cost_usd'
    group by 1, 2

),

joined as (

    select
        period_windows.*,
        coalesce(surveys.survey_responses, 0) as survey_responses,
        coalesce(surveys.survey_respondents, 0) as survey_respondents,
        coalesce({{ is_small_group('surveys.survey_respondents') }}, false)
            as is_survey_suppressed,
        surveys.avg_satisfaction,
        surveys.avg_trust,
        surveys.minutes_respondents,
        surveys.avg_minutes_saved_per_week,
        surveys.minutes_saved_per_week,
        hourly_costs.loaded_hourly_cost_usd,
        {{ dbt.datediff('period_windows.window_start', 'period_windows.window_end', 'day') }} + 1
            as elapsed_days
    from period_windows
    left join surveys
        on
            period_windows.period_grain = surveys.period_grain
            and period_windows.period_start = surveys.period_start
            and period_windows.scope_id = surveys.scope_id
    left join hourly_costs
        on
            period_windows.period_grain = hourly_costs.period_grain
            and period_windows.period_start = hourly_costs.period_start

),

final as (

    select
        -- ids
        cast(joined.scope_id as {{ dbt.type_string() }}) as scope_id,
        -- strings
        cast(joined.period_grain as {{ dbt.type_string() }}) as period_grain,
        -- numerics
        cast(joined.cost_usd as {{ type_double() }}) as usage_cost_usd,
        cast(joined.reported_cost_usd as {{ type_double() }}) as reported_cost_usd,
        cast(joined.priced_cost_usd as {{ type_double() }}) as priced_cost_usd,
        cast(joined.seat_days as {{ dbt.type_bigint() }}) as seat_days,
        cast(joined.seat_cost_usd as {{ type_double() }}) as seat_cost_usd,
        cast(joined.cost_usd + joined.seat_cost_usd as {{ type_double() }}) as total_cost_usd,
        cast(joined.elapsed_days as {{ dbt.type_bigint() }}) as elapsed_days,
        {%- for measure in ['survey_responses', 'survey_respondents', 'minutes_respondents'] %}
        cast(
            case when not joined.is_survey_suppressed then joined.{{ measure }} end
            as {{ dbt.type_bigint() }}
        ) as {{ measure }},
        {%- endfor %}
        {%- for measure in ['avg_satisfaction', 'avg_trust', 'avg_minutes_saved_per_week'] %}
        cast(
            case when not joined.is_survey_suppressed then joined.{{ measure }} end
            as {{ type_double() }}
        ) as {{ measure }},
        {%- endfor %}
        cast(joined.loaded_hourly_cost_usd as {{ type_double() }}) as loaded_hourly_cost_usd,
        cast(
            case
                when not joined.is_survey_suppressed
                    then
                        joined.minutes_saved_per_week / 60.0 * joined.loaded_hourly_cost_usd
                        * joined.elapsed_days / 7.0
            end
            as {{ type_double() }}
        ) as modelled_value_usd,
        -- booleans
        cast(joined.is_survey_suppressed as boolean) as is_survey_suppressed,
        -- dates
        cast(joined.period_start as date) as period_start,
        cast(joined.window_end as date) as as_of_date
    from joined

)

select * from final
