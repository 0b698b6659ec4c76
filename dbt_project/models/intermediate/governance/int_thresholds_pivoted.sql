{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row: for every metric in var('thresholds') (and so every name the
    warehouse reads), `<metric>_direction`, `<metric>_green` and
    `<metric>_amber`, as int_thresholds_resolved resolved them (seeds/
    thresholds.csv over the project defaults).
#}
{%- set defaults = var('thresholds') %}

with

thresholds as (

    select * from {{ ref('int_thresholds_resolved') }}

),

final as (

    select
        {#- SQLFluff cannot indent the select targets a loop writes: LT02 is off from here #}
        -- noqa: disable=LT02
        {%- for metric in defaults %}
        max(case when thresholds.metric = '{{ metric }}' then thresholds.direction end)
            as {{ metric }}_direction,
        max(case when thresholds.metric = '{{ metric }}' then thresholds.green_threshold end)
            as {{ metric }}_green,
        max(case when thresholds.metric = '{{ metric }}' then thresholds.amber_threshold end)
            as {{ metric }}_amber{{ "," if not loop.last }}
        {%- endfor %}
    from thresholds

)

select * from final
