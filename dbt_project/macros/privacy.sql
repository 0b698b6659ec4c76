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
