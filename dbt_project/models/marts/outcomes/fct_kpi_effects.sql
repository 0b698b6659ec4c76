{#
    One row per KPI × review period (month, fiscal quarter) from the period
    holding the KPI's first observation through the one holding the build
    date: the effect of its use case's launch with a 95% interval, as known at
    the period's end (CONTRACTS.md §5.3, §5.4; "period_end" below is the
    period's as_of_date: its end, or the build date for the period to date).

    - Configuration as known at period_end: the KPI's row of the kpis version
      in force (a KPI defined after period_end does not exist yet: its row
      says so and has no verdict), its use case's business unit, production
      and scaled dates (int_use_cases_staged_as_of_periods).
    - Cells. A period's value is the mean of its observations in the cell
      (the comparison's: the mean over the other business units of each
      one's mean). Before = observation periods starting within
      baseline_start…baseline_end; after = starting on or after
      production_date, on or before period_end, and, for the comparison
      design, before scaled_date. before_after reads the use case's business
      unit when the KPI has business-unit observations (as of period_end),
      else all of them; difference_in_differences the use case's unit
      (treated) and the other units (comparison); assisted_vs_unassisted the
      use case's AI-assisted and unassisted runs that completed on or after
      production_date and on or before period_end, by `run_measure`.
    - Design: evaluation_design as configured (blank: auto; a value not
      listed in CONTRACTS.md §5.2 is read as auto); auto chooses
      difference_in_differences when the comparison has at least
      min_periods periods on both sides, else before_after.
    - Welch: se = √(Σ s²ᵢ/nᵢ), df = (Σ s²ᵢ/nᵢ)² ÷ Σ (s²ᵢ/nᵢ)²/(nᵢ − 1) over
      the design's cells, floored (at least 1), t(0.975, df) from
      student_t_critical_values(); ci = effect ± t × se.
    - insufficient_data when the KPI is not defined yet, any cell has fewer
      than min_periods periods (runs), or every cell has zero variance; then
      effect and interval are null. improved / worsened when the whole
      interval lies on the KPI's direction side of 0 / the other side, else
      no_detectable_change.
#}
with

periods as (

    select * from {{ ref('int_periods_spined') }}

),

use_cases as (

    select * from {{ ref('int_use_cases_staged_as_of_periods') }}

),

kpi_versions as (

    {#- the effect's settings are optional columns (CONTRACTS.md §5.2) #}
    {{ config_versions('kpis', {
        'evaluation_design': 'string',
        'run_measure': 'string',
        'min_periods': 'integer',
        'evaluation_date': 'date',
    }) }}

),

kpi_observations as (

    select * from {{ ref('stg_landing__kpi_observations') }}

),

workflow_runs as (

    select * from {{ ref('int_workflow_runs_assembled') }}

),

workflow_events as (

    select * from {{ ref('int_workflow_events_deduplicated') }}

),

student_t_critical_values as (

    {{ student_t_critical_values() }}

),

kpi_use_cases_listed as (

    {#- each KPI any version defines, with its versions' use cases; a version measured over
        workflow runs starts the KPI's evidence with its use case's runs #}
    select distinct
        kpi_versions.kpi_id,
        kpi_versions.use_case_id,
        coalesce(
            lower(trim(kpi_versions.evaluation_design)) = 'assisted_vs_unassisted', false
        ) as is_evaluated_on_runs
    from kpi_versions

),

first_observations as (

    select
        kpi_observations.kpi_id,
        min(kpi_observations.period_start) as first_observation_date
    from kpi_observations
    group by 1

),

first_runs as (

    select
        workflow_runs.use_case_id,
        min(cast(workflow_runs.completed_at as date)) as first_run_date
    from workflow_runs
    where workflow_runs.is_completed
    group by 1

),

first_evidence_listed as (

    select
        kpi_use_cases_listed.kpi_id,
        min(first_observations.first_observation_date) as first_observation_date,
        min(first_runs.first_run_date) as first_run_date
    from kpi_use_cases_listed
    left join first_observations
        on kpi_use_cases_listed.kpi_id = first_observations.kpi_id
    left join first_runs
        on
            kpi_use_cases_listed.use_case_id = first_runs.use_case_id
            and kpi_use_cases_listed.is_evaluated_on_runs
    group by 1

),

first_evidence as (

    select
        first_evidence_listed.kpi_id,
        case
            when first_evidence_listed.first_run_date is null
                then first_evidence_listed.first_observation_date
            when first_evidence_listed.first_observation_date is null
                then first_evidence_listed.first_run_date
            when
                first_evidence_listed.first_run_date
                < first_evidence_listed.first_observation_date
                then first_evidence_listed.first_run_date
            else first_evidence_listed.first_observation_date
        end as first_evidence_date
    from first_evidence_listed

),

kpi_periods_spined as (

    select
        first_evidence.kpi_id,
        periods.period_grain,
        periods.period_label,
        periods.period_start,
        periods.period_end,
        periods.as_of_date
    from first_evidence
    inner join periods
        on first_evidence.first_evidence_date <= periods.period_end
    where periods.period_grain in ('month', 'quarter')

),

kpis_as_of_periods as (

    select
        kpi_periods_spined.*,
        kpi_versions.kpi_id is not null as is_kpi_defined,
        kpi_versions.use_case_id,
        coalesce(kpi_versions.name, kpi_periods_spined.kpi_id) as kpi_name,
        kpi_versions.unit,
        kpi_versions.direction,
        coalesce(nullif(lower(trim(kpi_versions.evaluation_design)), ''), 'auto')
            as evaluation_design,
        nullif(lower(trim(kpi_versions.run_measure)), '') as run_measure,
        case
            when kpi_versions.min_periods is null then 3  {#- CONTRACTS.md §5.2 default #}
            when kpi_versions.min_periods < 2 then 2  {#- a variance needs two periods #}
            else kpi_versions.min_periods
        end as min_periods,
        kpi_versions.baseline_start,
        kpi_versions.baseline_end,
        kpi_versions.evaluation_date,
        use_cases.business_unit_id as treated_business_unit_id,
        use_cases.production_date,
        use_cases.scaled_date
    from kpi_periods_spined
    left join kpi_versions
        on
            kpi_periods_spined.kpi_id = kpi_versions.kpi_id
            and {{ config_in_force('kpi_versions', 'kpi_periods_spined.as_of_date') }}
            and (
                kpi_versions.defined_on is null
                or kpi_versions.defined_on <= kpi_periods_spined.as_of_date
            )
    left join use_cases
        on
            kpi_periods_spined.period_grain = use_cases.period_grain
            and kpi_periods_spined.period_start = use_cases.period_start
            and kpi_versions.use_case_id = use_cases.use_case_id

),

observations_sided as (

    select
        kpis_as_of_periods.kpi_id,
        kpis_as_of_periods.period_grain,
        kpis_as_of_periods.period_start,
        kpi_observations.period_start as observation_period_start,
        coalesce(kpi_observations.business_unit_id, '__all__') as business_unit_key,
        kpi_observations.observed_value,
        case
            when kpi_observations.business_unit_id is null then 'none'
            when
                kpi_observations.business_unit_id
                = kpis_as_of_periods.treated_business_unit_id
                then 'treated'
            else 'comparison'
        end as unit_role,
        max(case when kpi_observations.business_unit_id is not null then 1 else 0 end) over (
            partition by
                kpis_as_of_periods.kpi_id,
                kpis_as_of_periods.period_grain,
                kpis_as_of_periods.period_start
        ) = 1 as has_business_unit_observations,
        kpi_observations.period_start >= kpis_as_of_periods.baseline_start
        and kpi_observations.period_start <= kpis_as_of_periods.baseline_end as is_before,
        coalesce(kpi_observations.period_start >= kpis_as_of_periods.production_date, false)
            as is_after,
        coalesce(kpi_observations.period_start >= kpis_as_of_periods.production_date, false)
        and (
            kpis_as_of_periods.scaled_date is null
            or kpi_observations.period_start < kpis_as_of_periods.scaled_date
        ) as is_after_before_scaling
    from kpis_as_of_periods
    inner join kpi_observations
        on
            kpis_as_of_periods.kpi_id = kpi_observations.kpi_id
            and kpis_as_of_periods.as_of_date >= kpi_observations.period_start
    where kpis_as_of_periods.is_kpi_defined

),


observation_cells_defined as (

    {#- the cells each design reads from observations: the side of launch and the units #}
    {%- set observation_cells = [
        ('before_after', 'before', 'before', 'treated_or_all'),
        ('before_after', 'after', 'after', 'treated_or_all'),
        ('difference_in_differences', 'treated_before', 'before', 'treated'),
        ('difference_in_differences', 'treated_after', 'after_before_scaling', 'treated'),
        ('difference_in_differences', 'comparison_before', 'before', 'comparison'),
        ('difference_in_differences', 'comparison_after', 'after_before_scaling', 'comparison'),
    ] %}
    {%- for design, cell, side, units in observation_cells %}
    select
        '{{ design }}' as design,
        '{{ cell }}' as cell,
        '{{ side }}' as side,
        '{{ units }}' as units
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}

),

observation_cells_listed as (

    {#- observations_sided is read once and fanned out to the cells (Spark inlines a CTE at
        every reference: one branch per cell planned the whole chain above six times) #}
    select
        observations_sided.kpi_id,
        observations_sided.period_grain,
        observations_sided.period_start,
        observation_cells_defined.design,
        observation_cells_defined.cell,
        observations_sided.observation_period_start,
        observations_sided.business_unit_key,
        observations_sided.observed_value
    from observations_sided
    cross join observation_cells_defined
    where
        case observation_cells_defined.side
            when 'before' then observations_sided.is_before
            when 'after' then observations_sided.is_after
            else observations_sided.is_after_before_scaling
        end
        and case observation_cells_defined.units
            when 'treated_or_all'
                then (
                    observations_sided.unit_role = 'treated'
                    or not observations_sided.has_business_unit_observations
                )
            when 'treated' then observations_sided.unit_role = 'treated'
            else observations_sided.unit_role = 'comparison'
        end

),

unit_periods_averaged as (

    select
        observation_cells_listed.kpi_id,
        observation_cells_listed.period_grain,
        observation_cells_listed.period_start,
        observation_cells_listed.design,
        observation_cells_listed.cell,
        observation_cells_listed.observation_period_start,
        observation_cells_listed.business_unit_key,
        avg(observation_cells_listed.observed_value) as unit_value
    from observation_cells_listed
    group by 1, 2, 3, 4, 5, 6, 7

),

unit_periods_ranked as (

    {#- the comparison's business units numbered 1…n across both of its cells: their count is
        the largest number (a count distinct without reading the cells a second time) #}
    select
        unit_periods_averaged.*,
        case
            when unit_periods_averaged.cell in ('comparison_before', 'comparison_after')
                then dense_rank() over (
                    partition by
                        unit_periods_averaged.kpi_id,
                        unit_periods_averaged.period_grain,
                        unit_periods_averaged.period_start,
                        unit_periods_averaged.cell in ('comparison_before', 'comparison_after')
                    order by unit_periods_averaged.business_unit_key
                )
        end as comparison_business_unit_number
    from unit_periods_averaged

),

cell_periods_valued as (

    select
        unit_periods_ranked.kpi_id,
        unit_periods_ranked.period_grain,
        unit_periods_ranked.period_start,
        unit_periods_ranked.design,
        unit_periods_ranked.cell,
        unit_periods_ranked.observation_period_start,
        avg(unit_periods_ranked.unit_value) as period_value,
        max(unit_periods_ranked.comparison_business_unit_number)
            as comparison_business_unit_number
    from unit_periods_ranked
    group by 1, 2, 3, 4, 5, 6

),

run_starters as (

    select
        workflow_events.run_id,
        max(workflow_events.actor_id) as actor_id
    from workflow_events
    where workflow_events.event_type = 'run_started'
    group by 1

),

run_cells_listed as (

    select
        kpis_as_of_periods.kpi_id,
        kpis_as_of_periods.period_grain,
        kpis_as_of_periods.period_start,
        'assisted_vs_unassisted' as design,
        case when workflow_runs.is_ai_assisted then 'assisted' else 'unassisted' end as cell,
        run_starters.actor_id,
        case kpis_as_of_periods.run_measure
            when 'cycle_time_minutes' then workflow_runs.cycle_time_minutes
            when 'quality_score' then workflow_runs.avg_quality_score
        end as run_value
    from kpis_as_of_periods
    inner join workflow_runs
        on
            kpis_as_of_periods.use_case_id = workflow_runs.use_case_id
            and cast(workflow_runs.completed_at as date) >= kpis_as_of_periods.production_date
            and cast(workflow_runs.completed_at as date) <= kpis_as_of_periods.as_of_date
    left join run_starters
        on workflow_runs.run_id = run_starters.run_id
    where
        kpis_as_of_periods.is_kpi_defined
        and kpis_as_of_periods.evaluation_design = 'assisted_vs_unassisted'
        and workflow_runs.is_completed
        and workflow_runs.is_ai_assisted is not null

),


cells_aggregated as (

    select
        cell_periods_valued.kpi_id,
        cell_periods_valued.period_grain,
        cell_periods_valued.period_start,
        cell_periods_valued.design,
        cell_periods_valued.cell,
        count(*) as periods_count,
        avg(cell_periods_valued.period_value) as cell_mean,
        var_samp(cell_periods_valued.period_value) as cell_variance,
        cast(null as {{ dbt.type_bigint() }}) as cell_people,
        cast(max(cell_periods_valued.comparison_business_unit_number) as {{ dbt.type_bigint() }})
            as comparison_business_units
    from cell_periods_valued
    group by 1, 2, 3, 4, 5
    union all
    select
        run_cells_listed.kpi_id,
        run_cells_listed.period_grain,
        run_cells_listed.period_start,
        run_cells_listed.design,
        run_cells_listed.cell,
        count(*) as periods_count,
        avg(run_cells_listed.run_value) as cell_mean,
        var_samp(run_cells_listed.run_value) as cell_variance,
        {{ count_distinct('run_cells_listed.actor_id') }} as cell_people,
        cast(null as {{ dbt.type_bigint() }}) as comparison_business_units
    from run_cells_listed
    where run_cells_listed.run_value is not null
    group by 1, 2, 3, 4, 5

),

cells_pivoted as (

    {#- one row per KPI × period with every cell's figures side by side (each cell name
        belongs to one design), so that the cells are read once #}
    {%- set cells = [
        'before', 'after', 'treated_before', 'treated_after', 'comparison_before',
        'comparison_after', 'unassisted', 'assisted',
    ] %}
    {%- set cell_figures = ['periods_count', 'cell_mean', 'cell_variance', 'cell_people'] %}
    select
        cells_aggregated.kpi_id,
        cells_aggregated.period_grain,
        cells_aggregated.period_start,
        {%- for cell in cells %}
        {%- for figure in cell_figures %}
        max(
            case when cells_aggregated.cell = '{{ cell }}' then cells_aggregated.{{ figure }} end
        ) as {{ cell }}_{{ figure }},
        {%- endfor %}
        {%- endfor %}
        max(cells_aggregated.comparison_business_units) as comparison_business_units
    from cells_aggregated
    group by 1, 2, 3

),

designs_resolved as (

    select
        kpis_as_of_periods.*,
        {%- for cell in cells %}
        {%- for figure in cell_figures %}
        cells_pivoted.{{ cell }}_{{ figure }},
        {%- endfor %}
        {%- endfor %}
        coalesce(cells_pivoted.comparison_business_units, 0) as comparison_business_units,
        case
            when not kpis_as_of_periods.is_kpi_defined then null
            when
                kpis_as_of_periods.evaluation_design in (
                    'before_after', 'difference_in_differences', 'assisted_vs_unassisted'
                )
                then kpis_as_of_periods.evaluation_design
            when
                coalesce(cells_pivoted.comparison_before_periods_count, 0)
                >= kpis_as_of_periods.min_periods
                and coalesce(cells_pivoted.comparison_after_periods_count, 0)
                >= kpis_as_of_periods.min_periods
                then 'difference_in_differences'
            else 'before_after'
        end as design
    from kpis_as_of_periods
    left join cells_pivoted
        on
            kpis_as_of_periods.kpi_id = cells_pivoted.kpi_id
            and kpis_as_of_periods.period_grain = cells_pivoted.period_grain
            and kpis_as_of_periods.period_start = cells_pivoted.period_start

),

design_cells_defined as (

    {#- each design's cells, and the sign each cell's mean takes in the effect #}
    {%- set design_cells = [
        ('before_after', 'before', -1, 'before'),
        ('before_after', 'after', 1, 'after'),
        ('difference_in_differences', 'treated_before', -1, 'before'),
        ('difference_in_differences', 'treated_after', 1, 'after'),
        ('difference_in_differences', 'comparison_before', 1, 'comparison_before'),
        ('difference_in_differences', 'comparison_after', -1, 'comparison_after'),
        ('assisted_vs_unassisted', 'unassisted', -1, 'before'),
        ('assisted_vs_unassisted', 'assisted', 1, 'after'),
    ] %}
    {%- for design, cell, sign, role in design_cells %}
    select
        '{{ design }}' as design,
        '{{ cell }}' as cell,
        {{ sign }} as effect_sign,
        '{{ role }}' as cell_role
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}

),


design_cells_measured as (

    {#- one row per cell of the KPI's design (one row with no cell when it has none yet) #}
    select
        designs_resolved.*,
        design_cells_defined.cell_role,
        design_cells_defined.effect_sign,
        {%- for figure in ['cell_mean', 'cell_variance', 'cell_people'] %}
        case design_cells_defined.cell
            {%- for cell in cells %}
            when '{{ cell }}' then designs_resolved.{{ cell }}_{{ figure }}
            {%- endfor %}
        end as {{ figure }},
        {%- endfor %}
        case
            when design_cells_defined.cell is not null
                then coalesce(
                    case design_cells_defined.cell
                        {%- for cell in cells %}
                        when '{{ cell }}' then designs_resolved.{{ cell }}_periods_count
                        {%- endfor %}
                    end,
                    0
                )
        end as periods_count
    from designs_resolved
    left join design_cells_defined
        on designs_resolved.design = design_cells_defined.design

),

estimates_aggregated as (

    {#- over the design's cells, by window: the row per KPI × period is kept as it is, not
        grouped and joined back (which would plan everything above twice on Spark) #}
    {%- set kpi_period = 'partition by design_cells_measured.kpi_id, '
        ~ 'design_cells_measured.period_grain, design_cells_measured.period_start' %}
    {%- set variance_term = 'design_cells_measured.cell_variance'
        ~ ' / nullif(design_cells_measured.periods_count, 0)' %}
    select
        design_cells_measured.*,
        min(design_cells_measured.periods_count) over ({{ kpi_period }}) as fewest_periods,
        max(
            case
                when design_cells_measured.cell_role is not null
                    then coalesce(design_cells_measured.cell_variance, 0)
            end
        ) over ({{ kpi_period }}) as largest_variance,
        sum(design_cells_measured.effect_sign * design_cells_measured.cell_mean)
            over ({{ kpi_period }}) as effect,
        sum({{ variance_term }}) over ({{ kpi_period }}) as variance_sum,
        sum(
            ({{ variance_term }}) * ({{ variance_term }})
            / nullif(design_cells_measured.periods_count - 1, 0)
        ) over ({{ kpi_period }}) as degrees_of_freedom_sum,
        min(design_cells_measured.cell_people) over ({{ kpi_period }})
            as smallest_group_people,
        {%- for role in ['before', 'after', 'comparison_before', 'comparison_after'] %}
        {%- for figure, name in [('periods_count', 'periods'), ('cell_mean', 'mean')] %}
        max(
            case
                when design_cells_measured.cell_role = '{{ role }}'
                    then design_cells_measured.{{ figure }}
            end
        ) over ({{ kpi_period }}) as {{ name }}_{{ role }},
        {%- endfor %}
        {%- endfor %}
        row_number() over (
            {{ kpi_period }} order by design_cells_measured.cell_role
        ) as cell_number
    from design_cells_measured

),

estimates_tested as (

    select
        estimates_aggregated.*,
        coalesce(estimates_aggregated.fewest_periods < estimates_aggregated.min_periods, true)
            as is_short,
        coalesce(estimates_aggregated.largest_variance = 0, true) as has_no_variance,
        sqrt(estimates_aggregated.variance_sum) as standard_error,
        {#- floored; + 1e-9: a df that is whole in exact arithmetic must not lose one to rounding #}
        case
            when estimates_aggregated.degrees_of_freedom_sum > 0
                then floor(
                    estimates_aggregated.variance_sum * estimates_aggregated.variance_sum
                    / estimates_aggregated.degrees_of_freedom_sum
                    + 1e-9
                )
        end as degrees_of_freedom_floored
    from estimates_aggregated
    where estimates_aggregated.cell_number = 1

),

intervals_computed as (

    select
        estimates_tested.*,
        estimates_tested.design is null
        or estimates_tested.is_short
        or estimates_tested.has_no_variance as is_insufficient,
        case
            when
                estimates_tested.design is not null
                and not estimates_tested.is_short
                and not estimates_tested.has_no_variance
                then
                    case
                        when estimates_tested.degrees_of_freedom_floored < 1 then 1
                        else estimates_tested.degrees_of_freedom_floored
                    end
        end as degrees_of_freedom
    from estimates_tested

),

intervals_bounded as (

    select
        intervals_computed.*,
        student_t_critical_values.t_critical,
        intervals_computed.effect
        - student_t_critical_values.t_critical * intervals_computed.standard_error as ci_low,
        intervals_computed.effect
        + student_t_critical_values.t_critical * intervals_computed.standard_error as ci_high
    from intervals_computed
    left join student_t_critical_values
        on
            intervals_computed.degrees_of_freedom >= student_t_critical_values.df_low
            and (
                student_t_critical_values.df_high is null
                or intervals_computed.degrees_of_freedom < student_t_critical_values.df_high
            )

),

verdicts_reached as (

    select
        intervals_bounded.*,
        case
            when intervals_bounded.is_insufficient then 'insufficient_data'
            when
                (intervals_bounded.direction = 'increase' and intervals_bounded.ci_low > 0)
                or (intervals_bounded.direction = 'decrease' and intervals_bounded.ci_high < 0)
                then 'improved'
            when
                (intervals_bounded.direction = 'increase' and intervals_bounded.ci_high < 0)
                or (intervals_bounded.direction = 'decrease' and intervals_bounded.ci_low > 0)
                then 'worsened'
            else 'no_detectable_change'
        end as verdict,
        coalesce(intervals_bounded.as_of_date < intervals_bounded.evaluation_date, false)
            as is_interim
    from intervals_bounded

),

words_chosen as (

    select
        verdicts_reached.*,
        case
            when verdicts_reached.design is null then 'KPI not defined at the period''s end'
            when verdicts_reached.design = 'before_after' then 'against its level before launch'
            when verdicts_reached.design = 'difference_in_differences'
                then {{ dbt.concat([
                    "'against '",
                    "case verdicts_reached.comparison_business_units"
                    ~ " when 0 then 'no'"
                    ~ " when 1 then 'one' when 2 then 'two' when 3 then 'three'"
                    ~ " when 4 then 'four' when 5 then 'five' when 6 then 'six'"
                    ~ " when 7 then 'seven' when 8 then 'eight' when 9 then 'nine'"
                    ~ " else " ~ dbt.cast('verdicts_reached.comparison_business_units',
                                          dbt.type_string())
                    ~ " end",
                    "case when verdicts_reached.comparison_business_units = 1"
                    ~ " then ' business unit' else ' business units' end",
                    "' not yet live'",
                ]) }}
            else 'against unassisted runs completed since launch'
        end as comparison,
        case
            when verdicts_reached.unit = 'minutes' then 'min'
            when verdicts_reached.unit = 'pct' then 'pts'
            when verdicts_reached.unit = 'usd' then 'USD'
            else coalesce(verdicts_reached.unit, '')
        end as unit_words,
        {#- decimals by size: 2 below 10, 1 below 100, else none #}
        case
            when
                greatest(abs(verdicts_reached.ci_low), abs(verdicts_reached.ci_high)) >= 100
                then 0
            when
                greatest(abs(verdicts_reached.ci_low), abs(verdicts_reached.ci_high)) >= 10
                then 1
            else 2
        end as decimals
    from verdicts_reached

),

verdicts_worded as (

    select
        words_chosen.*,
        case
            when words_chosen.design is null
                then {{ dbt.concat(["words_chosen.kpi_name", "': not defined yet'"]) }}
            when words_chosen.verdict = 'insufficient_data' and not words_chosen.is_short
                then {{ dbt.concat([
                    "words_chosen.kpi_name",
                    "': not enough evidence, no variation in any cell'",
                ]) }}
            when words_chosen.verdict = 'insufficient_data'
                then {{ dbt.concat([
                    "words_chosen.kpi_name",
                    "': not enough evidence yet, '",
                    "case words_chosen.design when 'assisted_vs_unassisted'"
                    ~ " then 'runs unassisted / assisted ' else 'periods before / after launch ' end",
                    dbt.cast('coalesce(words_chosen.periods_before, 0)', dbt.type_string()),
                    "' / '",
                    dbt.cast('coalesce(words_chosen.periods_after, 0)', dbt.type_string()),
                    "case when words_chosen.design = 'difference_in_differences' then "
                    ~ dbt.concat([
                        "', comparison '",
                        dbt.cast('coalesce(words_chosen.periods_comparison_before, 0)',
                                 dbt.type_string()),
                        "' / '",
                        dbt.cast('coalesce(words_chosen.periods_comparison_after, 0)',
                                 dbt.type_string()),
                    ]) ~ " else '' end",
                    "' ('",
                    dbt.cast('words_chosen.min_periods', dbt.type_string()),
                    "' needed in each)'",
                ]) }}
            when words_chosen.verdict = 'no_detectable_change'
                then {{ dbt.concat([
                    "words_chosen.kpi_name",
                    "': no detectable change, '",
                    "case when words_chosen.effect > 0 then '+' else '' end",
                    effect_number('words_chosen.effect', 'words_chosen.decimals'),
                    "' '",
                    "words_chosen.unit_words",
                    "' (95% CI '",
                    effect_number('words_chosen.ci_low', 'words_chosen.decimals'),
                    "' to '",
                    effect_number('words_chosen.ci_high', 'words_chosen.decimals'),
                    "'), '",
                    "words_chosen.comparison",
                ]) }}
            when words_chosen.effect < 0
                then {{ dbt.concat([
                    "words_chosen.kpi_name",
                    "' fell '",
                    effect_number('-words_chosen.effect', 'words_chosen.decimals'),
                    "' '",
                    "words_chosen.unit_words",
                    "' (95% CI '",
                    effect_number('-words_chosen.ci_high', 'words_chosen.decimals'),
                    "' to '",
                    effect_number('-words_chosen.ci_low', 'words_chosen.decimals'),
                    "'), '",
                    "words_chosen.comparison",
                ]) }}
            else {{ dbt.concat([
                "words_chosen.kpi_name",
                "' rose '",
                effect_number('words_chosen.effect', 'words_chosen.decimals'),
                "' '",
                "words_chosen.unit_words",
                "' (95% CI '",
                effect_number('words_chosen.ci_low', 'words_chosen.decimals'),
                "' to '",
                effect_number('words_chosen.ci_high', 'words_chosen.decimals'),
                "'), '",
                "words_chosen.comparison",
            ]) }}
        end as verdict_sentence
    from words_chosen

),

final as (

    select
        -- ids
        cast(verdicts_worded.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(verdicts_worded.use_case_id as {{ dbt.type_string() }}) as use_case_id,
        cast(verdicts_worded.treated_business_unit_id as {{ dbt.type_string() }})
            as business_unit_id,
        -- strings
        cast(verdicts_worded.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(verdicts_worded.period_label as {{ dbt.type_string() }}) as period_label,
        cast(verdicts_worded.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(verdicts_worded.unit as {{ dbt.type_string() }}) as unit,
        cast(verdicts_worded.direction as {{ dbt.type_string() }}) as direction,
        cast(verdicts_worded.evaluation_design as {{ dbt.type_string() }}) as evaluation_design,
        cast(verdicts_worded.design as {{ dbt.type_string() }}) as design,
        cast(verdicts_worded.run_measure as {{ dbt.type_string() }}) as run_measure,
        cast(verdicts_worded.comparison as {{ dbt.type_string() }}) as comparison,
        cast(verdicts_worded.verdict as {{ dbt.type_string() }}) as verdict,
        cast(
            case
                when verdicts_worded.is_interim
                    then {{ dbt.concat([
                        "verdicts_worded.verdict_sentence",
                        "'; interim, read out on '",
                        dbt.cast('verdicts_worded.evaluation_date', dbt.type_string()),
                    ]) }}
                else verdicts_worded.verdict_sentence
            end
            as {{ dbt.type_string() }}
        ) as verdict_text,
        -- numerics
        cast(verdicts_worded.min_periods as {{ dbt.type_int() }}) as min_periods,
        cast(coalesce(verdicts_worded.periods_before, 0) as {{ dbt.type_bigint() }})
            as periods_before,
        cast(coalesce(verdicts_worded.periods_after, 0) as {{ dbt.type_bigint() }})
            as periods_after,
        cast(verdicts_worded.periods_comparison_before as {{ dbt.type_bigint() }})
            as comparison_periods_before,
        cast(verdicts_worded.periods_comparison_after as {{ dbt.type_bigint() }})
            as comparison_periods_after,
        cast(
            case
                when verdicts_worded.design = 'difference_in_differences'
                    then verdicts_worded.comparison_business_units
            end
            as {{ dbt.type_bigint() }}
        ) as comparison_business_units,
        cast(verdicts_worded.mean_before as {{ type_double() }}) as mean_before,
        cast(verdicts_worded.mean_after as {{ type_double() }}) as mean_after,
        cast(verdicts_worded.mean_comparison_before as {{ type_double() }})
            as comparison_mean_before,
        cast(verdicts_worded.mean_comparison_after as {{ type_double() }})
            as comparison_mean_after,
        {%- for column in ['effect', 'standard_error', 'ci_low', 'ci_high'] %}
        cast(
            case when not verdicts_worded.is_insufficient then verdicts_worded.{{ column }} end
            as {{ type_double() }}
        ) as {{ column }},
        {%- endfor %}
        cast(verdicts_worded.degrees_of_freedom as {{ dbt.type_int() }}) as degrees_of_freedom,
        cast(
            case when not verdicts_worded.is_insufficient then verdicts_worded.t_critical end
            as {{ type_double() }}
        ) as t_critical,
        cast(verdicts_worded.smallest_group_people as {{ dbt.type_bigint() }})
            as smallest_group_people,
        -- booleans
        cast(verdicts_worded.is_interim as boolean) as is_interim,
        -- dates
        cast(verdicts_worded.period_start as date) as period_start,
        cast(verdicts_worded.period_end as date) as period_end,
        cast(verdicts_worded.as_of_date as date) as as_of_date,
        cast(verdicts_worded.baseline_start as date) as baseline_start_date,
        cast(verdicts_worded.baseline_end as date) as baseline_end_date,
        cast(verdicts_worded.production_date as date) as production_date,
        cast(verdicts_worded.scaled_date as date) as scaled_date,
        cast(verdicts_worded.evaluation_date as date) as evaluation_date
    from verdicts_worded

)

select * from final
