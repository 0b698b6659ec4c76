{#
    The combination of `combination_of_columns` is unique (dbt_utils' test of
    the same name, re-implemented: the project installs no packages).
    With `rebuilt_only` (plain column names only), on an incremental model:
    the combinations of the rows this build (re)wrote are unique across
    the whole table, a check whose cost follows the rebuilt rows
    (macros/tests.sql).
#}
{% test unique_combination_of_columns(model, combination_of_columns, rebuilt_only=false) %}

{%- set columns = combination_of_columns | join(', ') %}
{%- if rebuilt_only and execute %}
    {#- every row rewritten (a full build): the plain test is cheaper #}
    {%- set older_rows -%}
        select count(*) from {{ model }} where not {{ written_by_this_build() }}
    {%- endset %}
    {%- set rebuilt_only = run_query(older_rows).columns[0].values()[0] > 0 %}
{%- endif %}

with

{%- if rebuilt_only %}

rebuilt_keys as (

    select distinct {{ columns }}
    from {{ model }}
    where {{ written_by_this_build() }}

),

keyed_rows as (

    select {{ columns }}
    from {{ model }}
    where ({{ columns }}) in (select {{ columns }} from rebuilt_keys)

),

grouped as (

    select
        {{ columns }},
        count(*) as rows_count
    from keyed_rows
    group by {{ columns }}

)

{%- else %}

{#- keys seen twice, found by a 64-bit hash of the key (cheap at 100M rows);
    only their rows are grouped by the real key, so the test stays exact #}
candidate_hashes as (

    select {{ key_hash(combination_of_columns) }} as key_hash
    from {{ model }}
    group by {{ key_hash(combination_of_columns) }}
    having count(*) > 1

),

grouped as (

    select
        {#- an expression gets a name: Spark creates no view over unnamed ones #}
        {%- for column in combination_of_columns %}
        {{ column }}{{
            ' as combination_column_' ~ loop.index
            if not modules.re.fullmatch('[a-z_][a-z0-9_]*', column)
        }},
        {%- endfor %}
        count(*) as rows_count
    from {{ model }}
    where {{ key_hash(combination_of_columns) }} in (
        select candidate_hashes.key_hash from candidate_hashes
    )
    group by {{ columns }}

)

{%- endif %}

select * from grouped
where rows_count > 1

{% endtest %}
