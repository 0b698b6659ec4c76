{#
    Guard for dbt-core issue #7373: with an absolute seed path (as
    CADENCE_CONFIG_DIR may be), dbt writes a seed's runtime SQL to
    target/run/<project>/<absolute csv path>, i.e. over the CSV itself,
    destroying the organisation's configuration. This copy of dbt's
    `noop_statement` skips that write for seeds; everything else is unchanged.
#}
{% macro noop_statement(name=None, message=None, code=None, rows_affected=None, res=None) -%}
    {%- set sql = caller() -%}

    {%- if name == 'main' and model['resource_type'] != 'seed' -%}
        {{ log('Writing runtime SQL for node "{}"'.format(model['unique_id'])) }}
        {{ write(sql) }}
    {%- endif -%}

    {%- if name is not none -%}
        {{ store_raw_result(
            name, message=message, code=code, rows_affected=rows_affected, agate_table=res
        ) }}
    {%- endif -%}
{%- endmacro %}
