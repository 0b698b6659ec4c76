{#
    One row per threshold the build applied: every RAG band and rule threshold
    the warehouse reads (int_thresholds_resolved: seeds/thresholds.csv over the
    project defaults in dbt_project.yml), and the minimum group size the review
    models suppressed with (macros/privacy.sql: CADENCE_MIN_GROUP_SIZE at build
    time, default 5). The app reads its bands and its k here, never from its own
    settings, so a page applies exactly what the warehouse was built with.
#}
{%- set min_group_size_from_env = env_var('CADENCE_MIN_GROUP_SIZE', '') | trim != '' %}

with

thresholds as (

    select * from {{ ref('int_thresholds_resolved') }}

),

minimum_group_size as (

    select
        'min_group_size' as metric,
        'higher_is_better' as direction,  {# a group counts from this many people up #}
        'people' as unit,
        '{{ "build_environment" if min_group_size_from_env else "project_default" }}'
            as threshold_source,
        cast({{ min_group_size() }} as {{ type_double() }}) as green_threshold,
        cast({{ min_group_size() }} as {{ type_double() }}) as amber_threshold

),

thresholds_and_settings as (

    select
        thresholds.metric,
        thresholds.direction,
        thresholds.unit,
        thresholds.threshold_source,
        thresholds.green_threshold,
        thresholds.amber_threshold
    from thresholds

    union all

    select
        minimum_group_size.metric,
        minimum_group_size.direction,
        minimum_group_size.unit,
        minimum_group_size.threshold_source,
        minimum_group_size.green_threshold,
        minimum_group_size.amber_threshold
    from minimum_group_size

),

final as (

    select
        -- strings
        cast(thresholds_and_settings.metric as {{ dbt.type_string() }}) as metric,
        cast(thresholds_and_settings.direction as {{ dbt.type_string() }}) as direction,
        cast(thresholds_and_settings.unit as {{ dbt.type_string() }}) as unit,
        cast(thresholds_and_settings.threshold_source as {{ dbt.type_string() }})
            as threshold_source,
        -- numerics
        cast(thresholds_and_settings.green_threshold as {{ type_double() }}) as green_threshold,
        cast(thresholds_and_settings.amber_threshold as {{ type_double() }}) as amber_threshold
    from thresholds_and_settings

)

select * from final
