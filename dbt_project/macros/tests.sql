{#
    Tests on incremental models check what the build (re)wrote, so their cost
    follows the new data like the build's: a test configured with
    `where: "__rebuilt_rows__"` reads only the rows this build wrote
    (`written_by_this_build`, macros/incremental.sql). A full build writes
    every row, so it tests every row; a build with nothing new tests none.
    Any other `where` works as in dbt.
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where == '__rebuilt_rows__' -%}
        {%- set where = written_by_this_build() -%}
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
