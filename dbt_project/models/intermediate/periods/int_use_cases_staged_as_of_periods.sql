{{ config(materialized='table') }}  {# read by the readiness, KPI and recommendation steps #}
{#
    One row per review period × use case known at the period's end
    (CONTRACTS.md §5.4; `as_of_date`: the period's end, or the build date for
    the period to date): the use case's row in the configuration version in
    force at `as_of_date`, and its stage on that day, the latest of `pilot`
    (from `pilot_start_date`), `production` (`production_date`), `scaled`
    (`scaled_date`) and `retired` (`retired_date`) whose date is on or before
    `as_of_date`, and `proposed` before all of them. A stage the version
    names without a date of its own applies from the day the first version
    naming it for this use case was recorded. On one day, the later stage
    of pilot < production < scaled < retired wins.
#}
with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

use_case_versions as (

    {#- scaled_date and retired_date are optional columns (CONTRACTS.md §5.2) #}
    {{ config_versions('use_cases', {'scaled_date': 'date', 'retired_date': 'date'}) }}

),

stages_first_recorded as (

    select
        use_case_versions.use_case_id,
        use_case_versions.stage,
        min(use_case_versions.config_recorded_date) as first_recorded_date
    from use_case_versions
    group by 1, 2

),

use_cases_in_force as (

    select
        periods.period_grain,
        periods.period_label,
        periods.is_period_to_date,
        periods.period_start,
        periods.period_end,
        periods.as_of_date,
        use_case_versions.*,
        stages_first_recorded.first_recorded_date as configured_stage_recorded_date
    from periods
    inner join use_case_versions
        on {{ config_in_force('use_case_versions', 'periods.as_of_date') }}
    left join stages_first_recorded
        on
            use_case_versions.use_case_id = stages_first_recorded.use_case_id
            and use_case_versions.stage = stages_first_recorded.stage

),

milestones_listed as (

    {%- set milestones = [
        ('pilot', 1, 'pilot_start_date'),
        ('production', 2, 'production_date'),
        ('scaled', 3, 'scaled_date'),
        ('retired', 4, 'retired_date'),
    ] %}
    {%- for stage, stage_order, date_column in milestones %}
    select
        use_cases_in_force.period_grain,
        use_cases_in_force.period_start,
        use_cases_in_force.use_case_id,
        '{{ stage }}' as milestone_stage,
        {{ stage_order }} as stage_order,
        coalesce(
            use_cases_in_force.{{ date_column }},
            case
                when use_cases_in_force.stage = '{{ stage }}'
                    then use_cases_in_force.configured_stage_recorded_date
            end
        ) as milestone_date
    from use_cases_in_force
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

milestones_reached as (

    select
        milestones_listed.period_grain,
        milestones_listed.period_start,
        milestones_listed.use_case_id,
        milestones_listed.milestone_stage,
        row_number() over (
            partition by
                milestones_listed.period_grain,
                milestones_listed.period_start,
                milestones_listed.use_case_id
            order by milestones_listed.milestone_date desc, milestones_listed.stage_order desc
        ) as recency_rank
    from milestones_listed
    inner join periods
        on
            milestones_listed.period_grain = periods.period_grain
            and milestones_listed.period_start = periods.period_start
    where milestones_listed.milestone_date <= periods.as_of_date

),

final as (

    select
        -- ids
        use_cases_in_force.use_case_id,
        use_cases_in_force.portfolio_id,
        use_cases_in_force.business_unit_id,
        use_cases_in_force.config_version_id as use_cases_version_id,
        -- strings
        use_cases_in_force.period_grain,
        use_cases_in_force.period_label,
        coalesce(milestones_reached.milestone_stage, 'proposed') as stage,
        use_cases_in_force.stage as configured_stage,
        nullif(trim(use_cases_in_force.outcome_owner), '') as outcome_owner,
        nullif(trim(use_cases_in_force.platform_owner), '') as platform_owner,
        nullif(trim(use_cases_in_force.risk_owner), '') as risk_owner,
        nullif(trim(use_cases_in_force.measurement_owner), '') as measurement_owner,
        -- booleans
        use_cases_in_force.is_period_to_date,
        -- dates
        use_cases_in_force.period_start,
        use_cases_in_force.period_end,
        use_cases_in_force.as_of_date,
        use_cases_in_force.pilot_start_date,
        use_cases_in_force.production_date,
        use_cases_in_force.scaled_date,
        use_cases_in_force.retired_date
    from use_cases_in_force
    left join milestones_reached
        on
            use_cases_in_force.period_grain = milestones_reached.period_grain
            and use_cases_in_force.period_start = milestones_reached.period_start
            and use_cases_in_force.use_case_id = milestones_reached.use_case_id
            and milestones_reached.recency_rank = 1

)

select * from final
