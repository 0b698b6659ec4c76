{#
    One row per metric of var('thresholds') (every name the warehouse reads):
    its direction and green / amber bounds from seeds/thresholds.csv when the
    seed has a row for the metric (an empty amber falls back to the seed's
    green), else the project default; its unit from the project. A seed row
    for a metric the project does not read is ignored. The one place the
    thresholds are resolved: int_thresholds_pivoted and dim_thresholds read it.
#}
{%- set defaults = var('thresholds') %}

with

thresholds as (

    select * from {{ ref('stg_config__thresholds') }}

),

project_defaults as (

    {#- SQLFluff cannot indent the selects a loop writes: LT02 is off from here #}
    -- noqa: disable=LT02
    {%- for metric, band in defaults.items() %}
    select
        '{{ metric }}' as metric,
        '{{ band.direction }}' as direction,
        '{{ band.unit }}' as unit,
        cast({{ band.green }} as {{ type_double() }}) as green_threshold,
        cast({{ band.amber }} as {{ type_double() }}) as amber_threshold
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    -- noqa: enable=LT02

),

final as (

    select
        -- strings
        cast(project_defaults.metric as {{ dbt.type_string() }}) as metric,
        cast(coalesce(thresholds.direction, project_defaults.direction) as {{ dbt.type_string() }})
            as direction,
        cast(project_defaults.unit as {{ dbt.type_string() }}) as unit,
        cast(
            case when thresholds.metric is null then 'project_default' else 'thresholds_csv' end
            as {{ dbt.type_string() }}
        ) as threshold_source,
        -- numerics
        coalesce(thresholds.green_threshold, project_defaults.green_threshold) as green_threshold,
        coalesce(
            thresholds.amber_threshold,
            thresholds.green_threshold,
            project_defaults.amber_threshold
        ) as amber_threshold
    from project_defaults
    left join thresholds
        on project_defaults.metric = thresholds.metric

)

select * from final
