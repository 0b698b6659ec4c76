{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per readiness gap of a use case (CONTRACTS.md §4): an owner not
    named, a launch-checklist item missing or undated (the items of
    var('readiness_checklist_items') plus any other item listed for the use
    case), no KPI at all, a KPI without a target value or target date, or a
    KPI whose target was defined after the production date (or on no
    recorded date). `gap_order` gives a stable order for display.
#}
with

use_cases as (

    select * from {{ ref('stg_config__use_cases') }}

),

checklist_items as (

    select * from {{ ref('stg_config__launch_checklist_items') }}

),

kpis as (

    select * from {{ ref('stg_config__kpis') }}

),

required_items as (

    {%- for item in var('readiness_checklist_items') %}
    select
        '{{ item }}' as item,
        {{ loop.index }} as item_order
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

expected_items_unioned as (

    select
        use_cases.use_case_id,
        required_items.item,
        required_items.item_order
    from use_cases
    cross join required_items
    union all
    select
        checklist_items.use_case_id,
        checklist_items.item,
        100 as item_order
    from checklist_items
    inner join use_cases
        on checklist_items.use_case_id = use_cases.use_case_id

),

expected_items as (

    select
        expected_items_unioned.use_case_id,
        expected_items_unioned.item,
        min(expected_items_unioned.item_order) as item_order
    from expected_items_unioned
    group by 1, 2

),

checklist_dated as (

    select
        checklist_items.use_case_id,
        checklist_items.item,
        count(*) as rows_count,
        max(checklist_items.completed_date) as completed_date
    from checklist_items
    group by 1, 2

),

owner_gaps as (

    {%- set owners = ['outcome_owner', 'platform_owner', 'risk_owner', 'measurement_owner'] %}
    {%- for owner in owners %}
    select
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
        expected_items.use_case_id,
        10 + expected_items.item_order as gap_order,
        case
            when checklist_dated.rows_count is null
                then {{ dbt.concat(["'checklist item missing: '", 'expected_items.item']) }}
            else {{ dbt.concat(["'checklist item undated: '", 'expected_items.item']) }}
        end as gap
    from expected_items
    left join checklist_dated
        on
            expected_items.use_case_id = checklist_dated.use_case_id
            and expected_items.item = checklist_dated.item
    where checklist_dated.completed_date is null

),

kpi_counts as (

    select
        kpis.use_case_id,
        count(*) as kpis_count
    from kpis
    group by 1

),

no_kpi_gaps as (

    select
        use_cases.use_case_id,
        200 as gap_order,
        'no kpi defined' as gap
    from use_cases
    left join kpi_counts
        on use_cases.use_case_id = kpi_counts.use_case_id
    where kpi_counts.kpis_count is null

),

kpi_gaps as (

    select
        kpis.use_case_id,
        300 as gap_order,
        {{ dbt.concat([
            'kpis.kpi_id',
            "case when kpis.target_value is null or kpis.target_date is null"
            ~ " then ': no target'"
            ~ " when kpis.target_defined_date is null"
            ~ " then ': target definition date missing'"
            ~ " else ': target defined after production' end",
        ]) }} as kpi_gap
    from kpis
    inner join use_cases
        on kpis.use_case_id = use_cases.use_case_id
    where
        kpis.target_value is null
        or kpis.target_date is null
        or kpis.target_defined_date is null
        or kpis.target_defined_date > use_cases.production_date

),

final as (

    select
        owner_gaps.use_case_id,
        owner_gaps.gap_order,
        owner_gaps.gap
    from owner_gaps
    union all
    select
        checklist_gaps.use_case_id,
        checklist_gaps.gap_order,
        checklist_gaps.gap
    from checklist_gaps
    union all
    select
        no_kpi_gaps.use_case_id,
        no_kpi_gaps.gap_order,
        no_kpi_gaps.gap
    from no_kpi_gaps
    union all
    select
        kpi_gaps.use_case_id,
        kpi_gaps.gap_order,
        {{ dbt.concat(["'kpi '", 'kpi_gaps.kpi_gap']) }} as gap
    from kpi_gaps

)

select * from final
