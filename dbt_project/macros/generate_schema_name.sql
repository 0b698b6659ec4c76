{#
    Use a folder's `+schema` verbatim instead of dbt's default
    `<target schema>_<custom schema>`: public marts land in `main`
    (CONTRACTS.md §3), staging views in `staging`, seeds in `config`.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
