{#
    freshness_after_seconds(node, threshold): a source table's `warn_after` or
    `error_after` (threshold) in seconds, as an SQL number: `node` is the
    table's node in dbt's graph (`graph.sources`), whose `config.freshness`
    is the source freshness configuration of the sources' yml (the table's
    own, else its source's). Null when it sets none. dbt's freshness periods
    are minute, hour and day.
#}
{% macro freshness_after_seconds(node, threshold) -%}
    {%- set seconds_per_period = {'minute': 60, 'hour': 3600, 'day': 86400} -%}
    {%- set after = (node.config.freshness or {}).get(threshold) -%}
    {%- if after and after['count'] and after['period'] -%}
        {%- if after['period'] not in seconds_per_period -%}
            {{ exceptions.raise_compiler_error(
                "freshness_after_seconds: " ~ node.source_name ~ "." ~ node.name ~ " "
                ~ threshold ~ " has period " ~ after['period'] ~ " (minute, hour or day)") }}
        {%- endif -%}
        {{ after['count'] * seconds_per_period[after['period']] }}
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}
