{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per review period × readiness gap of a use case known at the
    period's `as_of_date` (CONTRACTS.md §4, §5.4), from the configuration in
    force that day: an owner not named; a launch-checklist item missing (no
    row, or dated after as_of_date: not done yet) or undated (the items of
    var('readiness_checklist_items') plus any other item listed for the use
    case); no KPI at all (a KPI defined after as_of_date does not exist yet);
    a KPI without a target value or target date, or whose target was defined
    after the production date (or on no recorded date). `gap_order` gives a
    stable order for display.
#}
with

use_cases as (

    select * from {{ ref('int_use_cases_staged_as_of_periods') }}

),

checklist_versions as (

    {{ config_versions('launch_checklist') }}

),

kpi_versions as (

    {{ config_versions('kpis') }}

),

required_items as (

    {%- for item in var('readiness_checklist_items') %}
    select '{{ item }}' as item, {{ loop.index }} as item_order
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

checklist_known as (

    select
        use_cases.period_grain,
        use_cases.period_start,
        use_cases.use_case_id,
        checklist_versions.item,
        count(*) as rows_count,
        max(checklist_versions.completed_on) as completed_date,
        max(
            case when checklist_versions.completed_on <= use_cases.as_of_date then 1 else 0 end
        ) as is_done
    from use_cases
    inner join checklist_versions
        on
            use_cases.use_case_id = checklist_versions.use_case_id
            and {{ config_in_force('checklist_versions', 'use_cases.as_of_date') }}
    group by 1, 2, 3, 4

),

expected_items_unioned as (

    select
        use_cases.period_grain,
        use_cases.period_start,
        use_cases.use_case_id,
        required_items.item,
        required_items.item_order
    from use_cases
    cross join required_items
    union all
    select
        checklist_known.period_grain,
        checklist_known.period_start,
        checklist_known.use_case_id,
        checklist_known.item,
        100 as item_order
    from checklist_known

),

expected_items as (

    select
        expected_items_unioned.period_grain,
        expected_items_unioned.period_start,
        expected_items_unioned.use_case_id,
        expected_items_unioned.item,
        min(expected_items_unioned.item_order) as item_order
    from expected_items_unioned
    group by 1, 2, 3, 4

),

kpis_known as (

    select
        use_cases.period_grain,
        use_cases.period_start,
        use_cases.use_case_id,
        use_cases.production_date,
        kpi_versions.kpi_id,
        kpi_versions.target_value,
        kpi_versions.target_date,
        kpi_versions.defined_on
    from use_cases
    inner join kpi_versions
        on
            use_cases.use_case_id = kpi_versions.use_case_id
            and {{ config_in_force('kpi_versions', 'use_cases.as_of_date') }}
    where kpi_versions.defined_on is null or kpi_versions.defined_on <= use_cases.as_of_date

),

kpi_counts as (

    select
        kpis_known.period_grain,
        kpis_known.period_start,
        kpis_known.use_case_id,
        count(*) as kpis_count
    from kpis_known
    group by 1, 2, 3

),

owner_gaps as (

    {%- set owners = ['outcome_owner', 'platform_owner', 'risk_owner', 'measurement_owner'] %}
    {%- for owner in owners %}
    select
        use_cases.period_grain,
        use_cases.period_start,
        use_cases.use_case_id,
        {{ loop.index }} as gap_order,
        'owner not named: {{ owner }}' as gap
    from use_cases
    where use_cases.{{ owner }} is null
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

checklist_gaps as (

    select
        expected_items.period_grain,
        expected_items.period_start,
        expected_items.use_case_id,
        10 + expected_items.item_order as gap_order,
        case
            when checklist_known.completed_date is null and checklist_known.rows_count > 0
                then {{ dbt.concat(["'checklist item undated: '", 'expected_items.item']) }}
            else {{ dbt.concat(["'checklist item missing: '", 'expected_items.item']) }}
        end as gap
    from expected_items
    left join checklist_known
        on
            expected_items.period_grain = checklist_known.period_grain
            and expected_items.period_start = checklist_known.period_start
            and expected_items.use_case_id = checklist_known.use_case_id
            and expected_items.item = checklist_known.item
    where coalesce(checklist_known.is_done, 0) = 0

),

no_kpi_gaps as (

    select
        use_cases.period_grain,
        use_cases.period_start,
        use_cases.use_case_id,
        200 as gap_order,
        'no kpi defined' as gap
    from use_cases
    left join kpi_counts
        on
            use_cases.period_grain = kpi_counts.period_grain
            and use_cases.period_start = kpi_counts.period_start
            and use_cases.use_case_id = kpi_counts.use_case_id
    where kpi_counts.kpis_count is null

),

kpi_gaps as (

    select
        kpis_known.period_grain,
        kpis_known.period_start,
        kpis_known.use_case_id,
        300 as gap_order,
        {{ dbt.concat([
            "'kpi '",
            'kpis_known.kpi_id',
            "case when kpis_known.target_value is null or kpis_known.target_date is null"
            ~ " then ': no target'"
            ~ " when kpis_known.defined_on is null"
            ~ " then ': target definition date missing'"
            ~ " else ': target defined after production' end",
        ]) }} as gap
    from kpis_known
    where
        kpis_known.target_value is null
        or kpis_known.target_date is null
        or kpis_known.defined_on is null
        or kpis_known.defined_on > kpis_known.production_date

),

final as (

    select * from owner_gaps
    union all
    select * from checklist_gaps
    union all
    select * from no_kpi_gaps
    union all
    select * from kpi_gaps

)

select * from final
