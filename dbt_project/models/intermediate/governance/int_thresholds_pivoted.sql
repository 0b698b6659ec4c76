{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row: for every metric in var('thresholds') (and so every name the
    warehouse reads), `<metric>_direction`, `<metric>_green` and
    `<metric>_amber`, taken from seeds/thresholds.csv when the seed has a row
    for the metric and from the project default otherwise.
#}
{%- set defaults = var('thresholds') %}

with

thresholds as (

    select * from {{ ref('stg_config__thresholds') }}

),

final as (

    select
        {#- SQLFluff cannot indent the select targets a loop writes: LT02 is off from here #}
        -- noqa: disable=LT02
        {%- for metric, band in defaults.items() %}
        coalesce(
            max(case when thresholds.metric = '{{ metric }}' then thresholds.direction end),
            '{{ band.direction }}'
        ) as {{ metric }}_direction,
        coalesce(
            max(case when thresholds.metric = '{{ metric }}' then thresholds.green_threshold end),
            {{ band.green }}
        ) as {{ metric }}_green,
        coalesce(
            max(case when thresholds.metric = '{{ metric }}' then thresholds.amber_threshold end),
            max(case when thresholds.metric = '{{ metric }}' then thresholds.green_threshold end),
            {{ band.amber }}
        ) as {{ metric }}_amber{{ "," if not loop.last }}
        {%- endfor %}
    from thresholds

)

select * from final
