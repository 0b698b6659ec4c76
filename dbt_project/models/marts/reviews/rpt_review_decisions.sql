{#
    One row per decision a monthly or quarterly review puts to its reader, per
    period × reading scope, each as known at the period's end
    (fct_use_case_periods, int_kpi_statuses_as_of_periods, rpt_review_tiles):
    1. Redesign — a use case recommended for redesign, with its reasons;
    2. Act on red KPI — a KPI whose status is red, with its gap closed
       against the progress expected by now;
    3. Scale — a use case recommended for scale, with its reasons;
    4. Close readiness gaps — a use case in production or scaled, not ready
       and recommended neither way, with its gaps;
    5. Shadow AI — its share of requests rose against the previous period
       (like for like for the period to date), or its status is amber or red;
    6. Policy adherence — its share fell against the previous period;
    7. Hold — one row naming every use case recommended to hold.
    A use case (and its KPIs) is in a scope when the scope covers its cell
    (portfolio, business unit) as known at the period's end; the
    organisation covers all. Shadow AI and policy adherence follow the
    scope's tiles and are absent where the tiles are suppressed.
#}
with

use_case_periods as (

    select * from {{ ref('fct_use_case_periods') }}

),

kpi_statuses as (

    select * from {{ ref('int_kpi_statuses_as_of_periods') }}

),

tiles as (

    select * from {{ ref('rpt_review_tiles') }}

),

scope_cells as (

    select * from {{ ref('dim_scope_cells') }}

),

use_case_versions as (

    {{ config_versions('use_cases', {'scaled_date': 'date', 'retired_date': 'date'}) }}

),

kpi_versions as (

    {{ config_versions('kpis') }}

),

named_use_cases as (

    select
        use_case_periods.*,
        coalesce(use_case_versions.name, use_case_periods.use_case_id) as use_case_name
    from use_case_periods
    left join use_case_versions
        on
            use_case_periods.use_case_id = use_case_versions.use_case_id
            and {{ config_in_force('use_case_versions', 'use_case_periods.as_of_date') }}
    where use_case_periods.period_grain in ('month', 'quarter')

),

use_case_decisions as (

    select
        named_use_cases.period_grain,
        named_use_cases.period_start,
        named_use_cases.portfolio_id,
        named_use_cases.business_unit_id,
        named_use_cases.use_case_id,
        cast(null as {{ dbt.type_string() }}) as kpi_id,
        case named_use_cases.recommendation
            when 'redesign' then 'Redesign'
            when 'scale' then 'Scale'
            else 'Close readiness gaps'
        end as decision,
        case named_use_cases.recommendation
            when 'redesign' then 1
            when 'scale' then 3
            else 4
        end as decision_order,
        named_use_cases.use_case_name as subject,
        case
            when named_use_cases.recommendation in ('redesign', 'scale')
                then coalesce(named_use_cases.recommendation_reasons, '')
            else {{ dbt.concat([
                'named_use_cases.stage', "' but not ready: '",
                "coalesce(named_use_cases.readiness_gaps, '')",
            ]) }}
        end as why
    from named_use_cases
    where
        named_use_cases.recommendation in ('redesign', 'scale')
        or (
            named_use_cases.stage in ('production', 'scaled')
            and named_use_cases.readiness_status <> 'ready'
        )

),

kpi_decisions as (

    select
        named_use_cases.period_grain,
        named_use_cases.period_start,
        named_use_cases.portfolio_id,
        named_use_cases.business_unit_id,
        named_use_cases.use_case_id,
        kpi_statuses.kpi_id,
        'Act on red KPI' as decision,
        2 as decision_order,
        {{ dbt.concat([
            'coalesce(kpi_versions.name, kpi_statuses.kpi_id)', "' ('",
            'named_use_cases.use_case_name', "')'",
        ]) }} as subject,
        case
            -- red because its progress cannot be measured (§5.4): say which input is missing
            when kpi_statuses.gap_closed_pct is null or kpi_statuses.expected_progress_pct is null
                then {{ dbt.concat([
                    "'progress cannot be measured: '",
                    "case when kpi_statuses.target_value is null then 'no target'"
                    ~ " when kpi_statuses.baseline_value is null then 'no baseline'"
                    ~ " when kpi_statuses.actual_value is null then 'no actual'"
                    ~ " else 'no expected progress by now' end",
                    "' (actual '",
                    "coalesce(" ~ fixed_text('kpi_statuses.actual_value') ~ ", 'none')",
                    "' '", "coalesce(kpi_versions.unit, '')", "')'",
                ]) }}
            else {{ dbt.concat([
                "'gap closed '", fixed_text('kpi_statuses.gap_closed_pct'),
                "'% against '", fixed_text('kpi_statuses.expected_progress_pct'),
                "'% expected by now (actual '", fixed_text('kpi_statuses.actual_value'),
                "' '", "coalesce(kpi_versions.unit, '')",
                "', baseline '", fixed_text('kpi_statuses.baseline_value'),
                "', target '", fixed_text('kpi_statuses.target_value'), "')'",
            ]) }}
        end as why
    from kpi_statuses
    inner join named_use_cases
        on
            kpi_statuses.period_grain = named_use_cases.period_grain
            and kpi_statuses.period_start = named_use_cases.period_start
            and kpi_statuses.use_case_id = named_use_cases.use_case_id
    left join kpi_versions
        on
            kpi_statuses.kpi_id = kpi_versions.kpi_id
            and {{ config_in_force('kpi_versions', 'kpi_statuses.as_of_date') }}
    where kpi_statuses.kpi_status = 'red'

),

item_decisions as (

    select * from use_case_decisions
    union all
    select * from kpi_decisions

),

holds as (

    select
        named_use_cases.period_grain,
        named_use_cases.period_start,
        named_use_cases.portfolio_id,
        named_use_cases.business_unit_id,
        named_use_cases.use_case_name
    from named_use_cases
    where named_use_cases.recommendation = 'hold'

),

holds_scoped as (

    select
        holds.period_grain,
        holds.period_start,
        'organisation' as scope_id,
        holds.use_case_name
    from holds
    union all
    select
        holds.period_grain,
        holds.period_start,
        scope_cells.scope_id,
        holds.use_case_name
    from holds
    inner join scope_cells
        on
            holds.portfolio_id = scope_cells.portfolio_id
            and holds.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'

),

hold_decisions as (

    select
        holds_scoped.period_grain,
        holds_scoped.period_start,
        holds_scoped.scope_id,
        cast(null as {{ dbt.type_string() }}) as use_case_id,
        cast(null as {{ dbt.type_string() }}) as kpi_id,
        'Hold' as decision,
        7 as decision_order,
        {{ dbt.concat([
            dbt.cast('count(*)', dbt.type_string()), "' use case(s)'",
        ]) }} as subject,
        {{ dbt.concat([
            dbt.listagg('holds_scoped.use_case_name', "', '",
                        'order by holds_scoped.use_case_name'),
            "' — reasons in the readiness table'",
        ]) }} as why
    from holds_scoped
    group by 1, 2, 3

),

trust_tiles as (

    select
        tiles.period_grain,
        tiles.period_start,
        tiles.scope_id,
        tiles.metric,
        tiles.metric_value,
        tiles.previous_metric_value,
        tiles.status,
        case
            when tiles.is_period_to_date
                then {{ dbt.concat(["' in as many days of last '", 'tiles.period_grain']) }}
            else {{ dbt.concat(["' last '", 'tiles.period_grain']) }}
        end as compared_with
    from tiles
    where
        tiles.period_grain in ('month', 'quarter')
        and tiles.metric in ('shadow_ai_pct', 'policy_adherence_pct')
        and tiles.metric_value is not null

),

trust_decisions as (

    select
        trust_tiles.period_grain,
        trust_tiles.period_start,
        trust_tiles.scope_id,
        cast(null as {{ dbt.type_string() }}) as use_case_id,
        cast(null as {{ dbt.type_string() }}) as kpi_id,
        'Shadow AI' as decision,
        5 as decision_order,
        case
            when trust_tiles.metric_value > trust_tiles.previous_metric_value then 'rising'
            else {{ dbt.concat(["'status '", 'trust_tiles.status']) }}
        end as subject,
        case
            when trust_tiles.metric_value > trust_tiles.previous_metric_value
                then {{ dbt.concat([
                    fixed_text('trust_tiles.metric_value'),
                    "'% of requests to unapproved models, up from '",
                    fixed_text('trust_tiles.previous_metric_value'), "'%'",
                    'trust_tiles.compared_with', "' (status '",
                    "coalesce(trust_tiles.status, 'none')", "')'",
                ]) }}
            else {{ dbt.concat([
                fixed_text('trust_tiles.metric_value'),
                "'% of requests to unapproved models'",
            ]) }}
        end as why
    from trust_tiles
    where
        trust_tiles.metric = 'shadow_ai_pct'
        and (
            trust_tiles.metric_value > trust_tiles.previous_metric_value
            or trust_tiles.status in ('amber', 'red')
        )
    union all
    select
        trust_tiles.period_grain,
        trust_tiles.period_start,
        trust_tiles.scope_id,
        cast(null as {{ dbt.type_string() }}) as use_case_id,
        cast(null as {{ dbt.type_string() }}) as kpi_id,
        'Policy adherence' as decision,
        6 as decision_order,
        'falling' as subject,
        {{ dbt.concat([
            fixed_text('trust_tiles.metric_value'),
            "'% of requests without a violation, down from '",
            fixed_text('trust_tiles.previous_metric_value'), "'%'",
            'trust_tiles.compared_with',
        ]) }} as why
    from trust_tiles
    where
        trust_tiles.metric = 'policy_adherence_pct'
        and trust_tiles.metric_value < trust_tiles.previous_metric_value

),

decisions as (

    select
        item_decisions.period_grain,
        item_decisions.period_start,
        'organisation' as scope_id,
        item_decisions.use_case_id,
        item_decisions.kpi_id,
        item_decisions.decision,
        item_decisions.decision_order,
        item_decisions.subject,
        item_decisions.why
    from item_decisions
    union all
    select
        item_decisions.period_grain,
        item_decisions.period_start,
        scope_cells.scope_id,
        item_decisions.use_case_id,
        item_decisions.kpi_id,
        item_decisions.decision,
        item_decisions.decision_order,
        item_decisions.subject,
        item_decisions.why
    from item_decisions
    inner join scope_cells
        on
            item_decisions.portfolio_id = scope_cells.portfolio_id
            and item_decisions.business_unit_id = scope_cells.business_unit_id
    where scope_cells.scope_id <> 'organisation'
    union all
    select * from hold_decisions
    union all
    select * from trust_decisions

),

computed as (

    select
        -- ids
        cast(decisions.scope_id as {{ dbt.type_string() }}) as scope_id,
        cast(decisions.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(decisions.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        -- strings
        cast(decisions.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(decisions.decision as {{ dbt.type_string() }}) as decision,
        cast(decisions.subject as {{ dbt.type_string() }}) as subject,
        cast(decisions.why as {{ dbt.type_string() }}) as why,
        -- numerics
        cast(decisions.decision_order as {{ dbt.type_int() }}) as decision_order,
        -- dates
        cast(decisions.period_start as date) as period_start
    from decisions

),

{#- a closed period keeps the rows recorded at its close #}
{{ closed_review_rows('computed', ['decision', 'subject', 'use_case_id', 'kpi_id']) }}

select * from final
