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

{#
    on-run-start: a build copied from the previous one would carry the views
    of failing rows an older cadence stored in every build (`dbt_test__audit`,
    see `store_failures_as` in dbt_project.yml). A build that stores no failing
    rows drops them; the re-run of a failed build's tests replaces its own.
    Runs its statement and renders nothing.
#}
{% macro drop_stored_test_failures() -%}
    {%- if execute and target.type == 'duckdb'
        and var('store_failures_as', 'ephemeral') == 'ephemeral' -%}
        {%- do run_query(
            'drop schema if exists ' ~ adapter.quote(target.database) ~ '.dbt_test__audit cascade'
        ) -%}
    {%- endif -%}
{%- endmacro %}
