{#
    The combination of `combination_of_columns` is unique (dbt_utils' test of
    the same name, re-implemented: the project installs no packages).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

grouped as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as rows_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}

)

select * from grouped
where rows_count > 1

{% endtest %}
