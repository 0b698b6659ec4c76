{#
    The minimum group size (CONTRACTS.md §5.5): figures drawn from fewer
    distinct people than this are suppressed in the review `rpt_` models, and
    so is a figure from which a suppressed one can be derived (a complement).
    Read from CADENCE_MIN_GROUP_SIZE at build time (default 5, at least 1);
    the build records the value it used in dim_thresholds (`min_group_size`),
    which is the one the app's notes quote.
#}
{% macro min_group_size() -%}
    {%- set raw = env_var('CADENCE_MIN_GROUP_SIZE', '5') | trim -%}
    {%- if not raw.isdigit() -%}
        {{ exceptions.raise_compiler_error(
            "CADENCE_MIN_GROUP_SIZE must be a whole number of people (at least 1), got '"
            ~ raw ~ "'"
        ) }}
    {%- endif -%}
    {{ return([raw | int, 1] | max) }}
{%- endmacro %}

{#
    True when a group of `people` distinct people is non-empty and smaller
    than the minimum group size: the primary suppression rule.
#}
{% macro is_small_group(people) -%}
    ({{ people }} between 1 and {{ min_group_size() - 1 }})
{%- endmacro %}

{#
    The complement rule (CONTRACTS.md §5.5) over the rows of `relation`: in
    each group of rows under one shown total (`partition_by`, columns), when
    exactly one non-empty row (`size` > 0) is hidden (`flag`), the smallest
    other non-empty row (by `size`, then the `order_by` columns) is hidden
    too. Selects every column of `relation` plus `new_flag`; chain it for a
    second family of totals. A group whose one hidden row has no non-empty
    sibling is left as it is: its total then equals that row, and is
    suppressed where the total is shown (rpt_review_tiles).
#}
{% macro complement_hidden(relation, partition_by, size, order_by, flag, new_flag) %}
    {%- set partition = [] %}
    {%- for column in partition_by %}
        {%- do partition.append(relation ~ '.' ~ column) %}
    {%- endfor %}
    {%- set ordering = [relation ~ '.' ~ size] %}
    {%- for column in order_by %}
        {%- do ordering.append(relation ~ '.' ~ column) %}
    {%- endfor %}
    {%- set is_hidden_row = relation ~ '.' ~ flag ~ ' and ' ~ relation ~ '.' ~ size ~ ' > 0' %}
    {%- set is_candidate =
        'not ' ~ relation ~ '.' ~ flag ~ ' and ' ~ relation ~ '.' ~ size ~ ' > 0' %}
    select
        {{ relation }}.*,
        {{ relation }}.{{ flag }} or (
            {{ is_candidate }}
            and sum(case when {{ is_hidden_row }} then 1 else 0 end) over (
                partition by {{ partition | join(', ') }}
            ) = 1
            and row_number() over (
                partition by
                    {{ partition | join(', ') }},
                    case when {{ is_candidate }} then 0 else 1 end
                order by {{ ordering | join(', ') }}
            ) = 1
        ) as {{ new_flag }}
    from {{ relation }}
{%- endmacro %}
