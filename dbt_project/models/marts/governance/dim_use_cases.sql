{#
    One row per use case (CONTRACTS.md §3): portfolio, stage, the four owners,
    readiness, the scale / hold / redesign recommendation and the priority
    score.

    readiness_status: 'ready' only when all four owners are named, every
    launch-checklist item has a date and each KPI has a target (value and
    date) defined on or before production_date; readiness_gaps lists each
    missing piece ('; '-separated, empty when ready).

    recommendation (thresholds from seeds/thresholds.csv, evidence from
    fct_use_case_evidence over the trailing recommend_window_weeks):
    - redesign when, with at least recommend_min_reviews reviews, the override
      rate is ≥ recommend_redesign_override_rate_pct or quality acceptance is
      < recommend_redesign_min_quality_acceptance_pct; or when a KPI's latest
      post-launch gap_closed_pct is below recommend_redesign_min_gap_closed_pct;
    - scale when not redesign and: ready; stage pilot, production or scaled;
      ≥ recommend_min_reviews reviews with override rate ≤
      recommend_scale_max_override_rate_pct and quality acceptance ≥
      recommend_scale_min_quality_acceptance_pct; policy adherence ≥
      recommend_scale_min_policy_adherence_pct (when it has requests); at least
      one KPI, every KPI with a post-launch actual and on track
      (gap_closed_pct ≥ recommend_scale_min_kpi_progress_ratio × expected);
    - hold otherwise. recommendation_reasons lists the triggered redesign
      conditions, else the unmet scale conditions, else the evidence for scale.

    priority_score (0–100) from the rubric, value, feasibility and scale
    potential counting up and risk down, equally weighted:
    (value + feasibility + scale + (6 − risk) − 4) ÷ 16 × 100.
#}
with

use_cases as (

    select * from {{ ref('stg_config__use_cases') }}

),

portfolios as (

    select * from {{ ref('stg_config__portfolios') }}

),

readiness_gaps as (

    select * from {{ ref('int_use_case_readiness_gaps_listed') }}

),

evidence as (

    select * from {{ ref('fct_use_case_evidence') }}

),

thresholds as (

    select * from {{ ref('int_thresholds_pivoted') }}

),

readiness_aggregated as (

    select
        readiness_gaps.use_case_id,
        count(*) as readiness_gap_count,
        {{ dbt.listagg(
            'readiness_gaps.gap', "'; '", 'order by readiness_gaps.gap_order, readiness_gaps.gap'
        ) }} as readiness_gaps
    from readiness_gaps
    group by 1

),

evidence_assessed as (

    select
        evidence.*,
        use_cases.stage,
        coalesce(readiness_aggregated.readiness_gap_count, 0) as readiness_gap_count,
        evidence.window_reviews >= thresholds.recommend_min_reviews_green
            as has_review_evidence,
        cast(thresholds.recommend_window_weeks_green as {{ dbt.type_int() }}) as window_weeks,
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
        on evidence.use_case_id = use_cases.use_case_id
    left join readiness_aggregated
        on evidence.use_case_id = readiness_aggregated.use_case_id
    cross join thresholds

),

reasons_listed as (

    -- redesign
    select
        evidence_assessed.use_case_id,
        'redesign' as verdict,
        1 as reason_order,
        {{ dbt.concat([
            "'override rate '", number_text('evidence_assessed.window_override_rate_pct'),
            "'% at or above '", number_text('evidence_assessed.redesign_override_rate_pct'),
            "'% over the last '", dbt.cast('evidence_assessed.window_weeks', dbt.type_string()),
            "' weeks'",
        ]) }} as reason
    from evidence_assessed
    where
        evidence_assessed.has_review_evidence
        and evidence_assessed.window_override_rate_pct
        >= evidence_assessed.redesign_override_rate_pct
    union all
    select
        evidence_assessed.use_case_id,
        'redesign' as verdict,
        2 as reason_order,
        {{ dbt.concat([
            "'quality acceptance '", number_text('evidence_assessed.window_quality_acceptance_pct'),
            "'% below '", number_text('evidence_assessed.redesign_min_quality_acceptance_pct'),
            "'%'",
        ]) }} as reason
    from evidence_assessed
    where
        evidence_assessed.has_review_evidence
        and evidence_assessed.window_quality_acceptance_pct
        < evidence_assessed.redesign_min_quality_acceptance_pct
    union all
    select
        evidence_assessed.use_case_id,
        'redesign' as verdict,
        3 as reason_order,
        {{ dbt.concat([
            dbt.cast('evidence_assessed.kpis_regressing', dbt.type_string()),
            "' KPI(s) moved away from target since launch'",
        ]) }} as reason
    from evidence_assessed
    where evidence_assessed.kpis_regressing > 0
    -- hold: unmet scale conditions
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        10 as reason_order,
        {{ dbt.concat([
            "'not ready ('",
            dbt.cast('evidence_assessed.readiness_gap_count', dbt.type_string()),
            "' readiness gap(s))'",
        ]) }} as reason
    from evidence_assessed
    where evidence_assessed.readiness_gap_count > 0
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        11 as reason_order,
        {{ dbt.concat(["'stage '", 'evidence_assessed.stage']) }} as reason
    from evidence_assessed
    where
        evidence_assessed.stage is null
        or evidence_assessed.stage not in ('pilot', 'production', 'scaled')
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        12 as reason_order,
        {{ dbt.concat([
            "'too little review evidence: '",
            dbt.cast('evidence_assessed.window_reviews', dbt.type_string()),
            "' review(s) in the last '",
            dbt.cast('evidence_assessed.window_weeks', dbt.type_string()),
            "' weeks, minimum '",
            dbt.cast(dbt.cast('evidence_assessed.min_reviews', dbt.type_int()), dbt.type_string()),
        ]) }} as reason
    from evidence_assessed
    where not evidence_assessed.has_review_evidence
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        13 as reason_order,
        {{ dbt.concat([
            "'override rate '", number_text('evidence_assessed.window_override_rate_pct'),
            "'% above the scale limit '",
            number_text('evidence_assessed.scale_max_override_rate_pct'),
            "'%'",
        ]) }} as reason
    from evidence_assessed
    where
        evidence_assessed.has_review_evidence
        and evidence_assessed.window_override_rate_pct
        > evidence_assessed.scale_max_override_rate_pct
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        14 as reason_order,
        {{ dbt.concat([
            "'quality acceptance '", number_text('evidence_assessed.window_quality_acceptance_pct'),
            "'% below the scale minimum '",
            number_text('evidence_assessed.scale_min_quality_acceptance_pct'), "'%'",
        ]) }} as reason
    from evidence_assessed
    where
        evidence_assessed.has_review_evidence
        and evidence_assessed.window_quality_acceptance_pct
        < evidence_assessed.scale_min_quality_acceptance_pct
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        15 as reason_order,
        {{ dbt.concat([
            "'policy adherence '", number_text('evidence_assessed.window_policy_adherence_pct'),
            "'% below '", number_text('evidence_assessed.scale_min_policy_adherence_pct'), "'%'",
        ]) }} as reason
    from evidence_assessed
    where
        evidence_assessed.window_requests > 0
        and evidence_assessed.window_policy_adherence_pct
        < evidence_assessed.scale_min_policy_adherence_pct
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        16 as reason_order,
        'no KPI defined' as reason
    from evidence_assessed
    where evidence_assessed.kpis = 0
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        17 as reason_order,
        {{ dbt.concat([
            dbt.cast('evidence_assessed.kpis - evidence_assessed.kpis_with_post_launch_actual',
                     dbt.type_string()),
            "' KPI(s) without a post-launch actual'",
        ]) }} as reason
    from evidence_assessed
    where evidence_assessed.kpis > evidence_assessed.kpis_with_post_launch_actual
    union all
    select
        evidence_assessed.use_case_id,
        'hold' as verdict,
        18 as reason_order,
        {{ dbt.concat([
            dbt.cast(
                'evidence_assessed.kpis_with_post_launch_actual'
                ~ ' - evidence_assessed.kpis_on_track_for_scale',
                dbt.type_string(),
            ),
            "' KPI(s) behind plan'",
        ]) }} as reason
    from evidence_assessed
    where
        evidence_assessed.kpis_with_post_launch_actual
        > evidence_assessed.kpis_on_track_for_scale

),

reasons_aggregated as (

    select
        reasons_listed.use_case_id,
        max(case when reasons_listed.verdict = 'redesign' then 1 else 0 end)
            as has_redesign_reason,
        max(case when reasons_listed.verdict = 'hold' then 1 else 0 end) as has_hold_reason,
        {{ dbt.listagg(
            "case when reasons_listed.verdict = 'redesign' then reasons_listed.reason end",
            "'; '",
            'order by reasons_listed.reason_order',
        ) }} as redesign_reasons,
        {{ dbt.listagg(
            "case when reasons_listed.verdict = 'hold' then reasons_listed.reason end",
            "'; '",
            'order by reasons_listed.reason_order',
        ) }} as hold_reasons
    from reasons_listed
    group by 1

),

final as (

    select
        -- ids
        cast(use_cases.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(use_cases.portfolio_id as {{ dbt.type_string() }}) as portfolio_id,
        cast(use_cases.business_unit_id as {{ dbt.type_string() }}) as business_unit_id,
        -- strings
        cast(use_cases.use_case_name as {{ dbt.type_string() }}) as use_case_name,
        cast(portfolios.portfolio_name as {{ dbt.type_string() }}) as portfolio_name,
        cast(portfolios.strategic_theme as {{ dbt.type_string() }}) as strategic_theme,
        cast(portfolios.executive_sponsor as {{ dbt.type_string() }}) as executive_sponsor,
        cast(use_cases.stage as {{ dbt.type_string() }}) as stage,
        cast(use_cases.outcome_owner as {{ dbt.type_string() }}) as outcome_owner,
        cast(use_cases.platform_owner as {{ dbt.type_string() }}) as platform_owner,
        cast(use_cases.risk_owner as {{ dbt.type_string() }}) as risk_owner,
        cast(use_cases.measurement_owner as {{ dbt.type_string() }}) as measurement_owner,
        cast(use_cases.risk_tier as {{ dbt.type_string() }}) as risk_tier,
        cast(use_cases.exit_criterion as {{ dbt.type_string() }}) as exit_criterion,
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
                when reasons_aggregated.has_redesign_reason = 1 then 'redesign'
                when reasons_aggregated.has_hold_reason = 1 then 'hold'
                else 'scale'
            end
            as {{ dbt.type_string() }}
        ) as recommendation,
        cast(
            case
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
        cast(use_cases.value_score as {{ dbt.type_int() }}) as value_score,
        cast(use_cases.feasibility_score as {{ dbt.type_int() }}) as feasibility_score,
        cast(use_cases.risk_score as {{ dbt.type_int() }}) as risk_score,
        cast(use_cases.scale_score as {{ dbt.type_int() }}) as scale_score,
        cast(
            (
                use_cases.value_score + use_cases.feasibility_score + use_cases.scale_score
                + (6 - use_cases.risk_score) - 4
            ) / 16.0 * 100
            as {{ type_double() }}
        ) as priority_score,
        cast(coalesce(readiness_aggregated.readiness_gap_count, 0) as {{ dbt.type_int() }})
            as readiness_gap_count,
        -- booleans
        readiness_aggregated.readiness_gap_count is null as is_ready,
        -- dates
        cast(use_cases.pilot_start_date as date) as pilot_start_date,
        cast(use_cases.production_date as date) as production_date
    from use_cases
    left join portfolios
        on use_cases.portfolio_id = portfolios.portfolio_id
    left join readiness_aggregated
        on use_cases.use_case_id = readiness_aggregated.use_case_id
    left join reasons_aggregated
        on use_cases.use_case_id = reasons_aggregated.use_case_id
    left join evidence
        on use_cases.use_case_id = evidence.use_case_id

)

select * from final
