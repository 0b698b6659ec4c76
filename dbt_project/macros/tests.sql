{#
    Tests on incremental models check what the build (re)wrote, so their cost
    follows the new data like the build's: a test configured with
    `where: "__rebuilt_rows__"` reads only the rows whose `logged_through_at`
    is the latest (macros/incremental.sql). A full build writes every row with
    the same value, so it tests every row. Any other `where` works as in dbt.
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where == '__rebuilt_rows__' -%}
        {%- set where -%}
            logged_through_at = (
                select max(rebuilt.logged_through_at) from {{ relation }} as rebuilt
            )
        {%- endset -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
