{{ config(materialized='view') }}  {# a view, not ephemeral: unit tests mock it as an input #}
{#
    One row per table of the landing source: the cadence its data is
    expected at, as dbt's source freshness configuration sets it
    (models/staging/landing/_landing__sources.yml, `warn_after` and
    `error_after`), in seconds; null when not set. Read from dbt's graph, so
    the sources' yml stays the one place a cadence is configured (and `dbt
    source freshness` reads the same).
#}
{%- set landing_tables = (
    graph.sources.values() | selectattr('source_name', 'equalto', 'landing')
    | sort(attribute='name') | list
) if execute else [] %}

with

cadences_configured as (

    {%- if not landing_tables %}
    {#- while dbt parses: no graph yet #}
    select
        null as entity,
        null as warn_after_seconds,
        null as error_after_seconds
    {%- endif %}
    {%- for node in landing_tables %}
    select
        '{{ node.name }}' as entity,
        {{ freshness_after_seconds(node, 'warn_after') }} as warn_after_seconds,
        {{ freshness_after_seconds(node, 'error_after') }} as error_after_seconds
    {{- " union all" if not loop.last }}
    {%- endfor %}

),

final as (

    select
        -- strings
        cast(cadences_configured.entity as {{ dbt.type_string() }}) as entity,
        -- numerics
        cast(cadences_configured.warn_after_seconds as {{ dbt.type_bigint() }})
            as warn_after_seconds,
        cast(cadences_configured.error_after_seconds as {{ dbt.type_bigint() }})
            as error_after_seconds
    from cadences_configured

)

select * from final
