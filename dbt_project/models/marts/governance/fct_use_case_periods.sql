{#
    One row per review period × use case known at the period's end
    (CONTRACTS.md §5.3, §5.4): `period_grain` (week, month, quarter; quarters
    fiscal) × `period_start` × `use_case_id`, every value as known at the
    period's `as_of_date` (its last day; the build date for the period to
    date): stage from the dated milestones, owners, checklist and KPIs from
    the configuration version in force, evidence from events on or before it.

    readiness_status: 'ready' only when all four owners are named, every
    launch-checklist item is dated on or before as_of_date and each KPI known
    then has a target (value and date) defined on or before production_date;
    readiness_gaps lists each missing piece ('; '-separated, empty when ready).

    recommendation: null while the use case is `proposed` or `retired`;
    otherwise (thresholds from seeds/thresholds.csv, evidence from
    int_use_case_evidence_as_of_periods over the trailing
    recommend_window_weeks):
    - redesign when, with at least recommend_min_reviews reviews, the override
      rate is ≥ recommend_redesign_override_rate_pct or quality acceptance is
      < recommend_redesign_min_quality_acceptance_pct; or when a KPI's latest
      post-launch gap_closed_pct is below recommend_redesign_min_gap_closed_pct;
      or when a registered agent of the use case with at least
      recommend_min_agent_runs runs in the window has a success rate below
      agent_success_rate_pct's amber bound or a cost per successful run above
      agent_cost_per_successful_run_usd's;
    - scale when not redesign and: ready; ≥ recommend_min_reviews reviews with
      override rate ≤ recommend_scale_max_override_rate_pct and quality
      acceptance ≥ recommend_scale_min_quality_acceptance_pct; policy
      adherence ≥ recommend_scale_min_policy_adherence_pct (when it has
      requests); at least one KPI, every KPI with a post-launch observation
      that is not stale and on track (gap_closed_pct ≥
      recommend_scale_min_kpi_progress_ratio × expected);
    - hold otherwise. recommendation_reasons lists the triggered redesign
      conditions, else the unmet scale conditions, else the evidence for scale.

    kpis_green … kpis_pre_launch: the statuses of the KPIs known at
    as_of_date (int_kpi_statuses_as_of_periods); the five add up to them.
#}
with

use_cases as (

    select * from {{ ref('int_use_cases_staged_as_of_periods') }}

),

readiness_gaps as (

    select * from {{ ref('int_use_case_readiness_gaps_as_of_periods') }}

),

evidence as (

    select * from {{ ref('int_use_case_evidence_as_of_periods') }}

),

agent_evidence as (

    select * from {{ ref('int_agent_evidence_as_of_periods') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

readiness_aggregated as (

    select
        readiness_gaps.period_grain,
        readiness_gaps.period_start,
        readiness_gaps.use_case_id,
        count(*) as readiness_gap_count,
        {{ dbt.listagg(
            'readiness_gaps.gap', "'; '", 'order by readiness_gaps.gap_order, readiness_gaps.gap'
        ) }} as readiness_gaps
    from readiness_gaps
    group by 1, 2, 3

),

evidence_assessed as (

    select
        evidence.*,
        use_cases.stage,
        coalesce(readiness_aggregated.readiness_gap_count, 0) as readiness_gap_count,
        evidence.window_reviews >= thresholds.recommend_min_reviews_green
            as has_review_evidence,
        thresholds.recommend_min_reviews_green as min_reviews,
        thresholds.recommend_redesign_override_rate_pct_green as redesign_override_rate_pct,
        thresholds.recommend_redesign_min_quality_acceptance_pct_green
            as redesign_min_quality_acceptance_pct,
        thresholds.recommend_scale_max_override_rate_pct_green as scale_max_override_rate_pct,
        thresholds.recommend_scale_min_quality_acceptance_pct_green
            as scale_min_quality_acceptance_pct,
        thresholds.recommend_scale_min_policy_adherence_pct_green
            as scale_min_policy_adherence_pct
    from evidence
    inner join use_cases
        on
            evidence.period_grain = use_cases.period_grain
            and evidence.period_start = use_cases.period_start
            and evidence.use_case_id = use_cases.use_case_id
    left join readiness_aggregated
        on
            evidence.period_grain = readiness_aggregated.period_grain
            and evidence.period_start = readiness_aggregated.period_start
            and evidence.use_case_id = readiness_aggregated.use_case_id
    cross join thresholds
    where use_cases.stage in ('pilot', 'production', 'scaled')

),

{#- Each reason: (verdict, order, condition, text). Redesign reasons decide;
    else any hold reason holds. #}
{%- set e = 'evidence_assessed.' %}
{%- set reasons = [
    ('redesign', 1,
     e ~ 'has_review_evidence and ' ~ e ~ 'window_override_rate_pct >= '
        ~ e ~ 'redesign_override_rate_pct',
     dbt.concat(["'override rate '", number_text(e ~ 'window_override_rate_pct'),
                 "'% at or above '", number_text(e ~ 'redesign_override_rate_pct'),
                 "'% over the last '", dbt.cast(e ~ 'window_weeks', dbt.type_string()),
                 "' weeks'"])),
    ('redesign', 2,
     e ~ 'has_review_evidence and ' ~ e ~ 'window_quality_acceptance_pct < '
        ~ e ~ 'redesign_min_quality_acceptance_pct',
     dbt.concat(["'quality acceptance '", number_text(e ~ 'window_quality_acceptance_pct'),
                 "'% below '", number_text(e ~ 'redesign_min_quality_acceptance_pct'), "'%'"])),
    ('redesign', 3, e ~ 'kpis_regressing > 0',
     dbt.concat([dbt.cast(e ~ 'kpis_regressing', dbt.type_string()),
                 "' KPI(s) moved away from target since launch'"])),
    ('hold', 10, e ~ 'readiness_gap_count > 0',
     dbt.concat(["'not ready ('", dbt.cast(e ~ 'readiness_gap_count', dbt.type_string()),
                 "' readiness gap(s))'"])),
    ('hold', 12, 'not ' ~ e ~ 'has_review_evidence',
     dbt.concat(["'too little review evidence: '",
                 dbt.cast(e ~ 'window_reviews', dbt.type_string()),
                 "' review(s) in the last '", dbt.cast(e ~ 'window_weeks', dbt.type_string()),
                 "' weeks, minimum '",
                 dbt.cast(dbt.cast(e ~ 'min_reviews', dbt.type_int()), dbt.type_string())])),
    ('hold', 13,
     e ~ 'has_review_evidence and ' ~ e ~ 'window_override_rate_pct > '
        ~ e ~ 'scale_max_override_rate_pct',
     dbt.concat(["'override rate '", number_text(e ~ 'window_override_rate_pct'),
                 "'% above the scale limit '", number_text(e ~ 'scale_max_override_rate_pct'),
                 "'%'"])),
    ('hold', 14,
     e ~ 'has_review_evidence and ' ~ e ~ 'window_quality_acceptance_pct < '
        ~ e ~ 'scale_min_quality_acceptance_pct',
     dbt.concat(["'quality acceptance '", number_text(e ~ 'window_quality_acceptance_pct'),
                 "'% below the scale minimum '",
                 number_text(e ~ 'scale_min_quality_acceptance_pct'), "'%'"])),
    ('hold', 15,
     e ~ 'window_requests > 0 and ' ~ e ~ 'window_policy_adherence_pct < '
        ~ e ~ 'scale_min_policy_adherence_pct',
     dbt.concat(["'policy adherence '", number_text(e ~ 'window_policy_adherence_pct'),
                 "'% below '", number_text(e ~ 'scale_min_policy_adherence_pct'), "'%'"])),
    ('hold', 16, e ~ 'kpis = 0', "'no KPI defined'"),
    ('hold', 17, e ~ 'kpis > ' ~ e ~ 'kpis_with_post_launch_actual',
     dbt.concat([dbt.cast(e ~ 'kpis - ' ~ e ~ 'kpis_with_post_launch_actual',
                          dbt.type_string()),
                 "' KPI(s) without a current post-launch actual (pre-launch or stale)'"])),
    ('hold', 18, e ~ 'kpis_with_post_launch_actual > ' ~ e ~ 'kpis_on_track_for_scale',
     dbt.concat([dbt.cast(e ~ 'kpis_with_post_launch_actual - '
                          ~ e ~ 'kpis_on_track_for_scale', dbt.type_string()),
                 "' KPI(s) behind plan'"])),
] %}

{# a registered agent of the use case with enough runs in the window whose
    success rate or cost per successful run is in the red band #}
agents_assessed as (

    select
        agent_evidence.*,
        thresholds.agent_success_rate_pct_amber as agent_min_success_rate_pct,
        thresholds.agent_cost_per_successful_run_usd_amber
            as agent_max_cost_per_successful_run_usd
    from agent_evidence
    inner join evidence_assessed
        on
            agent_evidence.period_grain = evidence_assessed.period_grain
            and agent_evidence.period_start = evidence_assessed.period_start
            and agent_evidence.use_case_id = evidence_assessed.use_case_id
    cross join thresholds
    where agent_evidence.window_runs >= thresholds.recommend_min_agent_runs_green

),

reasons_listed as (

    select
        agents_assessed.period_grain,
        agents_assessed.period_start,
        agents_assessed.use_case_id,
        'redesign' as verdict,
        4 as reason_order,
        {{ dbt.concat([
            "'agent '", 'agents_assessed.agent_name', "': success rate '",
            number_text('agents_assessed.window_success_rate_pct'), "'% below '",
            number_text('agents_assessed.agent_min_success_rate_pct'), "'% over the last '",
            dbt.cast('agents_assessed.window_weeks', dbt.type_string()), "' weeks'",
        ]) }} as reason
    from agents_assessed
    where agents_assessed.window_success_rate_pct < agents_assessed.agent_min_success_rate_pct
    union all
    select
        agents_assessed.period_grain,
        agents_assessed.period_start,
        agents_assessed.use_case_id,
        'redesign' as verdict,
        5 as reason_order,
        {{ dbt.concat([
            "'agent '", 'agents_assessed.agent_name', "': '",
            "printf('$%.2f', agents_assessed.window_cost_per_successful_run_usd)",
            "' per successful run, above $'",
            "printf('%.2f', agents_assessed.agent_max_cost_per_successful_run_usd)",
        ]) }} as reason
    from agents_assessed
    where
        agents_assessed.window_cost_per_successful_run_usd
        > agents_assessed.agent_max_cost_per_successful_run_usd
    union all

    {%- for verdict, reason_order, condition, text in reasons %}
    select
        evidence_assessed.period_grain,
        evidence_assessed.period_start,
        evidence_assessed.use_case_id,
        '{{ verdict }}' as verdict,
        {{ reason_order }} as reason_order,
        {{ text }} as reason
    from evidence_assessed
    where {{ condition }}
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

reasons_aggregated as (

    select
        reasons_listed.period_grain,
        reasons_listed.period_start,
        reasons_listed.use_case_id,
        max(case when reasons_listed.verdict = 'redesign' then 1 else 0 end)
            as has_redesign_reason,
        max(case when reasons_listed.verdict = 'hold' then 1 else 0 end) as has_hold_reason,
        {{ dbt.listagg(
            "case when reasons_listed.verdict = 'redesign' then reasons_listed.reason end",
            "'; '",
            'order by reasons_listed.reason_order, reasons_listed.reason',
        ) }} as redesign_reasons,
        {{ dbt.listagg(
            "case when reasons_listed.verdict = 'hold' then reasons_listed.reason end",
            "'; '",
            'order by reasons_listed.reason_order, reasons_listed.reason',
        ) }} as hold_reasons
    from reasons_listed
    group by 1, 2, 3

),

final as (

    select
        -- ids
        cast(use_cases.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(use_cases.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        cast(use_cases.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- strings
        cast(use_cases.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(use_cases.period_label as {{ dbt.type_string() }}) as period_label,
        cast(use_cases.stage as {{ dbt.type_string() }}) as stage,
        cast(
            case
                when readiness_aggregated.readiness_gap_count is null then 'ready'
                else 'not_ready'
            end
            as {{ dbt.type_string() }}
        ) as readiness_status,
        cast(coalesce(readiness_aggregated.readiness_gaps, '') as {{ dbt.type_string() }})
            as readiness_gaps,
        cast(
            case
                when use_cases.stage not in ('pilot', 'production', 'scaled') then null
                when reasons_aggregated.has_redesign_reason = 1 then 'redesign'
                when reasons_aggregated.has_hold_reason = 1 then 'hold'
                else 'scale'
            end
            as {{ dbt.type_string() }}
        ) as recommendation,
        cast(
            case
                when use_cases.stage not in ('pilot', 'production', 'scaled') then null
                when reasons_aggregated.has_redesign_reason = 1
                    then reasons_aggregated.redesign_reasons
                when reasons_aggregated.has_hold_reason = 1
                    then reasons_aggregated.hold_reasons
                else {{ dbt.concat([
                    "'ready; '",
                    dbt.cast('evidence.kpis_on_track_for_scale', dbt.type_string()),
                    "' KPI(s) on track; override rate '",
                    number_text('evidence.window_override_rate_pct'),
                    "'%; quality acceptance '",
                    number_text('evidence.window_quality_acceptance_pct'),
                    "'%'",
                ]) }}
            end
            as {{ dbt.type_string() }}
        ) as recommendation_reasons,
        -- numerics
        cast(coalesce(readiness_aggregated.readiness_gap_count, 0) as {{ dbt.type_int() }})
            as readiness_gap_count,
        {%- for status in ['green', 'amber', 'red', 'stale', 'pre_launch'] %}
        cast(coalesce(evidence.kpis_{{ status }}, 0) as {{ dbt.type_int() }})
            as kpis_{{ status }},
        {%- endfor %}
        cast(coalesce(evidence.kpis, 0) as {{ dbt.type_int() }}) as kpis_known,
        cast(coalesce(evidence.kpis_on_track_for_scale, 0) as {{ dbt.type_int() }})
            as kpis_on_track_for_scale,
        cast(coalesce(evidence.kpis_regressing, 0) as {{ dbt.type_int() }}) as kpis_regressing,
        cast(evidence.window_reviews as {{ dbt.type_bigint() }}) as window_reviews,
        cast(evidence.window_override_rate_pct as {{ type_double() }})
            as window_override_rate_pct,
        cast(evidence.window_quality_acceptance_pct as {{ type_double() }})
            as window_quality_acceptance_pct,
        cast(evidence.window_requests as {{ dbt.type_bigint() }}) as window_requests,
        cast(evidence.window_policy_adherence_pct as {{ type_double() }})
            as window_policy_adherence_pct,
        -- booleans
        readiness_aggregated.readiness_gap_count is null as is_ready,
        use_cases.is_period_to_date,
        -- dates
        cast(use_cases.period_start as date) as period_start,
        cast(use_cases.period_end as date) as period_end,
        cast(use_cases.as_of_date as date) as as_of_date,
        cast(evidence.window_start_date as date) as window_start_date
    from use_cases
    left join readiness_aggregated
        on
            use_cases.period_grain = readiness_aggregated.period_grain
            and use_cases.period_start = readiness_aggregated.period_start
            and use_cases.use_case_id = readiness_aggregated.use_case_id
    left join reasons_aggregated
        on
            use_cases.period_grain = reasons_aggregated.period_grain
            and use_cases.period_start = reasons_aggregated.period_start
            and use_cases.use_case_id = reasons_aggregated.use_case_id
    left join evidence
        on
            use_cases.period_grain = evidence.period_grain
            and use_cases.period_start = evidence.period_start
            and use_cases.use_case_id = evidence.use_case_id

)

select * from final
